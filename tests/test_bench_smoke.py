"""``bench/run.py`` still runs end to end on a tiny site (no figure is checked: speed belongs to the
benchmark, not to tests): the generated sites crawl completely, the 1%-changed re-run rewrites exactly the
revised posts, and two Redis workers export every article once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.crawling import REPO, crawl_env
from tests.redis_server import BINARY_MISSING, redis_server_binary


@pytest.mark.slow
@pytest.mark.redis
def test_benchmark_runs_on_a_tiny_site() -> None:
    assert redis_server_binary(), BINARY_MISSING
    completed = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "200", "--fulltext", "24", "--scaleout", "24"],
        cwd=REPO,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = completed.stdout
    assert "exactly the changed posts rewritten: met (2 rewritten, 2 changed)" in report
    assert "| 200 |" in report and "| thread |" in report and " processes |" in report
    assert report.count("yes (24 posts)") == 2  # one worker, then two: every article exactly once
