"""Reading fetched pages (decode + generic extraction) off the reactor: in a thread, or in worker processes.

Extraction costs 5–100 ms of pure-Python CPU per portal page. In a thread it keeps the reactor responsive,
but the GIL still holds the whole crawl to one core: a full-text feed crawl tops out near 30 pages/s however
fast the site answers. ``EXTRACTION_PROCESSES = N`` (N ≥ 1) sends pages to a pool of N worker processes
instead, so extraction runs on every core while the crawl process keeps downloading and exporting. The pool
starts at the first page to read (a crawl of full feeds never starts it), its workers fork from a
``forkserver`` that has already imported the extractor (no per-worker import cost) and are replaced after
:data:`TASKS_PER_WORKER` pages (a leak in a parser cannot grow without bound).

Failures keep the crawl's contract: a page the extractor rejects raises :class:`PageError` as before. A
worker that dies (a segfault in a C parser, the OOM killer) breaks the pool and every page in it at that
moment; each of those pages is read again *alone* in a one-worker pool, so an innocent page that was merely
in flight succeeds and the page that kills its worker again is reported as :class:`ExtractionCrashed`: one
``Dropped … (extraction_crashed)`` line for that article, and the crawl goes on with a fresh pool.

Each read also returns how long decoding and extraction took, which the reader adds to the crawl's stats
(``aggregator/extraction/decode_seconds``, ``…/extract_seconds``, ``…/pages``) for ``bench/run.py``.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import tzinfo
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, threads

from aggregator.sites.base import ArticlePage

TASKS_PER_WORKER = 500
"""Pages a worker process reads before it is replaced by a fresh one."""
PRELOAD = ["aggregator.sites.generic"]
"""Imported once by the forkserver, so that every worker starts with the extractor loaded."""

Reader = Callable[[bytes, Any, str, tzinfo], tuple[ArticlePage, float, float]]


class ExtractionCrashed(Exception):
    """The page killed the process that read it, even alone: it cannot be read."""


def read_page(body: bytes, content_type: Any, url: str, timezone: tzinfo) -> tuple[ArticlePage, float, float]:
    """The article of a fetched page, and the seconds spent decoding and extracting it.

    Its bytes are decoded as a browser would, then read by the parser the site registry picks for the URL
    (a site's own rules for its pages, the generic extractor for any other). Imported here, not at the top:
    the generic extractor's trafilatura takes a tenth of a second to import, and crawls of zaker and cctv
    never need it.
    """
    from aggregator.sites.registry import read_page as parse_article
    from aggregator.web.encoding import decode_html

    started = time.perf_counter()
    text, _ = decode_html(body, content_type)
    decoded = time.perf_counter()
    page = parse_article(text, url, timezone)
    return page, decoded - started, time.perf_counter() - decoded


class PageReader:
    """One crawl's way of reading pages: :meth:`read` in a thread (``processes=0``) or a process pool."""

    def __init__(self, processes: int, stats: Any = None, function: Reader = read_page) -> None:
        if processes < 0:
            raise ValueError(f"EXTRACTION_PROCESSES must be 0 (a thread) or more, not {processes}")
        self.processes = processes
        self.stats = stats
        self.function = function
        self._pool: ProcessPoolExecutor | None = None
        self._solo: ProcessPoolExecutor | None = None
        self._solo_lock = defer.DeferredLock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        reader = cls(crawler.settings.getint("EXTRACTION_PROCESSES"), crawler.stats)
        crawler.signals.connect(reader.close, signal=signals.spider_closed)
        return reader

    async def read(self, body: bytes, content_type: Any, url: str, timezone: tzinfo) -> ArticlePage:
        """The page's article; :class:`PageError` if it has none, :class:`ExtractionCrashed` if it kills."""
        if self.processes == 0:
            result = await maybe_deferred_to_future(
                threads.deferToThread(self.function, body, content_type, url, timezone)
            )
        else:
            result = await self._read_in_pool((body, content_type, url, timezone))
        page, decode_seconds, extract_seconds = result
        self._count("pages")
        self._count("decode_seconds", decode_seconds)
        self._count("extract_seconds", extract_seconds)
        return page

    async def _read_in_pool(self, arguments: tuple[Any, ...]) -> Any:
        pool = self._get_pool()
        try:
            return await self._submit(pool, arguments)
        except BrokenProcessPool:
            if self._pool is pool:  # the first page to see the break replaces the pool
                self._count("worker_crashes")
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
        # Alone, one page at a time: if the one-worker pool breaks now, this page is what kills.
        await maybe_deferred_to_future(self._solo_lock.acquire())
        try:
            solo = self._get_solo()
            try:
                return await self._submit(solo, arguments)
            except BrokenProcessPool:
                solo.shutdown(wait=False, cancel_futures=True)
                self._solo = None
                raise ExtractionCrashed(
                    "it killed the worker process that read it, twice (the second time alone)"
                ) from None
        finally:
            self._solo_lock.release()

    def _count(self, name: str, value: float = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"aggregator/extraction/{name}", value)

    def _executor(self, workers: int) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return ProcessPoolExecutor(workers, mp_context=context, max_tasks_per_child=TASKS_PER_WORKER)

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = self._executor(self.processes)
        return self._pool

    def _get_solo(self) -> ProcessPoolExecutor:
        """Where a page caught in a broken pool is read again, one at a time: if it breaks this pool, it
        was alone in it, so it is the page that kills."""
        if self._solo is None:
            self._solo = self._executor(1)
        return self._solo

    async def _submit(self, pool: ProcessPoolExecutor, arguments: tuple[Any, ...]) -> Any:
        try:
            future = pool.submit(self.function, *arguments)
        except BrokenProcessPool:
            raise
        except RuntimeError as error:  # "cannot schedule new futures after shutdown": treat as broken
            raise BrokenProcessPool(str(error)) from error
        return await maybe_deferred_to_future(_deferred(future))

    def close(self) -> None:
        """Stop the workers; pages still in them are abandoned (the crawl is over)."""
        for pool in (self._pool, self._solo):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._solo = None


def _deferred(future: Future[Any]) -> defer.Deferred[Any]:
    """A Deferred that fires on the reactor thread when ``future`` (done in a pool's thread) is."""
    from twisted.internet import reactor  # imported late: importing it installs a reactor, and Scrapy chooses

    deferred: defer.Deferred[Any] = defer.Deferred()

    def done(finished: Future[Any]) -> None:
        error = finished.exception()
        if error is not None:
            reactor.callFromThread(deferred.errback, error)  # type: ignore[attr-defined]
        else:
            reactor.callFromThread(deferred.callback, finished.result())  # type: ignore[attr-defined]

    future.add_done_callback(done)
    return deferred
