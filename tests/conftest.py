"""Shared fixtures: a loopback fixture server and a way to run crawls (``tests/crawling.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests import markers
from tests.crawling import CrawlResult, crawl
from tests.fixture_server import FixtureServer

# No per-example deadline: on a loaded machine (CI runners, several test runs side by side) an example
# taking 250 ms instead of 200 ms failed a property test that had found no bug. Speed is measured in bench/.
hypothesis_settings.register_profile("project", deadline=None)
# CI must judge the code, not the luck of the draw: there the property tests replay the same examples every
# run (derandomize). Locally they explore new random examples each time, which is where new bugs turn up.
hypothesis_settings.register_profile(
    "ci", parent=hypothesis_settings.get_profile("project"), derandomize=True, print_blob=True
)
# `make test-fast` (--hypothesis-profile=fast): a tenth of the examples, for a quick loop while editing; the
# full suite, and so CI, keeps Hypothesis's hundred per property.
hypothesis_settings.register_profile(
    "fast", parent=hypothesis_settings.get_profile("project"), max_examples=10
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "project")


MARKERS_BY_FIXTURE = {
    "redis_server": "redis",
    "hexo_ready": "hexo",
    "deployed": "scrapyd",
    "server": "crawl",
    "run_crawl": "crawl",
}
"""A test that uses one of these fixtures (directly or through another) needs that real server, or crawls
(the loopback fixture server, an in-process crawl)."""
SLOW_MODULES = {"test_operations.py", "test_faults.py"}
"""Tests of the command line, signals and killed processes: they start processes of their own."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by what they need (pyproject's markers), so `make test-fast` can leave them out.

    Marked here, from the fixtures a test uses, rather than test by test: a new test that starts Redis or
    Hexo through the usual fixture is marked without anyone remembering to.
    """
    for item in items:
        for fixture, marker in MARKERS_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)
        if item.path.name in SLOW_MODULES:
            item.add_marker("slow")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Say which test runs (``tests/markers.py``): a crawl or a Node.js run from a test not marked for it
    fails at once, so the fast subset cannot silently start crawling again."""
    markers.RUNNING_TEST = item


def pytest_configure(config: pytest.Config) -> None:
    """The reactor of in-process crawls goes in before collection imports anything that picks Twisted's."""
    from tests import inprocess

    inprocess.install_reactor_once()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the reactor of the in-process crawls (``tests/inprocess.py``), if any test started it."""
    from tests import inprocess

    inprocess.stop_reactor()


HANDLERS = {"scrapy": {}, "impersonate": {"ZAKER_IMPERSONATE": "chrome"}}
"""Download handlers the loopback crawl tests run with: Scrapy's own, and curl_cffi's (scrapy-impersonate)."""


@pytest.fixture(params=sorted(HANDLERS))
def handler(request: pytest.FixtureRequest) -> dict[str, str]:
    """Settings selecting the download handler under test (the test runs once with each)."""
    return HANDLERS[request.param]


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    fixture_server = FixtureServer().start()
    yield fixture_server
    fixture_server.stop()


@pytest.fixture
def run_crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    """``run_crawl("feed", "url=...", settings={...})`` → :class:`CrawlResult` in a fresh output folder
    (``process=True``: as a ``scrapy crawl`` subprocess)."""

    def run(spider: str, *args: str, output_dir: Path | None = None, **kwargs) -> CrawlResult:
        return crawl(spider, output_dir or tmp_path / "output", *args, **kwargs)

    return run
