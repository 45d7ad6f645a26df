"""Dry runs: fetch and extract as usual, write no post, image or state, and say what would be written."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawling import FIXTURES, REPO, crawl_env
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer

FEED = FIXTURES / "feed" / "rsshub_zaker_source.xml"


def files(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith("state.sqlite")
    }


def state_rows(output: Path) -> list[tuple]:
    database = sqlite3.connect(output / ".aggregator" / "state.sqlite")
    try:
        return (
            database.execute("SELECT * FROM posts ORDER BY url").fetchall()
            + database.execute("SELECT * FROM runs").fetchall()
        )
    finally:
        database.close()


def test_scrapy_dry_run_into_a_new_folder_writes_nothing(
    server: FixtureServer, run_crawl, tmp_path: Path
) -> None:
    urls = serve_feed_site(server)
    output = tmp_path / "output"
    result = run_crawl(
        "feed",
        f"url={urls['rsshub']}",
        output_dir=output,
        settings={"DRY_RUN": "True", "IMAGES_MODE": "download"},
    )
    assert result.returncode == 0, result.log[-3000:]
    assert not output.exists(), sorted(output.rglob("*"))
    assert not any("zkres" in path or path.endswith(".jpg") for path, _ in server.requests)
    would = result.lines("Would write new post")
    assert len(would) == 3 and all(".md for https://www.myzaker.com/article/" in line for line in would)
    summary = result.lines("Summary of feed (dry run")
    assert len(summary) == 1 and "exported 3 new, updated 0, unchanged 0" in summary[0]


def test_dry_run_after_a_crawl_shows_updates_and_changes_nothing(
    server: FixtureServer, run_crawl, tmp_path: Path
) -> None:
    urls = serve_feed_site(server)
    output = tmp_path / "output"
    assert run_crawl("feed", f"url={urls['rsshub']}", output_dir=output).returncode == 0
    before, rows = files(output), state_rows(output)
    changed = FEED.read_text(encoding="utf-8").replace("Windows Hello", "Windows Hello（更新）", 2)
    server.add("/zaker/source/12291", changed, content_type="application/xml; charset=utf-8")

    result = run_crawl("feed", f"url={urls['rsshub']}", output_dir=output, settings={"DRY_RUN": "True"})
    assert result.returncode == 0, result.log[-3000:]
    summary = result.lines("Summary of feed (dry run")[0]
    assert "exported 0 new, updated 1, unchanged 2" in summary, summary
    assert len(result.lines("Would write updated post")) == 1
    assert files(output) == before and state_rows(output) == rows

    real = run_crawl("feed", f"url={urls['rsshub']}", output_dir=output)
    assert "exported 0 new, updated 1, unchanged 2" in real.lines("Summary of feed:")[0]


@pytest.mark.slow  # the `aggregator` command line
def test_aggregator_crawl_dry_run_lists_the_paths(server: FixtureServer, tmp_path: Path) -> None:
    urls = serve_feed_site(server)
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(
        f"subscriptions:\n  - name: lianbo\n    feed: {urls['rsshub']}\n"
        "    categories: [新媒体, ZAKER, source]\n",
        encoding="utf-8",
    )
    output = tmp_path / "blog"
    command = [
        sys.executable,
        "-m",
        "aggregator",
        "crawl",
        "--dry-run",
        "--subscriptions",
        str(subscriptions),
    ]
    command += ["-s", f"OUTPUT_DIR={output}", "-s", "POST_FILENAME={categories}/{slug}-{id}"]
    result = subprocess.run(command, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    header = result.stdout.splitlines()[0].split()
    assert header[:5] == ["subscription", "fetched", "would", "be", "new"]
    listed = [line.split() for line in result.stdout.splitlines() if line.startswith("  new ")]
    assert len(listed) == 3 and all(path.startswith("新媒体/ZAKER/source/") for _, path in listed), (
        result.stdout
    )
    assert "Dry run: nothing was written" in result.stdout
    assert not output.exists()
