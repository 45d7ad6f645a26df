"""Running crawls from tests (in this process, or as real ``scrapy crawl`` processes), and reading back
what they wrote."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import frontmatter

from tests.fixture_cases import FIXTURES as FIXTURES  # re-exported: the crawl tests' sites are built from it
from tests.markers import require_marker

REPO = Path(__file__).resolve().parent.parent
PROJECT_SETTINGS = "aggregator.settings"


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

    def requested_urls(self) -> list[str]:
        """Every URL the crawl tried to download, from Scrapy's DEBUG/ERROR lines."""
        return _REQUESTED.findall(self.log)


_REQUESTED = re.compile(r"<(?:GET|POST|HEAD) (\S+?)>")
_LOOPBACK = re.compile(r"^https?://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?/")


def crawl_command(
    spider: str, output_dir: Path, args: tuple[str, ...], settings: dict[str, str] | None
) -> list[str]:
    """``python -m scrapy crawl`` with ``-a`` arguments and test-friendly settings (no delays, DEBUG log)."""
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for arg in args:
        command += ["-a", arg]
    all_settings = settings_for_tests(output_dir, settings)
    for name, value in all_settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def crawl_env() -> dict[str, str]:
    """This environment without proxies: test crawls talk to 127.0.0.1 directly."""
    return {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}


def checked(result: CrawlResult) -> CrawlResult:
    """The result, after checking from its log that the crawl never tried to leave this machine."""
    outside = [url for url in result.requested_urls() if not _LOOPBACK.match(url)]
    assert not outside, f"the crawl tried to reach hosts outside this machine: {outside}"
    return result


def settings_for_tests(output_dir: Path, settings: dict[str, str] | None) -> dict[str, str]:
    """The ``-s`` settings of every test crawl (no delays, DEBUG log), then the test's own."""
    return {
        "OUTPUT_DIR": str(output_dir),
        "LOG_LEVEL": "DEBUG",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        **(settings or {}),
    }


def crawl(
    spider: str,
    output_dir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    timeout: float = 120,
    process: bool = False,
) -> CrawlResult:
    """Crawl as ``scrapy crawl spider -a ARG… -s NAME=VALUE…`` would; return its exit status, log and posts.

    In this process by default (:mod:`tests.inprocess`: same settings, arguments, log and exit status, no
    start-up cost). ``process=True`` runs the real command line in a subprocess from the repository's top
    level, as a user would: for tests of the command line itself. So does a test that names a settings
    module of its own in ``SCRAPY_SETTINGS_MODULE``, which only a new process can load, and every crawl
    when the environment says ``TEST_CRAWLS=subprocess`` (to compare, or to rule the harness out).
    """
    require_marker("crawl", "a crawl")
    own_settings = os.environ.get("SCRAPY_SETTINGS_MODULE", PROJECT_SETTINGS) != PROJECT_SETTINGS
    process = process or own_settings or os.environ.get("TEST_CRAWLS") == "subprocess"
    if not process:
        from tests import inprocess

        arguments = dict(arg.split("=", 1) for arg in args)
        returncode, log = inprocess.run(spider, arguments, settings_for_tests(output_dir, settings), timeout)
        return checked(CrawlResult(returncode, log, output_dir))
    completed = subprocess.run(
        crawl_command(spider, output_dir, args, settings),
        cwd=REPO,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return checked(CrawlResult(completed.returncode, completed.stdout + completed.stderr, output_dir))


@dataclass
class RunningCrawl:
    """A ``scrapy crawl`` started by :func:`start_crawl` and not yet waited for; its log goes to a file."""

    process: subprocess.Popen[bytes]
    log_path: Path
    output_dir: Path

    def wait(self, timeout: float = 120) -> CrawlResult:
        """Wait for the crawl to end; check, as :func:`crawl` does, that it stayed on this machine."""
        try:
            returncode = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        return checked(CrawlResult(returncode, self.log_path.read_text(encoding="utf-8"), self.output_dir))


def start_crawl(
    spider: str, output_dir: Path, log_path: Path, *args: str, settings: dict[str, str] | None = None
) -> RunningCrawl:
    """Start ``scrapy crawl`` like :func:`crawl` does, without waiting: for crawls that must run together."""
    require_marker("crawl", "a crawl")
    command = crawl_command(spider, output_dir, args, settings)
    env = crawl_env()
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    return RunningCrawl(process, log_path, output_dir)
