"""What has been exported before: the memory that makes a re-run cheap and idempotent.

One row per exported article, keyed by canonical URL and also findable by guid, holding the post's path,
a hash of what the post says, and when it was first and last written. SQLite is the default because it
needs no server and survives crashes (each record is its own transaction); the Redis backend for
distributed crawling implements the same small interface.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from itemadapter import ItemAdapter

from aggregator.web.urls import canonical_url


def state_path(settings: Any) -> Path:
    """``STATE_PATH``, or a hidden folder inside ``OUTPUT_DIR`` so that the state follows the posts.

    Keeping it beside the posts means ``-s OUTPUT_DIR=elsewhere`` starts a fresh, consistent history
    instead of believing that posts written to another folder exist here. Hexo ignores hidden folders.
    """
    configured = settings.get("STATE_PATH")
    if configured:
        return Path(configured)
    return Path(settings["OUTPUT_DIR"]) / ".aggregator" / "state.sqlite"


def feed_entry_key(feed_url: str, guid: str) -> str:
    """A feed entry's key in the state: its guid, scoped to its feed, because guids such as ``1``, ``2``
    or ``post-6`` are unique only within one feed. A guid that is a URL (a permalink, or the link of an
    entry without a guid) names the article itself, ``#fragment`` included: the same article listed by two
    feeds of one site is one post."""
    if guid.startswith(("http://", "https://")):
        fragment = urlsplit(guid).fragment
        return canonical_url(guid) + (f"#{fragment}" if fragment else "")
    return f"{feed_url}#guid={guid}"


def article_key(article: Any) -> str:
    """What the state remembers an article by: the key its spider gave it, else its canonical URL."""
    adapter = ItemAdapter(article)
    return adapter.get("key") or canonical_url(adapter["url"])


HASHED_FIELDS = ("title", "body_html", "author", "categories", "tags", "cover", "summary")
"""What makes a post differ. Not the date: feeds without dates get the crawl time, which changes."""


def content_hash(article: Any) -> str:
    """A stable digest of the fields a reader sees."""
    adapter = ItemAdapter(article)
    payload = {name: adapter.get(name) for name in HASHED_FIELDS}
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ExportRecord:
    """One exported article as the store remembers it."""

    url: str
    """The article's key (:func:`article_key`): its canonical URL, or a feed entry's guid within its feed."""
    guid: str
    path: str
    content_hash: str
    published: datetime | None
    first_exported: datetime
    last_exported: datetime


@dataclass(frozen=True)
class RunRecord:
    """One finished crawl of a subscription, for ``aggregator list``."""

    subscription: str
    spider: str
    started: datetime
    finished: datetime
    status: str
    """``ok`` or ``failed``; see ``aggregator.run.crawl.judge``."""
    reason: str
    fetched: int
    exported: int
    updated: int
    unchanged: int
    dropped: int
    errors: int


class StateStore(Protocol):
    """The interface the state pipeline needs; SQLite and Redis implement it."""

    def lookup(self, url: str, guid: str = "") -> ExportRecord | None: ...

    def record(self, record: ExportRecord) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class ClaimingStore(Protocol):
    """A state store shared between processes (Redis), which must settle who exports an article."""

    def claim(self, url: str, guid: str, expected_hash: str) -> bool: ...


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StateUnreadable(RuntimeError):
    """The state file exists but is not a readable SQLite database (disk fault, a half-copied file)."""


def unreadable_state(path: Path, error: BaseException) -> str:
    """The one ERROR line for an unreadable state file, with the way out."""
    return (
        f"The state file {path} is unreadable ({error}). Move it aside and run again: "
        f"mv '{path}' '{path}.corrupt'. The posts in OUTPUT_DIR are kept; the next run reads the listed "
        "articles once more and rewrites only the posts whose text changed"
    )


class SQLiteStateStore:
    """The embedded store (``STATE_PATH``), safe for several spiders of one process and for crashes."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            self._create_tables()
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise StateUnreadable(unreadable_state(self.path, error)) from error

    def _create_tables(self) -> None:
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS posts (
                   url TEXT PRIMARY KEY,
                   guid TEXT NOT NULL DEFAULT '',
                   path TEXT NOT NULL,
                   content_hash TEXT NOT NULL,
                   published TEXT,
                   first_exported TEXT NOT NULL,
                   last_exported TEXT NOT NULL
               )"""
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS posts_guid ON posts (guid)")
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS runs (
                   subscription TEXT NOT NULL, spider TEXT NOT NULL, started TEXT NOT NULL,
                   finished TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,
                   fetched INTEGER, exported INTEGER, updated INTEGER, unchanged INTEGER,
                   dropped INTEGER, errors INTEGER
               )"""
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS runs_subscription ON runs (subscription, finished)")

    def lookup(self, url: str, guid: str = "") -> ExportRecord | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM posts WHERE url = ?", (url,)).fetchone()
            if row is None and guid:
                row = self._db.execute("SELECT * FROM posts WHERE guid = ? LIMIT 1", (guid,)).fetchone()
        if row is None:
            return None
        url, guid, path, digest, published, first, last = row
        return ExportRecord(
            url=url,
            guid=guid,
            path=path,
            content_hash=digest,
            published=_parse_time(published),
            first_exported=datetime.fromisoformat(first),
            last_exported=datetime.fromisoformat(last),
        )

    def exported(self) -> dict[str, tuple[str, str, str]]:
        """Every exported article's post path, last export time (ISO text) and content hash, by URL, in one
        query: for :class:`aggregator.state.incremental.SkipKnownArticles`, which asks about every listed
        article of a re-run (25,000 one-row queries cost seconds; this costs a few hundredths)."""
        with self._lock:
            rows = self._db.execute("SELECT url, path, last_exported, content_hash FROM posts").fetchall()
        return {url: (path, last, digest) for url, path, last, digest in rows}

    def record(self, record: ExportRecord) -> None:
        with self._lock:
            self._db.execute(
                """INSERT INTO posts (url, guid, path, content_hash, published, first_exported, last_exported)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (url) DO UPDATE SET
                       guid = excluded.guid, path = excluded.path, content_hash = excluded.content_hash,
                       published = excluded.published, last_exported = excluded.last_exported""",
                (
                    record.url,
                    record.guid,
                    record.path,
                    record.content_hash,
                    record.published.isoformat() if record.published else None,
                    record.first_exported.isoformat(),
                    record.last_exported.isoformat(),
                ),
            )

    def record_run(self, run: RunRecord) -> None:
        values = [getattr(run, name) for name in RunRecord.__dataclass_fields__]
        values = [value.isoformat() if isinstance(value, datetime) else value for value in values]
        with self._lock:
            self._db.execute(f"INSERT INTO runs VALUES ({', '.join('?' * len(values))})", values)

    def last_runs(self) -> dict[str, RunRecord]:
        """The latest run of every subscription that ever ran."""
        with self._lock:
            rows = self._db.execute(
                """SELECT * FROM runs AS r WHERE finished = (
                       SELECT MAX(finished) FROM runs WHERE subscription = r.subscription)"""
            ).fetchall()
        runs = {}
        for row in rows:
            run = RunRecord(*row)
            runs[run.subscription] = RunRecord(
                **{
                    **run.__dict__,
                    "started": datetime.fromisoformat(row[2]),
                    "finished": datetime.fromisoformat(row[3]),
                }
            )
        return runs

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM posts").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def now_utc() -> datetime:
    return datetime.now(UTC)
