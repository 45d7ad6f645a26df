"""Run summary and progress: what an operator wants to know about a crawl, in one line."""

from __future__ import annotations

import logging
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

logger = logging.getLogger(__name__)

NOT_A_LOSS = {"unchanged"}
"""Drop reasons that are the incremental state working, not articles lost."""


def counts(stats: dict[str, Any]) -> dict[str, Any]:
    """The figures of a run from its stats: pages fetched, posts exported/updated, unchanged, drops."""
    dropped = {
        key.removeprefix("aggregator/dropped/"): value
        for key, value in sorted(stats.items())
        if key.startswith("aggregator/dropped/")
    }
    return {
        "fetched": stats.get("downloader/response_count", 0),
        "exported": stats.get("aggregator/exported/new", 0),
        "updated": stats.get("aggregator/exported/updated", 0),
        "unchanged": stats.get("aggregator/unchanged", 0),
        "dropped": dropped,
        "errors": stats.get("log_count/ERROR", 0),
    }


def format_counts(figures: dict[str, Any]) -> str:
    dropped = figures["dropped"]
    reasons = ", ".join(f"{reason}: {n}" for reason, n in dropped.items())
    dropped_text = f"{sum(dropped.values())}" + (f" ({reasons})" if reasons else "")
    return (
        f"fetched {figures['fetched']} pages, exported {figures['exported']} new, "
        f"updated {figures['updated']}, unchanged {figures['unchanged']}, dropped {dropped_text}, "
        f"errors {figures['errors']}"
    )


class RunSummary:
    """Count drops by reason, log progress every ``PROGRESS_INTERVAL`` seconds, and a summary at the end."""

    def __init__(self, stats: StatsCollector, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.started = time.monotonic()
        self.progress: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        if not crawler.settings.getbool("RUN_SUMMARY_ENABLED", True):
            raise NotConfigured
        extension = cls(crawler.stats, crawler.settings.getfloat("PROGRESS_INTERVAL", 30.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        if self.interval > 0:
            self.progress = task.LoopingCall(self.log_progress, spider)
            self.progress.start(self.interval, now=False)

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        reason = getattr(exception, "reason", "other")
        if reason in NOT_A_LOSS:
            self.stats.inc_value(f"aggregator/{reason}")
        else:
            self.stats.inc_value(f"aggregator/dropped/{reason}")

    def log_progress(self, spider: Spider) -> None:
        elapsed = time.monotonic() - self.started
        logger.info(
            "Progress of %s after %.0fs: %s",
            spider.name,
            elapsed,
            format_counts(counts(self.stats.get_stats())),
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.progress is not None and self.progress.running:
            self.progress.stop()
        elapsed = time.monotonic() - self.started
        logger.info(
            "Summary of %s: %s; finished (%s) in %.1fs",
            spider.name,
            format_counts(counts(self.stats.get_stats())),
            reason,
            elapsed,
        )
