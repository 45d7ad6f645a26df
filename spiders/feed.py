"""The ``feed`` spider: any RSS/Atom feed into articles, fetching an entry's page when the feed is a teaser.

scrapy crawl feed -a url=https://example.com/feed.xml
scrapy crawl feed -a url=URL1,URL2 -a categories=新媒体,Blogs -a limit=20 -a fetch=always
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response
from twisted.python.failure import Failure

from aggregator.export.hexo import load_timezone
from aggregator.export.sanitize import clean_body_html
from aggregator.extraction.pool import ExtractionCrashed, PageReader
from aggregator.extraction.text import html_to_text, image_urls
from aggregator.items import Article
from aggregator.sites.base import ArticlePage, PageError
from aggregator.sites.feed import FeedEntry, Media, needs_page, parse_feed
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
        """Merge what the feed and (when fetched) the page say; the longer body wins.

        An entry with nothing but a title and a link becomes a link post (its title and a "原文" line to
        the article) rather than being dropped, one with only a title says it in its body, and audio/video
        enclosures are linked from the post.
        """
        body_html = entry.best_html
        if (
            page is not None
            and page.body_html
            and len(html_to_text(page.body_html)) >= len(html_to_text(body_html))
        ):
            body_html = page.body_html
        missing_media = [src for src in entry.media_images if src not in body_html]
        body_html += "".join(f'<p><img src="{html.escape(src)}"></p>' for src in missing_media)
        body_html += "".join(_media_link(media) for media in entry.media if media.url not in body_html)
        if not _shows_anything(body_html, entry.url):
            # A link post; an entry with neither body nor link (a status line) is all in its title.
            body_html += (
                f'<p><a href="{html.escape(entry.link)}">原文</a></p>'
                if entry.link
                else f"<p>{html.escape(entry.title)}</p>"
            )
        title = entry.title if entry.titled or page is None or not page.title else page.title
        return Article(
            url=entry.url,
            guid=entry.guid,
            key=feed_entry_key(context["feed_url"], entry.guid),
            site=context["site"],
            feed=context["feed_url"],
            title=title,
            author=self.author_override or entry.author or (page.author if page else "") or context["author"],
            published=entry.published or (page.published if page else None),
            updated=entry.updated,
            categories=list(context["categories"]),
            tags=entry.tags or (page.tags if page else []),
            summary=entry.summary_html if entry.content_html else (page.summary if page else "") or "",
            body_html=body_html,
            cover=entry.thumbnail or (page.cover if page else "") or "",
        )


def _shows_anything(body_html: str, url: str) -> bool:
    """Whether a reader would see any text or image once the body is sanitised (a tracking pixel and an
    empty ``<p>`` are not something to see)."""
    visible = clean_body_html(body_html, url)
    return bool(html_to_text(visible) or image_urls(visible))


def _media_link(media: Media) -> str:
    """An audio or video enclosure as a link in the post: the reader's browser plays it when asked."""
    label = "音频" if media.kind == "audio" else "视频"
    name = media.url.rsplit("/", 1)[-1].split("?")[0] or media.url
    return f'<p>{label}：<a href="{html.escape(media.url)}">{html.escape(name)}</a></p>'


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or url
