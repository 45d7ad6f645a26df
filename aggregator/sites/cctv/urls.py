"""CCTV's URL rules: which pages are CCTV items, and which of the three item parsers reads each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from aggregator.sites.base import ArticlePage, PageParser
from aggregator.sites.cctv.article import parse_article, parse_photo_set, parse_video
from aggregator.sites.cctv.common import NEWS, PHOTO, TV, item_type
from aggregator.web.urls import on_domain

ORIGINS = {NEWS: "CCTV_NEWS_BASE_URL", PHOTO: "CCTV_PHOTO_BASE_URL", TV: "CCTV_TV_BASE_URL"}
"""Each real origin the spider reads, with the setting that may serve it from elsewhere (tests, mirrors)."""

PARSERS: dict[str, Callable[[str, str], ArticlePage]] = {
    "article": parse_article,
    "photo": parse_photo_set,
    "video": parse_video,
}
"""Item kind (``ARTI``/``PHOA``/``VIDE`` ids, see ``item_type``) → its page parser."""


def is_cctv(url: str) -> bool:
    return on_domain(url, "cctv.com")


def item_parser(url: str, kind: str | None = None) -> PageParser:
    """The parser of an item page: by the kind its list says, else by what its URL says."""
    parse = PARSERS.get(kind or item_type(url), parse_article)

    def read(html: str, page_url: str, timezone: tzinfo | None = None) -> ArticlePage:
        return parse(html, page_url)

    return read


def page_parser(url: str) -> PageParser | None:
    """The parser of a CCTV item URL (any host under cctv.com), else None."""
    return item_parser(url) if is_cctv(url) else None
