"""Incremental crawling: do not fetch an article page whose post is already written and up to date.

Without this, a re-run fetches and parses every article a list still shows, only for the state pipeline to
find it unchanged and drop it: the bulk of a daily run's time and of its load on the site, for nothing.
Like scrapy-deltafetch, :class:`SkipKnownArticles` (a spider middleware) drops those requests before they
are scheduled, using the same state store as the state pipeline (``aggregator.state.open_state_store``:
SQLite, or Redis when ``REDIS_URL`` is set).

Spiders opt in per request, as only they know which requests are article pages and which article a URL
stands for (it may be fetched from a mirror, ``<SITE>_BASE_URL``):

* ``meta["article_url"]``: the article's canonical URL, the one its post links;
* ``meta["article_updated"]`` (optional): an aware datetime the list or feed gives for the entry's last
  change. A request is then skipped only if that time is not newer than the post's last export.

A known article is still fetched when its post file is gone (someone deleted it: the state pipeline
rewrites it, as it would have before). List, feed and other requests pass untouched.

What this gives up: an article that changed without its list saying so (ZAKER and CCTV lists carry no
update time) is not re-read. News pages rarely change after publication; ``INCREMENTAL_SKIP_KNOWN = False``
(or ``-s INCREMENTAL_SKIP_KNOWN=False`` for one run) re-reads everything, and the state pipeline then
updates only the posts that really changed.

Skipped requests are counted as ``aggregator/unchanged`` (the summary's "unchanged" figure, as for
articles the state pipeline finds unchanged) and logged at DEBUG.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from aggregator.state import open_state_store
from aggregator.state.adopted import TAKE_OVER
from aggregator.state.store import SQLiteStateStore, StateStore
from aggregator.web.urls import canonical_url

logger = logging.getLogger(__name__)

ARTICLE_URL = "article_url"
ARTICLE_UPDATED = "article_updated"
ARTICLE_KEY = "article_key"


class SkipKnownArticles(BaseSpiderMiddleware):
    """Drop article requests whose post exists and is not older than the entry's update time, if any."""

    def __init__(self, crawler: Crawler, output_dir: Path) -> None:
        super().__init__(crawler)
        self.output_dir = output_dir
        self.store: StateStore | None = None
        self.snapshot: dict[str, tuple[str, str, str]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_SKIP_KNOWN"):
            raise NotConfigured("INCREMENTAL_SKIP_KNOWN is off: every listed article is fetched")
        middleware = cls(crawler, Path(settings["OUTPUT_DIR"]))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        url = request.meta.get(ARTICLE_URL)
        if not url:
            return request
        key = request.meta.get(ARTICLE_KEY) or canonical_url(url)
        why = self.known(key, request.meta.get(ARTICLE_UPDATED))
        if why is None:
            return request
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("aggregator/unchanged")
        logger.debug("Skipped %s (unchanged): %s", url, why, extra={"spider": self.crawler.spider})
        return None

    def known(self, url: str, updated: datetime | None) -> str | None:
        """Why the article needs no fetch (its post is there and up to date), or None to fetch it."""
        found = self.exported_post(url)
        if found is None or found[2] == TAKE_OVER:  # an adopted post to rewrite once
            return None
        path, last_exported, _ = found
        if not (self.output_dir / path).is_file():
            return None
        if updated is not None and updated > last_exported:
            return None
        return f"exported to {path} on {last_exported:%Y-%m-%d %H:%M}" + (
            f", not updated since ({updated:%Y-%m-%d %H:%M})" if updated is not None else ""
        )

    def exported_post(self, url: str) -> tuple[str, datetime, str] | None:
        """The post path, last export time and content hash of ``url`` if it was exported.

        The SQLite store is read once, in one query, at the first listed article: a re-run asks about
        every article of every list, and one query per article cost seconds at 25,000 posts. An article
        another process exports meanwhile is then missing here; it is fetched, and the state pipeline (which
        always asks the store) finds it unchanged. The Redis store, shared with workers that write it while
        this one runs, is asked each time.
        """
        if self.store is None:
            # Opened on first use: a crawl that never lists an article never touches the store.
            self.store = open_state_store(self.crawler.settings)
            if isinstance(self.store, SQLiteStateStore):
                self.snapshot = self.store.exported()
        if self.snapshot is not None:
            row = self.snapshot.get(url)
            return (row[0], datetime.fromisoformat(row[1]), row[2]) if row else None
        record = self.store.lookup(url)
        return (record.path, record.last_exported, record.content_hash) if record else None


def article_meta(url: str, updated: datetime | None = None, key: str = "") -> dict[str, Any]:
    """The request meta that lets :class:`SkipKnownArticles` skip this article page when it is known.

    ``key`` is the article's state key when its URL is not (see ``Article.key``)."""
    meta: dict[str, Any] = {ARTICLE_URL: url}
    if key:
        meta[ARTICLE_KEY] = key
    if updated is not None:
        meta[ARTICLE_UPDATED] = updated
    return meta
