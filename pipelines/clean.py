"""Clean: make the article safe and self-contained before anything reads it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import lxml.html
from itemadapter import ItemAdapter
from lxml.html import builder
from scrapy.crawler import Crawler

from aggregator.export.sanitize import clean_body_html, clean_title
from aggregator.extraction.text import html_to_text
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


def with_attachments(body_html: str, attachments: Iterable[str]) -> str:
    """The body followed by each attached image it does not already show, one paragraph each."""
    missing = [src for src in dict.fromkeys(attachments) if src and src not in body_html]
    figures = (lxml.html.tostring(builder.P(builder.IMG(src=src)), encoding="unicode") for src in missing)
    return body_html + "".join(figures)


class CleanPipeline:
    """Sanitise the body (lazy images, absolute URLs, no scripts, attached images shown) and normalise the
    text fields.

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
        adapter["body_html"] = secure_urls(clean_body_html(body_html, url), self.https_hosts)
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
