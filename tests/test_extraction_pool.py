"""Extraction in worker processes (``EXTRACTION_PROCESSES``): the same articles as in a thread, and a page
that kills its worker costs that article alone.

The reader runs in a real reactor in its own process (``tests/extraction_pool_harness.py``), with real
forkserver worker processes; the killing page really kills its worker with SIGKILL.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawling import FIXTURES, REPO, CrawlResult
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer

PAGES = [
    FIXTURES / "feed" / name for name in ("page_c919.html", "page_charging_gbk.html", "page_undated.html")
]


def read_in_harness(processes: int, pages: list[Path]) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", "tests.extraction_pool_harness", str(processes), *map(str, pages)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "error" not in outcome, outcome["error"]
    return outcome


@pytest.mark.slow  # waits on real back-off, timeouts or worker restarts: out of make test-fast
def test_pool_reads_pages_as_the_thread_does() -> None:
    in_thread = read_in_harness(0, PAGES)
    in_pool = read_in_harness(2, PAGES)
    assert in_pool["results"] == in_thread["results"]
    assert all(result.get("body") for result in in_pool["results"])
    assert in_pool["stats"]["aggregator/extraction/pages"] == len(PAGES)
    assert in_pool["stats"]["aggregator/extraction/extract_seconds"] > 0
    assert "aggregator/extraction/worker_crashes" not in in_pool["stats"]


@pytest.mark.slow  # waits on real back-off, timeouts or worker restarts: out of make test-fast
def test_a_page_that_kills_its_worker_costs_only_that_page(tmp_path: Path) -> None:
    killer = tmp_path / "killer.html"
    killer.write_bytes(PAGES[0].read_bytes().replace(b"</body>", b"<p>KILL-THE-WORKER</p></body>"))
    rejected = tmp_path / "empty.html"
    rejected.write_text("<html><body></body></html>", encoding="utf-8")
    pages = [*PAGES, killer, *PAGES, rejected]
    outcome = read_in_harness(2, pages)
    results = outcome["results"]
    expected = read_in_harness(0, PAGES)["results"]
    assert results[:3] == expected and results[4:7] == expected  # pages in flight with it are read again
    assert "killed the worker" in results[3]["crashed"]
    assert "page_error" in results[7]  # an ordinary rejection is still an ordinary rejection
    assert outcome["stats"]["aggregator/extraction/worker_crashes"] >= 1


def test_feed_crawl_with_extraction_processes_writes_the_same_posts(
    server: FixtureServer, run_crawl, tmp_path: Path
) -> None:
    urls = serve_feed_site(server)
    results: list[CrawlResult] = []
    for processes in ("0", "2"):
        result = run_crawl(
            "feed",
            f"url={urls['summary']}",
            output_dir=tmp_path / f"output-{processes}",
            settings={"EXTRACTION_PROCESSES": processes},
        )
        assert result.returncode == 0, result.log[-3000:]
        results.append(result)
    thread, pool = ({path: post.content for path, post in r.posts().items()} for r in results)
    assert thread and pool == thread
    read = [re.findall(r"'aggregator/extraction/pages': (\d+)", r.log) for r in results]
    assert read[0] and read[1] == read[0]  # the same pages read, in a thread and in the pool
