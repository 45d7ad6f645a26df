"""The one list of sites: which spider takes which parameters, and which parser reads a page at a URL.

Everything that needs to know about sites asks here: the spiders (their ``-a`` arguments), ``aggregator
validate`` and the subscriptions file (the same parameter models), ``aggregator extract`` and the feed
spider (which parser reads a page). Adding a site is one folder under ``aggregator/sites/`` and one entry in
:data:`SITES` (see docs/sites.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo

from aggregator.sites.base import ArticlePage, PageParser
from aggregator.sites.cctv import urls as cctv_urls
from aggregator.sites.cctv.params import CctvParameters
from aggregator.sites.feed.params import FeedParameters
from aggregator.sites.params import SpiderParameters
from aggregator.sites.zaker import urls as zaker_urls
from aggregator.sites.zaker.params import ZakerParameters


def _generic_parser(url: str) -> PageParser:
    """Any page: the generic extractor (imported on first use: trafilatura takes a tenth of a second)."""

    def read(html: str, page_url: str, timezone: tzinfo | None = None) -> ArticlePage:
        from aggregator.sites.generic import parse_article

        return parse_article(html, page_url, *(() if timezone is None else (timezone,)))

    return read


@dataclass(frozen=True)
class Site:
    """One site: its name in posts and logs, its spider's parameters, and its URL rule for article pages."""

    name: str
    """The folder under ``aggregator/sites/`` and the name ``aggregator extract`` reports."""
    label: str
    """Who publishes, as readers know it (``Article.site``); empty: the feed's title or the page's host."""
    default_author: str
    """Who a post credits when neither the page nor its list names a source (empty: ``label``)."""
    parameters: type[SpiderParameters] | None
    """The spider's parameter model (None: no spider of its own, e.g. the generic extractor)."""
    page_parser: Callable[[str], PageParser | None]
    """``url -> PageParser | None``: the parser for an article page at ``url``, None if not this site's."""


SITES: tuple[Site, ...] = (
    Site("zaker", "ZAKER", "", ZakerParameters, zaker_urls.page_parser),
    # CCTV's own newsroom, as its pages say, when a page names no 来源.
    Site("cctv", "CCTV", "央视网", CctvParameters, cctv_urls.page_parser),
    Site("feed", "", "", FeedParameters, lambda url: None),
    Site("generic", "", "", None, _generic_parser),
)
"""In the order URL rules are tried: the generic extractor last, it takes any page."""

SPIDERS: dict[str, type[SpiderParameters]] = {
    site.parameters.spider: site.parameters for site in SITES if site.parameters is not None
}
"""Spider name → its parameter model."""


def site_named(name: str) -> Site:
    """The registered site of that name (``KeyError`` if none)."""
    for site in SITES:
        if site.name == name:
            return site
    raise KeyError(name)


def parameters_for(spider: str) -> type[SpiderParameters]:
    """The parameter model of a spider (``KeyError`` for a spider that is not registered)."""
    return SPIDERS[spider]


def parser_for(url: str) -> tuple[Site, PageParser]:
    """Which site's rules read the article page at ``url``, and its parser."""
    for site in SITES:
        parser = site.page_parser(url)
        if parser is not None:
            return site, parser
    raise LookupError(url)  # unreachable: the generic extractor takes every URL


def read_page(html: str, url: str, timezone: tzinfo | None = None) -> ArticlePage:
    """The article of a page, as a crawl reads it (raises ``PageError`` as the spiders see it)."""
    return parser_for(url)[1](html, url, timezone)
