"""Shared fixtures: a loopback fixture server and a way to run real ``scrapy crawl`` processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest

from tests.fixture_server import FixtureServer

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def server() -> Iterator[FixtureServer]:
    fixture_server = FixtureServer().start()
    yield fixture_server
    fixture_server.stop()


@dataclass
class CrawlResult:
    returncode: int
    log: str
    output_dir: Path

    def posts(self) -> dict[str, frontmatter.Post]:
        """Every post under the output folder, by path relative to it."""
        return {
            str(path.relative_to(self.output_dir)): frontmatter.load(path)
            for path in sorted(self.output_dir.rglob("*.md"))
        }

    def post_by_link(self, link: str) -> frontmatter.Post:
        matches = [post for post in self.posts().values() if post.get("link") == link]
        assert len(matches) == 1, (
            f"expected one post linking {link}, found {len(matches)}:\n{self.log[-3000:]}"
        )
        return matches[0]

    def lines(self, needle: str) -> list[str]:
        return [line for line in self.log.splitlines() if needle in line]


def crawl(
    spider: str, output_dir: Path, *args: str, settings: dict[str, str] | None = None, timeout: float = 120
) -> CrawlResult:
    """Run ``scrapy crawl`` from the repository's top level, as a user would; return its log and posts."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for arg in args:
        command += ["-a", arg]
    all_settings = {
        "OUTPUT_DIR": str(output_dir),
        "LOG_LEVEL": "INFO",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        **(settings or {}),
    }
    for name, value in all_settings.items():
        command += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    return CrawlResult(completed.returncode, completed.stdout + completed.stderr, output_dir)


@pytest.fixture
def run_crawl(tmp_path: Path):
    """``run_crawl("feed", "url=...", settings={...})`` → :class:`CrawlResult` in a fresh output folder."""

    def run(spider: str, *args: str, output_dir: Path | None = None, **kwargs) -> CrawlResult:
        return crawl(spider, output_dir or tmp_path / "output", *args, **kwargs)

    return run
