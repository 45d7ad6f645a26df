"""What every site spider shares: where requests really go, and how a list entry and its page become an item.

Site spiders (``zaker``, ``cctv``) only navigate. They call the site's page objects
(``aggregator.sites.<site>``) and hand the results to :meth:`SiteSpider.article`, which merges the list's
and the page's facts into an :class:`~aggregator.items.Article`. Losses are logged here, one line per lost
article with its reason, and counted as ``aggregator/dropped/<reason>``.

Requests always name the real site URL; ``<SITE>_BASE_URL`` settings only change where it is fetched from (a
test server, a mirror). Posts keep the real URL.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from aggregator.export.hexo import load_timezone
from aggregator.items import Article
from aggregator.sites.article import build_article
from aggregator.sites.base import ArticlePage, ListEntry, PageError
from aggregator.sites.params import own_arguments
from aggregator.sites.registry import parameters_for
from aggregator.web.challenge import advice
from aggregator.web.encoding import decode_html
from aggregator.web.urls import rebase
from aggregator.web.walls import Refused


def spider_parameters(spider: str, arguments: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """A spider's ``-a`` arguments read by its registered parameter model, and the rest (Scrapy's own,
    scrapyd's ``_job``) to pass on to ``Spider``. Raises ``ParameterError`` (a ``ValueError``) naming the
    argument, exactly as ``aggregator validate`` would for the same value."""
    model = parameters_for(spider)
    return model.from_arguments(arguments), own_arguments(model, arguments)


def describe_failure(failure: Failure) -> str:
    """``HTTP 404``, the refusal's form, or the network error's own words, for one log line."""
    if failure.check(Refused):
        return f"refused: {failure.value}"
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}"


class SiteSpider(Spider):
    """Base for spiders of one site with page objects in ``aggregator.sites``.

    Subclasses set ``site`` (the name readers know, e.g. ``ZAKER``) and ``origins``: each real origin the
    spider fetches from, mapped to the setting that may serve it from elsewhere
    (``{"https://www.myzaker.com": "ZAKER_BASE_URL"}``).
    """

    site: str = ""
    default_author: str = ""
    """Who a post credits when neither the page nor the list names a source; the site's name if empty."""
    origins: Mapping[str, str] = {}
    settings_prefix: str | None = None
    """Prefix of the site's own WAF settings (``ZAKER`` → ``ZAKER_COOKIES``…), named in the advice; None if
    the site has none."""
    reports_refusals = True
    """This spider reports refusals itself (``aggregator.web.walls`` then logs a wall as a WARNING)."""
    max_refusals: int
    """Refusals (WAF pages, walls) after which the crawl stops as ``blocked_by_waf``; 0: never. Set from the
    settings in :meth:`from_crawler` (``WALL_MAX_REFUSALS``; ZAKER: ``ZAKER_MAX_CHALLENGES``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Arguments are read by the spider's parameter model (``aggregator.sites.registry``).

        ``-a categories=A,B,C`` and ``-a author=NAME`` override what every post of this run is labelled
        with (subscriptions use them); without them the site spider decides."""
        self.params, rest = spider_parameters(self.name, kwargs)
        super().__init__(*args, **rest)
        self.post_categories: list[str] = self.params.categories
        self.post_author: str = self.params.author
        self.refusals = 0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_refusals = crawler.settings.getint("WALL_MAX_REFUSALS")
        return spider

    @property
    def bases(self) -> dict[str, str]:
        """Real origin → where to fetch it from (the origin itself unless a setting says otherwise)."""
        return {origin: self.settings.get(setting) or origin for origin, setting in self.origins.items()}

    @property
    def timezone(self) -> Any:
        return load_timezone(self.settings["TIMEZONE"])

    def request(self, url: str, callback: Any, **cb_kwargs: Any) -> Request:
        """A request for the real ``url``, fetched from its configured base; failures go to :meth:`failed`."""
        return Request(
            rebase(url, self.bases),
            callback=callback,
            errback=self.failed,
            cb_kwargs=cb_kwargs,
            meta={"canonical_url": url},
        )

    @staticmethod
    def canonical_url(response: Response) -> str:
        """The real URL of a response, whatever base it was fetched from."""
        return response.meta.get("canonical_url") or response.url

    @staticmethod
    def text(response: Response) -> str:
        """The page as text, its charset checked rather than trusted (see ``aggregator.web.encoding``)."""
        return decode_html(response.body, response.headers.get("Content-Type"))[0]

    def drop(self, url: str, reason: str, message: str, level: int = logging.WARNING) -> None:
        """Log one lost article or list with its reason, and count it."""
        self.crawler.stats.inc_value(f"aggregator/dropped/{reason}")
        self.logger.log(level, "Dropped %s (%s): %s", url, reason, message)

    def page_error(self, url: str, error: PageError) -> None:
        level = logging.ERROR if error.reason in ("blocked", "unknown_layout") else logging.WARNING
        self.drop(url, error.reason, str(error), level)

    def failed(self, failure: Failure) -> None:
        """A request that failed for good (after retries): say which, and why."""
        url = failure.request.meta.get("canonical_url") or failure.request.url
        if failure.check(Refused):
            self.refused(url, failure.value)
            return
        reason = "http_error" if failure.check(HttpError) else "network_error"
        self.drop(url, reason, f"could not be fetched ({describe_failure(failure)})", logging.ERROR)

    def refused(self, url: str, error: Refused) -> None:
        """The site refused the page: say once, as an ERROR, which form and what to do; stop the crawl at
        ``max_refusals`` rather than meet the same wall on every article (and provoke a ban)."""
        self.refusals += 1
        if self.refusals == 1:
            message = f"{error}. {advice(error.refusal, self.settings_prefix)}"
            self.drop(url, "blocked", message, logging.ERROR)
        else:
            self.drop(url, "blocked", str(error), logging.WARNING)
        if self.refusals == self.max_refusals:
            self.logger.warning(
                "Stopping the crawl: %d pages refused by the site (%s); last: %s",
                self.refusals,
                self.max_refusals_setting,
                error.refusal.label,
            )
            raise CloseSpider("blocked_by_waf")

    @property
    def max_refusals_setting(self) -> str:
        """Where ``max_refusals`` comes from, for the log line."""
        return f"WALL_MAX_REFUSALS={self.max_refusals}"

    def article(
        self,
        url: str,
        page: ArticlePage,
        entry: ListEntry | None = None,
        *,
        feed: str,
        categories: list[str],
        guid: str = "",
    ) -> Article:
        """The item of a page and its list entry (:func:`~aggregator.sites.article.build_article`): the page
        wins, the list fills its gaps; ``-a categories=`` / ``-a author=`` override both for every post."""
        return build_article(
            url,
            page,
            entry,
            site=self.site,
            feed=feed,
            categories=self.post_categories or categories,
            guid=guid,
            author=self.post_author,
            default_author=self.default_author,
        )
