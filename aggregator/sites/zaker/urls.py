"""ZAKER's URL rules: which pages are ZAKER articles, and the parser that reads them."""

from __future__ import annotations

from datetime import tzinfo

from aggregator.sites.base import ArticlePage, PageParser
from aggregator.sites.zaker.article import parse_article
from aggregator.sites.zaker.common import SITE, article_id, canonical_article_url

ORIGIN = SITE
"""Where ZAKER's lists and articles really are; ``ZAKER_BASE_URL`` only changes where they are fetched."""


FOCUS = ("focusread", "selected_article")
"""The 精读 list as a subscription: its post category (RSSHub's route name) and the home page's ``pos``."""


def list_url(kind: str, list_id: str) -> str:
    """The real URL of a ZAKER list: ``/channel/<id>``, ``/source/<id>``, or the 精读 home page."""
    if (kind, list_id) == FOCUS:
        return f"{ORIGIN}/?pos={list_id}"
    return f"{ORIGIN}/{kind}/{list_id}"


def read_article(html: str, url: str, timezone: tzinfo | None = None) -> ArticlePage:
    """A ZAKER article page, whichever spelling of its URL was fetched (dates are Beijing time anyway)."""
    return parse_article(html, canonical_article_url(url, url) or url)


def page_parser(url: str) -> PageParser | None:
    """:func:`read_article` for a ZAKER article URL (www/app/iphone, path or ``l.php`` form), else None."""
    return read_article if article_id(url) else None
