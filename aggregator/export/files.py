"""Where a post lives on disk, and writing it so that no reader ever sees half of it.

File names come from page text, which is hostile input: ``../../etc/passwd`` as a title must not leave
``OUTPUT_DIR``, a 10,000-character title must not exceed the file system's 255-byte limit, and ``CON`` must
not trip Windows. Every name ends with a short hash of the canonical URL, which makes names stable across
runs for the same article and unique between articles whose titles slug alike.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from itemadapter import ItemAdapter
from slugify import slugify

from aggregator import settings as project_defaults
from aggregator.web.urls import url_id

TEMP_PREFIX = ".aggregator-tmp-"
"""Temporary files start with a dot: Hexo ignores hidden files, so a crash mid-write publishes nothing."""

_UNSAFE_COMPONENT = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_MAX_COMPONENT_BYTES = 200


class UnsafePath(ValueError):
    """A post path that would leave ``OUTPUT_DIR``."""


@dataclass(frozen=True)
class PostNaming:
    """How a post's file name is made: ``POST_FILENAME`` with ``{slug}``, ``{id}``, ``{site}``, ``{date}``,
    ``{categories}`` (the category path, ``新媒体/ZAKER/channel``: :func:`category_folders`)."""

    # Without from_settings (tests), the project's defaults: declared in settings.py only.
    pattern: str = project_defaults.POST_FILENAME
    slug_max_length: int = project_defaults.POST_SLUG_MAX_LENGTH
    slug_unicode: bool = project_defaults.POST_SLUG_UNICODE

    @classmethod
    def from_settings(cls, settings: Any) -> PostNaming:
        pattern = settings["POST_FILENAME"]
        if "{id}" not in pattern:
            raise ValueError("POST_FILENAME must contain {id}: it keeps names unique and stable across runs")
        return cls(
            pattern=pattern,
            slug_max_length=settings.getint("POST_SLUG_MAX_LENGTH"),
            slug_unicode=settings.getbool("POST_SLUG_UNICODE"),
        )

    def slug(self, text: str) -> str:
        """A file-name-safe slug; CJK text is kept (``POST_SLUG_UNICODE``) or transliterated to ASCII."""
        slug = slugify(
            text or "",
            allow_unicode=self.slug_unicode,
            max_length=self.slug_max_length,
            word_boundary=False,
            save_order=True,
        )
        return slug or "post"

    def relative_path(self, article: Any) -> PurePosixPath:
        """The post's path relative to ``OUTPUT_DIR``, ending in ``.md``.

        Every component must fit :data:`_MAX_COMPONENT_BYTES`. When one does not, the slug (then the site)
        is shortened — never the name as a whole, whose end is the ``{id}`` that keeps two articles with
        alike titles in two files (60 four-byte letters, or long CJK titles sharing their first 66
        characters, used to lose their ids to the byte cap and overwrite each other).
        """
        adapter = ItemAdapter(article)
        published = adapter.get("published") or datetime(1970, 1, 1)
        fields = {
            "slug": self.slug(adapter.get("title") or ""),
            "site": self.slug(adapter.get("site") or "site"),
        }
        post_id = article_post_id(adapter)
        folders = category_folders(adapter.get("categories") or [])
        while True:
            name = self.pattern.format(id=post_id, date=published, categories=folders, **fields)
            parts = [safe_component(part, cut=False) for part in name.split("/") if part.strip()]
            if not parts:
                raise UnsafePath(f"POST_FILENAME gave an empty name for {adapter['url']}")
            parts[-1] += ".md"
            excess = max(len(part.encode("utf-8")) for part in parts) - _MAX_COMPONENT_BYTES
            longest = max(fields, key=lambda key: len(fields[key].encode("utf-8")))
            if excess <= 0 or len(fields[longest]) <= 1:
                break
            fields[longest] = _cut_bytes(
                fields[longest], max(1, len(fields[longest].encode("utf-8")) - excess)
            )
        return PurePosixPath(*(safe_component(part) for part in parts))


MAX_CATEGORY_FOLDERS = 8
"""Category levels that become folders; deeper ones are left out of the path (the post keeps them)."""


def category_folders(categories: list[str]) -> str:
    """The categories as nested folders, one safe component each: a ``/`` inside a category is part of its
    name (``a/b`` → ``a-b``), never a deeper folder, and ``..`` or an absolute path cannot climb out."""
    parts = [safe_component(str(category)) for category in categories]  # it turns "/" and "\\" into "-"
    return "/".join(parts[:MAX_CATEGORY_FOLDERS])


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, on a character boundary, without a trailing hyphen."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore").rstrip("-") or text[:1]


def article_post_id(adapter: ItemAdapter) -> str:
    """The ``{id}`` of a post's file name: from the article's state key (a feed entry's guid within its
    feed: entries sharing a link must not share a file), else from its canonical URL."""
    key = adapter.get("key")
    if key:
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return url_id(adapter["url"])


def safe_component(part: str, cut: bool = True) -> str:
    """One path component that cannot climb out, hide itself, or be reserved on any OS (and, with ``cut``,
    no longer than :data:`_MAX_COMPONENT_BYTES`; :meth:`PostNaming.relative_path` shortens the slug first)."""
    # Hexo skips any post whose path has a component starting with "." or "_": such a post would vanish.
    part = _UNSAFE_COMPONENT.sub("-", part).strip(" ").lstrip("._").rstrip(".")
    if not part or part in (".", ".."):
        part = "post"
    reserved = _WINDOWS_RESERVED.match(part)
    if reserved:
        # after the reserved stem ("nul.txt" -> "nul-.txt": Windows reserves "nul.txt-" too); a "_" prefix
        # would make Hexo skip the post
        part = f"{part[: reserved.end(1)]}-{part[reserved.end(1) :]}"
    if not cut:
        return part
    return part.encode("utf-8")[:_MAX_COMPONENT_BYTES].decode("utf-8", errors="ignore")


def resolve_inside(output_dir: Path, relative: PurePosixPath | str) -> Path:
    """``output_dir / relative``, refusing anything that resolves outside ``output_dir``."""
    root = output_dir.resolve()
    target = (root / Path(relative)).resolve()
    if target == root or root not in target.parents:
        raise UnsafePath(f"{relative} resolves outside {root}")
    return target


def write_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically; return False (and touch nothing) if it already holds ``text``.

    The text goes to a hidden temporary file in the same folder, is flushed to disk, then renamed over the
    target: on POSIX a rename is atomic, so readers see the old post or the new one, never a mix.
    """
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return False
    with replacing(path) as temp_name:
        with open(temp_name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
    return True


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[str]:
    """A hidden temporary name beside ``target``, renamed over it when the block succeeds and removed when
    it fails: the one way every file reaches ``OUTPUT_DIR``, so none is ever seen half-written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=temp_prefix(), suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield temp_name
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


STALE_TEMP_SECONDS = 600
"""How old another machine's temporary file must be before it counts as left behind."""


def temp_prefix() -> str:
    """``.aggregator-tmp-<host>-<pid>-``: who is writing, so that cleanup never deletes a live writer's file
    (several crawlers, or distributed workers on other machines, can share one OUTPUT_DIR)."""
    return f"{TEMP_PREFIX}{socket.gethostname()}-{os.getpid()}-"


def _writer_alive(name: str) -> bool | None:
    """Whether the process that owns a temp file is still running; None if it ran on another machine."""
    parts = name.removeprefix(TEMP_PREFIX).split("-")
    if len(parts) < 3 or not parts[-2].isdigit():
        return False  # an old-style name: its writer cannot be known, treat it as gone
    host, pid = "-".join(parts[:-2]), int(parts[-2])
    if host != socket.gethostname():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(output_dir: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temporary files whose writer is gone: a killed process on this machine, or a file from another
    machine older than ``older_than`` seconds. Return what was removed."""
    removed = []
    if output_dir.is_dir():
        cutoff = time.time() - older_than
        for leftover in output_dir.rglob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                alive = _writer_alive(leftover.name)
                if alive is False or (alive is None and leftover.stat().st_mtime < cutoff):
                    leftover.unlink()
                    removed.append(leftover)
    return removed


def link_or_copy(source: Path, target: Path) -> bool:
    """Put ``source`` at ``target`` as a hard link (one file on disk however many posts use it), or a copy
    when the two are on different file systems; return False if ``target`` already is that file.

    Like :func:`write_atomic`, the new file appears under a hidden temporary name and is renamed into place,
    so Hexo never publishes half an image.
    """
    with contextlib.suppress(OSError):
        if os.path.samefile(source, target):
            return False
    with replacing(target) as temp_name:
        os.unlink(temp_name)  # os.link wants a free name
        try:
            os.link(source, temp_name)
        except OSError:
            shutil.copyfile(source, temp_name)
            os.chmod(temp_name, 0o644)
    return True
