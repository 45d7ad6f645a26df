"""Clean: make the article safe and self-contained before anything reads it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import lxml.html
from itemadapter import ItemAdapter
from lxml.html import builder
from scrapy.crawler import Crawler

from aggregator.export.sanitize import clean_body_html, clean_title
from aggregator.extraction.text import html_to_text, text_and_images
from aggregator.web.safety import safe_url
from aggregator.web.urls import secure_urls

LABEL_MAX_BYTES = 120
"""Longest tag or category label, in UTF-8 bytes. Hexo writes every tag and category to a folder named by
its slug (``public/tags/<slug>/index.html``): past the file system's 255 bytes per name (86 CJK characters)
``hexo generate`` fails with ENAMETOOLONG and *no* page of the blog is built. 120 bytes (40 CJK
characters) leaves room for the escapes Hexo's slug may add."""


def _bounded(label: str) -> str:
    if len(label.encode("utf-8")) <= LABEL_MAX_BYTES:
        return label
    return label.encode("utf-8")[: LABEL_MAX_BYTES - 3].decode("utf-8", errors="ignore").rstrip() + "…"


def _clean_labels(values: Any) -> list[str]:
    """Category/tag labels: one line each, at most :data:`LABEL_MAX_BYTES`, no empties or repeats."""
    seen: dict[str, None] = {}
    for value in values or []:
        label = _bounded(clean_title(str(value)))
        if label:
            seen.setdefault(label, None)
    return list(seen)


def _html(element: Any) -> str:
    return lxml.html.tostring(element, encoding="unicode")


def with_attachments(body_html: str, attachments: Iterable[str]) -> str:
    """The body followed by each attached image it does not already show, one paragraph each."""
    missing = [src for src in dict.fromkeys(attachments) if src and src not in body_html]
    return body_html + "".join(_html(builder.P(builder.IMG(src=src))) for src in missing)


MEDIA_LABELS = {"audio": "音频", "video": "视频"}
"""How a post introduces an attached audio or video file."""


def with_media(body_html: str, media: Iterable[dict[str, str]]) -> str:
    """The body followed by a link to each attached audio or video file it does not already link.

    A link, not an ``<audio>``/``<video>`` element: the sanitiser removes players (they can autoplay and
    load other sites' scripts), and a link plays in the reader's browser when, and only when, asked.
    """
    for item in media:
        url = item.get("url") or ""
        if not url or url in body_html:
            continue
        name = url.rsplit("/", 1)[-1].split("?")[0] or url
        label = MEDIA_LABELS.get(item.get("kind", ""), MEDIA_LABELS["video"])
        body_html += _html(builder.P(f"{label}：", builder.A(name, href=url)))
    return body_html


def shows_anything(clean_html: str) -> bool:
    """Whether a reader sees any text or image in a clean body (a tracking pixel or an empty ``<p>`` the
    sanitiser removed are nothing to see)."""
    text, images = text_and_images(clean_html)
    return bool(text or images)


def link_post_line(source_link: str, title: str) -> str:
    """What a post with nothing else shows: a short "原文" line to the article, or with no link its title
    (a status line is all in its title)."""
    if source_link:
        return _html(builder.P(builder.A("原文", href=source_link)))
    return _html(builder.P(title))


class CleanPipeline:
    """Sanitise the body (lazy images, absolute URLs, no scripts; attached images, audio and video shown; a
    link post's "原文" line) and normalise the text fields.

    Runs first so that every later step, and the post, only ever sees clean data. Whatever built the item
    (a spider, ``aggregator extract``), this is where content changes.
    """

    def __init__(self, https_hosts: Iterable[str] = ()) -> None:
        self.https_hosts = tuple(https_hosts)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler.settings.getlist("IMAGES_HTTPS_HOSTS"))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        body_html = with_attachments(adapter.get("body_html") or "", adapter.get("attachments") or [])
        body_html = with_media(body_html, adapter.get("media") or [])
        clean_html = clean_body_html(body_html, url)
        if adapter.get("link_post") and not shows_anything(clean_html):
            body_html += link_post_line(adapter.get("source_link") or "", adapter.get("title") or "")
            clean_html = clean_body_html(body_html, url)
        adapter["body_html"] = secure_urls(clean_html, self.https_hosts)
        adapter["title"] = clean_title(adapter.get("title"))
        adapter["author"] = clean_title(adapter.get("author"))
        adapter["categories"] = _clean_labels(adapter.get("categories"))
        adapter["tags"] = _clean_labels(adapter.get("tags"))
        summary = adapter.get("summary") or ""
        if "<" in summary:
            summary = html_to_text(clean_body_html(summary, url))
        adapter["summary"] = clean_title(summary)
        # An allow-list (http/https), not a deny-list: "JavaScript:", "vbscript:" and "file:" are refused too.
        adapter["cover"] = secure_urls(safe_url(adapter.get("cover"), url), self.https_hosts)
        return item
