"""Export: write each article as a Hexo post under ``OUTPUT_DIR``, atomically, with its downloaded images."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from pathlib import Path, PurePosixPath
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from aggregator import signals
from aggregator.drops import ArticleDropped
from aggregator.export.files import (
    PostNaming,
    UnsafePath,
    link_or_copy,
    remove_stale_temp_files,
    resolve_inside,
    write_atomic,
)
from aggregator.export.hexo import PostFormat, render_post
from aggregator.export.images import (
    ImageSettings,
    LocalImages,
    asset_folder,
    local_images,
    stale_assets,
    thumb_store_path,
)

logger = logging.getLogger(__name__)


class HexoExportPipeline:
    """Render the post (``aggregator.export.hexo``) and put it in place (``aggregator.export.files``).

    Counts ``aggregator/exported/new`` and ``aggregator/exported/updated``, and tells the state pipeline
    through the ``post_exported`` signal once the file is really there.

    In ``IMAGES_MODE = "download"`` it first links the images the image pipeline stored to where Hexo
    publishes them (``aggregator.export.images``), then writes the post that refers to them: a reader never
    sees a post whose local image is not there yet.
    """

    def __init__(
        self,
        crawler: Crawler,
        output_dir: Path,
        post_format: PostFormat,
        naming: PostNaming,
        images: ImageSettings | None = None,
    ) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.format = post_format
        self.naming = naming
        self.images = images or ImageSettings()
        self.dry_run = crawler.settings.getbool("DRY_RUN")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HexoExportPipeline:
        settings = crawler.settings
        try:
            post_format = PostFormat.from_settings(settings)
            naming = PostNaming.from_settings(settings)
            images = ImageSettings.from_settings(settings)
        except ValueError as error:
            raise NotConfigured(f"Hexo export is off because a setting is wrong: {error}") from error
        return cls(crawler, Path(settings["OUTPUT_DIR"]), post_format, naming, images)

    def open_spider(self) -> None:
        if self.dry_run:
            return
        self.output_dir.mkdir(parents=True, exist_ok=True)
        folders = [self.output_dir]
        if self.images.mode == "download" and self.images.shared_dir.is_dir():
            folders.append(self.images.shared_dir)
        for folder in folders:
            for leftover in remove_stale_temp_files(folder):
                logger.warning("Removed %s, a temporary file left by an interrupted run", leftover)
        if self.images.mode == "link" and self.images.proxy:
            logger.warning("IMAGE_PROXY is set but IMAGES_MODE is 'link': images keep their real URLs")

    async def process_item(self, item: Any) -> Any:
        """Write the post in a thread: a post's ``fsync`` waits ~5–10 ms for the disk, which on the reactor
        thread would stall every download meanwhile, and posts written side by side share the disk's
        flushes (ten in flight cost about what one does alone)."""
        adapter = ItemAdapter(item)
        try:
            relative = adapter.get("post_path") or str(self.naming.relative_path(item))
            path = resolve_inside(self.output_dir, relative)
        except UnsafePath as error:
            raise ArticleDropped("unsafe_path", str(error), "ERROR") from error
        existed = path.exists()
        if self.dry_run:
            return self.would_write(item, relative, path, existed)
        local = self.publish_images(adapter, relative) if self.images.mode == "download" else None
        try:
            text = render_post(item, self.format, local)
            written = await maybe_deferred_to_future(deferToThread(write_atomic, path, text))
        except OSError as error:
            self.crawler.stats.inc_value("aggregator/errors/write")
            raise ArticleDropped("write_failed", f"cannot write {path}: {error}", "ERROR") from error
        adapter["post_path"] = relative
        if local is not None and self.images.layout == "post":
            self.prune_assets(relative, local)
        status = "updated" if existed else "new"
        if written:
            self.crawler.stats.inc_value(f"aggregator/exported/{status}")
            logger.info("%s post %s for %s", "Updated" if existed else "Wrote", relative, adapter["url"])
        else:
            self.crawler.stats.inc_value("aggregator/unchanged")
        self.crawler.signals.send_catch_log(signals.post_exported, item=item, path=relative, status=status)
        return item

    def would_write(self, item: Any, relative: str | PurePosixPath, path: Path, existed: bool) -> Any:
        """``DRY_RUN``: count and log what would be written (images left remote), write nothing."""
        adapter = ItemAdapter(item)
        text = render_post(item, self.format, None)
        try:
            same = existed and path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if same:
            self.crawler.stats.inc_value("aggregator/unchanged")
            return item
        status = "updated" if existed else "new"
        self.crawler.stats.inc_value(f"aggregator/exported/{status}")
        logger.info("Would write %s post %s for %s (dry run)", status, relative, adapter["url"])
        self.crawler.signals.send_catch_log(
            signals.post_would_write, item=item, path=str(relative), status=status
        )
        return item

    def publish_images(self, adapter: ItemAdapter, relative: str | PurePosixPath) -> LocalImages:
        """Link the post's stored images where Hexo publishes them; an image that cannot be placed stays
        remote in the post (one WARNING line, ``aggregator/images/failed/publish_failed``)."""
        config = self.images
        images = [
            image
            for image in adapter.get("images") or []
            if image.get("path") and (config.store / image["path"]).is_file()
        ]
        cover = adapter.get("cover") or ""
        cover_path = next((image["path"] for image in images if image["url"] == cover), "")
        thumb = thumb_store_path(cover_path, config.cover_thumb) if config.cover_thumb and cover_path else ""
        if thumb and not (config.store / thumb).is_file():
            config = dataclasses.replace(config, cover_thumb="")  # stored before IMAGES_THUMBS was set
        local = local_images(images, cover, relative, config, self.format.body_format)
        failed: set[str] = set()
        for placement in local.placements:
            root = self.output_dir if placement.root == "posts" else config.shared_dir
            try:
                link_or_copy(config.store / placement.store_path, resolve_inside(root, placement.destination))
            except (OSError, UnsafePath) as error:
                failed.add(placement.store_path)
                self.crawler.stats.inc_value("aggregator/images/failed/publish_failed")
                url = next(
                    (i["url"] for i in images if i["path"] == placement.store_path), placement.store_path
                )
                logger.warning(
                    "Image %s of %s keeps its remote URL (publish_failed): %s", url, adapter["url"], error
                )
        if failed:
            images = [image for image in images if image["path"] not in failed]
            local = local_images(images, cover, relative, config, self.format.body_format)
        return local

    def prune_assets(self, relative: str | PurePosixPath, local: LocalImages) -> None:
        """Remove images this exporter put in the post's asset folder that the post no longer uses."""
        try:
            folder = resolve_inside(self.output_dir, asset_folder(relative))
        except UnsafePath:
            return
        if not folder.is_dir():
            return
        placed = [p.destination.name for p in local.placements if p.root == "posts"]
        for name in stale_assets([entry.name for entry in folder.iterdir()], placed):
            with contextlib.suppress(OSError):
                (folder / name).unlink()
                logger.debug("Removed %s from %s: the post no longer shows it", name, folder)
