"""Extract: derive what the body implies — its text, its images, the cover, and a date if none was given."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from aggregator.extraction.text import text_and_images


class ExtractPipeline:
    """Fill ``body_text``, ``image_urls`` (document order) and ``cover``; date undated articles.

    The cover is the first image of the body — the seed post's ``headimg`` is its first body image — and
    only when the body has none, the image the page, list or feed declared (often a site-wide logo). An
    article with no date gets the time the crawl started, so that ``date`` is never empty and all undated
    articles of one run sort together.
    """

    def __init__(self, crawl_started: datetime) -> None:
        self.crawl_started = crawl_started

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(datetime.now(UTC).replace(microsecond=0))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        body_html = adapter.get("body_html") or ""
        adapter["body_text"], images = text_and_images(body_html)
        adapter["image_urls"] = images
        if images:
            adapter["cover"] = images[0]
        if adapter.get("published") is None:
            adapter["published"] = self.crawl_started
        return item
