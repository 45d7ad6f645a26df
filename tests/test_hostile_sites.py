"""The hostile-input cases of ``test_hostile`` against the other ways in (issue 14): the ZAKER and CCTV site
spiders (their own page parsers), the distributed (Redis) mode, and a job on a real scrapyd."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aggregator.export.hexo import PostFormat, render_body
from aggregator.export.sanitize import clean_body_html
from aggregator.sites import cctv, zaker
from aggregator.sites.base import PageError
from aggregator.web.encoding import decode_html
from tests.crawling import FIXTURES, crawl
from tests.fixture_server import FixtureServer
from tests.redis_server import BINARY_MISSING, RedisServer, redis_server_binary
from tests.test_hostile import HOSTILE, NASTY_HTML, assert_not_executable, hostile_feed
from tests.test_hostile_urls import SECRET, teaser_feed

INJECTED = (
    "<p>注入的一段正文，说明这篇文章的内容。</p>"
    '<p>链接<a href="file:///etc/passwd">本地文件</a><a href="&#1;javascript:alert(1)">控制字符</a>'
    '<img src="/pic&#2;.jpg"><img src="JavaScript:alert(1)"><a href="data:text/html,x">数据</a>'
    '<a href="vbscript:msgbox(1)">vb</a></p><script>alert(1)</script><iframe src="//evil.example"></iframe>'
)
"""Pasted into a real article's body: every way a page's own markup may try to reach a reader."""

ZAKER_PAGE = FIXTURES / "zaker" / "article_intel_xe" / "page.html"
ZAKER_URL = json.loads((ZAKER_PAGE.parent / "expected.json").read_text("utf-8"))["url"]
CCTV_PAGE = FIXTURES / "cctv" / "article_gaiban_anhui_rice" / "page.html"
CCTV_URL = json.loads((CCTV_PAGE.parent / "expected.json").read_text("utf-8"))["url"]
ZAKER_BODY = '<div id="content">'
CCTV_BODY = '<div class="content_area" id="content_area">'


def injected(page: Path, marker: str, markup: str) -> str:
    """The page with ``markup`` after the first paragraph of its article body (which ``marker`` opens)."""
    text = page.read_text("utf-8")
    at = text.index("</p>", text.index(marker)) + len("</p>")
    return text[:at] + markup + text[at:]


@HOSTILE
@given(pieces=st.lists(st.one_of(st.sampled_from(NASTY_HTML), st.text(max_size=10)), max_size=5))
def test_site_page_parsers_never_let_script_through(pieces: list[str]) -> None:
    """The ZAKER and CCTV page objects on the decoded page, as their spiders call them, then the Clean step a
    crawl runs: safe, or one ``PageError``."""
    markup = "".join(pieces)
    for parse, page, marker, url in (
        (zaker.parse_article, ZAKER_PAGE, ZAKER_BODY, ZAKER_URL),
        (cctv.parse_article, CCTV_PAGE, CCTV_BODY, CCTV_URL),
    ):
        try:
            text, _ = decode_html(injected(page, marker, markup).encode("utf-8"), "text/html; charset=utf-8")
            article = parse(text, url)
        except PageError:
            continue
        cleaned = clean_body_html(article.body_html, url)
        assert_not_executable(cleaned)
        assert_not_executable(render_body(cleaned, PostFormat()))


def assert_safe_posts(posts: dict, text: str = "注入") -> None:
    assert any(text in post.content for post in posts.values()), list(posts)
    for post in posts.values():
        assert_not_executable(post.content)
        assert "file:" not in post.content and SECRET not in post.content
        for key in ("link", "headimg", "thumbnail"):
            assert str(post.get(key, "https://")).startswith(("https://", "http://", "/")), post.metadata


def test_zaker_crawl_of_a_hostile_article(server: FixtureServer, tmp_path: Path) -> None:
    from tests.test_zaker_crawl import article_path, serve_zaker

    settings = serve_zaker(server)
    server.add(article_path("article_intel_xe"), injected(ZAKER_PAGE, ZAKER_BODY, INJECTED))
    result = crawl("zaker", tmp_path / "out", "channel=13", settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    assert_safe_posts(result.posts())


def test_cctv_crawl_of_a_hostile_article(server: FixtureServer, tmp_path: Path) -> None:
    from tests.test_cctv_crawl import base_urls, serve_list, serve_pages, served_path

    serve_pages(server)
    serve_list(server, "news", 1, "jsonp_news_page1")
    server.add(served_path(CCTV_URL), injected(CCTV_PAGE, CCTV_BODY, INJECTED))
    result = crawl("cctv", tmp_path / "out", "category=news", "pages=1", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    assert_safe_posts(result.posts())


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    binary = redis_server_binary()
    if binary is None:
        pytest.fail(BINARY_MISSING)  # make system-deps installs it
    server = RedisServer(binary, tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


def test_redis_mode_refuses_the_same_hostile_feed(
    server: FixtureServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(SECRET, "utf-8")
    hostile = server.add("/hostile.xml", hostile_feed(server), content_type="application/rss+xml")
    local = server.add("/local.xml", teaser_feed([secret.as_uri(), f"file:{secret}"]))
    settings = {
        "REDIS_URL": redis_server.url,
        "ADDONS": json.dumps({"aggregator.distributed.addon.DistributedCrawl": 0}),
        "REDIS_IDLE_CLOSE_SECONDS": "2",
        "REDIS_POLL_SECONDS": "0.2",
    }
    result = crawl("feed", tmp_path / "out", f"url={hostile},{local}", "fetch=auto", settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    assert len(result.lines("(unsafe_url): only http and https URLs are fetched")) == 2
    posts = result.posts()
    for post in posts.values():
        assert_not_executable(post.content)
        assert SECRET not in post.content


DEEP = "<p>" + "".join(f"<font>第{n}行<br>" for n in range(400)) + "</p><p>嵌套之后的结尾段落。</p>"
"""Font tags never closed, 400 deep: libxml2 stopped at 256 levels and dropped the rest without a word."""


def test_site_and_generic_parsers_keep_deeply_nested_text() -> None:
    from aggregator.sites import generic

    for parse, page, marker, url in (
        (zaker.parse_article, ZAKER_PAGE, ZAKER_BODY, ZAKER_URL),
        (cctv.parse_article, CCTV_PAGE, CCTV_BODY, CCTV_URL),
    ):
        text, _ = decode_html(injected(page, marker, DEEP).encode("utf-8"), "text/html; charset=utf-8")
        body = parse(text, url).body_html
        assert "第399行" in body and "嵌套之后的结尾段落" in body, url
    page = (FIXTURES / "feed" / "page_c919.html").read_text("utf-8")
    at = page.index("</p>") + len("</p>")
    body = generic.parse_article(page[:at] + DEEP + page[at:], "https://news.example/a.html").body_html
    assert "第399行" in body and "嵌套之后的结尾段落" in body
