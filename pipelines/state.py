"""State: export each article once, rewrite it only when it changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from aggregator import signals
from aggregator.drops import ArticleDropped
from aggregator.state import open_state_store
from aggregator.state.store import ClaimingStore, ExportRecord, StateStore, content_hash
from aggregator.web.urls import canonical_url


class StatePipeline:
    """Drop duplicates and unchanged articles; let new and changed ones through to the exporter.

    * the same article twice in one run (same guid, or same URL once tracking parameters are gone):
      dropped as ``duplicate``;
    * exported before and unchanged (same content hash, post file still there): dropped as ``unchanged``
      at DEBUG level — the file is not touched;
    * exported before and changed: goes on with its old ``post_path`` and first ``published`` date kept
      (a post should not move in the blog's timeline or on disk) and ``updated`` set.

    The store is written only when the exporter reports a written post (``post_exported``), so a post that
    failed to write is retried on the next run.
    """

    def __init__(self, store: StateStore, output_dir: Path) -> None:
        self.store = store
        self.output_dir = output_dir
        self.seen_urls: dict[str, str] = {}
        self.seen_guids: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        settings = crawler.settings
        pipeline = cls(open_state_store(settings), Path(settings.get("OUTPUT_DIR", "output")))
        crawler.signals.connect(pipeline.post_exported, signal=signals.post_exported)
        return pipeline

    def close_spider(self) -> None:
        self.store.close()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = canonical_url(adapter["url"])
        guid = adapter.get("guid") or url
        earlier = self.seen_urls.get(url) or self.seen_guids.get(guid)
        if earlier:
            raise ArticleDropped(
                "duplicate", f"same article as {earlier}, already handled in this run", "INFO"
            )
        self.seen_urls[url] = adapter["url"]
        self.seen_guids[guid] = adapter["url"]

        record = self.store.lookup(url, guid)
        if record is None:
            self.claim(url, guid, record)
            return item
        post_exists = (self.output_dir / record.path).is_file()
        changed = record.content_hash != content_hash(item)
        if not changed and post_exists:
            raise ArticleDropped(
                "unchanged", f"unchanged since {record.last_exported:%Y-%m-%d %H:%M}", "DEBUG"
            )
        adapter["post_path"] = record.path
        if record.published is not None:
            adapter["published"] = record.published
        if changed and not adapter.get("updated"):
            adapter["updated"] = datetime.now(UTC).replace(microsecond=0)
        self.claim(url, guid, record)
        return item

    def claim(self, url: str, guid: str, record: ExportRecord | None) -> None:
        """With a shared store, export only if no other worker exported or is exporting this article."""
        expected = record.content_hash if record else ""
        if isinstance(self.store, ClaimingStore) and not self.store.claim(url, guid, expected):
            raise ArticleDropped("duplicate", "another worker exported it or is exporting it", "INFO")

    def post_exported(self, item: Any, path: str, status: str) -> None:
        adapter = ItemAdapter(item)
        url = canonical_url(adapter["url"])
        now = datetime.now(UTC)
        previous = self.store.lookup(url)
        self.store.record(
            ExportRecord(
                url=url,
                guid=adapter.get("guid") or url,
                path=path,
                content_hash=content_hash(item),
                published=adapter.get("published"),
                first_exported=previous.first_exported if previous else now,
                last_exported=now,
            )
        )
