"""``aggregator extract PAGE``: the project's own extraction of one page, as a post would hold it.

For a user checking a new feed ("what will my posts look like?") and for the extraction benchmark, the answer
must come from exactly the code a crawl runs, so this module only *chooses* parsers, it adds no logic:

1. the page's bytes are decoded as the crawler decodes them (BOM, declared charsets that prove themselves,
   then detection — ``aggregator.web.encoding.decode_html``);
2. the site rules run when the URL is one of theirs — ZAKER article URLs, CCTV ``ARTI``/``PHOA``/``VIDE``
   pages — and the generic extractor otherwise, as the feed spider does for pages it must fetch;
3. the Clean and Extract steps follow (``clean_body_html``, ``html_to_text``, ``image_urls``), so the text
   and images printed are the post's.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.request
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from urllib.parse import urlsplit

from aggregator.export import sanitize
from aggregator.export.hexo import PostFormat, load_timezone, render_body, render_post
from aggregator.extraction.text import html_to_text, image_urls
from aggregator.items import Article
from aggregator.sites import cctv, generic, zaker
from aggregator.sites.base import ArticlePage, PageError
from aggregator.web.encoding import decode_html

FORMATS = ("text", "html", "markdown", "post")
USER_AGENT = "Mozilla/5.0 (compatible; aggregator-extract)"


class PageTooSlowOrLarge(OSError):
    """A URL whose answer takes longer than ``DOWNLOAD_TIMEOUT`` in all, or is larger than
    ``DOWNLOAD_MAXSIZE``: the limits a crawl applies, so that a slow drip cannot hang the command."""


def read_page(
    path_or_url: str, timeout: float = 30.0, max_bytes: int = 32 * 1024 * 1024
) -> tuple[bytes, str | None, str]:
    """The page's bytes, its Content-Type (None for a file) and the URL it was read from.

    A URL gets ``timeout`` seconds *in all* (connecting, every read and the whole body: a server dripping a
    byte a second never trips a per-read timeout) and at most ``max_bytes``, as the crawl does.
    """
    if urlsplit(path_or_url).scheme not in ("http", "https"):
        path = Path(path_or_url)
        return path.read_bytes(), None, path.resolve().as_uri()
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(path_or_url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise PageTooSlowOrLarge(f"the page is {declared} bytes, over DOWNLOAD_MAXSIZE {max_bytes}")
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read1(65536):
            size += len(chunk)
            if size > max_bytes:
                raise PageTooSlowOrLarge(f"the page is over DOWNLOAD_MAXSIZE {max_bytes} bytes")
            if time.monotonic() > deadline:
                raise PageTooSlowOrLarge(f"the page took over DOWNLOAD_TIMEOUT {timeout:g} s to arrive")
            chunks.append(chunk)
        return b"".join(chunks), response.headers.get("Content-Type"), response.geturl()


def site_of(url: str) -> str:
    """Which rules a URL gets: ``zaker``, ``cctv`` or ``generic``."""
    if zaker.article_id(url):
        return "zaker"
    host = (urlsplit(url).hostname or "").lower()
    if host == "cctv.com" or host.endswith(".cctv.com"):
        return "cctv"
    return "generic"


def parse_page(html: str, url: str, timezone: tzinfo = UTC) -> ArticlePage:
    """The page object a crawl would produce for this page (raises ``PageError`` as the spiders see it)."""
    site = site_of(url)
    if site == "zaker":
        return zaker.parse_article(html, zaker.canonical_article_url(url, url) or url)
    if site == "cctv":
        parser = {"photo": cctv.parse_photo_set, "video": cctv.parse_video}.get(
            cctv.item_type(url), cctv.parse_article
        )
        page = parser(html, url)
        page.body_html = cctv.secure_image_urls(page.body_html or "")
        page.cover = cctv.secure_image_urls(page.cover or "") or None
        return page
    return generic.parse_article(html, url, timezone)


def extract_article(html: str, url: str, timezone: tzinfo = UTC, now: datetime | None = None) -> Article:
    """The article as the pipelines leave it: cleaned body, its text and images, cover, a date."""
    page = parse_page(html, url, timezone)
    body_html = sanitize.clean_body_html(page.body_html, url)
    images = image_urls(body_html)
    cover = images[0] if images else (page.cover or "")
    return Article(
        url=url,
        guid=url,
        site=site_of(url),
        title=sanitize.clean_title(page.title),
        author=sanitize.clean_title(page.author),
        published=page.published or now or datetime.now(UTC).replace(microsecond=0),
        updated=page.updated,
        tags=list(page.tags),
        summary=sanitize.clean_title(page.summary),
        body_html=body_html,
        body_text=html_to_text(body_html),
        image_urls=images,
        cover=cover,
    )


def render(article: Article, output: str, fmt: PostFormat | None = None) -> str:
    """The article in one of ``FORMATS``: text and images, clean HTML, Markdown, or the whole Hexo post."""
    fmt = fmt or PostFormat()
    if output == "html":
        return article.body_html + "\n"
    if output == "markdown":
        return render_body(article.body_html, PostFormat(body_format="markdown", referrer_policy=""))
    if output == "post":
        return render_post(article, fmt)
    lines = [f"# {article.title}" if article.title else "# (no title)", "", article.body_text]
    if article.image_urls:
        lines += ["", "Images:", *(f"  {src}" for src in article.image_urls)]
    return "\n".join(lines).rstrip() + "\n"


def command_extract(args: argparse.Namespace, settings: object) -> int:
    """Print the extraction of one page; exit 1 when the page gives no article, with the reason."""
    timezone = load_timezone(getattr(settings, "get", lambda *_: None)("TIMEZONE") or "Asia/Shanghai")
    get = getattr(settings, "get", lambda *_: None)
    try:
        body, content_type, read_from = read_page(
            args.page, float(get("DOWNLOAD_TIMEOUT") or 30), int(get("DOWNLOAD_MAXSIZE") or 32 * 1024 * 1024)
        )
    except (OSError, ValueError) as error:
        print(f"aggregator: cannot read {args.page}: {error}", file=sys.stderr)
        return 2
    text, _ = decode_html(body, content_type)
    url = args.url or read_from
    try:
        article = extract_article(text, url, timezone)
    except PageError as error:
        print(f"aggregator: no article in {args.page} ({error.reason}): {error}", file=sys.stderr)
        return 1
    fmt = PostFormat(timezone=timezone)
    sys.stdout.write(render(article, args.format, fmt))
    return 0
