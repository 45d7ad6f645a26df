"""Runs :class:`aggregator.extraction.pool.PageReader` under a real reactor, in its own process, for
``tests/test_extraction_pool.py``: ``python -m tests.extraction_pool_harness PROCESSES PAGE…``.

Each PAGE is a file; a page whose bytes contain ``KILL-THE-WORKER`` makes the process reading it kill itself
with SIGKILL, as a segfault in a C parser or the OOM killer would. Pages are read concurrently; the result,
one JSON object per page in order, is ``{"title": …, "body": …}``, ``{"page_error": reason}`` or
``{"crashed": message}``, followed by the crawl stats the reader counted.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scrapy.statscollectors import MemoryStatsCollector

from aggregator.extraction.pool import ExtractionCrashed, PageReader, read_page
from aggregator.sites.base import ArticlePage, PageError

MARK = b"KILL-THE-WORKER"


def killing_read(
    body: bytes, content_type: Any, url: str, timezone: tzinfo
) -> tuple[ArticlePage, float, float]:
    """:func:`read_page`, except that a marked page kills the process reading it."""
    if MARK in body:
        os.kill(os.getpid(), signal.SIGKILL)
    return read_page(body, content_type, url, timezone)


class _Crawler:
    """Just what a stats collector needs from a crawler."""

    class settings:
        @staticmethod
        def getbool(name: str, default: bool = False) -> bool:
            return default


async def read_all(processes: int, pages: list[Path]) -> dict[str, Any]:
    stats = MemoryStatsCollector(_Crawler())  # type: ignore[arg-type]
    reader = PageReader(processes, stats, killing_read)
    timezone = ZoneInfo("Asia/Shanghai")

    async def one(page: Path) -> dict[str, str]:
        try:
            article = await reader.read(page.read_bytes(), None, f"https://example.cn/{page.name}", timezone)
        except PageError as error:
            return {"page_error": error.reason}
        except ExtractionCrashed as error:
            return {"crashed": str(error)}
        return {"title": article.title or "", "body": article.body_html or ""}

    results = await asyncio.gather(*(one(page) for page in pages))
    reader.close()
    return {"results": list(results), "stats": stats.get_stats()}


def main(argv: list[str]) -> None:
    from scrapy.utils.defer import deferred_from_coro
    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import reactor

    outcome: dict[str, Any] = {}

    def done(result: dict[str, Any]) -> None:
        outcome.update(result)
        reactor.stop()  # type: ignore[attr-defined]

    def failed(failure: Any) -> None:
        outcome["error"] = failure.getTraceback()
        reactor.stop()  # type: ignore[attr-defined]

    def start() -> None:
        deferred_from_coro(read_all(int(argv[0]), [Path(name) for name in argv[1:]])).addCallbacks(
            done, failed
        )

    reactor.callWhenRunning(start)  # type: ignore[attr-defined]
    reactor.run()  # type: ignore[attr-defined]
    print(json.dumps(outcome, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
