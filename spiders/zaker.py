"""The ``zaker`` spider: ZAKER (myzaker.com) channel and source lists into full articles.

scrapy crawl zaker -a channel=13
scrapy crawl zaker -a channel=13,660 -a source=12291 -a limit=20
scrapy crawl zaker -a focus=1               # ZAKER 精读: the home page's selected articles
scrapy crawl zaker                      # the subscriptions in ZAKER_SUBSCRIPTIONS

Navigation only: which lists, which article links, how far to page, and what to do when the site pushes back.
What a page means is ``aggregator.sites.zaker``'s job; cookies, back-off and (optionally) solving the WAF
challenge are downloader middlewares (``aggregator.web.waf``, ``aggregator.web.backoff``,
``aggregator.web.safeline``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, ClassVar, Self, TypeVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from aggregator.items import Article
from aggregator.sites.base import BlockedPage, ListEntry, PageError
from aggregator.sites.params import ParameterError, positive
from aggregator.sites.registry import site_named
from aggregator.sites.zaker import parse_list
from aggregator.sites.zaker.params import LIST_KINDS, ZakerParameters
from aggregator.sites.zaker.urls import FOCUS, ORIGIN, list_url, read_article
from aggregator.state.incremental import article_meta
from aggregator.web.challenge import Refusal, challenge_form
from aggregator.web.walls import Refused

from .site import SiteSpider

T = TypeVar("T")
CHROME_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


class ZakerSpider(SiteSpider):
    """Arguments: :class:`~aggregator.sites.zaker.params.ZakerParameters` — ``channel`` and ``source``
    (comma lists of numeric ids; default ``ZAKER_SUBSCRIPTIONS``), ``limit`` (articles per list, over all
    its pages), and the overrides a subscriptions file may pass: ``categories`` (comma list replacing
    ``[POST_CATEGORY_GROUP, ZAKER, channel|source]``) and ``author`` (replacing the page's source)."""

    params: ZakerParameters

    name = "zaker"
    site = site_named("zaker").label
    settings_prefix = "ZAKER"
    origins: ClassVar[dict[str, str]] = {ORIGIN: "ZAKER_BASE_URL"}
    custom_settings: ClassVar[dict[str, Any]] = {
        # RSSHub fetches ZAKER at most two at a time and still meets 429s: stay below that. The global cap
        # matters too: Scrapy hands up to CONCURRENT_REQUESTS requests to the downloader, where closing the
        # spider no longer recalls them, so a crawl stopped by the WAF would still send them all.
        "CONCURRENT_REQUESTS": 2,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 1.0,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 2.0,
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "RETRY_TIMES": 3,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        # ZAKER has answered 403 to non-browser clients for years.
        "USER_AGENT": CHROME_USER_AGENT,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "zh-CN,zh;q=0.9",
            "Referer": f"{ORIGIN}/",
        },
        "DOWNLOADER_MIDDLEWARES": {
            "aggregator.web.walls.RefusalMiddleware": 555,
            "aggregator.web.backoff.RetryAfterMiddleware": 560,
            "aggregator.web.safeline.SafeLineChallengeMiddleware": 640,  # only with ZAKER_SOLVE_CHALLENGE
            "aggregator.web.waf.BrowserCookiesMiddleware": 650,
        },
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subscriptions = [("channel", i) for i in self.params.channel] + [
            ("source", i) for i in self.params.source
        ]
        if self.params.focus:
            self.subscriptions.append(FOCUS)
        self.limit = self.params.limit
        self.queued: dict[tuple[str, str], int] = {}
        """Articles requested per list, for ``limit``."""
        self.seen: set[str] = set()
        # Set from the settings in from_crawler (ZAKER_MAX_PAGES, POST_CATEGORY_GROUP).
        self.max_pages: int
        self.category_group: str

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Settings are known only here: check them now, so a bad one stops the crawl before any request."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if not spider.subscriptions:
            spider.subscriptions = default_subscriptions(settings.getdict("ZAKER_SUBSCRIPTIONS"))
        spider.max_pages = positive(str(settings["ZAKER_MAX_PAGES"]), "ZAKER_MAX_PAGES")
        spider.max_refusals = positive(str(settings["ZAKER_MAX_CHALLENGES"]), "ZAKER_MAX_CHALLENGES")
        spider.category_group = settings["POST_CATEGORY_GROUP"]
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for kind, list_id in self.subscriptions:
            url = list_url(kind, list_id)
            self.logger.info("ZAKER %s %s: %s", kind, list_id, url)
            yield self.request(url, self.parse_list, subscription=(kind, list_id), page=1, name=None)

    def parse_list(
        self, response: Response, subscription: tuple[str, str], page: int, name: str | None
    ) -> Iterator[Request]:
        url = self.canonical_url(response)
        found = self.read(parse_list, response, url)
        if found is None:
            return
        default_name = "ZAKER 精读" if subscription == FOCUS else f"{subscription[0]}/{subscription[1]}"
        name = name or found.title or default_name
        self.logger.info("List %s (%s, page %d): %d articles", url, name, page, len(found.entries))
        if not found.entries:
            self.logger.warning("List %s has no articles", url)
        for entry in found.entries:
            if self.full(subscription):
                break
            if entry.url in self.seen:
                self.logger.debug("Skipped %s: already taken from another list", entry.url)
                continue
            self.seen.add(entry.url)
            self.queued[subscription] = self.queued.get(subscription, 0) + 1
            request = self.request(
                entry.url, self.parse_article, entry=entry, subscription=subscription, name=name
            )
            request.meta.update(article_meta(entry.url))  # known articles are not fetched again
            yield request
        if not found.next_url or self.full(subscription):
            return
        if page < self.max_pages:
            yield self.request(
                found.next_url, self.parse_list, subscription=subscription, page=page + 1, name=name
            )
        else:
            self.logger.info(
                "List %s: not following page %d (ZAKER_MAX_PAGES=%d)", url, page + 1, self.max_pages
            )

    def read(self, parser: Callable[[str, str], T], response: Response, url: str) -> T | None:
        """The page object's result, or None after one log line: a WAF challenge counts toward stopping."""
        try:
            return parser(self.text(response), url)
        except BlockedPage:
            # The refusal middleware missed it (it only looks at small pages); report it the same way.
            refusal = challenge_form(self.text(response), response.status) or Refusal("safeline-v1", 200)
            self.refused(url, Refused(refusal, url))
        except PageError as error:
            self.page_error(url, error)
        return None

    def full(self, subscription: tuple[str, str]) -> bool:
        """Whether ``limit`` articles were already taken from this list."""
        return self.limit is not None and self.queued.get(subscription, 0) >= self.limit

    def parse_article(
        self, response: Response, entry: ListEntry, subscription: tuple[str, str], name: str
    ) -> Iterator[Article]:
        url = self.canonical_url(response)
        page = self.read(read_article, response, url)  # the registry's parser, as aggregator extract's
        if page is None:
            return
        yield self.article(
            url, page, entry, feed=name, categories=[self.category_group, self.site, subscription[0]]
        )

    @property
    def max_refusals_setting(self) -> str:
        return f"ZAKER_MAX_CHALLENGES={self.max_refusals}"


def default_subscriptions(defaults: dict[str, Any]) -> list[tuple[str, str]]:
    """``ZAKER_SUBSCRIPTIONS`` as (kind, id) pairs, read like ``-a channel=`` / ``-a source=``."""
    unknown = set(defaults) - {*LIST_KINDS, "focus"}
    if unknown:
        raise ValueError(
            f"ZAKER_SUBSCRIPTIONS: unknown list kinds {sorted(unknown)}; use channel, source, focus"
        )
    found: list[tuple[str, str]] = []
    for kind in LIST_KINDS:
        value = defaults.get(kind) or []
        if value in ([], ""):
            continue
        try:
            found += [(kind, list_id) for list_id in ZakerParameters.read_one(kind, value)]
        except ParameterError as error:
            raise ValueError(f"ZAKER_SUBSCRIPTIONS: {error}") from None
    if defaults.get("focus") not in (None, "", False) and ZakerParameters.read_one(
        "focus", defaults["focus"]
    ):
        found.append(FOCUS)
    if not found:
        raise ValueError(
            "nothing to crawl: pass -a channel=13 or -a source=12291, or set ZAKER_SUBSCRIPTIONS"
        )
    return found
