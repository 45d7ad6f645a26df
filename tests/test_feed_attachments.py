"""A feed entry's images, audio, video and "原文" line: data in the spider, HTML in the Clean pipeline.

The feed spider yields what the feed says (issue 12: spiders build no HTML); ``CleanPipeline`` shows the
attached images the body lacks, links the audio and video it does not link, and gives a post that would
show nothing a "原文" line (or its title). Entries come from real feeds of ``tests/fixtures/feeds_real``.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import lxml.html

from aggregator.items import Article
from aggregator.sites.feed import FeedEntry, parse_feed
from pipelines.clean import CleanPipeline, link_post_line, with_attachments, with_media
from spiders.feed import FeedSpider
from tests.crawling import FIXTURES
from tests.feed_corpus import feed_bytes, load_manifest

REAL = {feed.name: feed for feed in load_manifest(FIXTURES / "feeds_real" / "meta.json")}
FEED_URL = "http://127.0.0.1:8123/feeds/feed.xml"
CONTEXT = {"feed_url": FEED_URL, "site": "Site", "author": "Site", "categories": ["新媒体", "Site"]}


def entries(name: str) -> list[FeedEntry]:
    (feed,) = [feed for path, feed in REAL.items() if path.removesuffix(".gz").endswith(name)]
    return parse_feed(feed_bytes(feed), FEED_URL, feed.content_type, ZoneInfo("Asia/Shanghai")).entries


def item(entry: FeedEntry) -> Article:
    return FeedSpider(url=FEED_URL).article(entry, CONTEXT, page=None)


def cleaned(article: Article) -> Article:
    return CleanPipeline().process_item(article)


def test_the_spider_yields_the_feeds_data_not_html() -> None:
    # Morning Coffee Notes: audio enclosures; Daily Mail: images in media:content.
    for entry in entries("rss20_withPodcasts.xml")[:20] + entries("mediacontent-dupes.xml"):
        article = item(entry)
        assert article.body_html == entry.best_html
        assert article.attachments == entry.media_images
        assert article.media == [{"url": m.url, "kind": m.kind} for m in entry.media]
        assert article.link_post and article.source_link == entry.link
        assert article.key.endswith(entry.guid) and article.guid == entry.guid


def test_attached_images_the_body_lacks_follow_it_once() -> None:
    (entry,) = entries("mediacontent-dupes.xml")  # Daily Mail: its media:content images, one repeated
    assert entry.media_images
    body = cleaned(item(entry)).body_html
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    sources = [img.get("src") for img in root.iter("img")]
    for src in entry.media_images:
        assert sources.count(src) == 1, (src, sources)


def test_audio_is_linked_once_and_never_played_automatically() -> None:
    episodes = [entry for entry in entries("rss20_withPodcasts.xml") if entry.media]
    linked = [entry for entry in episodes if entry.media[0].url in entry.best_html]
    unlinked = [entry for entry in episodes if entry.media[0].url not in entry.best_html]
    assert linked and unlinked
    for entry in episodes:
        body = cleaned(item(entry)).body_html
        root = lxml.html.fragment_fromstring(body, create_parent="div")
        hrefs = [a.get("href") for a in root.iter("a")]
        assert entry.media[0].url in hrefs
        assert ("音频：" in body) == (entry in unlinked), body[-300:]
        assert "<audio" not in body and "autoplay" not in body


def test_a_post_that_shows_nothing_gets_a_link_or_its_title() -> None:
    article = Article(url="https://lwn.net/Articles/1/", title="A & B", link_post=True)
    article.source_link = "https://lwn.net/Articles/1/?utm_source=rss"
    assert 'href="https://lwn.net/Articles/1/?utm_source=rss"' in cleaned(article).body_html
    assert ">原文</a></p>" in article.body_html
    untitled = cleaned(Article(url="https://x.example/", title="Status: up", link_post=True))
    assert untitled.body_html == "<p>Status: up</p>"
    # A tracking pixel is nothing to see: the line is added after it.
    pixel = Article(
        url="https://x.example/a",
        title="t",
        body_html='<p><img src="https://feeds.feedburner.com/~r/x/~4/abc" height="1" width="1"></p>',
        link_post=True,
        source_link="https://x.example/a",
    )
    assert cleaned(pixel).body_html.endswith(">原文</a></p>")
    # Only a link post: a site article with nothing in it stays empty, for validation to drop it.
    assert cleaned(Article(url="https://x.example/b", title="t")).body_html == ""
    # A body with something to see gets no line.
    full = cleaned(Article(url="https://x.example/c", title="t", body_html="<p>Text.</p>", link_post=True))
    assert full.body_html == "<p>Text.</p>"


def test_the_html_helpers_escape_what_they_are_given() -> None:
    hostile = 'https://x.example/a.mp3?"><script>alert(1)</script>'
    body = with_media("", [{"url": hostile, "kind": "audio"}])
    (paragraph,) = lxml.html.fragment_fromstring(body, create_parent="div")
    assert paragraph.find("a").get("href") == hostile and not list(paragraph.iter("script"))
    assert with_media(f'<a href="{hostile}">x</a>', [{"url": hostile, "kind": "audio"}]).count("音频") == 0
    images = with_attachments("<p>t</p>", ['https://x.example/"a.jpg', 'https://x.example/"a.jpg'])
    assert len(lxml.html.fragment_fromstring(images, create_parent="div").findall(".//img")) == 1
    (line,) = lxml.html.fragment_fromstring(link_post_line("", "<b>x</b>"), create_parent="div")
    assert line.text == "<b>x</b>" and not list(line)
