"""``aggregator crawl``: every subscription in one process, spiders side by side, one summary at the end.

One process (one Twisted reactor, one ``CrawlerProcess``) runs a ``Crawler`` per subscription, each with its
own settings (``SUBSCRIPTION_NAME``, an optional ``JOBDIR``) so that its stats — and so its row of the summary
— are its own. The exit status tells cron whether anything failed outright (see ``summary.judge``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import task
from twisted.python.failure import Failure

from aggregator import signals
from aggregator.run.progress import ProgressTable, live_progress
from aggregator.run.subscriptions import Subscription
from aggregator.run.summary import counts, judge

logger = logging.getLogger(__name__)


@dataclass
class SubscriptionResult:
    """How one subscription's crawl went."""

    name: str
    spider: str
    status: str = "failed"
    reason: str = "did not run"
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    would_write: list[tuple[str, str]] = field(default_factory=list)
    """``DRY_RUN``: (``new``/``updated``, path) of every post the run would have written."""


@dataclass
class _Running:
    subscription: Subscription
    crawler: Crawler | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    start_error: str = ""
    would_write: list[tuple[str, str]] = field(default_factory=list)

    def post_would_write(self, item: Any, path: str, status: str) -> None:
        self.would_write.append((status, path))


def _crawler_settings(base: Settings, subscription: Subscription, jobdir: Path | None) -> Settings:
    settings = base.copy()
    settings.set("SUBSCRIPTION_NAME", subscription.name, priority="cmdline")
    if jobdir is not None:
        settings.set("JOBDIR", str(jobdir / subscription.name), priority="cmdline")
    return settings


def crawl_subscriptions(
    subscriptions: list[Subscription], settings: Settings, jobdir: Path | None = None
) -> list[SubscriptionResult]:
    """Run the subscriptions' spiders concurrently in this process; return one result per subscription.

    In a terminal, a live table shows each subscription's progress (``aggregator.run.progress``); elsewhere,
    a progress line every ``PROGRESS_INTERVAL`` seconds.
    """
    with live_progress(settings) as display:
        return _crawl(subscriptions, settings, jobdir, display)


def _crawl(
    subscriptions: list[Subscription], settings: Settings, jobdir: Path | None, display: ProgressTable | None
) -> list[SubscriptionResult]:
    process = CrawlerProcess(settings)  # sets up logging: inside the live display, so logs scroll above it
    running: list[_Running] = []
    if display is not None:
        display.running = running
    reactor_installed = False
    for subscription in subscriptions:
        entry = _Running(subscription)
        running.append(entry)
        try:
            spider_class = process.spider_loader.load(subscription.spider)
        except KeyError:
            entry.start_error = f"no spider named {subscription.spider!r}"
            continue
        # The first crawler installs the reactor its settings ask for; the others share it.
        entry.crawler = Crawler(
            spider_class,
            _crawler_settings(settings, subscription, jobdir),
            init_reactor=not reactor_installed,
        )
        reactor_installed = True
        entry.crawler.signals.connect(entry.post_would_write, signal=signals.post_would_write)
        deferred = process.crawl(entry.crawler, **subscription.arguments)
        deferred.addCallbacks(_finished(entry), _failed_to_run(entry))

    interval = settings.getfloat("PROGRESS_INTERVAL")
    if interval > 0 and display is None:
        progress = task.LoopingCall(_log_progress, running)
        # Imported only now: CrawlerProcess has installed the reactor Scrapy wants (asyncio) by this point.
        from twisted.internet import reactor

        reactor.callWhenRunning(progress.start, interval, False)  # type: ignore[attr-defined]
    process.start()
    return [_result(entry) for entry in running]


def _finished(entry: _Running) -> Any:
    def done(_: Any) -> None:
        entry.finished = time.monotonic()

    return done


def _failed_to_run(entry: _Running) -> Any:
    def failed(failure: Failure) -> None:
        entry.finished = time.monotonic()
        entry.start_error = f"{type(failure.value).__name__}: {failure.value}"
        logger.error("Subscription %s could not run: %s", entry.subscription.name, entry.start_error)

    return failed


def _log_progress(running: list[_Running]) -> None:
    done = sum(1 for entry in running if entry.finished is not None)
    totals: dict[str, int] = {"fetched": 0, "exported": 0, "updated": 0, "unchanged": 0}
    for entry in running:
        if entry.crawler is not None and entry.crawler.stats is not None:
            figures = counts(entry.crawler.stats.get_stats())
            for key in totals:
                totals[key] += figures[key]
    logger.info(
        "Progress: %d of %d subscriptions done; fetched %d pages, exported %d new, updated %d, unchanged %d",
        done, len(running), totals["fetched"], totals["exported"], totals["updated"], totals["unchanged"],
    )  # fmt: skip


def _result(entry: _Running) -> SubscriptionResult:
    result = SubscriptionResult(entry.subscription.name, entry.subscription.spider)
    end = entry.finished or time.monotonic()
    result.seconds = end - entry.started
    result.would_write = sorted(entry.would_write)
    if entry.start_error or entry.crawler is None or entry.crawler.stats is None:
        result.reason = entry.start_error or "did not run"
        return result
    stats = entry.crawler.stats.get_stats()
    result.figures = counts(stats)
    result.status, result.reason = judge(stats, stats.get("finish_reason"))
    return result


def format_table(results: list[SubscriptionResult], elapsed: float, dry_run: bool = False) -> str:
    """The end-of-run summary: one row per subscription, then the totals; in a dry run, what would be new
    and updated, then the paths that would be written."""
    header = (
        "subscription",
        "fetched",
        "would be new" if dry_run else "exported",
        "would update" if dry_run else "updated",
        "unchanged",
        "dropped",
        "errors",
        "time",
        "status",
    )
    rows = []
    totals = dict.fromkeys(("fetched", "exported", "updated", "unchanged", "dropped", "errors"), 0)
    for result in results:
        figures = result.figures or {}
        dropped = figures.get("dropped", {})
        values = {
            "fetched": figures.get("fetched", 0),
            "exported": figures.get("exported", 0),
            "updated": figures.get("updated", 0),
            "unchanged": figures.get("unchanged", 0),
            "dropped": sum(dropped.values()),
            "errors": figures.get("errors", 0),
        }
        for key, value in values.items():
            totals[key] += value
        status = "ok" if result.status == "ok" else f"{result.status.upper()}: {result.reason}"
        rows.append((result.name, *map(str, values.values()), f"{result.seconds:.1f}s", status))
        if dropped:
            reasons = ", ".join(f"{reason}: {n}" for reason, n in dropped.items())
            rows.append(("", "", "", "", "", f"({reasons})", "", "", ""))
    failed = sum(1 for result in results if result.status != "ok")
    rows.append(
        ("TOTAL", *map(str, totals.values()), f"{elapsed:.1f}s", f"{failed} failed" if failed else "ok")
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]  # fmt: skip
    if dry_run:
        paths = [f"  {status:<8} {path}" for result in results for status, path in result.would_write]
        lines += [
            "",
            "Dry run: nothing was written. It would write:" if paths else "Dry run: nothing to write.",
        ]
        lines += paths
    return "\n".join(lines)
