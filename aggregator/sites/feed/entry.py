"""One feed entry as a reader sees it: which article it is, its title as text, its link, its media.

Choices follow what feed readers do:

* identity is the entry's guid, scoped to its feed by the caller; the link only when there is no guid.
  Entries of one podcast that all link the show's home page, or a blog's ``…/26.html#a080605`` anchors,
  are different articles; the link keeps its ``#fragment``;
* FeedBurner's ``feedburner:origLink`` is the article's real link, not the redirect through FeedBurner;
* relative URLs in an entry are resolved against its ``xml:base`` (feedparser does that), else the entry's
  own link (the Clean pipeline does that), never the feed's URL: behind a mirror, FeedBurner or RSSHub the
  feed's host is not the article's;
* titles are text: an HTML title (Atom ``type="html"``, or any RSS title, which readers render as HTML) is
  converted, its entities decoded once; an untitled entry takes its first words;
* images: enclosures and ``media:content`` that are images, including a ``media:content`` that states
  neither ``medium`` nor ``type`` but whose URL names an image; audio and video enclosures are kept apart,
  to be played in the post.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit

from aggregator.extraction.text import html_to_text
from aggregator.web.urls import canonical_url

from .dates import entry_dates

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".bmp", ".svg")
_NOT_IMAGE_EXTENSIONS = re.compile(
    r"\.(mp3|m4a|aac|ogg|oga|opus|wav|flac|mp4|m4v|mov|webm|mkv|avi|flv|pdf|zip|txt|html?)$", re.IGNORECASE
)
_UNTITLED_WORDS = 40
"""Characters of an untitled entry's text that make its title (a microblog post's first words)."""


@dataclass(slots=True)
class Media:
    """An audio or video enclosure: played in the post with ``controls``, never automatically."""

    url: str
    kind: str
    """``audio`` or ``video``."""
    type: str = ""


@dataclass(slots=True)
class FeedEntry:
    """One feed entry, normalised."""

    url: str
    """Canonical URL of the article (tracking parameters stripped, ``#fragment`` kept)."""
    link: str
    """The link as the feed gives it (``origLink`` for FeedBurner): what to fetch when the page is needed."""
    guid: str
    """The entry's own id; its link when it has none. Unique within its feed, not across feeds."""
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
    media: list[Media] = field(default_factory=list)
    """Audio and video enclosures, in feed order."""
    thumbnail: str = ""
    """``media:thumbnail`` or the first media image: a cover, not body content."""
    titled: bool = True
    """False when the feed gave no title and the title was made from the entry's first words."""
    unreadable_date: str = ""
    """A date string of the entry that could not be read (the post then gets the crawl's time)."""

    @property
    def best_html(self) -> str:
        """The richest body the feed itself offers."""
        return self.content_html or self.summary_html


_HTML_TYPES = ("text/html", "application/xhtml+xml")


def title_text(detail: dict[str, Any] | None, value: str, html_by_default: bool) -> str:
    """A title as one line of text: an HTML title loses its markup and has its entities decoded once
    (``That&#8217;s`` becomes ``That’s``).

    A title is HTML when its type says so, when its format leaves the type unsaid and readers render it as
    HTML (``html_by_default``: RSS, and Atom 0.3, whose ``mode="base64"`` titles carry HTML under the
    default type ``text/plain``), and when its type is neither text nor HTML: Atom 1.0 base64-encodes any
    other type (``application/octet-stream``), which a publisher does to carry markup.
    """
    kind = (detail or {}).get("type", "")
    as_html = html_by_default or kind in _HTML_TYPES or bool(kind and not kind.startswith("text/"))
    if as_html and ("<" in value or "&" in value):
        text = html.unescape(html_to_text(value.replace("\n", " ")) if "<" in value else value)
        # Markup with no text at all (``</div><script>…``) was meant to be read, not rendered.
        value = text if text.strip() else value
    return " ".join(value.split())


def first_words(fragment: str, limit: int = _UNTITLED_WORDS) -> str:
    """An untitled entry's title: the start of its text, cut at a word or a sentence end."""
    text = " ".join(html_to_text(fragment).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for stop in ("。", "！", "？", ". ", "! ", "? "):
        if stop in cut[limit // 3 :]:
            return cut[: cut.rindex(stop) + len(stop.strip())]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(",;:，、；： ") + "…"


def _is_image(url: str, medium: str, mime: str) -> bool:
    if medium or mime:
        return medium == "image" or mime.startswith("image/")
    path = urlsplit(url).path.lower()
    return path.endswith(IMAGE_EXTENSIONS) or not _NOT_IMAGE_EXTENSIONS.search(path)


def _media(raw: Any, base: str) -> tuple[list[str], list[Media]]:
    images: list[str] = []
    media: list[Media] = []
    for enclosure in raw.get("enclosures") or []:
        href = (enclosure.get("href") or enclosure.get("url") or "").strip()
        mime = (enclosure.get("type") or "").lower()
        if not href:
            continue
        href = urljoin(base, href)
        if mime.startswith("image/"):
            images.append(href)
        elif mime.startswith(("audio/", "video/")):
            media.append(Media(href, mime.split("/")[0], mime))
        elif not mime and urlsplit(href).path.lower().endswith(IMAGE_EXTENSIONS):
            images.append(href)
    for item in raw.get("media_content") or []:
        url = (item.get("url") or "").strip()
        medium = (item.get("medium") or "").lower()
        mime = (item.get("type") or "").lower()
        if not url:
            continue
        url = urljoin(base, url)
        if _is_image(url, medium, mime):
            images.append(url)
        elif medium in ("audio", "video") or mime.startswith(("audio/", "video/")):
            kind = medium if medium in ("audio", "video") else mime.split("/")[0]
            if url not in {m.url for m in media}:
                media.append(Media(url, kind, mime))
    return list(dict.fromkeys(images)), media


def _link(raw: Any, feed_url: str) -> str:
    """The article's link: FeedBurner's original, else the entry's, else a guid that is a URL."""
    link = (raw.get("feedburner_origlink") or raw.get("link") or "").strip()
    guid = (raw.get("id") or "").strip()
    if not link and guid.startswith(("http://", "https://")):
        link = guid
    return urljoin(feed_url, link) if link else ""


def article_url(link: str) -> str:
    """The post's URL: canonical, with the link's ``#fragment`` kept (it may be what tells entries apart)."""
    fragment = urlsplit(link).fragment
    url = canonical_url(link)
    return f"{url}#{fragment}" if fragment else url


def author_name(raw: Any) -> str:
    """The author of an entry or a feed, by name (see :func:`_author`)."""
    return _author(raw)


def build_entry(
    raw: Any, *, feed_url: str, site_link: str, html_titles: bool, zone: tzinfo, language: str
) -> FeedEntry | None:
    """A :class:`FeedEntry` from a feedparser entry; ``None`` when it has neither a title nor a link
    (nothing a reader could show: the caller logs and counts it). ``html_titles``: see :func:`title_text`."""
    link = _link(raw, feed_url)
    guid = (raw.get("id") or "").strip()
    title = title_text(raw.get("title_detail"), raw.get("title") or "", html_titles)
    contents = [c for c in raw.get("content") or [] if c.get("value")]
    html_contents = [c for c in contents if "html" in (c.get("type") or "")] or contents
    content_html = "".join(c["value"] for c in html_contents)
    summary_html = raw.get("summary") or ""
    if not title and not link:
        return None
    titled = bool(title)
    if not title:
        title = first_words(content_html or summary_html)
    if not title:
        title = first_words(raw.get("subtitle") or "") or "—"
    url = article_url(link or site_link or feed_url)
    media_images, media = _media(raw, link or feed_url)
    thumbnails = [
        urljoin(link or feed_url, t["url"]) for t in raw.get("media_thumbnail") or [] if t.get("url")
    ]
    published, updated, unreadable = entry_dates(raw, zone, language)
    published = published or updated
    return FeedEntry(
        url=url,
        link=link,
        guid=guid or (url if link else _content_id(title, summary_html or content_html)),
        title=title,
        author=_author(raw),
        published=published,
        updated=updated if updated and published and updated > published else None,
        tags=[t["term"] for t in raw.get("tags") or [] if t.get("term")],
        summary_html=summary_html,
        content_html=content_html,
        media_images=media_images,
        media=media,
        thumbnail=(thumbnails or media_images or [""])[0],
        titled=titled,
        unreadable_date=unreadable,
    )


def _author(raw: Any) -> str:
    """Who wrote it, by name: ``author_detail`` gives the name alone where ``author`` adds the e-mail."""
    author = ((raw.get("author_detail") or {}).get("name") or raw.get("author") or "").strip()
    if not author:
        names = [(a.get("name") or "").strip() for a in raw.get("authors") or []]
        author = ", ".join(n for n in names if n)
    return author


def _content_id(title: str, body: str) -> str:
    """An id for an entry with neither guid nor link: what it says, hashed."""
    import hashlib

    return "sha1:" + hashlib.sha1(f"{title}\n{body}".encode()).hexdigest()
