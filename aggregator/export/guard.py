"""Stop a crawl that cannot write its posts, instead of fetching pages only to throw them away.

A crawl whose ``OUTPUT_DIR`` is read-only, on a full disk, or missing on an unmounted drive would otherwise
download every page, drop every article with the same ``write_failed`` line, and end as if it had merely
lost a few. :class:`OutputGuard` turns that into one clear error and a crawl that stops:

* before crawling: ``OUTPUT_DIR`` must accept a file (created, written, flushed to disk and removed again).
  If it does not, the crawl does not start at all, with one ERROR line that names the folder and the
  system's reason. It raises from ``from_crawler`` because the pipelines open their files while the engine
  is built, before any signal could stop the crawl, and would fail there with a less helpful traceback;
* while crawling: when the exporter drops posts as ``write_failed`` (the disk filled up, the folder was
  remounted read-only), the crawl stops with the finish reason ``output_not_writable`` as soon as the folder
  refuses a probe file too, or after ``OUTPUT_WRITE_FAILURES_MAX`` failures in a row — a single post that
  cannot be written for a reason of its own does not stop the others.

The exporter removes a half-written temporary file itself, so stopping leaves no partial post behind.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro

from aggregator.export.files import TEMP_PREFIX

logger = logging.getLogger(__name__)

STOP_REASON = "output_not_writable"
"""The finish reason of a crawl stopped because posts cannot be written; ``judge`` calls it a failure."""


class OutputNotWritable(RuntimeError):
    """``OUTPUT_DIR`` refuses files: nothing could be exported, so the crawl must not start."""


def output_problem(output_dir: Path) -> str | None:
    """Why posts cannot be written to ``output_dir``, or None when a file can be put there.

    The probe is a real file written and flushed as a post would be (``chmod`` bits say nothing for root,
    and a full disk only shows when bytes are written). It carries the exporter's temporary-file prefix, so
    that a probe left by a killed process is cleaned up like any other leftover.
    """
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".probe", dir=output_dir)
    except OSError as error:
        return _why(error)
    try:
        with os.fdopen(fd, "wb") as probe:
            probe.write(b"aggregator write probe\n" * 64)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return _why(error)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)
    return None


def _why(error: OSError) -> str:
    """``Read-only file system (EROFS)``: the system's words and the name to search for, no probe path."""
    if not error.strerror:
        return str(error)
    code = errno.errorcode.get(error.errno or 0)
    return f"{error.strerror} ({code})" if code else error.strerror


class OutputGuard:
    """An extension: no crawl starts without a writable ``OUTPUT_DIR``, and none goes on once it is lost.

    Settings: ``OUTPUT_GUARD_ENABLED`` (default True), ``OUTPUT_WRITE_FAILURES_MAX`` (default 3).
    Counts ``aggregator/errors/output_not_writable`` when it stops a crawl.
    """

    def __init__(self, crawler: Crawler, output_dir: Path, failures_max: int) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.failures_max = max(1, failures_max)
        self.failures_in_a_row = 0
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutputGuard:
        settings = crawler.settings
        if not settings.getbool("OUTPUT_GUARD_ENABLED") or settings.getbool("DRY_RUN"):
            raise NotConfigured  # a dry run writes nothing, so it needs no writable OUTPUT_DIR
        output_dir = Path(settings["OUTPUT_DIR"])
        problem = output_problem(output_dir)
        if problem is not None:
            message = f"Cannot write posts to OUTPUT_DIR {output_dir.resolve()}: {problem}; not crawling"
            logger.error(message)
            raise OutputNotWritable(message)
        guard = cls(crawler, output_dir, settings.getint("OUTPUT_WRITE_FAILURES_MAX"))
        crawler.signals.connect(guard.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(guard.item_scraped, signal=signals.item_scraped)
        return guard

    def item_scraped(self, item: Any, spider: Spider) -> None:
        """An article got through the exporter: whatever failed before was not the folder's fault."""
        self.failures_in_a_row = 0

    def item_dropped(self, item: Any, exception: BaseException, spider: Spider, **kwargs: Any) -> None:
        if getattr(exception, "reason", None) != "write_failed" or self.stopping:
            return
        self.failures_in_a_row += 1
        problem = output_problem(self.output_dir)
        if problem is None and self.failures_in_a_row < self.failures_max:
            return
        why = problem or f"{self.failures_in_a_row} posts in a row could not be written"
        self.stopping = True
        self.crawler.stats.inc_value(f"aggregator/errors/{STOP_REASON}")
        logger.error(
            "Stopping the crawl: posts cannot be written to OUTPUT_DIR %s (%s)",
            self.output_dir.resolve(),
            why,
            extra={"spider": spider},
        )
        assert self.crawler.engine is not None
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=STOP_REASON))
