"""State: export each article once, rewrite it only when it changed."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from aggregator import signals
from aggregator.drops import ArticleDropped
from aggregator.state import open_adopted_posts, open_state_store
from aggregator.state.adopted import ADOPTED, ADOPTED_MARKERS, TAKE_OVER, AdoptedPosts
from aggregator.state.store import ClaimingStore, ExportRecord, StateStore, article_key, content_hash
from aggregator.web.urls import canonical_url

logger = logging.getLogger(__name__)


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

    Posts of an existing blog that ``aggregator adopt`` recorded (``aggregator.state.adopted``) are found by
    URL, or, lacking a link, by title and date: they are left exactly as they are (dropped as ``unchanged``),
    or rewritten in place once when adopted with ``--take-over``. ``DRY_RUN`` writes nothing to the store.
    """

    def __init__(
        self, store: StateStore, output_dir: Path, adopted: AdoptedPosts | None = None, dry_run: bool = False
    ) -> None:
        self.store = store
        self.output_dir = output_dir
        self.adopted = adopted
        self.dry_run = dry_run
        self.stats: Any = None
        self.seen_urls: dict[str, str] = {}
        self.seen_guids: dict[str, str] = {}
        self.seen_keys: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        settings = crawler.settings
        dry_run = settings.getbool("DRY_RUN")
        pipeline = cls(
            open_state_store(settings),
            Path(settings["OUTPUT_DIR"]),
            open_adopted_posts(settings),
            dry_run,
        )
        pipeline.stats = crawler.stats
        crawler.signals.connect(pipeline.post_exported, signal=signals.post_exported)
        return pipeline

    def close_spider(self) -> None:
        self.store.close()
        if self.adopted is not None:
            self.adopted.close()

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

        record = (
            self.lookup(url, guid, key)
            or self.adopted_by_link(url, guid, key)
            or self.adopted_record(adapter, url, guid, key)
        )
        if record is None:
            self.claim(key or url, key or guid, record)
            return item
        post_exists = (self.output_dir / record.path).is_file()
        if record.content_hash == ADOPTED and post_exists:
            raise ArticleDropped("unchanged", f"adopted post {record.path}, left as it is", "DEBUG")
        if record.content_hash == TAKE_OVER:
            adapter["post_path"] = record.path
            if record.published is not None:
                adapter["published"] = record.published
            self.claim(key or url, key or guid, record)
            return item
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

    def adopted_by_link(self, url: str, guid: str, key: str) -> ExportRecord | None:
        """A keyed article (a feed entry) whose post was adopted by its link or guid: from now on known by
        its key. (An article without a key finds such a record through :meth:`lookup`.)"""
        if not key:
            return None
        adopted = self.store.lookup(url, guid)
        if adopted is None or adopted.content_hash not in ADOPTED_MARKERS:
            return None
        record = dataclasses.replace(adopted, url=key, guid=key)
        if not self.dry_run:
            self.store.record(record)
        return record

    def adopted_record(self, adapter: ItemAdapter, url: str, guid: str, key: str) -> ExportRecord | None:
        """The record of an adopted post with this article's title and date, now kept under its key/URL."""
        if self.adopted is None:
            return None
        post = self.adopted.match(adapter.get("title") or "", adapter.get("published"))
        if post is None:
            return None
        now = datetime.now(UTC)
        record = ExportRecord(
            url=key or url,
            guid=key or guid,
            path=post.path,
            content_hash=TAKE_OVER if post.take_over else ADOPTED,
            published=post.published,
            first_exported=now,
            last_exported=now,
        )
        if not self.dry_run:
            self.store.record(record)
            self.adopted.remove(post.path)
        if self.stats is not None:
            self.stats.inc_value("aggregator/adopted/matched")
        logger.info("Matched %s to the adopted post %s (same title and date)", adapter["url"], post.path)
        return record

    def claim(self, url: str, guid: str, record: ExportRecord | None) -> None:
        """With a shared store, export only if no other worker exported or is exporting this article."""
        if self.dry_run:
            return
        expected = record.content_hash if record else ""
        if isinstance(self.store, ClaimingStore) and not self.store.claim(url, guid, expected):
            raise ArticleDropped("duplicate", "another worker exported it or is exporting it", "INFO")

    def post_exported(self, item: Any, path: str, status: str) -> None:
        if self.dry_run:
            return
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
