"""What a page means, independent of how it was fetched.

Site parsers (``aggregator.sites.<site>``) are pure functions over a page's text or bytes: they take the
page and its *canonical* URL (the real site URL, never the test server's) and return these small records.
They do no I/O and know nothing about Scrapy, so a fixture folder of saved pages is all a test needs.

Parsers leave sanitising to the Clean pipeline: ``body_html`` is the article body with the site's chrome
cut away and site-specific quirks undone (wrapped links, odd image attributes), but it may still contain
lazy images, relative URLs or scripts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any


@dataclass(slots=True)
class ListEntry:
    """One article link found on a list page (channel, source, category, feed-like JSON)."""

    url: str
    """Canonical absolute article URL on the real site (``https://www.myzaker.com/article/<id>``)."""
    title: str | None = None
    summary: str | None = None
    author: str | None = None
    published: datetime | None = None
    """Timezone-aware when known."""
    cover: str | None = None
    """Absolute URL of the list's thumbnail for this entry."""
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    """Site-specific facts the spider may need (e.g. CCTV's item id and type)."""


@dataclass(slots=True)
class ListPage:
    """A parsed list page: its entries in page order, and where the next page is."""

    entries: list[ListEntry]
    next_url: str | None = None
    """Canonical absolute URL of the next list page, if the page links one."""
    title: str | None = None
    """Human name of the list (channel or source name) when the page gives it."""


@dataclass(slots=True)
class ArticlePage:
    """A parsed article page."""

    title: str | None
    body_html: str | None
    """The article body only, site chrome removed; not yet sanitised."""
    author: str | None = None
    """Who the site credits: the source/媒体号/来源, not the crawler."""
    published: datetime | None = None
    """Timezone-aware when known."""
    updated: datetime | None = None
    tags: list[str] = field(default_factory=list)
    cover: str | None = None
    """An image the page declares as its lead (og:image, poster), absolute."""
    summary: str | None = None


class PageError(Exception):
    """A page that cannot be turned into data.

    ``reason`` is a short, stable key used in stats (``aggregator/dropped/<reason>``) and log lines, so an
    operator can count what went wrong without reading every message.
    """

    reason = "parse_error"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class BlockedPage(PageError):
    """The site answered with an anti-bot challenge instead of the page (e.g. ZAKER's SafeLine WAF)."""

    reason = "blocked"


class UnknownLayout(PageError):
    """None of the known markups of the site is present: the site changed, or this is not that page."""

    reason = "unknown_layout"


class DeletedArticle(PageError):
    """The site says the article was removed (ZAKER: empty body, "原文已被删除")."""

    reason = "deleted"


class EmptyArticle(PageError):
    """The page is an article page but has no text and no image to publish."""

    reason = "no_body"


PageParser = Callable[[str, str, tzinfo | None], ArticlePage]
"""Reads one article page: ``(decoded html, canonical url, timezone for dates the page leaves bare)``."""
