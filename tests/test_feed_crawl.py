"""``scrapy crawl feed`` end to end: real processes, a real HTTP server on 127.0.0.1, posts on disk."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.crawling import FIXTURES, CrawlResult
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer

FEEDS = FIXTURES / "feed"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED_KEYS = ["title", "categories", "headimg", "author", "comments", "date", "thumbnail"]


def summary_line(result: CrawlResult) -> str:
    lines = result.lines("Summary of feed:")
    assert len(lines) == 1, result.log[-3000:]
    return lines[0]


def test_full_content_feeds_become_seed_shaped_posts(server: FixtureServer, run_crawl) -> None:
    urls = serve_feed_site(server)
    result = run_crawl("feed", f"url={urls['rsshub']},{urls['atom']}")
    assert result.returncode == 0, result.log[-3000:]
    posts = result.posts()
    assert len(posts) == 5

    wuzhang = result.post_by_link("https://www.myzaker.com/article/60dd9ae732ce40247300004c")
    assert list(wuzhang.keys())[:7] == SEED_KEYS
    assert wuzhang["title"] == '"五章" 颁齐！看到袁隆平的名字有了黑框 网友泪崩'
    assert wuzhang["categories"] == ["新媒体", "ZAKER 新闻 - 联播+"]
    assert wuzhang["author"] == "ZAKER 新闻 - 联播+" and wuzhang["comments"] is False
    assert wuzhang["date"] == datetime(2021, 7, 1, 11, 8, 16)  # 03:08:16 GMT as Shanghai wall-clock
    sample = (FEEDS / "rsshub_zaker_source.xml").read_text(encoding="utf-8")
    first_item = sample.split("<item>")[1]
    real_images = re.findall(r'data-original="([^"]+)"', first_item)
    assert len(real_images) >= 5
    assert re.findall(r'<img src="([^"]+)"', wuzhang.content) == real_images  # every image, in order
    assert wuzhang["headimg"] == wuzhang["thumbnail"] == real_images[0]
    assert "onclick" not in wuzhang.content and 'referrerpolicy="no-referrer"' in wuzhang.content

    hostile = result.post_by_link("https://weekly.example.org/posts/101.html")
    assert hostile["title"] == "Breaking: \"Quotes\" & 'apostrophes' #1 --- 😀 </div> {{ title }}"
    assert hostile["disableNunjucks"] is True
    assert "{{ page.title }}" in hostile.content and "{% if true %}" in hostile.content
    for bad in ("<script", "javascript:", "data:text", "onerror", "onclick", "<svg", "pixel.gif", "style="):
        assert bad not in hostile.content, bad
    assert (
        '<img height="480" src="https://weekly.example.org/images/101/photo.jpg" width="640"'
        in hostile.content
    )
    assert hostile["updated"] == datetime(2024, 3, 3, 10, 15)

    weekly = result.post_by_link("https://weekly.example.org/posts/100.html")
    assert weekly["tags"] == ["Python", "发布"] and weekly["author"] == "李雷"
    assert (
        "<pre><code>python3.13 -m pytest&#10;&#10;python3.13 -X gil=0 app.py</code></pre>" in weekly.content
    )
    assert "exported 5 new" in summary_line(result)
    assert server.hits("/feeds/atom.xml") == 1 and len(server.requests) == 2  # full text: no page fetched


def test_summary_only_feed_fetches_pages(server: FixtureServer, run_crawl) -> None:
    urls = serve_feed_site(server)
    before = datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0)
    result = run_crawl("feed", f"url={urls['summary']}", "categories=新媒体,南方,科技")
    after = datetime.now(SHANGHAI).replace(tzinfo=None)
    assert result.returncode == 0, result.log[-3000:]
    base = server.base

    # Two guids sharing one link (once tracking parameters are gone) are two entries, as in a feed reader.
    c919_posts = [
        post for post in result.posts().values() if post["link"] == f"{base}/tech/2024/0301/c919.html"
    ]
    assert len(c919_posts) == 2
    c919 = next(post for post in c919_posts if post["author"] == "记者 王芳")
    assert c919["categories"] == ["新媒体", "南方", "科技"]
    assert c919["tags"] == ["航空"]
    assert "累计运送旅客超过十万人次" in c919.content and "规模化运营" in c919.content
    for chrome in ("相关阅读", "版权所有", "分享到", "document.write", "track.example.com"):
        assert chrome not in c919.content, chrome
    assert re.findall(r'<img src="([^"]+)"', c919.content) == [
        f"{base}/tech/images/2024/c919-1.jpg",  # lazy data-original, root-relative
        f"{base}/tech/2024/0301/images/2024/c919-2.jpg",  # page-relative
    ]

    gbk = result.post_by_link(f"{base}/tech/2024/0302/charging.html")
    assert gbk["title"] == "广东发布新能源汽车充电设施建设方案"
    assert "记者陈朱镕报道" in gbk.content and "里程焦虑" in gbk.content

    gone = result.post_by_link(f"{base}/tech/2024/0303/gone.html")
    assert "深圳今年将新增5G基站一万个" in gone.content
    assert result.lines("failed (HTTP 404); using the feed's own content")

    undated = result.post_by_link(f"{base}/tech/undated.html")
    assert before - timedelta(seconds=5) <= undated["date"] <= after

    assert len(result.posts()) == 5
    assert len(result.lines("(duplicate)")) == 1  # the same guid twice
    assert "dropped 1 (duplicate: 1)" in summary_line(result)


def test_second_identical_crawl_changes_no_file(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    urls = serve_feed_site(server)
    feeds = f"url={urls['summary']},{urls['atom']},{urls['rsshub']}"
    first = run_crawl("feed", feeds)
    snapshot = {path: (post.stat().st_mtime_ns, post.read_bytes()) for path, post in _files(first.output_dir)}
    assert len(snapshot) == 10
    second = run_crawl("feed", feeds)
    assert {
        path: (post.stat().st_mtime_ns, post.read_bytes()) for path, post in _files(second.output_dir)
    } == snapshot
    assert "exported 0 new, updated 0, unchanged 10" in summary_line(second)


def test_changed_article_rewrites_its_post(server: FixtureServer, run_crawl) -> None:
    urls = serve_feed_site(server)
    first = run_crawl("feed", f"url={urls['atom']}")
    before = {path: post.read_bytes() for path, post in _files(first.output_dir)}

    changed = (
        (FEEDS / "atom.xml")
        .read_text(encoding="utf-8")
        .replace(
            "<title>第 100 期：Python 3.13 发布</title>",
            "<title>第 100 期：Python 3.13 正式发布（更正）</title>",
        )
        .replace("正式发布，带来了", "正式发布（10 月 7 日），带来了")
    )
    server.add("/feeds/atom.xml", changed, content_type="application/atom+xml")
    second = run_crawl("feed", f"url={urls['atom']}")
    after = {path: post.read_bytes() for path, post in _files(second.output_dir)}

    assert before.keys() == after.keys()  # same file names, although the title changed
    changed_paths = [path for path in before if before[path] != after[path]]
    assert len(changed_paths) == 1
    post = second.post_by_link("https://weekly.example.org/posts/100.html")
    assert post["title"] == "第 100 期：Python 3.13 正式发布（更正）"
    assert post["date"] == datetime(2024, 3, 1, 8, 30)
    assert isinstance(post["updated"], datetime)
    assert "exported 0 new, updated 1, unchanged 1" in summary_line(second)


def test_timezone_and_output_dir_settings(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    urls = serve_feed_site(server)
    out = tmp_path / "elsewhere" / "posts"
    result = run_crawl("feed", f"url={urls['atom']}", output_dir=out, settings={"TIMEZONE": "UTC"})
    assert result.post_by_link("https://weekly.example.org/posts/100.html")["date"] == datetime(
        2024, 3, 1, 0, 30
    )
    assert (out / ".aggregator" / "state.sqlite").is_file()


def test_bad_feeds_are_reported_and_the_run_goes_on(server: FixtureServer, run_crawl) -> None:
    urls = serve_feed_site(server)
    not_feed = server.add("/not-a-feed.html", "<html><body><p>hello</p></body></html>")
    missing = server.url("/missing.xml")
    result = run_crawl("feed", f"url={missing},{not_feed},{urls['atom']}")
    assert result.lines(f"Feed {missing} could not be fetched (HTTP 404)")
    assert result.lines(f"Feed {not_feed} is unreadable: not an RSS/Atom feed")
    assert len(result.posts()) == 2


@pytest.mark.slow  # waits on real back-off, timeouts or worker restarts: out of make test-fast
def test_page_timeout_falls_back_to_feed_content(server: FixtureServer, run_crawl) -> None:
    urls = serve_feed_site(server)
    server.add("/tech/2024/0301/c919.html", (FEEDS / "page_c919.html").read_bytes(), delay=3)
    result = run_crawl(
        "feed", f"url={urls['summary']}", "limit=1", settings={"DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "0"}
    )
    assert result.lines("using the feed's own content")
    post = result.post_by_link(f"{server.base}/tech/2024/0301/c919.html")
    assert "国产大飞机C919日前完成第1000次商业飞行" in post.content


def test_spider_arguments_are_checked(run_crawl) -> None:
    result = run_crawl("feed")
    assert result.returncode != 0 and "needs a feed" in result.log
    result = run_crawl("feed", "url=http://127.0.0.1:9/feed.xml", "fetch=sometimes")
    assert result.returncode != 0 and "fetch must be one of" in result.log


def _files(output_dir: Path) -> list[tuple[str, Path]]:
    return [(str(p.relative_to(output_dir)), p) for p in sorted(output_dir.rglob("*.md"))]
