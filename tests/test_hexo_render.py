"""Exported posts rendered by a real Hexo 8: what a reader of the blog sees must be what was crawled.

The crawl writes straight into a Hexo site's ``source/_posts`` (state folder included, as a user's setup
would), Hexo builds with ``TZ=UTC`` and its ``timezone`` equal to the exporter's ``TIMEZONE``, and every post
page is compared with its Markdown file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import frontmatter
import pytest

from tests.crawling import FIXTURES, CrawlResult
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer
from tests.hexo_site import HexoSite, ensure_node_modules, hexo_unavailable_reason

FEEDS = FIXTURES / "feed"


@pytest.fixture(scope="module", autouse=True)
def hexo_ready() -> None:
    reason = hexo_unavailable_reason()
    if reason:
        pytest.skip(f"HEXO RENDER TESTS SKIPPED: {reason}")
    ensure_node_modules()


def serve_feeds(server: FixtureServer) -> str:
    """The three fixture feeds (and their pages) as one ``url=`` spider argument."""
    urls = serve_feed_site(server)
    return "url=" + ",".join((urls["summary"], urls["atom"], urls["rsshub"]))


@pytest.mark.parametrize(
    ("timezone", "body_format"),
    [("Asia/Shanghai", "html"), ("America/New_York", "html"), ("Asia/Shanghai", "markdown")],
)
def test_every_exported_post_renders_exactly(
    server: FixtureServer,
    run_crawl: Callable[..., CrawlResult],
    tmp_path: Path,
    timezone: str,
    body_format: str,
) -> None:
    site = HexoSite.create(tmp_path, timezone=timezone)
    result = run_crawl(
        "feed",
        serve_feeds(server),
        output_dir=site.posts_dir,
        settings={"TIMEZONE": timezone, "POST_BODY_FORMAT": body_format},
    )
    assert result.returncode == 0, result.log[-3000:]
    written = {path: post for path, post in result.posts().items() if not path.startswith(".")}
    assert len(written) == 10  # 11 entries in the fixture feeds, one guid listed twice
    assert (site.posts_dir / ".aggregator" / "state.sqlite").is_file()

    run = site.generate()  # fails on any ERROR/FATAL line
    rendered = {post["source"].removeprefix("_posts/"): post for post in run.posts()}
    assert rendered.keys() == written.keys()  # the state folder is not published as a post

    for path, post in written.items():
        page = rendered[path]
        assert page["title"] == post["title"], path
        assert page["date"] == post["date"].strftime("%Y-%m-%d %H:%M:%S"), path
        assert page["categories"] == post["categories"], path
        assert page["tags"] == post.get("tags", []), path
        assert page["link"] == post["link"], path
        if body_format == "html":
            assert page["content"].strip() == post.content.strip(), path  # marked passed the HTML untouched
    assert not [f for f in run.public_files() if ".aggregator" in f or f.endswith(".sqlite")]

    hostile = next(p for p in rendered.values() if p["link"] == "https://weekly.example.org/posts/101.html")
    assert hostile["title"] == "Breaking: \"Quotes\" & 'apostrophes' #1 --- 😀 </div> {{ title }}"
    assert "&lt;/div&gt;" in hostile["title_html"]
    assert "{{ page.title }}" in hostile["content"] and "{% if true %}yes{% endif %}" in hostile["content"]
    assert "<script" not in hostile["html"].split("<!-- post-content:start -->")[1]

    if body_format == "markdown":
        weekly = next(
            p for p in rendered.values() if p["link"] == "https://weekly.example.org/posts/100.html"
        )
        assert "<h2" in weekly["content"] and "<table>" in weekly["content"] and "<li>" in weekly["content"]
        assert '<img src="https://weekly.example.org/images/100/repl.png"' in weekly["content"]


def test_seed_form_dates_are_rendered_as_hexo_reads_them(
    server: FixtureServer, run_crawl: Callable[..., CrawlResult], tmp_path: Path
) -> None:
    """POST_DATE_FORMAT=rfc822 writes the seed's form; Hexo then reads the clock time in its own zone only
    when it runs in that zone (this is why the default is wall-clock in TIMEZONE)."""
    site = HexoSite.create(tmp_path, timezone="Asia/Shanghai")
    result = run_crawl(
        "feed", serve_feeds(server), output_dir=site.posts_dir, settings={"POST_DATE_FORMAT": "rfc822"}
    )
    posts = {p: post for p, post in result.posts().items() if not p.startswith(".")}
    wuzhang = next(post for post in posts.values() if post["link"].endswith("60dd9ae732ce40247300004c"))
    assert wuzhang["date"] == "Thu, 01 Jul 2021 03:08:16 GMT"
    run = site.generate(extra_env={"TZ": "Asia/Shanghai"})
    page = next(p for p in run.posts() if p["link"] == wuzhang["link"])
    assert page["date"] == "2021-07-01 11:08:16"
    assert (
        frontmatter.loads((site.posts_dir / page["source"].removeprefix("_posts/")).read_text())["title"]
        == page["title"]
    )
