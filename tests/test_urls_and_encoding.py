"""Article identity (canonical URLs) and reading pages in the charset they really use."""

from __future__ import annotations

import pytest

from aggregator.web.encoding import decode_html, normalize_encoding
from aggregator.web.urls import absolute_url, canonical_url, rebase, url_id


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.com/a?id=3&utm_source=rss&utm_medium=feed", "https://example.com/a?id=3"),
        ("https://example.com/a?spm=a1.b2&from=timeline#comments", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonical_url_strips_tracking_only(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_url_id_is_stable_across_tracking_variants() -> None:
    assert url_id("https://example.com/a?utm_source=x") == url_id("https://example.com/a")
    assert url_id("https://example.com/a") != url_id("https://example.com/b")


def test_rebase_swaps_only_the_configured_origin() -> None:
    bases = {"https://www.myzaker.com": "http://127.0.0.1:8000/zaker"}
    assert rebase("https://www.myzaker.com/article/abc", bases) == "http://127.0.0.1:8000/zaker/article/abc"
    assert rebase("https://news.cctv.com/x.shtml", bases) == "https://news.cctv.com/x.shtml"


PAGE = "http://news.cctv.com/2022/10/14/ARTI1.shtml"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/img/lead.jpg", "http://news.cctv.com/img/lead.jpg"),  # relative: the page's scheme and host
        ("//p1.img.cctvpic.com/a.jpg", "https://p1.img.cctvpic.com/a.jpg"),  # protocol-relative: https
        ("  https://a.example/b.jpg\n", "https://a.example/b.jpg"),  # what browsers ignore is dropped
        ("java\tscript:alert(1)", None),  # the allow-list is safety.safe_url's
        ("JavaScript:alert(1)", None),
        ("data:image/png;base64,AAAA", None),
        ("http:/etc/passwd", "http://news.cctv.com/etc/passwd"),  # same scheme: relative, as browsers read it
        ("https:/etc/passwd", None),  # another scheme and no host: nothing to fetch
        ("", None),
        (None, None),
    ],
)
def test_absolute_url_resolves_page_links_through_the_one_allow_list(href: str | None, expected: str) -> None:
    assert absolute_url(href, PAGE) == expected


GBK_PAGE = '<html><head><meta charset="gbk"><title>新闻</title></head><body>朱镕基</body></html>'


def test_meta_charset_wins_when_the_header_has_none() -> None:
    text, encoding = decode_html(GBK_PAGE.encode("gbk"), "text/html")
    assert "朱镕基" in text and encoding == "gb18030"


def test_wrong_header_charset_is_not_believed() -> None:
    text, _ = decode_html(GBK_PAGE.encode("gbk"), "text/html; charset=utf-8")
    assert "朱镕基" in text


def test_gb2312_label_is_read_as_its_superset() -> None:
    page = GBK_PAGE.replace("gbk", "gb2312").encode("gbk")  # 镕 is not in gb2312
    text, _ = decode_html(page, None)
    assert "朱镕基" in text


def test_utf8_without_any_declaration_and_bom() -> None:
    assert decode_html("<p>央视网消息</p>".encode(), None)[0] == "<p>央视网消息</p>"
    assert decode_html(b"\xef\xbb\xbf<p>x</p>", "text/html; charset=gbk")[0] == "<p>x</p>"


def test_undecodable_bytes_never_raise() -> None:
    text, _ = decode_html(b"\xff\xfe\xfa\x80 garbage \x00", "text/html; charset=nonsense")
    assert isinstance(text, str)
    assert normalize_encoding("nonsense") is None


def test_iso_8859_1_header_is_believed_last() -> None:
    page = GBK_PAGE.encode("gbk")
    assert "朱镕基" in decode_html(page, "text/html; charset=ISO-8859-1")[0]
    assert decode_html("<p>café</p>".encode("latin-1"), "text/html; charset=ISO-8859-1")[0] == "<p>café</p>"
