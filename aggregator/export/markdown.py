"""Markdown bodies (``POST_BODY_FORMAT = "markdown"``) as safe as HTML bodies.

Hexo renders a post's Markdown with marked, which passes raw HTML through and links whatever a ``[text](url)``
names. So every character of the article's *text* that Markdown would read as syntax is escaped
(``&lt;script&gt;`` in the HTML stays the visible text ``<script>``, a typed ``[x](javascript:…)`` stays
text), and every URL markdownify writes (links, images) passes the same scheme allow-list as the HTML body
and is written so that it cannot end early (spaces, brackets, quotes percent-encoded).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from markdownify import MarkdownConverter

from aggregator.web.safety import FETCHED_SCHEMES, LINK_SCHEMES, clean_url, safe_url

_URL_BREAKERS = re.compile(r"[\s()<>\[\]\"'\\`]")
_LABEL_SYNTAX = re.compile(r"([\\\[\]`*_<>!])")


def markdown_url(value: str | None, schemes: frozenset[str]) -> str:
    """A URL safe inside ``(…)``: absolute with an allowed scheme, or relative (a local image), or ``""``."""
    url = clean_url(value)
    if not url:
        return ""
    try:
        scheme = urlsplit(url).scheme
    except ValueError:
        return ""
    if scheme or url.startswith("//"):
        url = safe_url(url, schemes=schemes)
    return _URL_BREAKERS.sub(lambda match: quote(match.group(0), safe=""), url)


def _label(text: str) -> str:
    return _LABEL_SYNTAX.sub(r"\\\1", text)


class SafeMarkdownConverter(MarkdownConverter):
    """markdownify with text escaped (``escape_misc``) and URLs, alt texts and titles made inert."""

    def __init__(self, **options: Any) -> None:
        super().__init__(escape_misc=True, autolinks=False, **options)

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = markdown_url(el.get("href"), LINK_SCHEMES)
        if not href:
            return text
        el["href"] = href
        if el.get("title"):
            el["title"] = _label(el["title"]).replace('"', "&quot;")
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        src = markdown_url(el.attrs.get("src"), FETCHED_SCHEMES)
        if not src:
            return ""
        el.attrs["src"] = src
        el.attrs["alt"] = _label(el.attrs.get("alt") or "")
        if el.attrs.get("title"):
            el.attrs["title"] = _label(el.attrs["title"]).replace('"', "&quot;")
        return super().convert_img(el, text, parent_tags)


def to_markdown(markup: str) -> str:
    """Clean article HTML as Markdown that marked renders to the same text, and nothing executable."""
    return SafeMarkdownConverter(heading_style="ATX", bullets="-").convert(markup).strip() + "\n"
