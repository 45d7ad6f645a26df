"""What has been exported before (SQLite or Redis), and the skipping of known articles built on it.

``store`` holds the records and the embedded SQLite store, ``redis_store`` the shared one of distributed
crawling, ``incremental`` the spider middleware that keeps a re-run from fetching known articles. This module
only chooses between the stores, so that neither store module needs to import the other.
"""

from __future__ import annotations

from typing import Any

from aggregator.state.adopted import AdoptedPosts
from aggregator.state.store import SQLiteStateStore, StateStore, StateUnreadable, state_path


def open_state_store(settings: Any) -> StateStore:
    """The store this crawl's settings name: Redis shared by every worker when ``REDIS_URL`` is set (see
    ``aggregator.distributed.workers``), else the embedded SQLite file at :func:`state_path`.

    One place decides, so that the state pipeline and the incremental skipping
    (``aggregator.state.incremental``) can never consult different memories.
    """
    if settings.getbool("DRY_RUN") and not settings.get("REDIS_URL") and not state_path(settings).is_file():
        return SQLiteStateStore(":memory:")  # a dry run creates no state file; with none, nothing is known
    if settings.get("REDIS_URL"):
        from aggregator.state.redis_store import RedisStateStore  # imports redis only when it is used

        return RedisStateStore.from_settings(settings)
    return SQLiteStateStore(state_path(settings))


def state_problem(settings: Any) -> str | None:
    """Why the SQLite state file cannot be used, or None: checked before a crawl starts, so that a corrupt
    file is one ERROR line with the way out instead of a traceback from deep inside the engine."""
    if settings.get("REDIS_URL") or not state_path(settings).exists():
        return None
    try:
        SQLiteStateStore(state_path(settings)).close()
    except StateUnreadable as error:
        return str(error)
    return None


def open_adopted_posts(settings: Any) -> AdoptedPosts | None:
    """The posts ``aggregator adopt`` recorded by title and date, or None when there is no SQLite state file
    (nothing was ever adopted here): a crawl must not create the file only to look into it."""
    path = state_path(settings)
    return AdoptedPosts(path, read_only=settings.getbool("DRY_RUN")) if path.is_file() else None
