"""Where a post's images come from: their real host, a proxy, or a local copy Hexo publishes.

Image hosts break blogs silently: ZAKER's ``zkres*.myzaker.com`` refuse a foreign ``Referer`` and a proxy
prefix (the seed's CORS worker) can vanish. ``IMAGES_MODE`` picks one of three answers:

* ``link`` (default): the real URL, with ``referrerpolicy="no-referrer"`` so ZAKER serves it.
* ``proxy``: every image URL (body, cover) behind ``IMAGE_PROXY``.
* ``download``: Scrapy's ImagesPipeline keeps one copy per URL in ``IMAGES_STORE`` (a hidden download cache,
  named by the SHA-1 of the URL, so the same image in ten posts is fetched and stored once); the exporter then
  hard-links each file where Hexo publishes it (``IMAGES_LAYOUT``):

  - ``post``: the post's asset folder, ``<post-name>/<sha1>.jpg`` beside ``<post-name>.md``
    (Hexo's ``post_asset_folder: true``). The body refers to it with ``{% asset_path <sha1>.jpg %}``, because
    Hexo 8 leaves a raw-HTML ``<img src="x.jpg">`` untouched: relative to the post page it works there but
    not on the index or archive pages that show the same content. The tag becomes ``url_for(asset.path)``,
    root-relative and right on every page, whatever the permalink is. The cover goes to the shared folder
    (below): front matter cannot hold a tag and the asset folder's URL depends on Hexo's permalink.
  - ``shared``: one folder Hexo serves as it is, ``IMAGES_DIR`` (by default ``source/images`` beside
    ``source/_posts``), at ``IMAGES_URL`` (``/images/``): every image is ``/images/full/<sha1>.jpg``.

The functions here are pure: they name files and decide what each ``src`` becomes; the pipelines do I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from aggregator import settings as project_defaults
from aggregator.web.urls import on_domain

IMAGES_MODES = ("link", "proxy", "download")
IMAGES_LAYOUTS = ("post", "shared")

ASSET_FILE = re.compile(r"^[0-9a-f]{40}\.jpg$")
"""Files the exporter put in an asset folder (SHA-1 of the URL, as ImagesPipeline names them): only these
are ever pruned, so files a person added to the folder are left alone."""


@dataclass(frozen=True)
class ImageSettings:
    """The image settings, checked once: a typo must stop the crawl, not silently publish broken images."""

    # Without from_settings (tests, aggregator extract), the project's defaults: declared in settings.py only.
    mode: str = project_defaults.IMAGES_MODE
    proxy: str = project_defaults.IMAGE_PROXY
    layout: str = project_defaults.IMAGES_LAYOUT
    store: Path = Path(project_defaults.OUTPUT_DIR) / ".aggregator" / "images"
    shared_dir: Path = Path(project_defaults.OUTPUT_DIR) / "images"
    shared_url: str = project_defaults.IMAGES_URL
    max_bytes: int = project_defaults.IMAGES_MAX_BYTES
    max_bytes_per_post: int = project_defaults.IMAGES_MAX_BYTES_PER_POST
    max_pixels: int = project_defaults.IMAGES_MAX_PIXELS
    no_referrer_hosts: tuple[str, ...] = tuple(project_defaults.IMAGES_NO_REFERRER_HOSTS)
    cover_thumb: str = project_defaults.IMAGES_COVER_THUMB

    @classmethod
    def from_settings(cls, settings: Any) -> ImageSettings:
        output_dir = Path(settings["OUTPUT_DIR"])
        mode = settings["IMAGES_MODE"]
        if mode not in IMAGES_MODES:
            raise ValueError(f"IMAGES_MODE must be one of {IMAGES_MODES}, not {mode!r}")
        proxy = settings["IMAGE_PROXY"]
        if mode == "proxy" and not proxy:
            raise ValueError("IMAGES_MODE='proxy' needs IMAGE_PROXY, e.g. 'https://your-worker.example/?'")
        layout = settings["IMAGES_LAYOUT"]
        if layout not in IMAGES_LAYOUTS:
            raise ValueError(f"IMAGES_LAYOUT must be one of {IMAGES_LAYOUTS}, not {layout!r}")
        store = settings.get("IMAGES_STORE") or str(output_dir / ".aggregator" / "images")
        if "://" in str(store) and not str(store).startswith("file://"):
            raise ValueError(f"IMAGES_STORE must be a local folder (files are hard-linked), not {store!r}")
        shared_url = settings["IMAGES_URL"]
        thumbs = settings.getdict("IMAGES_THUMBS")
        cover_thumb = settings["IMAGES_COVER_THUMB"]
        if cover_thumb and cover_thumb not in thumbs:
            raise ValueError(f"IMAGES_COVER_THUMB={cover_thumb!r} is not a size in IMAGES_THUMBS {thumbs}")
        return cls(
            mode=mode,
            proxy=proxy,
            layout=layout,
            store=Path(str(store).removeprefix("file://")),
            shared_dir=Path(settings.get("IMAGES_DIR") or default_shared_dir(output_dir)),
            shared_url=shared_url if shared_url.endswith("/") else shared_url + "/",
            max_bytes=settings.getint("IMAGES_MAX_BYTES"),
            max_bytes_per_post=settings.getint("IMAGES_MAX_BYTES_PER_POST"),
            max_pixels=settings.getint("IMAGES_MAX_PIXELS"),
            no_referrer_hosts=tuple(settings.getlist("IMAGES_NO_REFERRER_HOSTS")),
            cover_thumb=cover_thumb,
        )


def default_shared_dir(output_dir: Path) -> Path:
    """``source/images`` when posts go to a Hexo site's ``source/_posts``, else ``<OUTPUT_DIR>/images``.

    Hexo publishes only the asset folders of real posts from ``_posts``: a shared ``_posts/images/`` would
    never reach ``public/``, so the shared folder must sit beside ``_posts``, in ``source``.
    """
    if output_dir.name == "_posts":
        return output_dir.parent / "images"
    return output_dir / "images"


def sends_no_referrer(url: str, hosts: Iterable[str]) -> bool:
    """True for hosts that refuse a foreign ``Referer`` (ZAKER's image hosts): ask them without one."""
    return any(on_domain(url, host) for host in hosts)


def wanted_images(image_urls: Sequence[str], cover: str) -> list[str]:
    """The body's images in document order, then the cover if the page declared one of its own."""
    urls = [url for url in dict.fromkeys(image_urls) if url.startswith(("http://", "https://"))]
    if cover and cover.startswith(("http://", "https://")) and cover not in urls:
        urls.append(cover)
    return urls


def asset_folder(post_path: PurePosixPath | str) -> PurePosixPath:
    """Hexo's asset folder of a post: its path without ``.md`` (``a/b.md`` → ``a/b``)."""
    path = PurePosixPath(post_path)
    return path.with_suffix("") if path.suffix == ".md" else path


def thumb_store_path(store_path: str, thumb: str) -> str:
    """ImagesPipeline's thumbnail path for a stored image: ``full/x.jpg`` → ``thumbs/<thumb>/x.jpg``."""
    return f"thumbs/{thumb}/{PurePosixPath(store_path).name}"


@dataclass(frozen=True)
class Placement:
    """One stored file and where, relative to a root, it must be linked so Hexo publishes it."""

    store_path: str
    root: str
    """``"posts"`` (OUTPUT_DIR, the post's asset folder) or ``"shared"`` (IMAGES_DIR)."""
    destination: PurePosixPath


@dataclass(frozen=True)
class LocalImages:
    """What the exporter writes for one post's downloaded images."""

    body: Mapping[str, str] = field(default_factory=dict)
    """Real image URL → what its ``src`` becomes. Images that failed are absent and keep their URL."""
    cover: str = ""
    cover_thumbnail: str = ""
    asset_tags: bool = False
    """True when ``body`` values are asset file names for ``{% asset_path %}`` (post layout, HTML body)."""
    placements: tuple[Placement, ...] = ()


def local_images(
    images: Sequence[Mapping[str, Any]],
    cover: str,
    post_path: PurePosixPath | str,
    config: ImageSettings,
    body_format: str = "html",
) -> LocalImages:
    """Decide, from ImagesPipeline's results (``url``, ``path``), every file to publish and every new ``src``.

    In the post layout a Markdown body writes the bare file name (``![](x.jpg)``), which hexo-renderer-marked
    resolves to the asset's URL with ``marked.postAsset: true``; an HTML body gets the ``asset_path`` tag.
    """
    stored = {str(image["url"]): str(image["path"]) for image in images if image.get("path")}
    body: dict[str, str] = {}
    placements: list[Placement] = []
    folder = asset_folder(post_path)
    for url, store_path in stored.items():
        name = PurePosixPath(store_path).name
        if config.layout == "post":
            placements.append(Placement(store_path, "posts", folder / name))
            body[url] = name
        else:
            placements.append(Placement(store_path, "shared", PurePosixPath(store_path)))
            body[url] = config.shared_url + store_path
    local_cover = local_thumb = ""
    if cover in stored:
        store_path = stored[cover]
        if config.layout == "post":
            placements.append(Placement(store_path, "shared", PurePosixPath(store_path)))
        local_cover = local_thumb = config.shared_url + store_path
        if config.cover_thumb:
            thumb = thumb_store_path(store_path, config.cover_thumb)
            placements.append(Placement(thumb, "shared", PurePosixPath(thumb)))
            local_thumb = config.shared_url + thumb
    return LocalImages(
        body=body,
        cover=local_cover,
        cover_thumbnail=local_thumb,
        asset_tags=config.layout == "post" and body_format == "html" and bool(body),
        placements=tuple(dict.fromkeys(placements)),
    )


def asset_tag(name: str) -> str:
    """Hexo's tag that turns an asset file name into its root-relative URL on every page."""
    return "{% asset_path " + name + " %}"


def stale_assets(existing: Iterable[str], placed: Iterable[str]) -> list[str]:
    """Asset-folder files this exporter wrote earlier that the post no longer uses (its images changed)."""
    keep = set(placed)
    return sorted(name for name in existing if ASSET_FILE.match(name) and name not in keep)
