"""The ``feed`` spider: any RSS/Atom feed into articles, fetching an entry's page when the feed is a teaser.

scrapy crawl feed -a url=https://example.com/feed.xml
scrapy crawl feed -a url=URL1,URL2 -a categories=新媒体,Blogs -a limit=20 -a fetch=always
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from twisted.python.failure import Failure

from aggregator.export.hexo import load_timezone
from aggregator.extraction.pool import ExtractionCrashed, PageReader
from aggregator.items import Article
from aggregator.sites.article import build_article
from aggregator.sites.base import ArticlePage, PageError
from aggregator.sites.feed import FeedEntry, needs_page, parse_feed
from aggregator.sites.feed.params import FeedParameters
from aggregator.state.incremental import article_meta
from aggregator.state.store import feed_entry_key

from .site import describe_failure, spider_parameters


class FeedSpider(Spider):
    """Arguments: :class:`~aggregator.sites.feed.params.FeedParameters` — ``url`` (one or a comma list,
    required), ``categories`` (comma list; default ``POST_CATEGORY_GROUP`` and the feed's title), ``site``
    and ``author`` overrides, ``limit`` (entries per feed), ``fetch`` (``auto``/``always``/``never``, default
    ``FEED_FETCH_PAGES``)."""

    name = "feed"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        params, rest = spider_parameters(self.name, kwargs)
        super().__init__(*args, **rest)
        self.params: FeedParameters = params
        self.feed_urls: list[str] = params.url
        self.categories: list[str] = params.categories
        self.site_name: str = params.site
        self.author_override: str = params.author
        self.limit: int | None = params.limit
        self.fetch_mode: str | None = params.fetch
        self.seen: set[str] = set()

    async def start(self) -> AsyncIterator[Request]:
        self.fetch_mode = self.fetch_mode or FeedParameters.read_one(
            "fetch", self.settings["FEED_FETCH_PAGES"], "FEED_FETCH_PAGES"
        )
        self.min_chars = self.settings.getint("FEED_FULLTEXT_MIN_CHARS")
        self.timezone = load_timezone(self.settings["TIMEZONE"])
        self.reader = PageReader.from_crawler(self.crawler)
        for feed_url in self.feed_urls:
            yield Request(
                feed_url, callback=self.parse_feed, errback=self.feed_failed, cb_kwargs={"feed_url": feed_url}
            )

    def feed_failed(self, failure: Failure) -> None:
        feed_url = failure.request.cb_kwargs["feed_url"]
        self.crawler.stats.inc_value("aggregator/errors/feed")
        self.logger.error(
            "Feed %s could not be fetched (%s): nothing read from it", feed_url, describe_failure(failure)
        )

    def parse_feed(self, response: Response, feed_url: str) -> Iterator[Request | Article]:
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        try:
            feed = parse_feed(response.body, response.url, content_type, self.timezone)
        except PageError as error:
            self.crawler.stats.inc_value("aggregator/errors/feed")
            self.logger.error("Feed %s is unreadable: %s", feed_url, error)
            return
        if feed.warning:
            self.logger.warning("Feed %s: %s", feed_url, feed.warning)
        for _ in range(feed.skipped):
            self.crawler.stats.inc_value("aggregator/dropped/no_title_or_link")
            self.logger.warning(
                "Dropped an entry of %s (no_title_or_link): it has neither a title nor a link", feed_url
            )
        entries = feed.entries[: self.limit] if self.limit is not None else feed.entries
        self.logger.info("Feed %s (%s): %d entries", feed_url, feed.title or "untitled", len(entries))
        site = self.site_name or feed.title or _host(feed_url)
        context = {
            "feed_url": feed_url,
            "site": site,
            "author": feed.author or site,
            "categories": self.categories
            or [self.settings["POST_CATEGORY_GROUP"], feed.title or _host(feed_url)],
        }
        for entry in entries:
            # An entry is its guid within this feed (see feed_entry_key): other feeds may reuse guids, and
            # different entries of one feed may share a link (a podcast's home page, anchors of one page).
            key = feed_entry_key(feed_url, entry.guid)
            if key in self.seen:
                self.crawler.stats.inc_value("aggregator/dropped/duplicate")
                self.logger.info("Dropped %s (duplicate): guid %s is listed twice", entry.url, entry.guid)
                continue
            self.seen.add(key)
            if entry.unreadable_date:
                self.logger.warning(
                    "Entry %s of %s: date %r cannot be read; the post is dated with the crawl's time",
                    entry.url,
                    feed_url,
                    entry.unreadable_date,
                )
            if entry.link and needs_page(entry, self.fetch_mode, self.min_chars):
                yield Request(
                    entry.link,
                    callback=self.parse_page,
                    errback=self.page_failed,
                    cb_kwargs={"entry": entry, "context": context},
                    dont_filter=True,
                    # A known entry's page is fetched again only if the feed dates a change after its
                    # export; entries read from the feed alone are compared by the state pipeline.
                    meta={
                        **article_meta(entry.url, entry.updated or entry.published, key),
                        # An unreachable page is not an error: the entry is published from the feed's own
                        # content, and page_failed says so in one WARNING. Scrapy's give-up line stays INFO.
                        "give_up_log_level": "INFO",
                    },
                )
            else:
                yield self.article(entry, context, page=None)

    async def parse_page(
        self, response: Response, entry: FeedEntry, context: dict[str, Any]
    ) -> AsyncIterator[Article]:
        """Extract the entry's article from its page, off the reactor (``aggregator.extraction.pool``).

        Decoding and extraction take 5–100 ms on a portal page and seconds on a 10 MB one; on the reactor
        thread that would stall every other download and the Redis heartbeat meanwhile.
        """
        content_type = response.headers.get("Content-Type")
        try:
            page = await self.reader.read(response.body, content_type, entry.url, self.timezone)
        except PageError as error:
            self.crawler.stats.inc_value("aggregator/fallback/feed_content")
            self.logger.warning(
                "Page %s gave no article (%s); using the feed's own content", entry.link, error
            )
            page = None
        except ExtractionCrashed as error:
            self.crawler.stats.inc_value("aggregator/dropped/extraction_crashed")
            self.logger.error("Dropped %s (extraction_crashed): page %s %s", entry.url, entry.link, error)
            return
        yield self.article(entry, context, page)

    def page_failed(self, failure: Failure) -> Iterator[Article]:
        entry: FeedEntry = failure.request.cb_kwargs["entry"]
        self.crawler.stats.inc_value("aggregator/fallback/feed_content")
        self.logger.warning(
            "Page %s failed (%s); using the feed's own content", entry.link, describe_failure(failure)
        )
        yield self.article(entry, failure.request.cb_kwargs["context"], page=None)

    def article(self, entry: FeedEntry, context: dict[str, Any], page: ArticlePage | None) -> Article:
        """The entry's item (:func:`~aggregator.sites.article.build_article`): the feed's title, date and
        author are the publisher's word, the page fills their gaps, and the fuller body wins.

        The feed's own images, audio and video go along as data (``attachments``, ``media``), and an entry
        that may be nothing but a title and a link as a ``link_post``: the Clean pipeline makes them HTML.
        """
        listed = ArticlePage(
            # An untitled entry's made-up title (its first words) gives way to the page's own.
            title=entry.title if entry.titled else None,
            body_html=entry.best_html,
            author=entry.author or None,
            published=entry.published,
            updated=entry.updated,
            tags=entry.tags,
            cover=entry.thumbnail or None,
            # Without full content the summary is the body itself, not a summary of it.
            summary=entry.summary_html if entry.content_html else None,
        )
        return build_article(
            entry.url,
            page,
            listed,
            listed_wins=True,
            site=context["site"],
            feed=context["feed_url"],
            categories=context["categories"],
            guid=entry.guid,
            key=feed_entry_key(context["feed_url"], entry.guid),
            author=self.author_override,
            default_author=context["author"],
            default_title=entry.title,
            attachments=entry.media_images,
            media=[{"url": media.url, "kind": media.kind} for media in entry.media],
            link_post=True,
            source_link=entry.link,
        )


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url
