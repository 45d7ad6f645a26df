"""ZAKER page objects: saved-page fixtures plus focused checks of dates, links, ids and broken input.

Each folder in ``tests/fixtures/zaker`` is one case: ``page.html`` (or ``page.json``) and ``expected.json``
with ``kind`` (list, article, or any = both parsers), the canonical ``url``, a fixed ``now``, and either
the expected fields or the expected ``error``. Adding a case is adding a folder.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import lxml.html
import pytest

from aggregator.sites import base
from aggregator.sites.base import BlockedPage, DeletedArticle, EmptyArticle, PageError, UnknownLayout
from aggregator.sites.zaker import (
    BEIJING,
    article_id,
    article_id_time,
    canonical_article_url,
    is_challenge,
    parse_article,
    parse_list,
    parse_time,
    unwrap_link,
)
from tests.fixture_cases import case as fixture_case
from tests.fixture_cases import cases

CASES = [found.name for found in cases("zaker")]


def load_case(name: str) -> tuple[str, dict[str, Any]]:
    found = fixture_case("zaker", name)
    return found.page_text(), found.expected


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def test_fixture_folder_is_populated() -> None:
    assert len(CASES) >= 14


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: str) -> None:
    html, expected = load_case(case)
    url, now = expected["url"], datetime.fromisoformat(expected["now"])
    parsers = {"list": [parse_list], "article": [parse_article], "any": [parse_list, parse_article]}
    if "error" in expected:
        error = expected["error"]
        for parser in parsers[expected["kind"]]:
            with pytest.raises(getattr(base, error["class"])) as caught:
                parser(html, url, now)
            assert type(caught.value).__name__ == error["class"]
            assert caught.value.reason == error["reason"]
            assert error["message_contains"] in str(caught.value)
        return
    if expected["kind"] == "list":
        check_list(parse_list(html, url, now), expected["list"])
    else:
        check_article(parse_article(html, url, now), expected["article"])


def check_list(page: base.ListPage, expected: dict[str, Any]) -> None:
    assert page.title == expected["title"]
    assert page.next_url == expected["next_url"]
    got = [
        {
            "url": e.url,
            "title": e.title,
            "summary": e.summary,
            "author": e.author,
            "published": iso(e.published),
            "cover": e.cover,
            "tags": e.tags,
            "extra": e.extra,
        }
        for e in page.entries
    ]
    assert got == expected["entries"]


def check_article(article: base.ArticlePage, expected: dict[str, Any]) -> None:
    assert article.title == expected["title"]
    assert article.author == expected["author"]
    assert iso(article.published) == expected["published"]
    assert article.tags == expected["tags"]
    assert article.cover == expected["cover"]
    assert article.body_html
    images = lxml.html.fragment_fromstring(article.body_html, create_parent="div").iter("img")
    sized = [(img.get("src"), img.get("width"), img.get("height")) for img in images]
    assert [src for src, _, _ in sized] == expected["images"]
    assert [[int(w) if w else None, int(h) if h else None] for _, w, h in sized] == expected["image_sizes"]
    for snippet in expected["body_contains"]:
        assert snippet in article.body_html
    for snippet in expected["body_not_contains"]:
        assert snippet not in article.body_html


def test_winpagedata_list_links_article_fixtures() -> None:
    """The channel crawl end-to-end test walks list -> articles, so the list must point at fixture pages."""
    html, expected = load_case("list_current_winpagedata")
    page = parse_list(html, expected["url"], datetime.fromisoformat(expected["now"]))
    fixture_urls = {load_case(case)[1]["url"] for case in CASES if case.startswith("article_")}
    assert {entry.url for entry in page.entries} <= fixture_urls
    assert len(page.entries) >= 5


# ---------------------------------------------------------------------------------------- dates

NOW = datetime(2022, 1, 2, 10, 40, 15, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刚刚", "2022-01-02T10:40:15+08:00"),
        ("5分钟前", "2022-01-02T10:35:15+08:00"),
        ("3小时前", "2022-01-02T07:40:15+08:00"),
        ("12小时前", "2022-01-01T22:40:15+08:00"),
        ("2天前", "2021-12-31T10:40:15+08:00"),
        ("今天 09:05", "2022-01-02T09:05:00+08:00"),
        ("昨天", "2022-01-01T00:00:00+08:00"),
        ("昨天 10:20", "2022-01-01T10:20:00+08:00"),
        ("前天", "2021-12-31T00:00:00+08:00"),
        ("前天 23:59", "2021-12-31T23:59:00+08:00"),
        ("2021-07-01", "2021-07-01T00:00:00+08:00"),
        ("2021-07-01 11:08", "2021-07-01T11:08:00+08:00"),
        ("2021-07-01 11:08:16", "2021-07-01T11:08:16+08:00"),
        ("2021年7月1日", "2021-07-01T00:00:00+08:00"),
        ("01-02", "2022-01-02T00:00:00+08:00"),
        ("01-02 09:00", "2022-01-02T09:00:00+08:00"),
        ("12-31", "2021-12-31T00:00:00+08:00"),
        ("12-31 21:40", "2021-12-31T21:40:00+08:00"),
        ("01月02日", "2022-01-02T00:00:00+08:00"),
        ("12月31日", "2021-12-31T00:00:00+08:00"),
        ("01月03日", "2021-01-03T00:00:00+08:00"),
        ("  3小时前 ", "2022-01-02T07:40:15+08:00"),
    ],
)
def test_parse_time_every_form(text: str, expected: str) -> None:
    assert iso(parse_time(text, NOW)) == expected


@pytest.mark.parametrize(
    "text", ["", None, "明天", "garbage", "25:00", "2021-13-01", "02-30", "昨天 24:00", "小时前"]
)
def test_parse_time_rejects_non_dates(text: str | None) -> None:
    assert parse_time(text, NOW) is None


def test_parse_time_leap_day_goes_back_to_a_leap_year() -> None:
    assert iso(parse_time("02-29", NOW)) == "2020-02-29T00:00:00+08:00"


def test_parse_time_counts_days_in_shanghai_not_utc() -> None:
    # 2022-01-01 17:30 UTC is already 2 January 01:30 in Beijing: "昨天" is 1 January there.
    utc_now = datetime(2022, 1, 1, 17, 30, tzinfo=UTC)
    assert iso(parse_time("昨天 10:20", utc_now)) == "2022-01-01T10:20:00+08:00"
    assert iso(parse_time("01月02日", utc_now)) == "2022-01-02T00:00:00+08:00"
    assert parse_time("3小时前", utc_now) == utc_now - timedelta(hours=3)


def test_parse_time_year_rollover_in_new_years_first_minutes() -> None:
    just_after_midnight = datetime(2025, 1, 1, 0, 5, tzinfo=BEIJING)
    assert iso(parse_time("12月31日", just_after_midnight)) == "2024-12-31T00:00:00+08:00"
    assert iso(parse_time("01月01日", just_after_midnight)) == "2025-01-01T00:00:00+08:00"
    assert iso(parse_time("昨天 23:50", just_after_midnight)) == "2024-12-31T23:50:00+08:00"


def test_parse_time_naive_now_is_beijing_wall_time() -> None:
    assert iso(parse_time("1小时前", datetime(2022, 1, 2, 10, 0))) == "2022-01-02T09:00:00+08:00"


def test_parse_time_defaults_to_the_current_time() -> None:
    before = datetime.now(BEIJING).replace(microsecond=0)
    found = parse_time("刚刚")
    assert found is not None and found.tzinfo is not None
    assert before <= found <= datetime.now(BEIJING)


def test_article_id_time_reads_the_object_id_timestamp() -> None:
    assert iso(article_id_time("5aad21fa1bc8e04b1c00004b")) == "2018-03-17T22:11:06+08:00"
    assert iso(article_id_time("60DD9AE732CE40247300004C")) == "2021-07-01T18:37:27+08:00"


@pytest.mark.parametrize("bad", ["", "5aad21fa", "zzad21fa1bc8e04b1c00004b", "5aad21fa1bc8e04b1c00004b0"])
def test_article_id_time_refuses_non_ids(bad: str) -> None:
    with pytest.raises(ValueError, match="24-hex"):
        article_id_time(bad)


# ------------------------------------------------------------------------------------ links and ids

ID = "5ab3ba359490cb393f00008e"
SITE = "https://www.myzaker.com/"

WRAPPED = (
    "http://iphone.myzaker.com/zaker/link.php?pk=60dd9ae732ce40247300004c&b=aHR0cHM6Ly9uZXdzLjE2My5jb20vbmV3cy9z"
    "ZWFyY2g/a2V5d29yZD0lRTklOTklQTIlRTUlQTMlQUI=&bcode=d90e0e3a&target=_new"
)


def wrap(payload: str) -> str:
    return f"http://iphone.myzaker.com/zaker/link.php?pk=60dd9ae732ce40247300004c&b={payload}&bcode=1&target=_new"


def test_unwrap_link_real_sample() -> None:
    assert unwrap_link(WRAPPED) == "https://news.163.com/news/search?keyword=%E9%99%A2%E5%A3%AB"


def test_unwrap_link_without_padding_and_urlsafe() -> None:
    # "https://example.com/a?b=>>" encodes with "+" / "/" in standard base64; url-safe uses "-" / "_".
    import base64

    target = "https://example.com/p?q=~~~>>>"
    standard = base64.b64encode(target.encode()).decode()
    urlsafe = base64.urlsafe_b64encode(target.encode()).decode()
    assert standard != urlsafe
    assert unwrap_link(wrap(standard.rstrip("="))) == target
    assert unwrap_link(wrap(urlsafe.rstrip("="))) == target
    assert unwrap_link(wrap(standard.replace("=", "%3D"))) == target


@pytest.mark.parametrize(
    "href",
    [
        wrap("!!!notbase64!!!"),
        wrap("aGVsbG8gd29ybGQ"),  # "hello world": decodes, but is not a URL
        wrap("amF2YXNjcmlwdDphbGVydCgxKQ"),  # "javascript:alert(1)" must not become a link target
        wrap("/w=="),  # not UTF-8
        wrap("a"),  # impossible length
        "http://iphone.myzaker.com/zaker/link.php?pk=1&bcode=2",  # no payload
        "https://news.163.com/link.php?b=aHR0cHM6Ly9leGFtcGxlLmNvbS8",  # not ZAKER's wrapper
        "https://www.myzaker.com/article/5aad21fa1bc8e04b1c00004b",
        "",
    ],
)
def test_unwrap_link_keeps_anything_it_cannot_decode(href: str) -> None:
    assert unwrap_link(href) == href


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("//www.myzaker.com/article/5ab3ba359490cb393f00008e/", "5ab3ba359490cb393f00008e"),
        ("https://www.myzaker.com/article/5AB3BA359490CB393F00008E?f=share#top", "5ab3ba359490cb393f00008e"),
        ("http://app.myzaker.com/article/5ab3ba359490cb393f00008e/", "5ab3ba359490cb393f00008e"),
        ("http://iphone.myzaker.com/l.php?l=5ab3ba359490cb393f00008e", "5ab3ba359490cb393f00008e"),
        (
            "http://iphone.myzaker.com/zaker/article_mongo.php?app_id=660&pk=5ab3ba359490cb393f00008e&m=1",
            "5ab3ba359490cb393f00008e",
        ),
        ("/article/5ab3ba359490cb393f00008e", "5ab3ba359490cb393f00008e"),
        ("https://evil.example/article/5ab3ba359490cb393f00008e", None),
        ("https://www.myzaker.com.evil.example/article/5ab3ba359490cb393f00008e", None),
        ("https://www.myzaker.com/article/5ab3ba35", None),
        ("https://www.myzaker.com/article/5ab3ba359490cb393f00008e/comments", None),
        ("https://www.myzaker.com/channel/13", None),
        (WRAPPED, None),
        ("javascript:void(0)", None),
        ("", None),
    ],
)
def test_article_id(href: str, expected: str | None) -> None:
    assert article_id(href) == expected


@pytest.mark.parametrize(
    ("href", "base_url", "expected"),
    [
        (f"//www.myzaker.com/article/{ID}/", SITE, ID),
        (f"/article/{ID}/", "https://www.myzaker.com/channel/13", ID),
        (f"http://app.myzaker.com/article/{ID}?x=1", SITE, ID),
        (f"http://iphone.myzaker.com/l.php?l={ID}", SITE, ID),
        (f" //www.myzaker.com/article/{ID}#c ", SITE, ID),
        ("//www.myzaker.com/product.html", SITE, None),
        (f"https://news.163.com/article/{ID}", SITE, None),
    ],
)
def test_canonical_article_url(href: str, base_url: str, expected: str | None) -> None:
    result = canonical_article_url(href, base_url)
    assert result == (f"https://www.myzaker.com/article/{expected}" if expected else None)


def test_canonical_article_url_unwraps_link_php_to_articles() -> None:
    import base64

    target = base64.b64encode(b"https://www.myzaker.com/article/5ab3ba359490cb393f00008e/").decode()
    assert canonical_article_url(wrap(target), "https://www.myzaker.com/") == (
        "https://www.myzaker.com/article/5ab3ba359490cb393f00008e"
    )


# -------------------------------------------------------------------------------------- challenge


def test_is_challenge_on_the_fixture_and_on_real_pages() -> None:
    assert is_challenge(load_case("challenge")[0])
    for case in ("article_2018", "article_wuzhang", "list_2018_homepage", "list_current_winpagedata"):
        assert not is_challenge(load_case(case)[0]), case


def test_is_challenge_needs_two_markers() -> None:
    assert is_challenge('<script>window.captcha = {once_id: "abc",}</script>')
    assert is_challenge(
        "<script>document.cookie='sl-session=1'</script><script src=//challenge.rivers.chaitin.cn/x>"
    )
    # An article that merely mentions SafeLine's domain is still an article.
    assert not is_challenge("<p>长亭雷池会请求 challenge.rivers.chaitin.cn 的验证码</p>")
    assert not is_challenge("")


# ------------------------------------------------------------------------------------ list details

LIST_URL = "https://www.myzaker.com/channel/13"


def win_page(payload: str, after: str = "") -> str:
    return f"<html><head><script>window.WinPageData = {payload};{after}</script></head><body></body></html>"


def test_winpagedata_tolerates_code_after_the_object() -> None:
    payload = json.dumps(
        {"data": {"article": [{"url": "//www.myzaker.com/article/5ab3ba359490cb393f00008e"}]}}
    )
    page = parse_list(win_page(payload, "\nwindow.WinPageData.ready = true; init();"), LIST_URL, NOW)
    assert [e.url for e in page.entries] == ["https://www.myzaker.com/article/5ab3ba359490cb393f00008e"]
    assert page.next_url is None


def test_winpagedata_skips_non_articles_and_repeats() -> None:
    items = [
        {"url": "//www.myzaker.com/topic/123", "title": "专题"},
        {
            "url": "//www.myzaker.com/article/5ab3ba359490cb393f00008e/",
            "title": "A",
            "tag": ["x", {"tag": "y"}],
        },
        {"url": "//app.myzaker.com/article/5ab3ba359490cb393f00008e", "title": "A again"},
        "not an item",
        {"title": "no url"},
    ]
    page = parse_list(win_page(json.dumps({"data": {"article": items}})), LIST_URL, NOW)
    assert [(e.title, e.tags) for e in page.entries] == [("A", ["x", "y"])]


def test_winpagedata_with_empty_article_list_is_an_empty_page() -> None:
    page = parse_list(win_page('{"data": {"article": []}, "next_url": {"value": ""}}'), LIST_URL, NOW)
    assert page.entries == [] and page.next_url is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{data: {article: []}}", "not valid JSON"),
        ("{'data': 1}", "not valid JSON"),
        ('{"data": {"articles": []}}', "no data.article list"),
        ('{"data": {"article": [{"url": "//www.myzaker.com/about.html"}]}}', "links a ZAKER article"),
        ("[1, 2]", "is a list, not an object"),
    ],
)
def test_winpagedata_broken_data_is_unknown_layout(payload: str, message: str) -> None:
    with pytest.raises(UnknownLayout, match=message):
        parse_list(win_page(payload), LIST_URL, NOW)


def test_bare_json_list_must_be_an_object() -> None:
    with pytest.raises(UnknownLayout, match="not valid JSON"):
        parse_list("{broken", LIST_URL, NOW)


def test_figure_list_whose_items_link_nowhere_is_unknown_layout() -> None:
    html = '<div class="figure flex-block"><h2 class="figcaption"><a href="//x.example/a">t</a></h2></div>'
    with pytest.raises(UnknownLayout, match=r"div\.figure\.flex-block"):
        parse_list(html, LIST_URL, NOW)


# --------------------------------------------------------------------------------- article details

ARTICLE_URL = "https://www.myzaker.com/article/61cd69d08e9f0903e1407b52"


def article_html(body: str, header: str = '<h1>标题</h1><span class="time">3小时前</span>') -> str:
    return (
        f'<html><body><div class="article_header">{header}</div>'
        f'<div class="article_content"><div id="content">{body}</div></div></body></html>'
    )


def test_lazy_image_data_original_wins_over_placeholder_src() -> None:
    body = (
        '<p>text</p><img class="lazy opacity_0 keep" src="//zkres.myzaker.com/static/placeholder.gif" '
        'data-original="//zkres2.myzaker.com/202107/a_1024.jpg" data-width="660" data-height="281">'
        '<img src="/relative.jpg" data-width="auto">'
    )
    result = parse_article(article_html(body), ARTICLE_URL, NOW).body_html or ""
    images = list(lxml.html.fragment_fromstring(result, create_parent="div").iter("img"))
    assert [dict(img.attrib) for img in images] == [
        {
            "class": "keep",
            "src": "https://zkres2.myzaker.com/202107/a_1024.jpg",
            "width": "660",
            "height": "281",
        },
        {"src": "https://www.myzaker.com/relative.jpg"},
    ]


def test_article_other_more_and_empty_paragraphs_are_removed() -> None:
    body = (
        '<p>正文</p><p> </p><div class="article_other">相关推荐</div><div class="article_more">更多</div>尾巴'
    )
    result = parse_article(article_html(body), ARTICLE_URL, NOW).body_html
    assert result == "<p>正文</p>尾巴"


def test_deleted_notice_raises_deleted_article() -> None:
    with pytest.raises(DeletedArticle, match="原文已被删除"):
        parse_article(article_html("<p>原文已被删除</p>"), ARTICLE_URL, NOW)


def test_unwrapped_body_container_is_used_directly() -> None:
    html = (
        '<html><body><h1>标题</h1><div class="article_content">'
        '<div class="img_box"><img data-original="//a/b.jpg"></div><p>文字</p></div></body></html>'
    )
    article = parse_article(html, ARTICLE_URL, NOW)
    assert article.body_html == '<div class="img_box"><img src="https://a/b.jpg"></div><p>文字</p>'
    assert article.title == "标题"


def test_video_marker_with_text_is_kept() -> None:
    body = '<p>视频：现场画面</p><figure><iframe src="https://v.qq.com/x"></iframe></figure>'
    article = parse_article(article_html(body), ARTICLE_URL, NOW)
    assert article.body_html == "<p>视频：现场画面</p>"
    assert article.cover is None


def test_figure_with_video_poster_keeps_the_poster() -> None:
    body = '<figure><video poster="//zkres1.myzaker.com/p.jpg" src="x.mp4"></video></figure>后记'
    article = parse_article(article_html(body), ARTICLE_URL, NOW)
    assert article.body_html == '<img src="https://zkres1.myzaker.com/p.jpg">后记'
    assert article.cover == "https://zkres1.myzaker.com/p.jpg"


def test_video_container_with_only_a_player_is_video_only() -> None:
    body = '<div class="video_container"><video src="x.mp4"></video></div>'
    with pytest.raises(EmptyArticle, match="video-only") as caught:
        parse_article(article_html(body), ARTICLE_URL, NOW)
    assert caught.value.reason == "video_only"


def test_og_image_logo_is_not_a_cover() -> None:
    logo = "http://zkres1.myzaker.com/static/wap/images/logo_icon.png"
    html = article_html("<p>正文</p>").replace(
        "<html>", f'<html><head><meta property="og:image" content="{logo}"/></head>'
    )
    assert parse_article(html, ARTICLE_URL, NOW).cover is None


def test_unreadable_time_falls_back_to_the_article_id() -> None:
    article = parse_article(
        article_html("<p>正文</p>", '<h1>t</h1><span class="time">不久前</span>'), ARTICLE_URL, NOW
    )
    assert iso(article.published) == "2021-12-30T16:12:00+08:00"


def test_no_time_and_no_id_means_no_date() -> None:
    html = article_html("<p>正文</p>", "<h1>t</h1>")
    assert parse_article(html, "https://www.myzaker.com/about.html", NOW).published is None


def test_og_title_is_the_last_title_resort() -> None:
    html = article_html("<p>正文</p>", "").replace(
        "<html>", '<html><head><meta property="og:title" content=" 来自 og "/></head>'
    )
    assert parse_article(html, ARTICLE_URL, NOW).title == "来自 og"


# ------------------------------------------------------------------------------------ broken input

GARBAGE = [
    "",
    "   \n",
    "not html at all",
    "<<<>>>",
    "\x00\x01\x02binary\xff",
    "<html><body><div class='article_content'",
    '<?xml version="1.0" encoding="gbk"?><html><body><p>x</p></body></html>',
    '{"data": ',
    "<html><body>" + "<div>" * 3000 + "</body></html>",
]


@pytest.mark.parametrize("html", GARBAGE)
def test_garbage_list_raises_page_error(html: str) -> None:
    with pytest.raises(PageError) as caught:
        parse_list(html, LIST_URL, NOW)
    assert LIST_URL in str(caught.value) or "JSON" in str(caught.value)


@pytest.mark.parametrize("html", GARBAGE)
def test_garbage_article_raises_page_error(html: str) -> None:
    with pytest.raises(PageError) as caught:
        parse_article(html, ARTICLE_URL, NOW)
    assert ARTICLE_URL in str(caught.value)


def test_list_page_is_not_an_article_and_vice_versa() -> None:
    with pytest.raises(UnknownLayout, match=r"div\.article_content"):
        parse_article(load_case("list_2018_homepage")[0], ARTICLE_URL, NOW)
    with pytest.raises(UnknownLayout, match="no known ZAKER list markup"):
        parse_list(load_case("article_wuzhang")[0], LIST_URL, NOW)


def test_challenge_is_blocked_even_without_now() -> None:
    html = load_case("challenge")[0]
    with pytest.raises(BlockedPage):
        parse_list(html, LIST_URL)
    with pytest.raises(BlockedPage):
        parse_article(html, ARTICLE_URL)
