"""Clean: make the article safe and self-contained before anything reads it."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from aggregator.export.sanitize import clean_body_html, clean_title
from aggregator.extraction.text import html_to_text
from aggregator.web.safety import safe_url

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


class CleanPipeline:
    """Sanitise the body (lazy images, absolute URLs, no scripts) and normalise the text fields.

    Runs first so that every later step, and the post, only ever sees clean data.
    """

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        adapter["body_html"] = clean_body_html(adapter.get("body_html"), url)
        adapter["title"] = clean_title(adapter.get("title"))
        adapter["author"] = clean_title(adapter.get("author"))
        adapter["categories"] = _clean_labels(adapter.get("categories"))
        adapter["tags"] = _clean_labels(adapter.get("tags"))
        summary = adapter.get("summary") or ""
        if "<" in summary:
            summary = html_to_text(clean_body_html(summary, url))
        adapter["summary"] = clean_title(summary)
        # An allow-list (http/https), not a deny-list: "JavaScript:", "vbscript:" and "file:" are refused too.
        adapter["cover"] = safe_url(adapter.get("cover"), url)
        return item
