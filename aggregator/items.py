"""The one item every spider yields and every pipeline reads (through ``itemadapter``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(kw_only=True)
class Article:
    """An article on its way from a page to a Hexo post.

    Spiders fill what the page or feed says; pipelines fill the rest (``body_text``, ``image_urls``,
    ``cover``) and the exporter turns it into a file. ``image_urls``/``images`` keep Scrapy's own names so
    that Scrapy's ``ImagesPipeline`` can be switched on without adapters.
    """

    url: str
    """Canonical URL on the real site: tracking parameters stripped, never the test server's address."""
    guid: str = ""
    key: str = ""
    """What the export state remembers the article by, when its URL cannot say which article it is: a feed
    entry is its guid within its feed (:func:`aggregator.state.store.feed_entry_key`), since different
    entries may share a link and different feeds may reuse guids. Empty: the canonical URL."""
    """The feed's or site's stable id for the article; falls back to ``url``."""
    site: str = ""
    """Who publishes it, as readers know it: ``ZAKER``, ``CCTV`` or the feed's title."""
    feed: str = ""
    """Which list it came from: a channel/source/category name, or the feed URL."""
    title: str = ""
    author: str = ""
    published: datetime | None = None
    """Timezone-aware."""
    updated: datetime | None = None
    """Timezone-aware; set when the site says so, or when a re-crawl finds the article changed."""
    categories: list[str] = field(default_factory=list)
    """Hexo category hierarchy, e.g. ``["新媒体", "ZAKER", "source"]``."""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    body_html: str = ""
    """Clean article HTML (after the Clean pipeline)."""
    body_text: str = ""
    """Plain text of ``body_html``, paragraphs separated by blank lines."""
    image_urls: list[str] = field(default_factory=list)
    """Every image of the body, absolute, in document order, each once."""
    images: list[dict[str, Any]] = field(default_factory=list)
    """Filled by Scrapy's ImagesPipeline when image downloading is on."""
    cover: str = ""
    """The lead image: declared by the page/feed/list, else the first body image."""
    attachments: list[str] = field(default_factory=list)
    """Images that belong to the article but not to its body markup (a feed's enclosures and
    ``media:content``): the Clean pipeline adds those the body lacks, after it."""
    media: list[dict[str, str]] = field(default_factory=list)
    """Audio and video that belong to the article but not to its body markup (a feed's enclosures), each
    ``{"url": …, "kind": "audio" | "video"}``: the Clean pipeline links those the body does not, so the
    reader's browser plays them when asked (never automatically)."""
    link_post: bool = False
    """The article may be nothing but a title and a link (a feed entry without content): when its clean body
    shows nothing, the Clean pipeline writes a short "原文" line to ``source_link`` (or, with no link, the
    title), instead of an empty post that validation would drop."""
    source_link: str = ""
    """The article's page as its list or feed links it (FeedBurner's ``origLink``, parameters kept)."""
    post_path: str = ""
    """The post's file, relative to ``OUTPUT_DIR``: set by the state pipeline for an article exported before
    (so a changed title does not move its post), and by the exporter once the post is written."""
