"""Export: write each article as a Hexo post under ``OUTPUT_DIR``, atomically."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from aggregator import signals
from aggregator.drops import ArticleDropped
from aggregator.hexo import PostFormat, render_post
from aggregator.postfiles import PostNaming, UnsafePath, remove_stale_temp_files, resolve_inside, write_atomic

logger = logging.getLogger(__name__)


class HexoExportPipeline:
    """Render the post (``aggregator.hexo``) and put it in place (``aggregator.postfiles``).

    Counts ``aggregator/exported/new`` and ``aggregator/exported/updated``, and tells the state pipeline
    through the ``post_exported`` signal once the file is really there.
    """

    def __init__(
        self, crawler: Crawler, output_dir: Path, post_format: PostFormat, naming: PostNaming
    ) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.format = post_format
        self.naming = naming

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HexoExportPipeline:
        settings = crawler.settings
        try:
            post_format = PostFormat.from_settings(settings)
            naming = PostNaming.from_settings(settings)
        except ValueError as error:
            raise NotConfigured(f"Hexo export is off because a setting is wrong: {error}") from error
        return cls(crawler, Path(settings.get("OUTPUT_DIR", "output")), post_format, naming)

    def open_spider(self) -> None:
        self.output_dir.mkdir(parents=True, exist_ok=True)
        for leftover in remove_stale_temp_files(self.output_dir):
            logger.warning("Removed %s, a temporary file left by an interrupted run", leftover)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        try:
            relative = adapter.get("post_path") or str(self.naming.relative_path(item))
            path = resolve_inside(self.output_dir, relative)
        except UnsafePath as error:
            raise ArticleDropped("unsafe_path", str(error), "ERROR") from error
        existed = path.exists()
        try:
            written = write_atomic(path, render_post(item, self.format))
        except OSError as error:
            self.crawler.stats.inc_value("aggregator/errors/write")
            raise ArticleDropped("write_failed", f"cannot write {path}: {error}", "ERROR") from error
        adapter["post_path"] = relative
        status = "updated" if existed else "new"
        if written:
            self.crawler.stats.inc_value(f"aggregator/exported/{status}")
            logger.info("%s post %s for %s", "Updated" if existed else "Wrote", relative, adapter["url"])
        else:
            self.crawler.stats.inc_value("aggregator/unchanged")
        self.crawler.signals.send_catch_log(signals.post_exported, item=item, path=relative, status=status)
        return item
