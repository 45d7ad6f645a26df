"""``aggregator extract`` prints what a crawl writes: the same parser, item builder, pipelines and renderer.

The page is served on the loopback server and crawled for real by the feed spider (``fetch=always``); the
same bytes are then given to ``aggregator extract --format post``. Its post must equal the crawl's, save the
categories, which come from the feed (extract has no feed). The page declares its lead image by a relative
``og:image``, which the pipelines make absolute: a hand-made copy of the crawl path once printed it raw.

The same holds for the sites with rules of their own: every article a ZAKER or CCTV crawl of the fixture
site writes, given to extract with its real URL, comes out as the same post, save what only its list says.
"""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest

from aggregator.run.cli import main
from tests.fixture_cases import case as fixture_case
from tests.fixture_cases import cases
from tests.fixture_server import FixtureServer

PARAGRAPHS = (
    "国产大飞机C919今天完成第1000次商业飞行，东航方面表示运营期间保持了良好的安全记录，航班正常率较高。",
    "据介绍，C919自投入商业运营以来，已累计承运旅客超过十万人次，覆盖上海、北京、成都等多条航线。",
    "业内人士认为，随着产能提升和交付加快，国产大飞机将在国内干线市场扮演越来越重要的角色。",
)
PAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<title>国产大飞机C919完成第1000次商业飞行</title>
<meta property="og:title" content="国产大飞机C919完成第1000次商业飞行">
<meta property="og:image" content="/img/lead.jpg">
<meta name="author" content="民航资讯">
<meta property="article:published_time" content="2024-03-01T10:30:00+08:00">
</head><body><div class="nav"><a href="/">首页</a></div>
<article><h1>国产大飞机C919完成第1000次商业飞行</h1>
{"".join(f"<p>{text}</p>" for text in PARAGRAPHS)}
<p>相关链接：<a href="/news/2.html">第二篇</a></p>
</article></body></html>"""


def feed(link: str) -> str:
    item = f"<item><link>{link}</link><description>国产大飞机……</description></item>"
    channel = f"<channel><title>测试站</title>{item}</channel>"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'


def test_extract_prints_the_post_a_crawl_writes(
    server: FixtureServer, run_crawl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page_url = server.add("/news/1.html", PAGE)
    feed_url = server.add("/feed.xml", feed(page_url), content_type="application/rss+xml; charset=utf-8")
    result = run_crawl("feed", f"url={feed_url}", "fetch=always")
    assert result.returncode == 0, result.log[-3000:]
    crawled = result.post_by_link(page_url)

    saved = tmp_path / "page.html"
    saved.write_text(PAGE, encoding="utf-8")
    assert main(["extract", str(saved), "--url", page_url, "--format", "post"]) == 0
    extracted = frontmatter.loads(capsys.readouterr().out)

    assert crawled["headimg"] == extracted["headimg"] == server.url("/img/lead.jpg")
    assert crawled.content == extracted.content and PARAGRAPHS[2] in extracted.content
    assert crawled["categories"] == ["新媒体", "测试站"] and "categories" not in extracted.metadata
    del crawled.metadata["categories"]
    assert crawled.metadata == extracted.metadata


LIST_FACTS = {"categories", "tags", "headimg", "thumbnail", "date"}
"""What a site's list entry adds to a post: its categories (the list crawled), tags, and a cover or a date
when the page shows none (a CCTV video's poster and air time; extract, with no list, dates such a post at
the time it runs, as a crawl does when nothing says when an article appeared)."""


def site_crawl(site: str, server: FixtureServer) -> tuple[tuple[str, ...], dict[str, str], dict[str, Path]]:
    """A site's crawl test set-up (its fixture pages served where its spider looks): the spider arguments,
    the settings, and each article's real URL → the page file the server answers it with."""
    if site == "zaker":
        from tests.test_zaker_crawl import ARTICLE_CASES, serve_zaker

        found = [fixture_case("zaker", name) for name in ARTICLE_CASES]
        pages = {case.expected["url"]: case.page_path for case in found}
        return ("channel=13",), serve_zaker(server), pages
    from tests.test_cctv_crawl import XWLB_PAGES, base_urls, serve_list, serve_pages

    serve_pages(server)
    serve_list(server, "news", 1, "jsonp_news_page1")
    serve_list(server, "news", 2, "jsonp_news_page2")
    html = [found for found in cases("cctv") if found.page_path.suffix == ".html"]
    pages = {found.expected["url"]: found.page_path for found in html}
    return ("category=news", "pages=2"), base_urls(server), {**pages, **XWLB_PAGES}


@pytest.mark.parametrize("site", ["zaker", "cctv"])
def test_extract_reads_a_site_page_as_its_spider_does(
    site: str, server: FixtureServer, run_crawl, capsys: pytest.CaptureFixture[str]
) -> None:
    """The spiders and ``aggregator extract`` take a page's parser from one place (the sites' URL rules in
    the registry): for every post a site crawl wrote, extract on the same page, given its real URL, prints
    the same post, save what only the list says (``LIST_FACTS``), which extract, with no list, leaves out
    rather than contradicts."""
    arguments, settings, pages = site_crawl(site, server)
    result = run_crawl(site, *arguments, settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    posts = list(result.posts().values())
    assert len(posts) >= 5, result.log[-3000:]
    for crawled in posts:
        page = str(pages[crawled["link"]])
        assert main(["extract", page, "--url", crawled["link"], "--format", "post"]) == 0
        extracted = frontmatter.loads(capsys.readouterr().out)
        assert (extracted["title"], extracted["link"]) == (crawled["title"], crawled["link"])
        assert extracted.content == crawled.content, crawled["link"]
        keys = {*crawled.metadata, *extracted.metadata}
        differ = {key for key in keys if crawled.get(key) != extracted.get(key)}
        assert differ <= LIST_FACTS, crawled["link"]
        assert all(extracted.get(key) is None for key in differ - {"date"}), crawled["link"]
