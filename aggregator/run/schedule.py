"""``aggregator schedule``: start crawls on time, forever, one at a time per subscription.

APScheduler does the timekeeping (cron triggers in ``TIMEZONE``; a job never overlaps itself:
``max_instances=1``; missed runs are coalesced into one). Each run is a separate ``aggregator crawl --only
NAME`` process, because a Twisted reactor cannot be restarted within one process, and because a crawl that
crashes must not take the scheduler down with it. Children run in their own session so that Ctrl-C in the
terminal reaches only the scheduler, which then stops starting crawls and waits for the ones in flight.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from aggregator.run.cron import cron_trigger
from aggregator.run.subscriptions import Subscription

logger = logging.getLogger(__name__)


class CrawlScheduler:
    """Runs ``crawl_command + ["--only", name]`` for each subscription whenever its cron trigger fires."""

    def __init__(
        self,
        subscriptions: Sequence[Subscription],
        crawl_command: Sequence[str],
        timezone: Any,
        default_schedule: str = "",
    ) -> None:
        self.crawl_command = list(crawl_command)
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()
        self.stopping = False
        self.shutdown_thread: threading.Thread | None = None
        self.scheduler = BlockingScheduler(
            timezone=timezone,
            executors={"default": ThreadPoolExecutor(max(4, len(subscriptions)))},
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 300},
        )
        self.scheduler.add_listener(self._skipped, EVENT_JOB_MAX_INSTANCES)
        for subscription in subscriptions:
            expression = subscription.schedule or default_schedule
            if not expression:
                raise ValueError(
                    f"subscription {subscription.name!r} has no schedule: give it one, a defaults.schedule, "
                    "or --cron for all"
                )
            self.scheduler.add_job(
                self.run,
                cron_trigger(expression, timezone),
                args=[subscription.name],
                id=subscription.name,
                name=f"{subscription.name} ({expression})",
            )

    def run(self, name: str) -> int:
        """One crawl of one subscription, in a child process; its exit status is logged, never raised."""
        if self.stopping:
            return -1
        command = [*self.crawl_command, "--only", name]
        started = time.monotonic()
        logger.info("Starting crawl of %s", name)
        with self.lock:
            child = subprocess.Popen(command, start_new_session=True)
            self.children[name] = child
        code = child.wait()
        with self.lock:
            self.children.pop(name, None)
        elapsed = time.monotonic() - started
        if code == 0:
            logger.info("Crawl of %s finished in %.1fs", name, elapsed)
        else:
            logger.error(
                "Crawl of %s FAILED (exit status %d) after %.1fs; the schedule goes on", name, code, elapsed
            )
        return code

    def _skipped(self, event: JobExecutionEvent) -> None:
        logger.warning("Skipped a run of %s: the previous crawl is still running", event.job_id)

    def stop(self, signum: int, frame: FrameType | None) -> None:
        """First signal: start nothing new, let crawls in flight finish. Second signal: stop them too."""
        if not self.stopping:
            self.stopping = True
            with self.lock:
                running = sorted(self.children)
            logger.info(
                "Stopping (%s): waiting for %s; signal again to interrupt them",
                signal.Signals(signum).name,
                ", ".join(running) or "no running crawl",
            )
            self.shutdown_thread = threading.Thread(target=self.scheduler.shutdown, kwargs={"wait": True})
            self.shutdown_thread.start()
            return
        with self.lock:
            for child in self.children.values():
                child.send_signal(signal.SIGINT)

    def start(self) -> None:
        for job in self.scheduler.get_jobs():
            logger.info("Scheduled %s", job.name)
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        self.scheduler.start()
        if self.shutdown_thread is not None:
            self.shutdown_thread.join()  # returns once the crawls in flight have finished
        logger.info("Scheduler stopped")


def crawl_command(subscriptions_path: Path, overrides: Sequence[str]) -> list[str]:
    """The command a scheduled run executes: this Python, this package, the same file and settings."""
    command = [sys.executable, "-m", "aggregator", "crawl", "--subscriptions", str(subscriptions_path)]
    for override in overrides:
        command += ["-s", override]
    return command
