"""The ``cctv`` spider: 央视网 category lists and 新闻联播 days into full articles, photo sets and videos.

scrapy crawl cctv                                    # the categories in CCTV_CATEGORIES (default: news)
scrapy crawl cctv -a category=china,world -a pages=2 -a limit=30
scrapy crawl cctv -a category=xwlb                   # 新闻联播, the latest day on tv.cctv.com/lm/xwlb/
scrapy crawl cctv -a category=xwlb -a date=20221014  # 新闻联播 of one day

Navigation only: what a page means is in ``aggregator.sites.cctv``. A category is a numbered series of
static JSONP files on news.cctv.com; each entry names an item whose id says what it is (``ARTI`` article,
``PHOA`` photo set, ``VIDE`` video), and each kind has its own page parser. The list entry fills what the
page leaves out (date, cover, summary, tags), so a video page with a one-paragraph description still
becomes a dated post with its poster.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from aggregator.items import Article
from aggregator.sites import cctv
from aggregator.sites.base import ListEntry, PageError, PageParser
from aggregator.sites.cctv.params import (
    RETIRED,
    XWLB,
    CctvParameters,
    check_not_all_retired,
    read_categories,
)
from aggregator.sites.cctv.urls import NEWS, ORIGINS, TV, item_parser
from aggregator.sites.registry import site_named
from aggregator.state.incremental import article_meta

from .site import SiteSpider

XWLB_CATEGORY = "新闻联播"
"""The post category of 新闻联播 items: readers know the programme by name, not by its URL slug."""


class CctvSpider(SiteSpider):
    """Arguments: :class:`~aggregator.sites.cctv.params.CctvParameters` — ``category`` (comma list of
    known categories; default the ``CCTV_CATEGORIES`` setting), ``pages`` (list pages per category, default
    1), ``limit`` (articles per category), ``date`` (``YYYYMMDD``, the 新闻联播 day; default the latest)."""

    params: CctvParameters

    name = "cctv"
    site = site_named("cctv").label
    default_author = site_named("cctv").default_author
    origins: ClassVar[Mapping[str, str]] = ORIGINS
    # CCTV has no known anti-bot measure; these keep it that way: two requests at a time per host, a
    # delay (with Scrapy's default ±50% jitter) that AutoThrottle lengthens when responses slow down, and
    # patient retries on 429/5xx.
    custom_settings: ClassVar[dict[str, Any]] = {
        "DOWNLOAD_DELAY": 1.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 1.0,
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 3,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = self.skip_retired(self.params.category)
        self.pages = self.params.pages
        self.limit = self.params.limit
        self.date = self.params.date
        self.category_group: str  # POST_CATEGORY_GROUP, set in from_crawler
        self.seen: set[str] = set()
        self.taken: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CctvSpider:
        """Settings exist only once the spider is bound to its crawler: the default subscriptions come
        from ``CCTV_CATEGORIES`` then, and are checked as strictly as an argument."""
        spider: CctvSpider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.categories:
            configured = ",".join(crawler.settings.getlist("CCTV_CATEGORIES"))
            categories = read_categories(configured, "CCTV_CATEGORIES")
            check_not_all_retired(categories, "CCTV_CATEGORIES")
            dataclasses.replace(spider.params, category=categories).check()
            spider.categories = spider.skip_retired(categories)
        spider.category_group = crawler.settings["POST_CATEGORY_GROUP"]
        return spider

    def skip_retired(self, categories: list[str]) -> list[str]:
        """The categories to crawl: names whose list is retired are skipped with one WARNING each (the
        parameter model already refused unknown names, and a list of only retired ones)."""
        for name in dict.fromkeys(name for name in categories if name in RETIRED):
            self.logger.warning("CCTV category %r skipped: %s", name, RETIRED[name])
        return [name for name in categories if name not in RETIRED]

    async def start(self) -> AsyncIterator[Request]:
        for category in dict.fromkeys(self.categories):
            if category == XWLB:
                yield self.xwlb_request()
            else:
                yield self.list_request(category, 1)

    # --- category lists --------------------------------------------------------------------------------

    def list_request(self, category: str, page: int) -> Request:
        """Page ``page`` of a category's JSONP list, with the Referer RSSHub sends (the category page)."""
        request = self.request(
            cctv.list_url(category, page, NEWS), self.parse_list, category=category, page=page
        )
        request.headers["Referer"] = f"http://news.cctv.com/{category}"
        request.errback = self.list_failed
        return request

    def list_failed(self, failure: Failure) -> None:
        """A missing page after the first is the end of the list (``pages`` asked for more than there
        are), not a loss; anything else is reported like any failed request."""
        page = failure.request.cb_kwargs["page"]
        category = failure.request.cb_kwargs["category"]
        missing = failure.check(HttpError) and failure.value.response.status == 404
        if page == 1 and missing:
            # A category whose list is gone: one clear line a scheduled run can live with, not an ERROR.
            self.crawler.stats.inc_value("aggregator/dead_categories")
            self.logger.warning(
                "CCTV category %r has no list any more (HTTP 404 at %s): nothing to crawl there; "
                "remove it from the subscription or CCTV_CATEGORIES",
                category,
                failure.request.meta.get("canonical_url") or failure.request.url,
            )
            return
        if page > 1 and missing:
            self.logger.info(
                "CCTV %s has no page %d (HTTP 404): the list ends at page %d", category, page, page - 1
            )
            return
        self.failed(failure)

    def parse_list(self, response: Response, category: str, page: int) -> Iterator[Request]:
        """Follow a list page's entries, then ask for the next page.

        Pages are fetched one after another, not all at once, so that ``limit`` takes the newest entries
        and paging stops at the end of the list. An unreadable page costs only its own entries: the next
        page is still asked for.
        """
        url = self.canonical_url(response)
        # The JSONP is UTF-8 whatever the header says: the page object decodes the raw bytes itself.
        try:
            entries: list[ListEntry] | None = cctv.parse_list_jsonp(response.body, url).entries
        except PageError as error:
            entries = None
            self.drop(
                url,
                error.reason,
                f"list page {page} of {category} is unreadable, skipped: {error}",
                logging.ERROR,
            )
        else:
            self.logger.info("CCTV %s page %d: %d entries (%s)", category, page, len(entries), url)
            yield from self.follow(category, entries)
        if page < self.pages and entries != [] and not self.is_full(category):
            yield self.list_request(category, page + 1)

    # --- 新闻联播 -----------------------------------------------------------------------------------------

    def xwlb_request(self) -> Request:
        if self.date:
            return self.request(cctv.xwlb_day_url(self.date, TV), self.parse_xwlb_day)
        return self.request(f"{TV}/lm/xwlb/", self.parse_xwlb_index)

    def parse_xwlb_index(self, response: Response) -> Iterator[Request]:
        """The programme index only tells which day is the latest; its own list is not used, because the
        day page is the one that also serves any earlier ``-a date=``."""
        url = self.canonical_url(response)
        try:
            day = cctv.latest_xwlb_date(self.text(response))
        except PageError as error:
            self.page_error(url, error)
            return
        if day is None:
            self.drop(
                url, "unknown_layout", "no latest day (.rilititle p) on the 新闻联播 index", logging.ERROR
            )
            return
        self.logger.info("新闻联播: the latest day is %s", day)
        yield self.request(cctv.xwlb_day_url(day, TV), self.parse_xwlb_day)

    def parse_xwlb_day(self, response: Response) -> Iterator[Request]:
        url = self.canonical_url(response)
        try:
            listing = cctv.parse_xwlb_day(self.text(response), url)
        except PageError as error:
            self.page_error(url, error)
            return
        if not listing.entries:
            self.logger.warning("新闻联播 %s lists no items yet", url)
        self.logger.info("%s: %d items (%s)", listing.title or XWLB_CATEGORY, len(listing.entries), url)
        yield from self.follow(XWLB, listing.entries)

    # --- items -----------------------------------------------------------------------------------------

    def is_full(self, category: str) -> bool:
        return self.limit is not None and self.taken[category] >= self.limit

    def follow(self, category: str, entries: Iterable[ListEntry]) -> Iterator[Request]:
        """A request per new entry, to the parser of its kind, until the category's ``limit``.

        Categories overlap (``news`` repeats most of ``china`` and ``world``) and lists shift while being
        paged, so an item already followed in this run is skipped; it keeps the first category it came in.
        """
        for entry in entries:
            if self.is_full(category):
                return
            if entry.url in self.seen:
                self.crawler.stats.inc_value("aggregator/cctv/listed_twice")
                self.logger.debug("Skipped %s in %s: already followed in this run", entry.url, category)
                continue
            self.seen.add(entry.url)
            self.taken[category] += 1
            request = self.request(entry.url, self.parse_item, entry=entry, category=category)
            request.meta.update(article_meta(entry.url))  # known articles are not fetched again
            yield request

    def parse_item(self, response: Response, entry: ListEntry, category: str) -> Iterator[Article]:
        """An item page, read by the parser of its kind (``ARTI`` article, ``PHOA`` photo set, ``VIDE``
        video or 新闻联播 item): the kind its list gives, else its URL's, mapped to a parser in one place
        (:func:`aggregator.sites.cctv.urls.item_parser`, which ``aggregator extract`` uses too)."""
        url = self.canonical_url(response)
        yield from self.post(response, item_parser(url, entry.extra.get("type")), entry, category)

    def post(
        self, response: Response, parser: PageParser, entry: ListEntry, category: str
    ) -> Iterator[Article]:
        """One article from a page and its list entry, or one log line saying why there is none."""
        url = self.canonical_url(response)
        try:
            page = parser(self.text(response), url, self.timezone)
        except PageError as error:
            self.page_error(url, error)
            return
        label = XWLB_CATEGORY if category == XWLB else category
        yield self.article(
            url,
            page,
            entry,
            feed=category,
            categories=[self.category_group, self.site, label],
            guid=entry.extra.get("id") or "",
        )
