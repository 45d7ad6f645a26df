"""``aggregator crawl``'s live progress table in a (pseudo-)terminal, plain lines elsewhere."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crawling import REPO, crawl_env
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

pytestmark = pytest.mark.slow  # starts the `aggregator` command line


def subscriptions_file(server: FixtureServer, tmp_path: Path) -> Path:
    urls = serve_feed_site(server)
    path = tmp_path / "subscriptions.yaml"
    path.write_text(
        f"subscriptions:\n  - name: lianbo\n    feed: {urls['rsshub']}\n"
        f"  - name: weekly\n    feed: {urls['atom']}\n"
        "  - name: broken\n    feed: http://127.0.0.1:9/nothing-listens-here.xml\n",
        encoding="utf-8",
    )
    return path


def command(subscriptions: Path, output: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "aggregator", "crawl", "--subscriptions", str(subscriptions),
            "-s", f"OUTPUT_DIR={output}", "-s", "RETRY_TIMES=0", *extra]  # fmt: skip


def run_in_terminal(args: list[str]) -> tuple[int, str]:
    """Run ``args`` with a pseudo-terminal as stdout and stderr, as in an interactive shell."""
    leader, follower = pty.openpty()
    env = {**crawl_env(), "TERM": "xterm-256color", "COLUMNS": "140", "LINES": "40"}
    process = subprocess.Popen(
        args, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed the terminal: it is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return process.wait(timeout=30), b"".join(chunks).decode("utf-8", errors="replace")


def test_a_terminal_gets_the_live_table(server: FixtureServer, tmp_path: Path) -> None:
    code, screen = run_in_terminal(command(subscriptions_file(server, tmp_path), tmp_path / "out"))
    assert code == 1, screen[-3000:]  # "broken" fails: nothing could be fetched
    text = ANSI.sub("", screen)
    assert "aggregator crawl" in text and "\x1b[" in screen  # rich drew and redrew it in place
    header = next(line for line in text.splitlines() if "subscription" in line and "pages" in line)
    assert all(word in header for word in ("new", "updated", "unchanged", "errors", "state"))
    rows = {name: [line for line in text.splitlines() if f" {name} " in line and "│" in line]
            for name in ("lianbo", "weekly", "broken")}  # fmt: skip
    assert re.search(r"lianbo\s+│\s+1\s+│\s+3\s+│\s+0\s+│\s+0\s+│\s+0\s+│\s+0\s+│.*done", rows["lianbo"][-1])
    assert re.search(r"weekly\s+│\s+1\s+│\s+2\s+│", rows["weekly"][-1])
    assert "failed: nothing could be fetched" in rows["broken"][-1]
    assert rows["broken"][-1].split("│")[7].strip() != "0"  # its errors
    assert "Wrote post" in text  # the log still scrolls, above the table
    assert "Progress:" not in text  # the table replaces the plain progress lines


def test_a_pipe_gets_plain_lines_as_before(server: FixtureServer, tmp_path: Path) -> None:
    args = command(subscriptions_file(server, tmp_path), tmp_path / "out", "-s", "PROGRESS_INTERVAL=0.2")
    result = subprocess.run(args, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout and "\x1b[" not in result.stderr
    assert result.stdout.splitlines()[0].split()[:3] == ["subscription", "fetched", "exported"]
    assert "Progress: " in result.stderr
