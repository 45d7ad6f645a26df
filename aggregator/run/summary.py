"""Run summary and progress: what an operator wants to know about a crawl, in one line."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

from aggregator.state.store import RunRecord, SQLiteStateStore, state_path

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
        "errors": stats.get("aggregator/errors", stats.get("log_count/ERROR", 0)),
    }


def judge(stats: dict[str, Any], finish_reason: str | None) -> tuple[str, str]:
    """``("ok", "")``, ``("blocked", why)`` or ``("failed", why)``: did a crawl run, or fail outright?

    *Blocked* is the failure an operator fixes differently (cookies, slower settings, docs/waf.md): the
    crawl stopped at a firewall (``blocked_by_waf``) or a host refused so often it was no longer asked.

    Outright failure is what cron and CI must hear about: the crawl stopped for another reason than
    finishing or a limit the operator set (``CLOSESPIDER_*``) — blocked by a WAF, shut down, crashed —,
    requests were sent and none was answered, or errors were logged and not a single article came out of
    the lists. Single lost articles are not failures; the summary counts them.
    """
    operator_limit = (finish_reason or "").startswith("closespider_")
    if finish_reason == "blocked_by_waf":
        return "blocked", "stopped at the site's firewall (see docs/waf.md)"
    prefix = "aggregator/walled/"
    walled = sorted(key.removeprefix(prefix) for key in stats if key.startswith(prefix))
    if walled and finish_reason == "finished":
        return "blocked", f"{', '.join(walled)} refused too often and was no longer asked (see docs/waf.md)"
    if finish_reason != "finished" and not operator_limit:
        return "failed", f"stopped: {finish_reason or 'did not start'}"
    if stats.get("downloader/request_count") and not stats.get("downloader/response_count"):
        # Requests were sent and none got an answer. A crawl that sent none at all (a distributed worker
        # whose share was empty, every article already known) did nothing wrong.
        return "failed", "nothing could be fetched"
    articles = stats.get("item_scraped_count", 0) + stats.get("item_dropped_count", 0)
    if stats.get("aggregator/errors", stats.get("log_count/ERROR", 0)) and not articles:
        return "failed", "errors, and no article came out of the lists"
    return "ok", ""


def format_counts(figures: dict[str, Any]) -> str:
    dropped = figures["dropped"]
    reasons = ", ".join(f"{reason}: {n}" for reason, n in dropped.items())
    dropped_text = f"{sum(dropped.values())}" + (f" ({reasons})" if reasons else "")
    return (
        f"fetched {figures['fetched']} pages, exported {figures['exported']} new, "
        f"updated {figures['updated']}, unchanged {figures['unchanged']}, dropped {dropped_text}, "
        f"errors {figures['errors']}"
    )


class CrawlerErrorCounter(logging.Handler):
    """Counts ERROR and CRITICAL log lines of one crawl as ``aggregator/errors``.

    Scrapy's own ``log_count/ERROR`` counts every error logged in the process, so when ``aggregator crawl``
    runs several spiders side by side, each would be charged with the others' errors. A record belongs to
    this crawl when it carries this spider (``self.logger`` and Scrapy's own messages do) or no spider.
    """

    def __init__(self, stats: StatsCollector, spider: Spider) -> None:
        super().__init__(level=logging.ERROR)
        self.stats = stats
        self.spider = spider

    def emit(self, record: logging.LogRecord) -> None:
        owner = getattr(record, "spider", None)
        crawler = getattr(record, "crawler", None)
        if (
            owner is self.spider
            or (crawler is not None and crawler is self.spider.crawler)
            or (owner is None and crawler is None)
        ):
            self.stats.inc_value("aggregator/errors")


class RunSummary:
    """Count drops by reason, log progress every ``PROGRESS_INTERVAL`` seconds, and a summary at the end.

    When the crawl runs for a subscription (``SUBSCRIPTION_NAME``, set by ``aggregator crawl``), the run and
    its figures are also recorded in the state database for ``aggregator list``.
    """

    def __init__(self, stats: StatsCollector, interval: float, settings: Any = None) -> None:
        self.stats = stats
        self.interval = interval
        self.settings = settings
        self.started = time.monotonic()
        self.progress: task.LoopingCall | None = None
        self.error_counter: CrawlerErrorCounter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        if not crawler.settings.getbool("RUN_SUMMARY_ENABLED"):
            raise NotConfigured
        extension = cls(crawler.stats, crawler.settings.getfloat("PROGRESS_INTERVAL"), crawler.settings)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.stats.set_value("aggregator/errors", 0)
        self.error_counter = CrawlerErrorCounter(self.stats, spider)
        logging.getLogger().addHandler(self.error_counter)
        if self.interval > 0:
            self.progress = task.LoopingCall(self.log_progress, spider)
            self.progress.start(self.interval, now=False)

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        reason = getattr(exception, "reason", "other")
        if reason in NOT_A_LOSS:
            self.stats.inc_value(f"aggregator/{reason}")
        else:
            self.stats.inc_value(f"aggregator/dropped/{reason}")

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        """A pipeline raised something other than a drop: the article is lost all the same."""
        self.stats.inc_value("aggregator/dropped/error")

    def spider_error(self, failure: Any, response: Any, spider: Spider) -> None:
        self.stats.inc_value("aggregator/dropped/spider_error")

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
        if self.error_counter is not None:
            logging.getLogger().removeHandler(self.error_counter)
        elapsed = time.monotonic() - self.started
        logger.info(
            "Summary of %s%s: %s; finished (%s) in %.1fs",
            spider.name,
            " (dry run: nothing written; new and updated are what would be)"
            if self.settings is not None and self.settings.getbool("DRY_RUN")
            else "",
            format_counts(counts(self.stats.get_stats())),
            reason,
            elapsed,
        )
        subscription = self.settings.get("SUBSCRIPTION_NAME") if self.settings is not None else None
        if subscription and not self.settings.getbool("DRY_RUN"):
            self.record_run(subscription, spider.name, reason)

    def record_run(self, subscription: str, spider_name: str, reason: str) -> None:
        stats = self.stats.get_stats()
        figures = counts(stats)
        status, why = judge(stats, reason)
        finished = datetime.now(UTC)
        store = SQLiteStateStore(state_path(self.settings))
        try:
            store.record_run(
                RunRecord(
                    subscription=subscription,
                    spider=spider_name,
                    started=stats.get("start_time") or finished,
                    finished=finished,
                    status=status,
                    reason=why,
                    fetched=figures["fetched"],
                    exported=figures["exported"],
                    updated=figures["updated"],
                    unchanged=figures["unchanged"],
                    dropped=sum(figures["dropped"].values()),
                    errors=figures["errors"],
                )
            )
        finally:
            store.close()
