"""Posts of an existing blog that the state knows by title and date, because they carry no link.

The blog this project replaces has ~23,700 posts written by a bot from RSSHub feeds: RFC-822 dates, file
names made from titles, and no ``link`` field. ``aggregator adopt`` records each such post here under a key
made from its title (:func:`title_key`) with its date; when a crawl later meets an article of the same title
published within :data:`DATE_TOLERANCE`, the state pipeline takes the post for that article's: it records
the article's URL with the post's path (so every later run knows it by URL, and the incremental skip does
not even fetch it) and removes the row here.

What the record of an adopted article holds instead of a content hash (:data:`ADOPTED`, :data:`TAKE_OVER`)
says what the next crawl does with its post: leave it exactly as it is, or rewrite it in place once.

The table lives in the SQLite state file (``STATE_PATH``). With the shared Redis state of distributed
crawling, posts adopted by link work as usual; matching by title needs the SQLite file on the machine.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ADOPTED = "adopted"
"""Content hash of an adopted post that crawls must not rewrite: its article counts as unchanged."""
TAKE_OVER = "adopted:take-over"
"""Content hash of an adopted post the next crawl rewrites in place (``aggregator adopt --take-over``)."""
ADOPTED_MARKERS = (ADOPTED, TAKE_OVER)

DATE_TOLERANCE = timedelta(hours=26)
"""How far apart the post's date and the article's may be: a site's page, its list and a feed can give the
same article different times (minutes dropped, a time zone misread as UTC, up to a day)."""


def title_key(title: str) -> str:
    """The title as matching sees it: Unicode-normalised (full-width forms folded), case-folded, and only its
    letters and digits, so that ZAKER's ``" 五一 "`` and a feed's ``"五一"`` are the same title."""
    folded = unicodedata.normalize("NFKC", title or "").casefold()
    return "".join(character for character in folded if character.isalnum())


@dataclass(frozen=True)
class AdoptedPost:
    path: str
    """Relative to ``OUTPUT_DIR``."""
    title_key: str
    published: datetime
    take_over: bool


class AdoptedPosts:
    """The ``adopted`` table of the SQLite state file."""

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        """``read_only`` (a dry run): open the existing file without writing to it, not even the table."""
        self._lock = threading.Lock()
        if read_only:
            uri = f"{Path(path).resolve().as_uri()}?mode=ro"
            self._db = sqlite3.connect(
                uri, uri=True, timeout=30, check_same_thread=False, isolation_level=None
            )
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS adopted (
                   path TEXT PRIMARY KEY, title_key TEXT NOT NULL, published TEXT NOT NULL,
                   take_over INTEGER NOT NULL DEFAULT 0
               )"""
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS adopted_title ON adopted (title_key)")

    def add(self, post: AdoptedPost) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO adopted VALUES (?, ?, ?, ?)",
                (post.path, post.title_key, post.published.isoformat(), int(post.take_over)),
            )

    def match(self, title: str, published: datetime | None) -> AdoptedPost | None:
        """The adopted post of this title dated closest to ``published`` (within :data:`DATE_TOLERANCE`);
        without a date, the post only if it is the one post of that title."""
        key = title_key(title)
        if not key:
            return None
        try:
            with self._lock:
                rows = self._db.execute("SELECT * FROM adopted WHERE title_key = ?", (key,)).fetchall()
        except sqlite3.OperationalError:  # read-only, and nothing was ever adopted: no table
            return None
        posts = [
            AdoptedPost(path, key, datetime.fromisoformat(date), bool(take)) for path, key, date, take in rows
        ]
        if published is None:
            return posts[0] if len(posts) == 1 else None
        near = [post for post in posts if abs(post.published - published) <= DATE_TOLERANCE]
        return min(near, key=lambda post: abs(post.published - published), default=None)

    def remove(self, path: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM adopted WHERE path = ?", (path,))

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM adopted").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
