"""Shared fixtures: a loopback fixture server and a way to run real ``scrapy crawl`` processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.crawling import CrawlResult, crawl
from tests.fixture_server import FixtureServer

# CI must judge the code, not the luck of the draw: there the property tests replay the same examples every
# run (derandomize). Locally they explore new random examples each time, which is where new bugs turn up.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    fixture_server = FixtureServer().start()
    yield fixture_server
    fixture_server.stop()


@pytest.fixture
def run_crawl(tmp_path: Path) -> Callable[..., CrawlResult]:
    """``run_crawl("feed", "url=...", settings={...})`` → :class:`CrawlResult` in a fresh output folder."""

    def run(spider: str, *args: str, output_dir: Path | None = None, **kwargs) -> CrawlResult:
        return crawl(spider, output_dir or tmp_path / "output", *args, **kwargs)

    return run
