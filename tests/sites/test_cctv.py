"""CCTV page objects: one test per fixture folder, plus the quirks that need more than one example.

Fixture folders live in ``tests/fixtures/cctv/<case>/``: ``page.html`` (any charset; decoded the way the
spider does, with ``decode_html``) or ``page.jsonp`` (raw bytes), ``expected.json`` (what to compare) and
``meta.json`` (which real sample the case is built from and what was reconstructed). Adding a case is
adding a folder.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import lxml.html
import pytest

from aggregator.sites import base, cctv
from aggregator.sites.base import ArticlePage, ListPage, PageError
from aggregator.sites.cctv.common import BEIJING, parse_info_line, parse_publish_date
from aggregator.sites.cctv.lists import drop_trailing_commas
from aggregator.web.encoding import decode_html
from aggregator.web.urls import secure_urls
from tests.fixture_cases import FIXTURES, cases
from tests.fixture_cases import case as fixture_case
from tests.shipped import shipped_settings

CASES = [found.name for found in cases("cctv")]
ARTICLE = "https://news.cctv.com/2022/10/14/ARTIq5yJZw5sQ2kFbnJvK7cP221014.shtml"
LIST = cctv.list_url("news", 1)


def _expected(case: str) -> dict[str, Any]:
    return fixture_case("cctv", case).expected


def _page_input(case: str, expected: dict[str, Any]) -> str | bytes:
    page = fixture_case("cctv", case).page_path
    body = page.read_bytes()
    if page.suffix == ".jsonp":
        return body
    text, encoding = decode_html(body, expected.get("content_type"))
    if "encoding" in expected:
        assert encoding == expected["encoding"]
    return text


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    assert value.tzinfo is not None, "CCTV times must come out timezone-aware"
    return value.isoformat()


def _check_list(result: ListPage, expected: dict[str, Any]) -> None:
    assert result.next_url == expected.get("next_url")
    if "title" in expected:
        assert result.title == expected["title"]
    assert [entry.url for entry in result.entries] == [entry["url"] for entry in expected["entries"]]
    for entry, want in zip(result.entries, expected["entries"], strict=True):
        assert entry.title == want["title"]
        assert _iso(entry.published) == want["published"]
        assert entry.tags == want["tags"]
        assert entry.cover == want["cover"]
        assert entry.extra["type"] == want["type"]
        assert entry.extra["id"] == want["id"]
        if "summary" in want:
            assert entry.summary == want["summary"]
        for key, value in want.get("extra", {}).items():
            assert entry.extra[key] == value, key


def _image_sources(body_html: str) -> list[str]:
    return [
        img.get("src") for img in lxml.html.fragment_fromstring(body_html, create_parent="div").iter("img")
    ]


def _check_article(result: ArticlePage, expected: dict[str, Any]) -> None:
    assert result.title == expected["title"]
    assert result.author == expected["author"]
    assert _iso(result.published) == expected["published"]
    assert result.cover == expected["cover"]
    if "summary" in expected:
        assert result.summary == expected["summary"]
    assert result.body_html
    assert _image_sources(result.body_html) == expected["images"]
    for snippet in expected["body_contains"]:
        assert snippet in result.body_html, snippet
    for snippet in expected["body_not_contains"]:
        assert snippet not in result.body_html, snippet


@pytest.mark.parametrize("case", CASES)
def test_fixture(case: str) -> None:
    expected = _expected(case)
    parser = getattr(cctv, expected["parser"])
    data = _page_input(case, expected)
    args = (data,) if expected["parser"] == "latest_xwlb_date" else (data, expected["url"])
    if "raises" in expected:
        raises = expected["raises"]
        with pytest.raises(PageError) as caught:
            parser(*args)
        assert type(caught.value) is getattr(base, raises["class"])
        assert caught.value.reason == raises["reason"]
        for snippet in raises["message_contains"]:
            assert snippet in str(caught.value)
        return
    result = parser(*args)
    if "value" in expected:
        assert result == expected["value"]
    elif "list" in expected:
        _check_list(result, expected["list"])
    else:
        _check_article(result, expected["article"])
    if "video_guid" in expected:
        assert cctv.video_guid(data) == expected["video_guid"]


def test_list_fixtures_link_to_page_fixtures() -> None:
    """A category crawl can go JSONP → every page: each list URL is some page fixture's canonical URL."""
    pages = {_expected(case)["url"] for case in CASES if not case.startswith(("jsonp_", "xwlb_day"))}
    for case in ("jsonp_news_page1", "jsonp_news_page2"):
        for entry in _expected(case)["list"]["entries"]:
            assert entry["url"] in pages, entry["url"]


def test_real_sample_item_is_kept_verbatim_with_its_trailing_comma() -> None:
    sample = FIXTURES.parent.parent.parent / "shared" / "samples" / "cctv"
    real = sample / "list_jsonp_news_photo_item_2020-12-15_ONE_ITEM.jsonp"
    page = fixture_case("cctv", "jsonp_news_page1").page_text()
    if real.exists():
        item = real.read_text(encoding="utf-8").split('"list":[', 1)[1].rsplit("]}})", 1)[0]
        assert page.endswith(item + "]}})")
    assert page.endswith('"},]}})')


def test_wrong_charset_fixture_decodes_from_bytes_not_header() -> None:
    body = fixture_case("cctv", "jsonp_wrong_charset_header").page_bytes()
    header = _expected("jsonp_wrong_charset_header")["served_with_content_type"]
    assert "ISO-8859-1" in header
    assert "安徽" not in body.decode("latin-1")  # what a client trusting the header would see
    assert cctv.parse_list_jsonp(body, LIST).entries[0].title == "安徽肥东：高标准农田改造后中稻迎丰收"


# --- JSONP repair -------------------------------------------------------------------------------------

ITEM = json.dumps(
    {
        "id": "ARTIq5yJZw5sQ2kFbnJvK7cP221014",
        "title": "标题",
        "url": ARTICLE,
        "focus_date": "2022-10-14 14:30:12",
    },
    ensure_ascii=False,
)


@pytest.mark.parametrize(
    "body",
    [
        f'news({{"data":{{"total":1,"list":[{ITEM}]}}}})',
        f'china({{"data":{{"total":1,"list":[{ITEM}]}}}})',
        f't({{"data":{{"total":1,"list":[{ITEM}]}}}});',
        f'  jQuery1830_123 ( {{"data":{{"total":1,"list":[{ITEM},]}},}} ) ;\n',
        f'/**/law({{"data":{{"total":1,"list":[\n{ITEM}\n,\n]\n}}\n}})',
        f'{{"data":{{"total":1,"list":[{ITEM}]}}}}',
        f'\ufeffnews({{"data":{{"total":1,"list":[{ITEM}]}}}})',
    ],
)
def test_jsonp_repair(body: str) -> None:
    page = cctv.parse_list_jsonp(body.encode("utf-8"), LIST)
    assert [(entry.url, entry.title) for entry in page.entries] == [(ARTICLE, "标题")]


def test_trailing_commas_inside_strings_are_kept() -> None:
    assert drop_trailing_commas('{"a":"x,]",  "b":[1,2 , ],}') == '{"a":"x,]",  "b":[1,2 ]}'
    assert drop_trailing_commas(r'{"a":"say \",}\"",}') == r'{"a":"say \",}\""}'


def test_jsonp_bytes_are_utf8_even_when_a_header_says_latin1() -> None:
    body = f'news({{"data":{{"list":[{ITEM}]}}}})'.encode()
    assert "æ" in body.decode("latin-1")  # mojibake a header-trusting client would produce
    assert cctv.parse_list_jsonp(body, LIST).entries[0].title == "标题"


def test_jsonp_with_a_bad_byte_keeps_the_rest() -> None:
    body = f'news({{"data":{{"list":[{ITEM}]}}}})'.encode().replace("标题".encode(), "标".encode() + b"\xff")
    assert cctv.parse_list_jsonp(body, LIST).entries[0].title == "标\ufffd"


@pytest.mark.parametrize(
    ("body", "quoted"),
    [
        (b"", "''"),
        (b"<html><body>502 Bad Gateway</body></html>", "502 Bad Gateway"),
        (b'news({"data":{"total":500,"list":[{"id":"ARTI', 'news({"data"'),
        (b'news({"data":{"total":500,"list":[{"id":1}]}', 'news({"data"'),
        (b'news({"data":{"total":0}})', 'news({"data":{"total":0}})'),
        (b'news({"data":[]})', "news("),
        (b"news([1, 2])", "news([1, 2])"),
        (b'news("data")', 'news("data")'),
    ],
)
def test_broken_jsonp_is_a_bad_jsonp_page_error(body: bytes, quoted: str) -> None:
    with pytest.raises(PageError) as caught:
        cctv.parse_list_jsonp(body, LIST)
    assert caught.value.reason == "bad_jsonp"
    assert quoted in str(caught.value)


def test_items_without_url_or_not_objects_are_skipped() -> None:
    body = (
        'news({"data":{"list":[{"id":"ARTIx","title":"no url"},{"url":""},"text",7,null,'
        '{"id":"VIDEabc","url":"//tv.cctv.com/2022/10/14/VIDEabc.shtml","image":"//p1.img.cctvpic.com/a.jpg",'
        '"focus_date":"not a date","keywords":"  a  b a ","title":"&quot;引号&quot;&nbsp;"}]}})'
    ).encode()
    (entry,) = cctv.parse_list_jsonp(body, LIST).entries
    assert entry.url == "https://tv.cctv.com/2022/10/14/VIDEabc.shtml"
    assert entry.cover == "https://p1.img.cctvpic.com/a.jpg"
    assert entry.published is None
    assert entry.tags == ["a", "b"]
    assert entry.title == '"引号"'
    assert entry.extra == {
        "id": "VIDEabc",
        "type": "video",
        "image": entry.cover,
        "image2": None,
        "image3": None,
    }


def test_list_url() -> None:
    assert cctv.list_url("china", 3) == (
        "https://news.cctv.com/2019/07/gaiban/cmsdatainterface/page/china_3.jsonp?cb=china"
    )
    assert cctv.list_url("law", 1, base="http://127.0.0.1:8080/") == (
        "http://127.0.0.1:8080/2019/07/gaiban/cmsdatainterface/page/law_1.jsonp?cb=law"
    )


# --- dates and types ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "source", "published"),
    [
        ("来源：央视网 | 2022年10月14日 14:30", "央视网", datetime(2022, 10, 14, 14, 30, tzinfo=BEIJING)),
        ("来源：中国网\xa0| 2021年01月07日 16:29", "中国网", datetime(2021, 1, 7, 16, 29, tzinfo=BEIJING)),
        (
            "来源：央视网\xa0\xa0|\xa0\xa02020年07月28日 17:24",
            "央视网",
            datetime(2020, 7, 28, 17, 24, tzinfo=BEIJING),
        ),
        ("来源：央视网 2017年03月04日 15:04", "央视网", datetime(2017, 3, 4, 15, 4, tzinfo=BEIJING)),
        (
            "来源 ：\xa0新华网\xa0\xa0\xa02021年01月07日 09:04",
            "新华网",
            datetime(2021, 1, 7, 9, 4, tzinfo=BEIJING),
        ),
        ("2019年7月1日 8:05 | 来源：新闻联播", "新闻联播", datetime(2019, 7, 1, 8, 5, tzinfo=BEIJING)),
        ("来源：人民日报", "人民日报", None),
        ("2022-10-14 14:30:12", None, datetime(2022, 10, 14, 14, 30, 12, tzinfo=BEIJING)),
        ("来源：央视网 | 2022年13月40日 14:30", "央视网", None),
        ("", None, None),
    ],
)
def test_info_line(line: str, source: str | None, published: datetime | None) -> None:
    assert parse_info_line(line) == (source, published)


@pytest.mark.parametrize(
    ("script", "published"),
    [
        ('var publishDate ="20221014143012 ";', datetime(2022, 10, 14, 14, 30, 12, tzinfo=BEIJING)),
        ("publishDate = '20201215093922';", datetime(2020, 12, 15, 9, 39, 22, tzinfo=BEIJING)),
        ('publishDate ="20221399999999 ";', None),
        ("var x = 1;", None),
    ],
)
def test_publish_date(script: str, published: datetime | None) -> None:
    result = parse_publish_date(script)
    assert result == published
    if result is not None:
        assert result.utcoffset() is not None and result.utcoffset().total_seconds() == 8 * 3600


def test_publish_date_fills_in_when_the_info_line_has_no_date() -> None:
    page = (
        '<html><head><script>var publishDate ="20221014143012 ";</script></head><body>'
        '<div class="title_area"><h1>T</h1><div class="info">来源：央视网</div></div>'
        '<div class="content_area" id="content_area"><p>正文</p></div></body></html>'
    )
    article = cctv.parse_article(page, ARTICLE)
    assert (article.author, article.published) == (
        "央视网",
        datetime(2022, 10, 14, 14, 30, 12, tzinfo=BEIJING),
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("ARTIq5yJZw5sQ2kFbnJvK7cP221014", "article"),
        ("PHOA04QlD982KLX4FmenJuR4201215", "photo"),
        ("VIDEu8Yt2NbG6vCx4MzK9qWe221014", "video"),
        (ARTICLE, "article"),
        ("https://photo.cctv.com/2020/12/15/PHOA04QlD982KLX4FmenJuR4201215.shtml", "photo"),
        ("https://photo.cctv.com/jx/index.shtml", "photo"),
        ("https://tv.cctv.com/lm/xwlb/", "video"),
        ("https://news.cctv.com/2022/10/14/VIDEu8Yt2NbG6vCx4MzK9qWe221014.shtml?spm=x", "video"),
        ("https://v.cctv.com/VIDEu8Yt2/index.shtml", "video"),
        ("https://news.cctv.com/special/qiushou/index.shtml", "article"),
    ],
)
def test_item_type(value: str, kind: str) -> None:
    assert cctv.item_type(value) == kind


# --- article edge cases -------------------------------------------------------------------------------


def _page(body: str) -> str:
    return f"<html><head><title>标题_新闻频道_央视网(cctv.com)</title></head><body>{body}</body></html>"


def test_lead_label_in_its_own_paragraph_joins_the_next() -> None:
    html = _page(
        '<div class="content_area" id="content_area"><!--repaste.body.begin-->'
        "<p><strong>　　央视网消息：</strong><br></p><p>　　正文第一段。</p><p>　　第二段。</p>"
        "<!--repaste.body.end--></div>"
    )
    article = cctv.parse_article(html, ARTICLE)
    assert article.body_html == "<p>央视网消息：正文第一段。</p><p>第二段。</p>"
    assert article.title == "标题"


def test_lead_label_with_programme_name_is_unwrapped() -> None:
    html = _page(
        '<div class="content_area" id="content_area">'
        "<p><strong>央视网消息</strong>（焦点访谈）：我们继续关注。</p></div>"
    )
    assert cctv.parse_article(html, ARTICLE).body_html == "<p>央视网消息（焦点访谈）：我们继续关注。</p>"


def test_empty_content_area_falls_back_to_text_area() -> None:
    html = _page(
        '<div class="content_area" id="content_area">&nbsp;'
        "<!--repaste.body.begin--><!--repaste.body.end--></div>"
        '<div class="text_area" id="text_area"><p>　　真正的正文。</p><p>责任编辑：刘亮</p></div>'
    )
    assert cctv.parse_article(html, ARTICLE).body_html == "<p>真正的正文。</p>"


def test_caption_stays_with_its_image_and_indent_after_br_is_removed() -> None:
    html = _page(
        '<div class="content_area" id="content_area"><p>　　第一段。<br><br>　　<strong>小标题</strong></p>'
        '<p class="photo_img_20190808"><img src="//p3.img.cctvpic.com/a.jpg" alt="图"></p>'
        '<p class="photo_alt">　　图说文字</p><p class="photo_alt">孤立的图说</p></div>'
    )
    body = cctv.parse_article(html, ARTICLE).body_html
    assert "<p>第一段。<br><br><strong>小标题</strong></p>" in body
    figure = (
        '<figure><img src="https://p3.img.cctvpic.com/a.jpg" alt="图">'
        "<figcaption>图说文字</figcaption></figure>"
    )
    assert figure in body
    assert '<p class="photo_alt">孤立的图说</p>' in body


def test_old_title_markers_take_only_the_marked_text() -> None:
    html = _page(
        '<div class="cnt_bd"><!--repaste.title.begin-->旧版<em>标题</em><!--repaste.title.end-->'
        "<p>不是标题</p><!--repaste.body.begin--><p>正文</p><!--repaste.body.end--></div>"
    )
    article = cctv.parse_article(html, ARTICLE)
    assert (article.title, article.body_html) == ("旧版标题", "<p>正文</p>")


def test_og_image_is_the_cover_when_present() -> None:
    html = _page(
        '<meta property="og:image" content="//p1.img.cctvpic.com/og.jpg">'
        '<div id="content_area"><p>文</p></div>'
    )
    assert cctv.parse_article(html, ARTICLE).cover == "https://p1.img.cctvpic.com/og.jpg"


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("", base.UnknownLayout),
        ("   \n", base.UnknownLayout),
        ("<html><body><div class='other'>hello</div></body></html>", base.UnknownLayout),
        ("\x00\x01garbage<<<>>>", base.UnknownLayout),
        ('<?xml version="1.0" encoding="gb2312"?><html><body><p>x</p></body></html>', base.UnknownLayout),
        (
            _page('<div id="content_area"><p>　　</p><p><br></p><!--only a comment--></div>'),
            base.EmptyArticle,
        ),
        (
            _page('<div class="cnt_bd"><h1>标题</h1><div class="info">来源：央视网</div></div>'),
            base.EmptyArticle,
        ),
    ],
)
def test_malformed_or_empty_articles_raise_page_errors(html: str, error: type[PageError]) -> None:
    with pytest.raises(error) as caught:
        cctv.parse_article(html, ARTICLE)
    assert ARTICLE in str(caught.value)


def test_photo_page_without_photos_or_layout() -> None:
    url = "https://photo.cctv.com/2020/12/15/PHOA04QlD982KLX4FmenJuR4201215.shtml"
    with pytest.raises(base.EmptyArticle):
        cctv.parse_photo_set(_page('<div class="tujitop"><h1>冬日星空</h1><p>只有文字</p></div>'), url)
    with pytest.raises(base.UnknownLayout):
        cctv.parse_photo_set(_page("<div class='x'><img src='a.jpg'></div>"), url)


def test_video_page_without_any_container_is_video_no_text_only_when_it_is_a_video() -> None:
    player_only = _page(
        '<div class="tit">[视频]标题</div><script>var guid_Ad_VideoCode = "abcdef0123456789";</script>'
    )
    with pytest.raises(base.EmptyArticle) as caught:
        cctv.parse_video(player_only, "https://example.com/page.shtml")
    assert caught.value.reason == "video_no_text"
    with pytest.raises(base.UnknownLayout):
        cctv.parse_video(_page("<div>nothing</div>"), "https://example.com/page.shtml")


def test_video_guid_forms() -> None:
    assert cctv.video_guid('var guid_Ad_VideoCode = "ea3b1f6c67b843c58594ca43323f6dd4";') == (
        "ea3b1f6c67b843c58594ca43323f6dd4"
    )
    assert (
        cctv.video_guid('var guid = "ea3b1f6c67b843c5";\nvar guid_Ad_VideoCode = guid;') == "ea3b1f6c67b843c5"
    )
    assert cctv.video_guid("<html></html>") is None


# --- 新闻联播 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2022-10-14", "2022-10-14"),
        ("2020年06月28日", "2020-06-28"),
        ("20221014", "2022-10-14"),
        ("明天", None),
    ],
)
def test_latest_xwlb_date_forms(text: str, day: str | None) -> None:
    assert cctv.latest_xwlb_date(f'<div class="rilititle"><p>{text}</p></div>') == day


def test_latest_xwlb_date_absent() -> None:
    assert cctv.latest_xwlb_date("") is None
    assert cctv.latest_xwlb_date("<html><body><p>2022-10-14</p></body></html>") is None


def test_xwlb_day_url() -> None:
    expected = "https://tv.cctv.com/lm/xwlb/day/20221014.shtml"
    assert cctv.xwlb_day_url("2022-10-14") == expected
    assert cctv.xwlb_day_url("20221014") == expected
    assert cctv.xwlb_day_url("2022年10月14日", base="https://tv.cctv.com/") == expected
    with pytest.raises(ValueError):
        cctv.xwlb_day_url("2022-02-30")


def test_xwlb_day_blank_and_changed() -> None:
    url = "https://tv.cctv.com/lm/xwlb/day/20221015.shtml"
    assert cctv.parse_xwlb_day("  ", url).entries == []
    with pytest.raises(base.UnknownLayout):
        cctv.parse_xwlb_day("<div>暂无内容</div>", url)


def test_the_clean_step_upgrades_only_cctv_image_hosts() -> None:
    """Old templates hard-code ``http://pN.img.cctvpic.com`` images; the shipped IMAGES_HTTPS_HOSTS make
    the Clean pipeline load them over https (the hosts serve both), and nothing else."""
    hosts = shipped_settings().getlist("IMAGES_HTTPS_HOSTS")
    body = (
        '<img src="http://p1.img.cctvpic.com/photoworkspace/a.jpg">'
        '<img src="http://p4.img.cctvpic.com//photoworkspace/imageLocalized/b.jpg">'
        '<img src="http://example.com/c.jpg"><a href="http://p1.img.cctvpic.com.example.net/d">d</a>'
    )
    assert secure_urls(body, hosts) == (
        '<img src="https://p1.img.cctvpic.com/photoworkspace/a.jpg">'
        '<img src="https://p4.img.cctvpic.com//photoworkspace/imageLocalized/b.jpg">'
        '<img src="http://example.com/c.jpg"><a href="http://p1.img.cctvpic.com.example.net/d">d</a>'
    )
    assert secure_urls("http://p2.img.cctvpic.com/x.jpg", hosts) == "https://p2.img.cctvpic.com/x.jpg"
    assert secure_urls("", hosts) == ""
