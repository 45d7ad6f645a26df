"""Feeds as data: formats, full text or teaser, media images, and what is not a feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.sites.base import PageError
from aggregator.sites.feed import needs_page, parse_feed
from aggregator.sites.generic import parse_article

FEEDS = Path(__file__).parent / "fixtures" / "feed"


def test_rsshub_rss2_full_content() -> None:
    feed = parse_feed(
        (FEEDS / "rsshub_zaker_source.xml").read_bytes(), "http://127.0.0.1/feed", "application/xml"
    )
    assert feed.title == "ZAKER 新闻 - 联播+"
    assert [e.url for e in feed.entries] == [
        "https://www.myzaker.com/article/60dd9ae732ce40247300004c",
        "https://www.myzaker.com/article/60f51d848e9f096f1d005c4a",
        "https://www.myzaker.com/article/611efbd68e9f0968f5002f3e",
    ]
    first = feed.entries[0]
    assert first.title == '"五章" 颁齐！看到袁隆平的名字有了黑框 网友泪崩'
    assert first.published is not None and first.published.isoformat() == "2021-07-01T03:08:16+00:00"
    assert "data-original=" in first.best_html  # lazy markup survives for our own sanitiser
    assert not any(needs_page(e, "auto", 200) for e in feed.entries)


def test_atom_content_authors_categories_and_updates() -> None:
    feed = parse_feed((FEEDS / "atom.xml").read_bytes(), "http://127.0.0.1/atom.xml", "application/atom+xml")
    first, second = feed.entries
    assert first.url == "https://weekly.example.org/posts/100.html"  # utm_* stripped
    assert first.author == "李雷" and first.tags == ["Python", "发布"]
    assert first.published.isoformat() == "2024-03-01T00:30:00+00:00" and first.updated is None
    assert second.updated is not None and second.updated > second.published
    assert "https://weekly.example.org/images/100/repl.png" in first.content_html  # xml:base applied
    assert feed.warning == ""


def test_rss1_rdf_and_media_images() -> None:
    rdf = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel rdf:about="https://r.example/"><title>RDF</title><link>https://r.example/</link></channel>
<item rdf:about="https://r.example/1"><title>One</title><link>https://r.example/1</link>
<description>teaser</description><dc:creator>Ann</dc:creator><dc:date>2024-01-02T03:04:05Z</dc:date>
<media:content url="https://r.example/big.jpg" medium="image"/><media:thumbnail url="https://r.example/t.jpg"/></item>
</rdf:RDF>"""
    entry = parse_feed(rdf, "https://r.example/rss").entries[0]
    assert entry.author == "Ann" and entry.published.isoformat() == "2024-01-02T03:04:05+00:00"
    assert (
        entry.media_images == ["https://r.example/big.jpg"] and entry.thumbnail == "https://r.example/t.jpg"
    )
    assert needs_page(entry, "auto", 200) and not needs_page(entry, "never", 200)


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>not a feed</body></html>", b"\x00\xff garbage", b'{"json": 1}']
)
def test_not_a_feed_is_an_error(body: bytes) -> None:
    with pytest.raises(PageError) as error:
        parse_feed(body, "http://127.0.0.1/feed")
    assert error.value.reason == "not_a_feed"


def test_teasers_are_recognised() -> None:
    feed = parse_feed((FEEDS / "summary_only.xml").read_bytes(), "http://127.0.0.1/feed")
    assert all(needs_page(e, "auto", 200) for e in feed.entries)
    long_teaser = feed.entries[0]
    long_teaser.summary_html = "<p>" + "字" * 500 + "……阅读全文</p>"
    assert needs_page(long_teaser, "auto", 200)
    long_teaser.summary_html = "<p>" + "字" * 500 + "。</p>"
    assert not needs_page(long_teaser, "auto", 200)
    assert needs_page(long_teaser, "always", 200)


def test_generic_page_extraction_leaves_chrome_out() -> None:
    html = (FEEDS / "page_c919.html").read_text(encoding="utf-8")
    page = parse_article(html, "https://news.example.com/tech/2024/0301/c919.html")
    assert page.title == "国产大飞机C919完成第1000次商业飞行"
    assert page.published is not None and page.published.isoformat() == "2024-03-01T10:00:00+08:00"
    assert "累计运送旅客超过十万人次" in page.body_html and "规模化运营" in page.body_html
    for chrome in ("相关阅读", "版权所有", "分享到", "C919获颁型号合格证", "首页"):
        assert chrome not in page.body_html, chrome
    assert "c919-1.jpg" in page.body_html and "grey.gif" not in page.body_html
