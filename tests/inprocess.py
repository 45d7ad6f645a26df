"""Crawls inside the test process: one Twisted reactor for the whole session, in a thread of its own.

A ``scrapy crawl`` subprocess costs a Python start-up and every import of Scrapy and the project before its
first request (about a second, several on a loaded machine), which is most of a test crawl of ten pages.
Here the crawl runs exactly as ``scrapy crawl`` sets it up — the project's settings module, the same ``-s``
settings at command-line priority, the same ``-a`` spider arguments, a root log handler with Scrapy's
format at ``LOG_LEVEL`` — on a reactor that is started once and kept running. The exit status is judged by
the function ``scrapy crawl`` uses (:func:`aggregator.run.commands.crawl.exit_status`).

What a subprocess does add, tests still get from :func:`tests.crawling.crawl` with ``process=True``: the
command line itself, signals, a process that can be killed, crawls that run side by side.
"""

from __future__ import annotations

import io
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.log import configure_logging
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.reactor import install_reactor
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
_installed = False


def project_settings(overrides: dict[str, str]) -> Settings:
    """The settings ``scrapy crawl -s NAME=VALUE …`` runs with, from the project's settings module."""
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def install_reactor_once() -> None:
    """Install the reactor the project's settings ask for, before anything imports Twisted's default one.

    Called when pytest starts (``tests/conftest.py``): a module that imports ``twisted.internet.reactor``
    while tests are collected would otherwise install the default reactor, and Scrapy refuses to crawl on
    a reactor other than its ``TWISTED_REACTOR``.
    """
    global _installed
    with _lock:
        if not _installed:
            settings = project_settings({"LOG_INSTALL_ROOT_HANDLER": "False"})  # each crawl has its handler
            install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
            configure_logging(settings)  # Twisted's log → logging, warnings → logging, as Scrapy does
            _installed = True


def reactor() -> Any:
    """The running reactor of this process, started (in a daemon thread) on first use."""
    global _thread
    install_reactor_once()
    with _lock:
        if _thread is None:
            from twisted.internet import reactor as installed

            _thread = threading.Thread(
                target=installed.run, kwargs={"installSignalHandlers": False}, name="reactor", daemon=True
            )
            _thread.start()
    from twisted.internet import reactor as running

    return running


def stop_reactor() -> None:
    """Stop the session's reactor, if one was started (at the end of the test session)."""
    if _thread is not None and _thread.is_alive():
        running = reactor()
        running.callFromThread(running.stop)
        _thread.join(timeout=10)


@contextmanager
def captured_log(settings: Settings) -> Iterator[io.StringIO]:
    """Everything logged while the crawl runs, formatted as ``scrapy crawl`` prints it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(settings["LOG_FORMAT"], settings["LOG_DATEFORMAT"]))
    handler.setLevel(settings["LOG_LEVEL"])
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@contextmanager
def without_proxies() -> Iterator[None]:
    """Test crawls talk to 127.0.0.1 directly, whatever proxy the environment names (Scrapy reads it)."""
    saved = {name: value for name, value in os.environ.items() if name.lower().endswith("_proxy")}
    for name in saved:
        del os.environ[name]
    try:
        yield
    finally:
        os.environ.update(saved)


def set_up_reactor(crawler: Crawler, running: Any) -> None:
    """What ``CrawlerProcess`` does to the reactor when ``scrapy crawl`` starts (``CrawlerRunner`` leaves
    it to its caller): install the crawl's ``TWISTED_DNS_RESOLVER`` and size the thread pool. Done per crawl
    here, as each ``scrapy crawl`` process does it once with its own settings."""
    resolver_class = load_object(crawler.settings["TWISTED_DNS_RESOLVER"])
    build_from_crawler(resolver_class, crawler, reactor=running).install_on_reactor()
    running.getThreadPool().adjustPoolsize(maxthreads=crawler.settings.getint("REACTOR_THREADPOOL_MAXSIZE"))


def run(spider: str, arguments: dict[str, str], overrides: dict[str, str], timeout: float) -> tuple[int, str]:
    """Crawl once, in this process; the exit status ``scrapy crawl`` would give, and the log."""
    from aggregator.run.commands.crawl import FAILED, exit_status

    settings = project_settings(overrides)
    running = reactor()
    done = threading.Event()
    outcome: dict[str, Any] = {}

    def start() -> None:
        try:
            runner = CrawlerRunner(settings)
            crawler = outcome["crawler"] = runner.create_crawler(spider)
            set_up_reactor(crawler, running)
            deferred = runner.crawl(crawler, **arguments)
        except Exception:
            failed(Failure())
            return
        deferred.addErrback(failed)
        deferred.addBoth(lambda _: done.set())

    def failed(failure: Failure) -> None:
        outcome["failure"] = failure
        # What Scrapy prints when a spider cannot start: the exception, with its message.
        logger.error("Error running spider %s: %s", spider, failure.getErrorMessage(), exc_info=failure.value)
        done.set()

    with without_proxies(), captured_log(settings) as log:
        running.callFromThread(start)
        if not done.wait(timeout):
            crawler: Crawler | None = outcome.get("crawler")
            if crawler is not None:
                running.callFromThread(crawler.stop)
                done.wait(30)
            raise TimeoutError(f"the {spider} crawl did not finish in {timeout} s:\n{log.getvalue()[-3000:]}")
        if "failure" in outcome:
            return FAILED, log.getvalue()
        status = exit_status([outcome["crawler"]])
        return status, log.getvalue()
