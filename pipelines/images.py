"""Images: fetch each article image once, as its host wants, so posts outlive the image hosts.

On only with ``IMAGES_MODE = "download"`` (``NotConfigured`` otherwise). It sits between state (400) and the
exporter (500): unchanged and duplicate articles were dropped before it, so they cost no image request, and
the exporter finds ``images`` filled in when it writes the post and links the files beside it.

It is Scrapy's ``ImagesPipeline`` (one JPEG per URL in ``IMAGES_STORE``, named by the URL's SHA-1, kept for
``IMAGES_EXPIRES`` days, optional ``IMAGES_THUMBS``) with what a blog needs on top:

* ZAKER's image hosts answer 403 to a foreign ``Referer``: hosts in ``IMAGES_NO_REFERRER_HOSTS`` are asked
  without one; others get the article's origin, as a browser showing the article would send.
* Only images are stored: a non-``image/*`` answer, or bytes Pillow cannot read (an HTML error page sent as
  ``image/jpeg``), fail instead of becoming a ``.jpg`` that shows nothing.
* ``IMAGES_MAX_BYTES`` per image (the download is cut off early through ``download_maxsize``) and
  ``IMAGES_MAX_BYTES_PER_POST`` per post (images past the budget, in document order, stay remote).
* A failed image never costs the post: it keeps its remote URL, and the log gets one WARNING line per image
  of each post with the URL and the reason, counted as ``aggregator/images/failed/<reason>``.
"""

from __future__ import annotations

import logging
import warnings
from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from PIL import Image
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
)
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.images import ImagesPipeline
from scrapy.pipelines.media import FileException, FileInfo, FileInfoOrError, MediaPipeline
from twisted.internet.error import ConnectError, DNSLookupError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

from aggregator.compat.scrapy_hooks import configure_image_stores
from aggregator.export.images import ImageSettings, sends_no_referrer, wanted_images

logger = logging.getLogger(__name__)


class ImageFailed(FileException):
    """An image that will not be published locally, with the stats key of why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def failure_reason(failure: Failure) -> tuple[str, str]:
    """A short stats key and the words for the log line, for a request that got no usable response."""
    error = failure.value
    if isinstance(error, ImageFailed):
        return error.reason, str(error)
    if isinstance(error, DownloadCancelledError):
        return "too_large", str(error)
    if isinstance(error, (DownloadTimeoutError, TwistedTimeoutError)):
        return "timeout", f"{type(error).__name__}: {error}"
    if isinstance(
        error, (DownloadConnectionRefusedError, CannotResolveHostError, ConnectError, DNSLookupError)
    ):
        return "unreachable", f"{type(error).__name__}: {error}"
    if isinstance(error, IgnoreRequest):
        return "filtered", str(error)
    return "error", f"{type(error).__name__}: {error}"


def is_upright_jpeg(data: bytes) -> bool:
    """A JPEG that needs no EXIF rotation, i.e. one whose bytes can be published unchanged."""
    try:
        with Image.open(BytesIO(data)) as image:
            return image.format == "JPEG" and image.getexif().get(0x0112, 1) == 1
    except Exception:
        return False


def content_type(response: Response) -> str:
    raw = response.headers.get("Content-Type") or b""
    return raw.decode("latin-1").split(";")[0].strip().lower()


class ImageDownloadPipeline(ImagesPipeline):
    """``ImagesPipeline`` for articles (see the module docstring); results land in ``Article.images``."""

    def __init__(self, store_uri: str, *, crawler: Crawler, config: ImageSettings) -> None:
        super().__init__(store_uri, crawler=crawler)
        self.config = config
        self.failures: dict[str, tuple[str, str]] = {}
        """Image URL → (reason, message) of this run's failed downloads (see :meth:`media_failed`)."""
        # ImagesPipeline reads IMAGES_THUMBS with settings.get, which keeps a `-s` JSON value a string.
        self.thumbs = {
            name: (int(size[0]), int(size[1]))
            for name, size in crawler.settings.getdict("IMAGES_THUMBS").items()
        }

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ImageDownloadPipeline:
        try:
            config = ImageSettings.from_settings(crawler.settings)
        except ValueError as error:
            raise NotConfigured(f"image downloading is off because a setting is wrong: {error}") from error
        if config.mode != "download" or crawler.settings.getbool("DRY_RUN"):
            raise NotConfigured  # no message: Scrapy would log "Disabled" as a WARNING on every plain crawl
        configure_image_stores(cls, crawler.settings)
        return cls(str(config.store), crawler=crawler, config=config)

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        adapter = ItemAdapter(item)
        parts = urlsplit(adapter.get("url") or "")
        article_origin = f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else ""
        requests = []
        for url in wanted_images(adapter.get("image_urls") or [], adapter.get("cover") or ""):
            meta: dict[str, Any] = {"download_maxsize": self.config.max_bytes, "image_url": url}
            headers = {}
            if sends_no_referrer(url, self.config.no_referrer_hosts):
                meta["referrer_policy"] = "no-referrer"
            elif article_origin:
                headers["Referer"] = article_origin
            requests.append(Request(url, callback=NO_CALLBACK, headers=headers, meta=meta))
        return requests

    async def media_downloaded(
        self, response: Response, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> FileInfo:
        """Refuse anything that is not a whole, readable image before ImagesPipeline stores it.

        Replaces FilesPipeline's version, which logs a traceback per failure; here a failure is one
        ``ImageFailed`` that ``item_completed`` reports once per post.
        """
        if response.status != 200:
            raise ImageFailed(f"http_{response.status}", f"HTTP {response.status}")
        kind = content_type(response)
        if not kind.startswith("image/"):
            raise ImageFailed("not_image", f"Content-Type is {kind or 'missing'}, not an image")
        if not response.body:
            raise ImageFailed("empty", "empty response")
        if len(response.body) > self.config.max_bytes:
            raise ImageFailed(
                "too_large", f"{len(response.body)} bytes > IMAGES_MAX_BYTES {self.config.max_bytes}"
            )
        try:
            with warnings.catch_warnings():
                # Pillow only *warns* about a decompression bomb (up to twice its own limit) and then decodes
                # it: a 136 KB PNG of 12000x12000 took the crawl to 930 MB. A warning is a failure here.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(BytesIO(response.body)) as image:  # reads the header only
                    width, height = image.size
                    if width * height > self.config.max_pixels:
                        raise ImageFailed(
                            "too_many_pixels",
                            f"{width}x{height} pixels > IMAGES_MAX_PIXELS {self.config.max_pixels}",
                        )
                    image.verify()
        except ImageFailed:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise ImageFailed("too_many_pixels", f"a decompression bomb ({error})") from None
        except Exception as error:  # Pillow raises many kinds; any of them means "not an image we can show"
            raise ImageFailed("not_image", f"Pillow cannot read it ({type(error).__name__})") from None
        status = "cached" if "cached" in response.flags else "downloaded"
        path = self.file_path(request, response=response, info=info, item=item)
        try:
            checksum = await self.image_downloaded(response, request, info, item=item)
        except OSError as error:
            raise ImageFailed("store_failed", f"cannot store {path}: {error}") from None
        except Exception as error:  # Pillow may still fail while converting or thumbnailing
            raise ImageFailed("not_image", f"cannot convert ({type(error).__name__}: {error})") from None
        self.inc_stats(status)
        return {"url": request.url, "path": path, "checksum": checksum, "status": status}

    def convert_image(
        self, image: Any, size: tuple[int, int] | None = None, *, response_body: BytesIO
    ) -> tuple[Any, BytesIO]:
        """Store a JPEG as it came: ImagesPipeline re-encodes every image (EXIF handling drops the format),
        which would cost each news photo quality for nothing. Other formats, rotated JPEGs and thumbnails
        still go through ImagesPipeline's conversion to JPEG."""
        if size is None and is_upright_jpeg(response_body.getvalue()):
            return image, response_body
        return super().convert_image(image, size, response_body=response_body)

    def media_failed(self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo) -> None:
        """Remember why, and return instead of raising.

        Every exception leaving here is logged by MediaPipeline as an ERROR with a traceback (and counted as
        a crawl error), although a missing image is an expected, per-image event. Returning makes the
        result ``None`` (cached per URL like any result); :meth:`item_completed` reads the reason back.
        Failures raised by :meth:`media_downloaded` arrive here too.
        """
        reason, message = failure_reason(failure)
        self.failures[request.meta.get("image_url") or request.url] = (reason, message)
        logger.debug("Image %s not downloaded (%s): %s", request.url, reason, message)

    def inc_stats(self, status: str) -> None:
        super().inc_stats(status)
        self.crawler.stats.inc_value(f"aggregator/images/{status}")

    def item_completed(
        self, results: list[FileInfoOrError], item: Any, info: MediaPipeline.SpiderInfo
    ) -> Any:
        """Keep the stored images that fit the post's budget, in document order; report every other one."""
        adapter = ItemAdapter(item)
        # Results come in the order of get_media_requests, which is this order.
        urls = wanted_images(adapter.get("image_urls") or [], adapter.get("cover") or "")
        kept: list[dict[str, Any]] = []
        total = 0
        for url, (ok, value) in zip(urls, results, strict=True):
            if not ok or not value:
                reason, message = (
                    failure_reason(value)
                    if isinstance(value, Failure)
                    else self.failures.get(url, ("error", "?"))
                )
                self.report(adapter, url, reason, message)
                continue
            size = self.stored_size(value["path"])
            if total + size > self.config.max_bytes_per_post:
                budget = self.config.max_bytes_per_post
                self.report(adapter, url, "post_too_large", f"post over {budget} bytes of images")
                continue
            total += size
            # The URL as the body has it (Request.url may be percent-escaped), so the exporter finds it.
            kept.append({**value, "url": url, "bytes": size})
        adapter["images"] = kept
        return item

    def stored_size(self, path: str) -> int:
        try:
            return (self.config.store / path).stat().st_size
        except OSError:
            return 0

    def report(self, adapter: ItemAdapter, url: str, reason: str, message: str) -> None:
        self.crawler.stats.inc_value(f"aggregator/images/failed/{reason}")
        logger.warning(
            "Image %s of %s keeps its remote URL (%s): %s", url, adapter.get("url"), reason, message
        )
