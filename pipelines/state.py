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
from aggregator.state.store import ClaimingStore, ExportRecord, StateStore, article_key, content_hash
from aggregator.web.urls import canonical_url


class StatePipeline:
    """Drop duplicates and unchanged articles; let new and changed ones through to the exporter.

    * the same article twice in one run (same guid, or same URL once tracking parameters are gone):
      dropped as ``duplicate``; an article with a ``key`` (a feed entry: its guid within its feed) is the
      same only if its key is, so that entries sharing a link and feeds reusing guids stay apart;
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
        self.seen_keys: dict[str, str] = {}

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
        key = adapter.get("key") or ""
        if key:
            earlier = self.seen_keys.get(key)
            self.seen_keys.setdefault(key, adapter["url"])
        else:
            earlier = self.seen_urls.get(url) or self.seen_guids.get(guid)
            self.seen_urls.setdefault(url, adapter["url"])
            self.seen_guids.setdefault(guid, adapter["url"])
        if earlier:
            raise ArticleDropped(
                "duplicate", f"same article as {earlier}, already handled in this run", "INFO"
            )

        record = self.lookup(url, guid, key)
        if record is None:
            self.claim(key or url, key or guid, record)
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
        self.claim(key or url, key or guid, record)
        return item

    def lookup(self, url: str, guid: str, key: str) -> ExportRecord | None:
        """The record of this article. A keyed article (a feed entry) is found by its key only; a record
        that an earlier version wrote under the entry's URL counts only if it holds the same guid."""
        if not key:
            return self.store.lookup(url, guid)
        record = self.store.lookup(key)
        if record is None:
            legacy = self.store.lookup(url)
            if legacy is not None and legacy.url == url and legacy.guid == guid:
                record = legacy
        return record

    def claim(self, url: str, guid: str, record: ExportRecord | None) -> None:
        """With a shared store, export only if no other worker exported or is exporting this article."""
        expected = record.content_hash if record else ""
        if isinstance(self.store, ClaimingStore) and not self.store.claim(url, guid, expected):
            raise ArticleDropped("duplicate", "another worker exported it or is exporting it", "INFO")

    def post_exported(self, item: Any, path: str, status: str) -> None:
        adapter = ItemAdapter(item)
        key = article_key(item)
        now = datetime.now(UTC)
        previous = self.store.lookup(key)
        self.store.record(
            ExportRecord(
                url=key,
                guid=key if adapter.get("key") else adapter.get("guid") or key,
                path=path,
                content_hash=content_hash(item),
                published=adapter.get("published"),
                first_exported=previous.first_exported if previous else now,
                last_exported=now,
            )
        )
