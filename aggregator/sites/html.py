"""What every site's page parsers share: reading a page into lxml, its text, its markup, its links.

One copy of each, so that two sites cannot read the same page two ways (they did: one parser re-decoded
pages that still declared a charset, the other did not; one kept ``javascript:`` links, the other not).
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree

from aggregator.sites.base import UnknownLayout
from aggregator.web.parser import html_parser
from aggregator.web.urls import absolute_url, on_domain

__all__ = ["BEIJING", "absolute_url", "first_text", "inner_html", "on_domain", "parse_document", "text_of"]

BEIJING = ZoneInfo("Asia/Shanghai")
"""Beijing time, the wall clock Chinese sites print their dates in, whatever the crawler's ``TIMEZONE``
(which only says how posts write dates)."""

_SPACE = re.compile(r"[\s\u3000\xa0]+")


def parse_document(html: str, url: str) -> lxml.html.HtmlElement:
    """A decoded page as an lxml document; every parser failure becomes ``UnknownLayout``.

    The text is handed to lxml as UTF-8 bytes with that encoding stated, so a leftover
    ``<meta charset=gb2312>`` or XML declaration in an already-decoded page cannot make lxml decode it again
    (or refuse it, as lxml does for a ``str`` that declares an encoding).
    """
    if not html or not html.strip():
        raise UnknownLayout(f"empty page at {url}")
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=html_parser("utf-8"))
    except (etree.ParserError, ValueError, UnicodeError) as error:
        raise UnknownLayout(f"unreadable HTML at {url}: {error}") from error


def collapse_space(text: str | None) -> str | None:
    """Whitespace collapsed — full-width and no-break spaces too, which Chinese pages pad with; None when
    nothing is left."""
    return _SPACE.sub(" ", text).strip() or None if text else None


def text_of(node: lxml.html.HtmlElement | str | None) -> str | None:
    """An element's (or an XPath string result's) visible text, whitespace collapsed; None when empty."""
    if node is None:
        return None
    return collapse_space(node if isinstance(node, str) else node.text_content())


def first_text(
    groups: Iterable[Iterable[lxml.html.HtmlElement | str]],
    clean: Callable[[str], str | None] = collapse_space,
) -> str | None:
    """The first non-empty text among the matches of several queries, tried in order (most specific
    selector first): ``first_text(select(doc, css) for css in selectors)``."""
    for nodes in groups:
        for node in nodes:
            if text := clean(node if isinstance(node, str) else node.text_content()):
                return text
    return None


def inner_html(element: lxml.html.HtmlElement) -> str:
    """The markup inside an element (its text, children and their tails), without its own tag."""
    parts = [html_text.escape(element.text or "", quote=False)]
    parts.extend(etree.tostring(child, encoding="unicode", method="html") for child in element)
    return "".join(parts)
