"""Shared fixtures: a loopback fixture server and a way to run real ``scrapy crawl`` processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.crawling import CrawlResult, crawl
from tests.fixture_server import FixtureServer


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
