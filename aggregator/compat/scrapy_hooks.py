"""Hooks into Scrapy's private API (see :mod:`aggregator.compat`); canaries in ``tests/test_compat.py``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings


class CrawlCommandKeepingCrawlers(ScrapyCrawlCommand):
    """Scrapy's ``crawl`` command that keeps every ``Crawler`` it creates in ``self.crawlers``.

    Scrapy's ``crawl`` creates its crawler inside ``run`` through the private ``_create_crawler`` and hands
    it to the process; nothing public returns it, and the crawl's stats are needed once it is over (to
    judge the exit status).
    """

    def __init__(self) -> None:
        super().__init__()
        self.crawlers: list[Crawler] = []

    def _create_crawler(self, spidercls: Any) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self.crawlers.append(crawler)
        return crawler


def wake_engine(crawler: Crawler) -> None:
    """Ask the engine to look at its scheduler now rather than at its next 5-second heartbeat.

    A distributed worker must notice requests another process pushed to Redis; nothing in this process
    tells the engine about them, and Scrapy has no public "poll the scheduler" call (``engine.crawl`` would
    enqueue a request, which goes back to Redis). So this schedules the engine's private
    ``_slot.nextcall``. If a Scrapy release renames it, workers still poll, only at the heartbeat; the
    canary says so first.
    """
    slot = getattr(crawler.engine, "_slot", None)
    nextcall = getattr(slot, "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()


def configure_image_stores(pipeline_cls: type, settings: BaseSettings) -> None:
    """Give the storage back-ends (S3, GCS, …) their settings, as ``ImagesPipeline.from_crawler`` does.

    Our pipeline has its own ``from_crawler`` (it must decide whether it is on at all), so it repeats this
    step of Scrapy's, which is the private class method ``_update_stores``.
    """
    pipeline_cls._update_stores(settings)


IMAGES_PIPELINE_OVERRIDES: dict[str, tuple[str, ...]] = {
    "__init__": ("self", "store_uri", "download_func", "crawler"),
    "media_downloaded": ("self", "response", "request", "info", "item"),
    "image_downloaded": ("self", "response", "request", "info", "item"),
    "convert_image": ("self", "image", "size", "response_body"),
    "media_failed": ("self", "failure", "request", "info"),
    "inc_stats": ("self", "status"),
    "item_completed": ("self", "results", "item", "info"),
    "file_path": ("self", "request", "response", "info", "item"),
    "get_media_requests": ("self", "item", "info"),
}
"""``ImagesPipeline`` methods that :class:`pipelines.images.ImageDownloadPipeline` overrides or calls, with
the parameters it relies on. Only some are documented extension points, and Scrapy has changed several of
these signatures between releases (``item=``, ``response_body=``), so the canary compares all of them."""
