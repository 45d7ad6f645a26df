"""RSS 0.9x/1.0/2.0 and Atom feeds as data (feedparser does the format work).

A feed entry may carry the whole article (``content:encoded``, Atom ``<content>``, a long ``description``)
or only a teaser. :func:`needs_page` decides when the article's own page must be fetched.
"""

from __future__ import annotations

import calendar
import html
import re
import time
import xml.sax
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aggregator.extraction.text import html_to_text
from aggregator.sites.base import PageError
from aggregator.web.encoding import repair_surrogate_references
from aggregator.web.urls import canonical_url

_TRUNCATION = re.compile(
    r"(\.\.\.|…|\[\s*(\.\.\.|…)\s*\]|阅读全文|查看全文|阅读更多|更多内容|read more|continue reading)\W*$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class FeedEntry:
    """One feed entry, normalised."""

    url: str
    """Canonical URL of the article (tracking parameters stripped)."""
    link: str
    """The link as the feed gives it: what to fetch when the page is needed."""
    guid: str
    title: str
    author: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    tags: list[str] = field(default_factory=list)
    summary_html: str = ""
    content_html: str = ""
    """Full content (``content:encoded`` / Atom content); empty for summary-only entries."""
    media_images: list[str] = field(default_factory=list)
    """Images attached as enclosures or ``media:content``, in feed order."""
    thumbnail: str = ""
    """``media:thumbnail`` or the first media image: a cover, not body content."""

    @property
    def best_html(self) -> str:
        """The richest body the feed itself offers."""
        return self.content_html or self.summary_html


@dataclass(slots=True)
class Feed:
    title: str
    link: str
    entries: list[FeedEntry]
    warning: str = ""
    """Set when the feed had markup errors but could still be read."""


def _when(parsed: time.struct_time | None) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError):
        return None


def _entry(raw: Any) -> FeedEntry | None:
    link = (raw.get("link") or "").strip()
    guid = (raw.get("id") or "").strip()
    if not link and guid.startswith(("http://", "https://")):
        link = guid
    if not link:
        return None
    contents = [c for c in raw.get("content") or [] if c.get("value")]
    html_contents = [c for c in contents if "html" in (c.get("type") or "")] or contents
    media_images: list[str] = []
    for enclosure in raw.get("enclosures") or []:
        if (enclosure.get("type") or "").startswith("image/") and enclosure.get("href"):
            media_images.append(enclosure["href"])
    for media in raw.get("media_content") or []:
        medium = media.get("medium") or ""
        if media.get("url") and (medium == "image" or (media.get("type") or "").startswith("image/")):
            media_images.append(media["url"])
    thumbnails = [t["url"] for t in raw.get("media_thumbnail") or [] if t.get("url")]
    # dict.get bypasses feedparser's deprecated mapping of a missing updated_parsed to published_parsed.
    updated = _when(dict.get(raw, "updated_parsed"))
    published = _when(dict.get(raw, "published_parsed")) or updated
    return FeedEntry(
        url=canonical_url(link),
        link=link,
        guid=guid or canonical_url(link),
        title=raw.get("title") or "",
        author=raw.get("author") or "",
        published=published,
        updated=updated if updated and published and updated > published else None,
        tags=[t["term"] for t in raw.get("tags") or [] if t.get("term")],
        summary_html=raw.get("summary") or "",
        content_html="".join(c["value"] for c in html_contents),
        media_images=list(dict.fromkeys(media_images)),
        thumbnail=(thumbnails or media_images or [""])[0],
    )


def _harmless_problems(feedparser: Any) -> tuple[type[Exception], ...]:
    """What feedparser flags although the feed was read correctly: not worth an operator's attention."""
    return (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']+""")


def _reparse_in_real_charset(body: bytes, headers: dict[str, str], parsed: Any) -> tuple[Any, str]:
    """A feed whose declared charset does not decode it: feedparser then guesses (badly, for Chinese).

    Chinese feeds that lie are nearly always GB18030/GBK labelled UTF-8, and bytes that decode strictly as
    GB18030 but not as UTF-8 are a strong sign of it; transcode to UTF-8 and parse again. Anything else
    keeps feedparser's guess, and the caller warns.
    """
    try:
        body.decode("utf-8")
        return parsed, ""
    except UnicodeDecodeError:
        pass
    try:
        text = body.decode("gb18030")
    except UnicodeDecodeError:
        return parsed, ""
    import feedparser

    data = _XML_ENCODING.sub(rb"\1utf-8", text.encode("utf-8"), count=1)
    headers = {**headers, "content-type": "application/xml; charset=utf-8"}
    return feedparser.parse(data, response_headers=headers, sanitize_html=False), "GB18030"


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """Parse feed bytes; raise :class:`PageError` (``not_a_feed``) when nothing feed-like is in them."""
    import feedparser  # here, not at the top: every crawl loads this module, few of them read feeds

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    body = repair_surrogate_references(body)
    try:
        # Our own sanitiser runs later and understands lazy images; feedparser's would strip data-src first.
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    except Exception as error:  # feedparser's own bug on odd input: one clear error, not a traceback
        raise PageError(
            f"the feed parser failed ({type(error).__name__}: {error})", reason="not_a_feed"
        ) from error
    redecoded = ""
    if isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        parsed, redecoded = _reparse_in_real_charset(body, headers, parsed)
    version = parsed.get("version") or ""
    if not parsed.entries and (parsed.bozo or not version):
        problem = parsed.get("bozo_exception") or "no RSS or Atom markup"
        raise PageError(f"not an RSS/Atom feed: {problem}", reason="not_a_feed")
    entries = [entry for entry in (_entry(raw) for raw in parsed.entries) if entry is not None]
    if isinstance(parsed.get("bozo_exception"), xml.sax.SAXException):
        # feedparser's loose parser (used once the XML is broken) leaves authors and tags HTML-escaped:
        # "R&amp;D" would become Hexo's tag "R-amp-D". Unescape them once, as the strict parser does.
        for entry in entries:
            entry.author = html.unescape(entry.author)
            entry.tags = [html.unescape(tag) for tag in entry.tags]
    problem = parsed.get("bozo_exception")
    warning = ""
    if redecoded:
        warning = f"the feed's declared charset is wrong; read it as {redecoded}"
    elif isinstance(problem, feedparser.CharacterEncodingOverride):
        warning = (
            f"the feed's declared charset is wrong and its real one is unknown ({problem}); check its titles"
        )
    elif parsed.bozo and not isinstance(problem, _harmless_problems(feedparser)):
        warning = f"feed has markup errors ({problem}); read what could be read"
    return Feed(
        title=(parsed.feed.get("title") or "").strip(),
        link=parsed.feed.get("link") or url,
        entries=entries,
        warning=warning,
    )


def needs_page(entry: FeedEntry, mode: str, min_chars: int) -> bool:
    """Whether the entry's page must be fetched to get the whole article.

    ``mode`` is ``FEED_FETCH_PAGES``: ``always``, ``never``, or ``auto`` — fetch when the feed has no full
    content, or its text is shorter than ``min_chars``, or it ends like a teaser ("…", "阅读全文",
    "Read more").
    """
    if mode == "always":
        return True
    if mode == "never":
        return False
    text = html_to_text(entry.best_html)
    return len(text) < min_chars or bool(_TRUNCATION.search(text))
