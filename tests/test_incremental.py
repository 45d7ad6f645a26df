"""Incremental crawling end to end: a re-run does not fetch the pages of articles already written.

Real ``scrapy crawl`` processes against the fixture sites of the ZAKER and feed crawl tests, twice into the
same output folder; the fixture server's request log tells which pages the second run fetched.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.crawling import CrawlResult
from tests.fixture_server import FixtureServer
from tests.test_feed_crawl import FEEDS, serve_feed_site
from tests.test_zaker_crawl import article_path, article_requests, serve_zaker

SKIP_KNOWN = {"SPIDER_MIDDLEWARES": json.dumps({"aggregator.state.incremental.SkipKnownArticles": 950})}
"""What aggregator/settings.py enables, spelled out so that these tests say what they rely on."""

ZAKER_LISTS = ("/zaker/channel/13", "/zaker/news/next_new.php")
NO_POST = ("article_deleted", "article_video_only")
"""Listed articles that give no post (deleted, no text): unknown to the state, so fetched on every run."""


def summary_line(result: CrawlResult, spider: str) -> str:
    lines = result.lines(f"Summary of {spider}:")
    assert len(lines) == 1, result.log[-3000:]
    return lines[0]


def snapshot(output_dir: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(path.relative_to(output_dir)): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(output_dir.rglob("*.md"))
    }


def test_zaker_recrawl_fetches_only_the_lists(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    settings = {**serve_zaker(server), **SKIP_KNOWN}
    output = tmp_path / "output"
    first = run_crawl("zaker", "channel=13", settings=settings, output_dir=output)
    assert first.returncode == 0, first.log[-3000:]
    posts = snapshot(output)
    assert len(posts) == 6
    fetched_first = len(article_requests(server))
    lists_first = sum(server.hits(path) for path in ZAKER_LISTS)

    second = run_crawl("zaker", "channel=13", settings=settings, output_dir=output)
    assert second.returncode == 0, second.log[-3000:]
    # Only the two list pages again; of the articles, only the deleted one (it gave no post) is retried.
    assert sum(server.hits(path) for path in ZAKER_LISTS) == 2 * lists_first
    retried = sorted(path for path, _ in article_requests(server)[fetched_first:])
    assert retried == sorted(article_path(case) for case in NO_POST)
    assert fetched_first == len(posts) + len(NO_POST)
    assert snapshot(output) == posts
    assert "exported 0 new, updated 0, unchanged 6" in summary_line(second, "zaker")
    assert len(second.lines("(unchanged): exported to")) == 6

    # A post deleted by hand is fetched and written again; the others still are not fetched.
    gone = next(iter(posts))
    (output / gone).unlink()
    third = run_crawl("zaker", "channel=13", settings=settings, output_dir=output)
    assert third.returncode == 0, third.log[-3000:]
    assert len(article_requests(server)) == fetched_first + 2 * len(retried) + 1
    assert (output / gone).read_bytes() == posts[gone][1]
    assert "exported 1 new, updated 0, unchanged 5" in summary_line(third, "zaker")


def test_setting_off_fetches_every_article_again(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    settings = {**serve_zaker(server), **SKIP_KNOWN}
    output = tmp_path / "output"
    first = run_crawl("zaker", "channel=13", settings=settings, output_dir=output)
    assert first.returncode == 0, first.log[-3000:]
    fetched_first = len(article_requests(server))
    posts = snapshot(output)

    second = run_crawl(
        "zaker", "channel=13", settings={**settings, "INCREMENTAL_SKIP_KNOWN": "False"}, output_dir=output
    )
    assert second.returncode == 0, second.log[-3000:]
    assert len(article_requests(server)) == 2 * fetched_first
    assert snapshot(output) == posts  # fetched, found unchanged by the state pipeline, not rewritten
    assert "exported 0 new, updated 0, unchanged 6" in summary_line(second, "zaker")
    assert not second.lines("(unchanged): exported to")


def test_feed_entry_dated_after_its_export_is_fetched_again(
    server: FixtureServer, run_crawl, tmp_path: Path
) -> None:
    urls = serve_feed_site(server)
    output = tmp_path / "output"
    first = run_crawl("feed", f"url={urls['summary']}", settings=SKIP_KNOWN, output_dir=output)
    assert first.returncode == 0, first.log[-3000:]
    assert len(snapshot(output)) == 5
    c919, charging = "/tech/2024/0301/c919.html", "/tech/2024/0302/charging.html"
    assert server.hits(c919) == 2 and server.hits(charging) == 1  # two entries (two guids) link the C919 page

    # The feed now says the C919 entry changed after it was exported; the other entries keep their dates.
    # (RSS dates have whole seconds: the next one is surely after the export.)
    changed_at = format_datetime(datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1), usegmt=True)
    feed = (FEEDS / "summary_only.xml").read_text(encoding="utf-8").replace("__BASE__", server.base)
    feed = feed.replace(
        "<pubDate>Fri, 01 Mar 2024 02:00:00 GMT</pubDate>", f"<pubDate>{changed_at}</pubDate>", 1
    )
    server.add("/feeds/summary.xml", feed, content_type="application/rss+xml; charset=utf-8")
    second = run_crawl("feed", f"url={urls['summary']}", settings=SKIP_KNOWN, output_dir=output)
    assert second.returncode == 0, second.log[-3000:]
    assert server.hits(c919) == 3
    assert server.hits(charging) == 1
    # charging, gone, undated and the other C919 entry: not fetched
    assert len(second.lines("(unchanged): exported to")) == 4
