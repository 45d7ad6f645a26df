"""Images that outlive their hosts: ``IMAGES_MODE`` link / proxy / download, proven with a real Hexo 8.

The end-to-end tests run ``scrapy crawl feed`` on ``tests/fixtures/images/feed.xml`` whose images are
served by the loopback fixture server under two host names — ``127.0.0.1`` for a CCTV-like host that wants a
Referer, ``localhost`` for a ZAKER-like host that must get none — write the posts straight into a Hexo site,
generate it, and check every ``<img>`` of the post pages *and* the home page (which prints each post's
content) against the files in ``public/``. The image bytes are made with Pillow at test time.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import frontmatter
import lxml.html as lxml_html
import pytest
from PIL import Image
from scrapy.utils.project import get_project_settings

from aggregator.export.files import link_or_copy
from aggregator.export.hexo import PostFormat, escape_template_markers, render_post
from aggregator.export.images import (
    ImageSettings,
    LocalImages,
    Placement,
    asset_folder,
    default_shared_dir,
    local_images,
    sends_no_referrer,
    stale_assets,
    wanted_images,
)
from aggregator.items import Article
from tests.crawling import FIXTURES, CrawlResult
from tests.fixture_server import FixtureServer
from tests.hexo_site import HexoRun, HexoSite, ensure_node_modules, hexo_unavailable_reason
from tests.shipped import shipped_settings

FEED = FIXTURES / "images" / "feed.xml"
CCTV_ARTICLE = "https://news.cctv.com/2024/03/01/ARTIimages0301.shtml"
ZAKER_ARTICLE = "https://www.myzaker.com/article/65e1a2b3c4d5e6f708091a2b"
BUDGET_ARTICLE = "https://news.cctv.com/2024/03/03/ARTIbudget0303.shtml"
MAX_BYTES = 100_000
FAILING = {
    "/photo/forbidden.jpg": "http_403",
    "/photo/missing.jpg": "http_404",
    "/photo/error-page.jpg": "not_image",
    "/photo/error-page-html.jpg": "not_image",
    "/photo/huge.jpg": "too_large",
}


def sha1(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()


def jpeg(size: int, seed: int, quality: int = 90) -> bytes:
    """A real JPEG of noise: noise does not compress, so its size is predictable enough for caps."""
    pixels = random.Random(seed).randbytes(size * size * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (size, size), pixels).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def png(size: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (size, size), (200, 30, 30, 128)).save(buffer, "PNG")
    return buffer.getvalue()


class ImageHosts:
    """The fixture server dressed as a CCTV-like host (127.0.0.1) and a ZAKER-like one (localhost)."""

    def __init__(self, server: FixtureServer) -> None:
        self.server = server
        self.cctv = server.base
        self.zaker = server.base.replace("127.0.0.1", "localhost")
        self.ok = jpeg(32, 1)
        self.budget = [jpeg(100, 10 + n) for n in range(3)]
        server.add("/photo/ok.jpg", self.ok, content_type="image/jpeg")
        server.add("/zkres/picky.png", png(16), content_type="image/png")
        server.add("/zkres/second.jpg", jpeg(24, 2), content_type="image/jpeg")
        server.add("/photo/forbidden.jpg", b"Forbidden", status=403, content_type="text/plain")
        server.add("/photo/missing.jpg", b"<h1>404</h1>", status=404)
        server.add("/photo/error-page.jpg", b"<html><body>error</body></html>", content_type="image/jpeg")
        server.add("/photo/error-page-html.jpg", b"<html><body>login</body></html>")
        self.huge = jpeg(400, 3, quality=95)
        assert len(self.huge) > MAX_BYTES
        server.add("/photo/huge.jpg", self.huge, content_type="image/jpeg")
        for n, data in enumerate(self.budget, start=1):
            server.add(f"/budget/{n}.jpg", data, content_type="image/jpeg")

    def feed(self, extra: str = "more text", drop_picky: bool = False) -> str:
        """Serve the feed (optionally with the first article changed); return its URL."""
        text = FEED.read_text(encoding="utf-8")
        if drop_picky:
            text = text.replace(
                '<p><img src="__ZAKER__/zkres/picky.png" alt="只认无 Referer 的图床"></p>', ""
            )
        text = (
            text.replace("__CCTV__", self.cctv).replace("__ZAKER__", self.zaker).replace("__EXTRA__", extra)
        )
        return self.server.add("/feed.xml", text, content_type="application/rss+xml; charset=utf-8")

    def url(self, path: str) -> str:
        return (self.zaker if path.startswith("/zkres/") else self.cctv) + path

    def per_post_cap(self) -> int:
        """Room for the first two budget images, not the third."""
        return len(self.budget[0]) + len(self.budget[1]) + len(self.budget[2]) // 2

    def image_hits(self) -> dict[str, int]:
        return {path: self.server.hits(path) for path in self.server.routes if path != "/feed.xml"}


def pipelines() -> str:
    """The project's pipelines with the image pipeline at 450 (settings.py gains this line when merged)."""
    configured = dict(get_project_settings().getdict("ITEM_PIPELINES"))
    configured["pipelines.images.ImageDownloadPipeline"] = 450
    return json.dumps(configured)


def crawl_settings(hosts: ImageHosts, **extra: str) -> dict[str, str]:
    return {
        "ITEM_PIPELINES": pipelines(),
        "FEED_FETCH_PAGES": "never",
        "IMAGES_NO_REFERRER_HOSTS": "localhost",
        "IMAGES_MAX_BYTES": str(MAX_BYTES),
        "IMAGES_MAX_BYTES_PER_POST": str(hosts.per_post_cap()),
        "MEDIA_ALLOW_REDIRECTS": "True",
        "RETRY_ENABLED": "False",
        **extra,
    }


@pytest.fixture
def hexo_ready() -> None:
    reason = hexo_unavailable_reason()
    if reason:
        pytest.skip(reason)
    ensure_node_modules()


def add_config(site: HexoSite, text: str) -> None:
    with (site.root / "_config.yml").open("a", encoding="utf-8") as config:
        config.write(text)


def local_sources(run: HexoRun, page: str) -> dict[str, Path]:
    """The page's images served by the blog itself (root-relative), each with its file in public/."""
    return {src: path for src, path in run.page_images(page).items() if not src.startswith("http")}


def remote_sources(run: HexoRun, page: str) -> set[str]:
    return {src for src in run.page_images(page) if src.startswith("http")}


def post_page(run: HexoRun, result: CrawlResult, link: str) -> str:
    source = next(path for path, post in result.posts().items() if post.get("link") == link)
    return run.post(source)["url_path"] + "/index.html"


def stat(result: CrawlResult, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", result.log)
    return int(match.group(1)) if match else 0


# --- settings and pure helpers ------------------------------------------------------------------------------


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="IMAGES_MODE"):
        ImageSettings.from_settings(shipped_settings({"IMAGES_MODE": "mirror"}))
    with pytest.raises(ValueError, match="needs IMAGE_PROXY"):
        ImageSettings.from_settings(shipped_settings({"IMAGES_MODE": "proxy"}))
    with pytest.raises(ValueError, match="IMAGES_LAYOUT"):
        ImageSettings.from_settings(shipped_settings({"IMAGES_MODE": "download", "IMAGES_LAYOUT": "flat"}))
    with pytest.raises(ValueError, match="IMAGES_COVER_THUMB"):
        ImageSettings.from_settings(
            shipped_settings({"IMAGES_COVER_THUMB": "big", "IMAGES_THUMBS": {"small": [9, 9]}})
        )
    with pytest.raises(ValueError, match="local folder"):
        ImageSettings.from_settings(shipped_settings({"IMAGES_STORE": "s3://bucket/images"}))
    config = ImageSettings.from_settings(
        shipped_settings({"OUTPUT_DIR": "blog/source/_posts", "IMAGES_URL": "/blog/i"})
    )
    assert config.mode == "link" and config.layout == "post"
    assert config.store == Path("blog/source/_posts/.aggregator/images")
    assert config.shared_dir == Path("blog/source/images")
    assert config.shared_url == "/blog/i/"


def test_shared_folder_sits_beside_posts_in_a_hexo_site() -> None:
    assert default_shared_dir(Path("site/source/_posts")) == Path("site/source/images")
    assert default_shared_dir(Path("output")) == Path("output/images")


def test_only_listed_hosts_are_asked_without_referer() -> None:
    hosts = ("myzaker.com",)
    assert sends_no_referrer("http://zkres1.myzaker.com/202204/x.jpg", hosts)
    assert sends_no_referrer("https://myzaker.com/x.jpg", hosts)
    assert not sends_no_referrer("https://notmyzaker.com/x.jpg", hosts)
    assert not sends_no_referrer("https://p1.img.cctvpic.com/x.jpg", hosts)


def test_wanted_images_are_body_order_then_declared_cover() -> None:
    assert wanted_images(["http://a/1.jpg", "http://a/2.jpg", "http://a/1.jpg"], "http://a/2.jpg") == [
        "http://a/1.jpg",
        "http://a/2.jpg",
    ]
    assert wanted_images(["http://a/1.jpg", "data:x"], "https://c/cover.jpg") == [
        "http://a/1.jpg",
        "https://c/cover.jpg",
    ]


def test_local_images_in_post_asset_folders() -> None:
    images = [{"url": "http://a/1.jpg", "path": "full/" + "a" * 40 + ".jpg"}]
    config = ImageSettings(mode="download", layout="post", cover_thumb="small")
    local = local_images(images, "http://a/1.jpg", PurePosixPath("site/post-1.md"), config)
    name = "a" * 40 + ".jpg"
    assert local.body == {"http://a/1.jpg": name} and local.asset_tags
    assert local.cover == f"/images/full/{name}"
    assert local.cover_thumbnail == f"/images/thumbs/small/{name}"
    assert local.placements == (
        Placement(f"full/{name}", "posts", PurePosixPath("site/post-1") / name),
        Placement(f"full/{name}", "shared", PurePosixPath(f"full/{name}")),
        Placement(f"thumbs/small/{name}", "shared", PurePosixPath(f"thumbs/small/{name}")),
    )
    assert asset_folder("a/b.md") == PurePosixPath("a/b")


def test_local_images_in_the_shared_folder() -> None:
    images = [
        {"url": "http://a/1.jpg", "path": "full/x.jpg"},
        {"url": "http://a/2.jpg", "path": "full/y.jpg"},
    ]
    config = ImageSettings(mode="download", layout="shared", shared_url="/img/")
    local = local_images(images, "http://a/9.jpg", "p.md", config)
    assert local.body == {"http://a/1.jpg": "/img/full/x.jpg", "http://a/2.jpg": "/img/full/y.jpg"}
    assert local.cover == "" and not local.asset_tags
    assert {p.root for p in local.placements} == {"shared"}


def test_only_files_the_exporter_wrote_are_pruned() -> None:
    old, kept = "b" * 40 + ".jpg", "c" * 40 + ".jpg"
    assert stale_assets([old, kept, "mine.jpg", "notes.txt"], [kept]) == [old]


def test_link_or_copy_hard_links_once(tmp_path: Path) -> None:
    source = tmp_path / "store" / "x.jpg"
    source.parent.mkdir()
    source.write_bytes(b"jpeg")
    target = tmp_path / "posts" / "p" / "x.jpg"
    assert link_or_copy(source, target) is True
    assert os.path.samefile(source, target) and target.read_bytes() == b"jpeg"
    assert link_or_copy(source, target) is False
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.jpg"]


def test_template_markers_are_escaped_both_ways() -> None:
    assert escape_template_markers("{{ a }} {% b %} {# c #} #} {x}") == (
        "&#123;{ a }&#125; &#123;% b %&#125; &#123;# c #&#125; #&#125; {x}"
    )


# --- the exporter per mode ----------------------------------------------------------------------------------

ARTICLE_BODY = (
    '<p>{{ x }}</p><p><img src="http://zkres1.myzaker.com/1.jpg"><img src="http://other/2.jpg"></p>'
)


def article() -> Article:
    return Article(
        url="https://www.myzaker.com/article/1",
        title="t",
        body_html=ARTICLE_BODY,
        cover="http://zkres1.myzaker.com/1.jpg",
    )


def test_link_mode_keeps_real_urls_even_with_a_proxy_set() -> None:
    fmt = PostFormat.from_settings(shipped_settings({"IMAGE_PROXY": "https://proxy.example/?"}))
    post = frontmatter.loads(render_post(article(), fmt))
    assert post["headimg"] == "http://zkres1.myzaker.com/1.jpg"
    assert '<img src="http://zkres1.myzaker.com/1.jpg" referrerpolicy="no-referrer">' in post.content
    assert post["disableNunjucks"] is True


def test_proxy_mode_prefixes_body_and_cover() -> None:
    settings = shipped_settings({"IMAGES_MODE": "proxy", "IMAGE_PROXY": "https://proxy.example/?"})
    post = frontmatter.loads(render_post(article(), PostFormat.from_settings(settings)))
    assert post["headimg"] == post["thumbnail"] == "https://proxy.example/?http://zkres1.myzaker.com/1.jpg"
    assert 'src="https://proxy.example/?http://zkres1.myzaker.com/1.jpg"' in post.content
    assert 'src="https://proxy.example/?http://other/2.jpg"' in post.content


def test_download_mode_uses_asset_tags_and_keeps_failed_images_remote() -> None:
    fmt = PostFormat.from_settings(shipped_settings({"IMAGES_MODE": "download"}))
    local = LocalImages(
        body={"http://zkres1.myzaker.com/1.jpg": "a.jpg"}, cover="/images/full/a.jpg", asset_tags=True
    )
    post = frontmatter.loads(render_post(article(), fmt, local))
    assert post["headimg"] == "/images/full/a.jpg"
    assert "disableNunjucks" not in post.metadata
    assert post.content == (
        '<div>\n<p>&#123;{ x }&#125;</p><p><img src="{% asset_path a.jpg %}">'
        '<img src="http://other/2.jpg" referrerpolicy="no-referrer"></p>\n</div>'
    )


# --- end to end: scrapy crawl feed → Hexo generate ----------------------------------------------------------


def assert_pages_show_local_images(run: HexoRun, pages: list[str], expected_local: int) -> None:
    """Every root-relative image of these pages is a file in public/; the home page shows
    ``expected_local`` distinct local images, each a file in public/ too."""
    for page in pages:
        local = local_sources(run, page)
        missing = [src for src, path in local.items() if not path.is_file()]
        assert not missing, f"{page} refers to images missing from public/: {missing}"
    home = local_sources(run, "index.html")
    assert len(home) == expected_local, home
    assert all(path.is_file() for path in home.values())


def test_download_into_post_asset_folders(
    server: FixtureServer, run_crawl: Callable[..., CrawlResult], tmp_path: Path, hexo_ready: None
) -> None:
    hosts = ImageHosts(server)
    site = HexoSite.create(tmp_path, post_asset_folder=True)
    site.show_content_in_listings()
    settings = crawl_settings(hosts, IMAGES_MODE="download")
    result = run_crawl("feed", f"url={hosts.feed()}", output_dir=site.posts_dir, settings=settings)
    assert result.returncode == 0, result.log[-3000:]

    # Each image was fetched once, as its host wants it; the same image in two posts is one download.
    assert hosts.image_hits() == {path: 1 for path in hosts.image_hits()}
    headers = {path: {k.lower(): v for k, v in h.items()} for path, h in server.requests}
    assert "referer" not in headers["/zkres/picky.png"] and "referer" not in headers["/zkres/second.jpg"]
    assert headers["/photo/ok.jpg"]["referer"] == "https://news.cctv.com/"

    # One WARNING line per image that stays remote, with its URL and reason, and a count per reason.
    for path, reason in [*FAILING.items(), ("/budget/3.jpg", "post_too_large")]:
        lines = result.lines(f"Image {hosts.url(path)} of ")
        assert len(lines) == 1 and "WARNING" in lines[0] and f"({reason})" in lines[0], lines
    assert stat(result, "aggregator/images/failed/not_image") == 2
    assert stat(result, "aggregator/images/failed/http_403") == 1
    assert stat(result, "aggregator/images/failed/too_large") == 1
    assert stat(result, "aggregator/errors") == 0 and not result.lines(" ERROR:")

    # On disk: each post's images in its asset folder (hard links of one stored file), the cover shared.
    ok_name = sha1(hosts.url("/photo/ok.jpg")) + ".jpg"
    cctv_md = next(p for p, post in result.posts().items() if post["link"] == CCTV_ARTICLE)
    cctv = result.posts()[cctv_md]
    zaker_md = next(p for p, post in result.posts().items() if post["link"] == ZAKER_ARTICLE)
    cctv_folder = site.posts_dir / cctv_md.removesuffix(".md")
    zaker_folder = site.posts_dir / zaker_md.removesuffix(".md")
    store = site.posts_dir / ".aggregator" / "images" / "full"
    assert (cctv_folder / ok_name).read_bytes() == hosts.ok  # a JPEG is published byte for byte
    assert os.path.samefile(cctv_folder / ok_name, zaker_folder / ok_name)
    assert os.path.samefile(cctv_folder / ok_name, store / ok_name)
    assert sorted(p.name for p in cctv_folder.iterdir()) == sorted(
        [ok_name, sha1(hosts.url("/zkres/picky.png")) + ".jpg"]
    )
    assert cctv["headimg"] == cctv["thumbnail"] == f"/images/full/{ok_name}"
    assert (site.root / "source" / "images" / "full" / ok_name).is_file()
    assert "disableNunjucks" not in cctv.metadata

    run = site.generate()
    cctv_page = post_page(run, result, CCTV_ARTICLE)
    assert_pages_show_local_images(
        run, [cctv_page, post_page(run, result, ZAKER_ARTICLE), post_page(run, result, BUDGET_ARTICLE)], 6
    )
    assert (
        run.public_dir / cctv_page.removesuffix("index.html") / ok_name
        in local_sources(run, cctv_page).values()
    )
    assert remote_sources(run, cctv_page) == {hosts.url(path) for path in FAILING}
    assert (run.public_dir / "images" / "full" / ok_name).is_file()  # the cover, for headimg/thumbnail
    content = run.post(cctv_md)["content"]
    assert "{{ page.title }}、{% if x %}、{# 注释 #} 与一个单独的 #} 都应原样显示" in html_text(content)
    assert not [path for path in run.public_files() if "aggregator" in path]

    # Re-runs: an unchanged article costs no image request; a changed one re-uses the stored files and
    # drops from its asset folder the image it no longer shows.
    hits = hosts.image_hits()
    again = run_crawl("feed", f"url={hosts.feed()}", output_dir=site.posts_dir, settings=settings)
    assert again.returncode == 0 and hosts.image_hits() == hits
    changed = run_crawl(
        "feed", f"url={hosts.feed('changed', drop_picky=True)}", output_dir=site.posts_dir, settings=settings
    )
    assert changed.returncode == 0, changed.log[-3000:]
    assert stat(changed, "aggregator/exported/updated") == 1
    assert stat(changed, "aggregator/images/uptodate") == 1
    assert server.hits("/photo/ok.jpg") == 1
    assert sorted(p.name for p in cctv_folder.iterdir()) == [ok_name]
    assert (store / (sha1(hosts.url("/zkres/picky.png")) + ".jpg")).is_file()
    rerun = site.generate()
    assert_pages_show_local_images(rerun, [post_page(rerun, changed, CCTV_ARTICLE)], 5)


def html_text(markup: str) -> str:
    return str(lxml_html.fromstring(markup).text_content())


def test_download_into_the_shared_folder_with_cover_thumbnails(
    server: FixtureServer, run_crawl: Callable[..., CrawlResult], tmp_path: Path, hexo_ready: None
) -> None:
    hosts = ImageHosts(server)
    site = HexoSite.create(tmp_path)  # no post_asset_folder: the shared layout does not need it
    site.show_content_in_listings()
    front_matter = {"title": "title", "headimg": "cover", "thumbnail": "cover_thumbnail", "link": "url"}
    settings = crawl_settings(
        hosts,
        IMAGES_MODE="download",
        IMAGES_LAYOUT="shared",
        IMAGES_THUMBS=json.dumps({"small": [16, 16]}),
        IMAGES_COVER_THUMB="small",
        POST_FRONT_MATTER=json.dumps(front_matter),
    )
    result = run_crawl("feed", f"url={hosts.feed()}", output_dir=site.posts_dir, settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    ok_name = sha1(hosts.url("/photo/ok.jpg")) + ".jpg"
    cctv = result.post_by_link(CCTV_ARTICLE)
    assert cctv["headimg"] == f"/images/full/{ok_name}"
    assert cctv["thumbnail"] == f"/images/thumbs/small/{ok_name}"
    assert f'<img alt="机舱" src="/images/full/{ok_name}">' in cctv.content
    assert cctv["disableNunjucks"] is True  # no asset tags: the usual protection applies
    assert not [p for p in site.posts_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]

    run = site.generate()
    pages = [post_page(run, result, link) for link in (CCTV_ARTICLE, ZAKER_ARTICLE, BUDGET_ARTICLE)]
    assert_pages_show_local_images(run, pages, 5)  # one URL for the image both posts show
    assert local_sources(run, pages[0])[f"/images/full/{ok_name}"].read_bytes() == hosts.ok
    with Image.open(run.public_dir / "images" / "thumbs" / "small" / ok_name) as thumb:
        assert max(thumb.size) <= 16
    assert remote_sources(run, pages[0]) == {hosts.url(path) for path in FAILING}


def test_markdown_bodies_use_marked_post_asset(
    server: FixtureServer, run_crawl: Callable[..., CrawlResult], tmp_path: Path, hexo_ready: None
) -> None:
    """A Markdown body writes ``![](<sha1>.jpg)``: hexo-renderer-marked resolves it with ``postAsset``."""
    hosts = ImageHosts(server)
    site = HexoSite.create(tmp_path, post_asset_folder=True)
    site.show_content_in_listings()
    add_config(site, "marked:\n  prependRoot: true\n  postAsset: true\n")
    settings = crawl_settings(hosts, IMAGES_MODE="download", POST_BODY_FORMAT="markdown")
    result = run_crawl("feed", f"url={hosts.feed()}", output_dir=site.posts_dir, settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    ok_name = sha1(hosts.url("/photo/ok.jpg")) + ".jpg"
    assert f"![机舱]({ok_name})" in result.post_by_link(CCTV_ARTICLE).content
    run = site.generate()
    pages = [post_page(run, result, link) for link in (CCTV_ARTICLE, ZAKER_ARTICLE, BUDGET_ARTICLE)]
    assert_pages_show_local_images(run, pages, 6)


@pytest.mark.parametrize("mode", ["link", "proxy"])
def test_link_and_proxy_modes_download_nothing(
    server: FixtureServer,
    run_crawl: Callable[..., CrawlResult],
    tmp_path: Path,
    hexo_ready: None,
    mode: str,
) -> None:
    hosts = ImageHosts(server)
    proxy = server.url("/proxy/?")
    site = HexoSite.create(tmp_path)
    site.show_content_in_listings()
    settings = crawl_settings(hosts, IMAGES_MODE=mode, IMAGE_PROXY=proxy)
    result = run_crawl("feed", f"url={hosts.feed()}", output_dir=site.posts_dir, settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert sum(hosts.image_hits().values()) == 0
    assert not (site.posts_dir / ".aggregator" / "images").exists()
    prefix = proxy if mode == "proxy" else ""
    ok_url = hosts.url("/photo/ok.jpg")
    cctv = result.post_by_link(CCTV_ARTICLE)
    assert cctv["headimg"] == cctv["thumbnail"] == prefix + ok_url
    if mode == "link":
        assert len(result.lines("IMAGE_PROXY is set but IMAGES_MODE is 'link'")) == 1

    run = site.generate()
    page = post_page(run, result, CCTV_ARTICLE)
    body_urls = [hosts.url(path) for path in ("/photo/ok.jpg", "/zkres/picky.png", *FAILING)]
    assert remote_sources(run, page) == {prefix + url for url in body_urls}
    assert remote_sources(run, "index.html") >= {prefix + url for url in body_urls}
    assert run.post(page.removesuffix("/index.html").rsplit("/", 1)[-1])["content"].count(
        'referrerpolicy="no-referrer"'
    ) == len(body_urls)
