"""``aggregator extract PAGE``: the project's own extraction of one page, as a post would hold it.

For a user checking a new feed ("what will my posts look like?") and for the extraction benchmark, the answer
must come from exactly the code a crawl runs, so this module adds no logic of its own:

1. the page's bytes are decoded as the crawler decodes them (``aggregator.web.encoding.decode_html``);
2. the registry picks the parser for the URL, as it does for the spiders (``aggregator.sites.registry``);
3. the item is built by the one page-to-item function (``aggregator.sites.article.build_article``);
4. the crawl's own pipeline classes run on it — Clean, Extract, Validate — with the project settings, and
   ``--format post`` renders it with the exporter's ``render_post`` and ``PostFormat``.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
import urllib.request
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings, Settings

from aggregator.drops import ArticleDropped
from aggregator.export.hexo import PostFormat, load_timezone, render_body, render_post
from aggregator.items import Article
from aggregator.sites.article import build_article
from aggregator.sites.base import PageError
from aggregator.sites.registry import parser_for
from aggregator.web.encoding import decode_html
from pipelines.clean import CleanPipeline
from pipelines.extract import ExtractPipeline
from pipelines.validate import ValidatePipeline

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
    """Which rules a URL gets: ``zaker``, ``cctv`` or ``generic`` (the registry decides)."""
    return parser_for(url)[0].name


def project_settings() -> Settings:
    """The shipped settings, for callers without a command line (the benchmark, tests)."""
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    return settings


@functools.cache
def _shipped_crawler() -> Crawler:
    """One crawler on the shipped settings for every call without settings of its own: building one copies
    every setting (a third of the time ``extract_article`` took per page in the benchmark), and the
    pipelines only read it."""
    return Crawler(Spider, project_settings())


def extract_article(
    html: str,
    url: str,
    timezone: tzinfo = UTC,
    now: datetime | None = None,
    settings: BaseSettings | None = None,
) -> Article:
    """The article as the pipelines leave it: cleaned body, its text and images, cover, a date.

    Raises ``PageError`` when the parser finds no article and ``ArticleDropped`` when the Validate
    pipeline would drop it, exactly where a crawl loses it.
    """
    site, parser = parser_for(url)
    page = parser(html, url, timezone)
    article = build_article(
        url,
        page,
        site=site.label or urlsplit(url).hostname or site.name,
        default_author=site.default_author,
    )
    crawler = Crawler(Spider, settings) if settings is not None else _shipped_crawler()
    extract = ExtractPipeline.from_crawler(crawler)
    if now is not None:
        extract.crawl_started = now
    for step in (CleanPipeline.from_crawler(crawler), extract, ValidatePipeline()):
        article = step.process_item(article)
    return article


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


def command_extract(args: argparse.Namespace, settings: BaseSettings) -> int:
    """Print the extraction of one page; exit 1 when the page gives no article, with the reason."""
    timezone = load_timezone(settings["TIMEZONE"])
    try:
        body, content_type, read_from = read_page(
            args.page, settings.getfloat("DOWNLOAD_TIMEOUT"), settings.getint("DOWNLOAD_MAXSIZE")
        )
    except (OSError, ValueError) as error:
        print(f"aggregator: cannot read {args.page}: {error}", file=sys.stderr)
        return 2
    text, _ = decode_html(body, content_type)
    url = args.url or read_from
    try:
        article = extract_article(text, url, timezone, settings=settings)
    except (PageError, ArticleDropped) as error:
        print(f"aggregator: no article in {args.page} ({error.reason}): {error}", file=sys.stderr)
        return 1
    fmt = PostFormat.from_settings(settings)
    sys.stdout.write(render(article, args.format, fmt))
    return 0
