"""``scrapy crawl cctv`` end to end: real processes against the CCTV fixtures served on 127.0.0.1.

The served site is made of the page-object fixtures (``tests/fixtures/cctv/<case>/``), each at the path of
the canonical URL its ``expected.json`` records, under ``/news``, ``/photo`` or ``/tv`` for its host; the
JSONP list fixtures link those pages, so the crawl walks the same graph as on the real site. The few
pages no page-object fixture holds are in ``tests/fixtures/cctv_site/``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import frontmatter
import lxml.html

from tests.crawling import FIXTURES, CrawlResult
from tests.fixture_cases import case as fixture_case
from tests.fixture_cases import cases
from tests.fixture_server import FixtureServer

CCTV = FIXTURES / "cctv"
SITE = FIXTURES / "cctv_site"
PREFIXES = {"news.cctv.com": "/news", "photo.cctv.com": "/photo", "tv.cctv.com": "/tv"}
LIST_PATH = "/news/2019/07/gaiban/cmsdatainterface/page/{category}_{page}.jsonp"
JSONP_TYPE = "application/javascript"
XWLB_PAGES = {
    "https://tv.cctv.com/2022/10/14/VIDEpW4rT8yU2iO6pA9sD3fG221014.shtml": SITE / "xwlb_full_episode.html",
    "https://tv.cctv.com/2022/10/14/VIDEj3Hs7PdF1gTr5KwL8mQa221014.shtml": SITE / "xwlb_world_briefs.html",
}
ANHUI = "https://news.cctv.com/2022/10/14/ARTIq5yJZw5sQ2kFbnJvK7cP221014.shtml"
GBK = "https://news.cctv.com/2019/11/20/ARTIg2Fz8KdQ1sYp6NmWx3Lt191120.shtml"
VIDEO = "https://tv.cctv.com/2022/10/14/VIDEu8Yt2NbG6vCx4MzK9qWe221014.shtml"
VIDEO_NO_TEXT = "https://tv.cctv.com/2020/11/20/VIDEc4Lp8ZsT1wQm6RjN2vYk201120.shtml"
UNKNOWN_LAYOUT = "https://news.cctv.com/2016/12/30/ARTIn6Gh1JkL4zXc8VbN2mQw161230.shtml"
STARS = "https://photo.cctv.com/2020/12/15/PHOA04QlD982KLX4FmenJuR4201215.shtml"


def expected(case: str) -> dict[str, Any]:
    return fixture_case("cctv", case).expected


def served_path(url: str) -> str:
    """Where the fixture server holds a real CCTV URL (the spider is told the same through base URLs)."""
    parts = urlsplit(url)
    return PREFIXES[parts.hostname or ""] + parts.path


def serve_pages(server: FixtureServer, skip: tuple[str, ...] = ()) -> None:
    """Every HTML fixture at its canonical path, with the Content-Type its case was saved with."""
    for found in cases("cctv"):
        page = found.page_path
        if page.suffix != ".html":
            continue
        case = found.expected
        if case["url"] in skip:
            continue
        content_type = case.get("content_type", "text/html; charset=utf-8")
        server.add(served_path(case["url"]), page.read_bytes(), content_type=content_type)
    for url, page in XWLB_PAGES.items():
        server.add(served_path(url), page.read_bytes())


def serve_list(
    server: FixtureServer, category: str, page: int, case: str, content_type: str = JSONP_TYPE
) -> str:
    path = LIST_PATH.format(category=category, page=page)
    server.add(path, (CCTV / case / "page.jsonp").read_bytes(), content_type=content_type)
    return path


def base_urls(server: FixtureServer) -> dict[str, str]:
    return {
        "CCTV_NEWS_BASE_URL": f"{server.base}/news",
        "CCTV_PHOTO_BASE_URL": f"{server.base}/photo",
        "CCTV_TV_BASE_URL": f"{server.base}/tv",
    }


def images(post: frontmatter.Post) -> list[str]:
    body = lxml.html.fragment_fromstring(post.content, create_parent="div")
    return [img.get("src") for img in body.iter("img")]


def text_of(html: str) -> str:
    """The words of a (possibly cut) piece of markup: tags, and a cut-off tag at either end, removed."""
    return re.sub(r"<[^>]*>|^[^<]*>|<[^>]*$", "", html)


def captions(post: frontmatter.Post) -> list[str]:
    body = lxml.html.fragment_fromstring(post.content, create_parent="div")
    return [figure.findtext("figcaption") for figure in body.iter("figure")]


def https(url: str) -> str:
    return "https://" + url.removeprefix("http://").removeprefix("https://")


def wall_clock(iso: str) -> datetime:
    """An ISO time with +08:00 as the naive Beijing wall clock python-frontmatter reads back."""
    value = datetime.fromisoformat(iso)
    assert value.utcoffset() is not None and value.utcoffset().total_seconds() == 8 * 3600
    return value.replace(tzinfo=None)


def summary_line(result: CrawlResult) -> str:
    lines = result.lines("Summary of cctv:")
    assert len(lines) == 1, result.log[-3000:]
    return lines[0]


def list_entries(*cases: str) -> dict[str, dict[str, Any]]:
    return {entry["url"]: entry for case in cases for entry in expected(case)["list"]["entries"]}


def test_category_crawl_follows_every_page_into_posts(server: FixtureServer, run_crawl) -> None:
    serve_pages(server)
    page1 = serve_list(server, "news", 1, "jsonp_news_page1")
    page2 = serve_list(server, "news", 2, "jsonp_news_page2")
    result = run_crawl("cctv", "category=news", "pages=2", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]
    assert server.hits(page1) == server.hits(page2) == 1
    assert server.hits(LIST_PATH.format(category="news", page=3)) == 0
    referers = {headers.get("Referer") for path, headers in server.requests if path.startswith(page1)}
    assert referers == {"http://news.cctv.com/news"}

    entries = list_entries("jsonp_news_page1", "jsonp_news_page2")
    cases = {
        "article_gaiban_anhui_rice",
        "article_text_area",
        "article_gbk",
        "article_old_template",
        "photo_set",
        "photo_set_swiper",
        "video",
    }
    posts = result.posts()
    assert len(posts) == len(cases), sorted(post["link"] for post in posts.values())
    for case in sorted(cases):
        want = expected(case)
        page, entry = want["article"], entries[want["url"]]
        post = result.post_by_link(want["url"])
        assert post["title"] == page["title"] == entry["title"], case
        assert post["author"] == (page["author"] or "央视网"), case
        assert post["date"] == wall_clock(page["published"] or entry["published"]), case
        assert post["categories"] == ["新媒体", "CCTV", "news"], case
        assert post["tags"] == entry["tags"], case
        assert images(post) == [https(src) for src in page["images"]], case
        assert all(src.startswith("https://") for src in images(post)), case
        assert post["headimg"] == post["thumbnail"] == https((page["images"] or [entry["cover"]])[0]), case
        for needle in page.get("body_contains", []):  # markup the Clean pipeline may reshape: the text
            assert text_of(needle) in text_of(post.content), (case, needle)
        for needle in page.get("body_not_contains", []):
            assert needle not in post.content, (case, needle)

    anhui = result.post_by_link(ANHUI)
    assert "编辑" not in anhui.content and "刘亮" not in anhui.content  # the editor line stays out
    assert anhui["date"] == datetime(2022, 10, 14, 14, 30)  # the page's time beats focus_date's 14:30:12
    video = result.post_by_link(VIDEO)
    assert video["date"] == datetime(2022, 10, 14, 12, 5, 40)  # no time on the page: focus_date
    assert video["headimg"] == entries[VIDEO]["cover"]  # the list's poster
    assert "眼下，各地秋粮收获进入高峰" in video.content and "[视频]" not in video["title"]

    stars = result.post_by_link(STARS)
    assert captions(stars) == [
        "12月14日凌晨，双子座流星雨划过河北承德上空。",
        "流星与银河同框。（多次曝光合成）",
        "观测爱好者在山顶架起相机。",
        None,
    ]
    assert len(images(stars)) == int(entries[STARS]["extra"]["count"])

    (no_text,) = result.lines(f"Dropped {VIDEO_NO_TEXT} (video_no_text)")
    assert "video page without text" in no_text
    (unknown,) = result.lines(f"Dropped {UNKNOWN_LAYOUT} (unknown_layout)")
    assert "ERROR" in unknown
    summary = summary_line(result)
    assert "exported 7 new" in summary, summary
    assert "dropped 2 (unknown_layout: 1, video_no_text: 1)" in summary, summary


def test_limit_takes_the_newest_entries_and_stops_paging(server: FixtureServer, run_crawl) -> None:
    serve_pages(server)
    serve_list(server, "news", 1, "jsonp_news_page1")
    page2 = serve_list(server, "news", 2, "jsonp_news_page2")
    result = run_crawl("cctv", "category=news", "pages=2", "limit=2", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(post["link"] for post in result.posts().values()) == sorted([ANHUI, VIDEO])
    assert server.hits(page2) == 0
    assert server.hits(served_path(STARS)) == 0


def test_broken_jsonp_is_one_error_and_the_run_goes_on(server: FixtureServer, run_crawl) -> None:
    """news page 1 is cut off; its page 2 and the other category are still crawled, and the china list,
    labelled ISO-8859-1 by the server, still gives Chinese titles."""
    serve_pages(server)
    broken = serve_list(server, "news", 1, "jsonp_broken")
    serve_list(server, "news", 2, "jsonp_news_page2")
    serve_list(server, "china", 1, "jsonp_wrong_charset_header", "application/javascript; charset=ISO-8859-1")
    server.add(LIST_PATH.format(category="china", page=2), 'china({"data":{"total":2,"list":[]}});')
    result = run_crawl("cctv", "category=news,china", "pages=2", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]

    real_broken = "https://news.cctv.com" + broken.removeprefix("/news") + "?cb=news"
    (error,) = result.lines("(bad_jsonp)")
    assert f"Dropped {real_broken} (bad_jsonp)" in error and "ERROR" in error
    assert "JSONP cut off" in error
    assert server.hits(LIST_PATH.format(category="china", page=3)) == 0

    posts = {post["link"]: post for post in result.posts().values()}
    china = list_entries("jsonp_wrong_charset_header")
    page2_posts = set(list_entries("jsonp_news_page2")) - {VIDEO_NO_TEXT, UNKNOWN_LAYOUT}
    for url, entry in china.items():
        assert posts[url]["title"] == entry["title"]
        # an article on both lists takes the category of whichever list reached it first
        categories = {"china", "news"} if url in page2_posts else {"china"}
        assert posts[url]["categories"][:2] == ["新媒体", "CCTV"]
        assert posts[url]["categories"][2] in categories and len(posts[url]["categories"]) == 3
        assert posts[url]["tags"] == entry["tags"]
    assert page2_posts <= set(posts)
    assert len(posts) == len(page2_posts | set(china))  # each article once, though listed twice
    assert "errors 2" in summary_line(result)  # the bad JSONP and the unknown layout


def test_missing_and_mislabelled_pages(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    """A 404 article costs one post, a 404 list page ends the list; a GBK page labelled UTF-8 still decodes;
    TIMEZONE and OUTPUT_DIR are kept."""
    serve_pages(server, skip=(ANHUI,))
    gbk = (CCTV / "article_gbk" / "page.html").read_bytes()
    server.add(served_path(GBK), gbk, content_type="text/html; charset=utf-8")
    serve_list(server, "china", 1, "jsonp_wrong_charset_header")
    output = tmp_path / "elsewhere"
    settings = {**base_urls(server), "TIMEZONE": "UTC"}
    result = run_crawl("cctv", "category=china", "pages=2", settings=settings, output_dir=output)
    assert result.returncode == 0, result.log[-3000:]
    assert result.lines("CCTV china has no page 2 (HTTP 404): the list ends at page 1")
    assert "china_2.jsonp?cb=china (http_error)" not in result.log  # the end of a list is no loss

    (missing,) = result.lines(f"Dropped {ANHUI} (http_error)")
    assert "HTTP 404" in missing
    post = result.post_by_link(GBK)
    assert post["title"] == "冬季供暖全面启动 居民家中温暖如春"
    assert "央视网消息：随着气温下降，北方多个城市提前启动冬季供暖" in post.content
    assert "�" not in post.content
    assert post["date"] == datetime(2019, 11, 20, 0, 30)  # 08:30 Beijing time, written in UTC
    assert list(output.rglob("*.md")) and len(result.posts()) == 1
    assert "errors 1" in summary_line(result)


def test_xwlb_latest_day(server: FixtureServer, run_crawl) -> None:
    serve_pages(server)  # the xwlb_index and xwlb_day fixtures among them
    result = run_crawl("cctv", "category=xwlb", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]
    assert server.hits("/tv/lm/xwlb/") == 1
    assert server.hits("/tv/lm/xwlb/day/20221014.shtml") == 1
    day = expected("xwlb_day")["list"]["entries"]
    posts = result.posts()
    assert sorted(post["link"] for post in posts.values()) == sorted(entry["url"] for entry in day)
    for entry in day:
        post = result.post_by_link(entry["url"])
        assert post["title"] == entry["title"]
        assert post["categories"] == ["新媒体", "CCTV", "新闻联播"]
        assert post["author"] == "央视网"
        assert post["headimg"] == entry["cover"]
    segment = result.post_by_link("https://tv.cctv.com/2022/10/14/VIDEe5Rk9LmT3xQw7ZnB1cVh221014.shtml")
    assert segment["date"] == datetime(2022, 10, 14, 19, 0)  # the broadcast: the page has no time
    assert "央视网消息（新闻联播）：当前，全国秋冬种进度已过半" in segment.content
    world = result.post_by_link(day[3]["url"])
    assert world["date"] == datetime(2022, 10, 14, 19, 32, 10)  # the page's publishDate
    full = result.post_by_link(day[0]["url"])
    assert "1.全国秋冬种进度过半" in full.content and "3.国际联播快讯" in full.content
    assert "exported 4 new" in summary_line(result)


def test_xwlb_given_day_with_limit(server: FixtureServer, run_crawl) -> None:
    serve_pages(server)
    result = run_crawl("cctv", "category=xwlb", "date=20221014", "limit=2", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]
    assert server.hits("/tv/lm/xwlb/") == 0
    day = expected("xwlb_day")["list"]["entries"]
    assert sorted(post["link"] for post in result.posts().values()) == sorted(e["url"] for e in day[:2])


def test_default_categories_come_from_the_setting(server: FixtureServer, run_crawl) -> None:
    serve_pages(server)
    china = serve_list(server, "china", 1, "jsonp_wrong_charset_header")
    result = run_crawl("cctv", settings={**base_urls(server), "CCTV_CATEGORIES": "china"})
    assert result.returncode == 0, result.log[-3000:]
    assert server.hits(china) == 1 and len(result.posts()) == 2


def test_spider_arguments_are_checked(run_crawl) -> None:
    result = run_crawl("cctv", "category=china,nope")
    assert result.returncode != 0
    assert "unknown CCTV category in category: nope; known: news, china, world" in result.log
    assert "economy_zixun, xwlb" in result.log
    result = run_crawl("cctv", settings={"CCTV_CATEGORIES": "news,finance"})
    assert result.returncode != 0 and "unknown CCTV category in CCTV_CATEGORIES: finance" in result.log
    result = run_crawl("cctv", "category=xwlb", "date=yesterday")
    assert result.returncode != 0 and "date must be a day like 20221014" in result.log
    result = run_crawl("cctv", "category=news", "date=20221014")
    assert result.returncode != 0 and "use it with -a category=xwlb" in result.log
    result = run_crawl("cctv", "pages=0")
    assert result.returncode != 0 and "pages must be a whole number of at least 1" in result.log


VARIANTS = ("article_info1", "photo_set_photo_blocks", "xwlb_item_title_con")
"""Page variants other crawlers of CCTV meet: the info1 line, photo pages of .photo blocks, 新闻联播 items
whose text is in div.title_con #content."""


def test_page_variants_other_crawlers_meet_become_posts(server: FixtureServer, run_crawl) -> None:
    serve_pages(server)
    items = [
        {
            "id": expected(case)["url"].rsplit("/", 1)[1].split(".")[0],
            "title": expected(case)["article"]["title"],
            "url": expected(case)["url"],
            "focus_date": "2023-05-09 10:00:00",
            "brief": "",
            "image": "",
        }
        for case in VARIANTS
    ]
    body = "china(" + json.dumps({"data": {"total": 3, "list": items}}, ensure_ascii=False) + ")"
    server.add(LIST_PATH.format(category="china", page=1), body, content_type=JSONP_TYPE)
    result = run_crawl("cctv", "category=china", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]
    assert not result.lines("] ERROR:") and not result.lines("Dropped")
    for case in VARIANTS:
        page = expected(case)["article"]
        post = result.post_by_link(expected(case)["url"])
        assert post["title"] == page["title"]
        assert post["author"] == (page["author"] or "央视网")
        assert images(post) == page["images"]
    info1 = result.post_by_link(expected("article_info1")["url"])
    assert info1["author"] == "央视新闻客户端" and info1["date"] == datetime(2022, 10, 14, 14, 30)
    xwlb = result.post_by_link(expected("xwlb_item_title_con")["url"])
    assert "全国秋冬种进度已过半" in xwlb.content and "编辑：王雪" not in xwlb.content


def test_a_dead_or_retired_category_is_one_warning_not_an_error(server: FixtureServer, run_crawl) -> None:
    serve_pages(server)
    serve_list(server, "china", 1, "jsonp_news_page1")  # "health" has no list here: a 404, like a dead one
    result = run_crawl("cctv", "category=china,health,military", settings=base_urls(server))
    assert result.returncode == 0, result.log[-3000:]
    assert not result.lines("] ERROR:")
    dead = result.lines("CCTV category 'health' has no list any more (HTTP 404 at https://news.cctv.com/")
    assert len(dead) == 1 and "WARNING" in dead[0]
    retired = result.lines("CCTV category 'military' skipped: ")
    assert len(retired) == 1 and "military.cctv.com/data/index.json" in retired[0]
    assert server.hits(LIST_PATH.format(category="military", page=1)) == 0
    assert result.posts()
    result = run_crawl("cctv", "category=sports", settings=base_urls(server))
    assert result.returncode != 0 and "no CCTV category left to crawl in category: sports" in result.log
