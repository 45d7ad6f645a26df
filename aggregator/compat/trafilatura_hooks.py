"""Hooks into trafilatura's metadata steps (see :mod:`aggregator.compat`); canaries in
``tests/test_compat.py``.

``trafilatura.extract_metadata`` reads every field it knows, and two of its steps cost more than the article
extraction on a small page: the author search copies the whole page before pruning it, and the site name,
categories and licence are searched for although no post shows them. The generic extractor calls the same
steps for the fields a post has (title, author, date, tags, image, description), in trafilatura's order and
with its rules; the date only when the page declares none in its ``<meta>`` (htmldate copies the page too),
and the author last, on the page itself, once nothing else needs the page.

``body_html`` is ``trafilatura.extract(…, output_format="html")`` less the content fingerprint that
``extract`` computes for every non-text format: a hash over the whole extracted text that nothing here
reads, 5–9% of the generic extractor's time on long web pages (``bench/extraction.py``).
"""

from __future__ import annotations

import contextlib
from configparser import ConfigParser
from html import unescape

from lxml.html import HtmlElement
from trafilatura.core import bare_extraction, determine_returnstring
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.metadata import (
    examine_meta,
    extract_catstags,
    extract_meta_json,
    extract_metainfo,
    extract_title,
    extract_url,
    find_date,
    normalize_authors,
)
from trafilatura.settings import Document, Extractor, set_date_params
from trafilatura.utils import line_processing
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

__all__ = [
    "Document",
    "author_from_page",
    "body_html",
    "date_from_page",
    "may_name_author",
    "page_metadata",
    "title_from_page",
]


def _trimmed(value: str | None) -> str | None:
    """``Document.clean_and_trim`` for one field."""
    if not value:
        return value
    if len(value) > 10000:
        value = value[:9999] + "…"
    return line_processing(unescape(value))


def page_metadata(tree: HtmlElement, url: str | None, guess_title: bool = True) -> Document:
    """``extract_metadata(tree, url, extensive=False)`` less the site name, categories and licence, the date
    (``date_from_page``) and the author search in the page (``author_from_page``): ``author`` holds only
    what the metadata declare, ``date`` is None. Without ``guess_title``, ``title`` too holds only what the
    metadata declare, not trafilatura's guess from the page's headings (``title_from_page``)."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    with contextlib.suppress(Exception):  # trafilatura guards its JSON-LD reader the same way
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title and guess_title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    if not metadata.tags:
        metadata.tags = extract_catstags("tag", tree)
    for field in ("title", "author", "url", "image", "description"):
        setattr(metadata, field, _trimmed(getattr(metadata, field)))
    return metadata


def title_from_page(tree: HtmlElement) -> str | None:
    """trafilatura's title guess for a page whose metadata declare none: its only ``<h1>``, a heading whose
    class names a title, the ``<title>``, the first ``<h1>`` or ``<h2>``."""
    return _trimmed(extract_title(tree))


def date_from_page(tree: HtmlElement, metadata: Document) -> str | None:
    """The date ``extract_metadata(…, extensive=False)`` finds (htmldate, original date): ``YYYY-MM-DD``."""
    date_config = set_date_params(False)
    date_config["url"] = metadata.url
    return _trimmed(find_date(tree, **date_config))


AUTHOR_MARKS = (
    "uthor", "UTHOR", "byl", "Byline", "BBL", "username", "zuozhe", "bianji", "xiaobian", "channel-name",
    "submitted-by", "posted-by", "journalist-name", "screenname", "writer", "<rel", "<REL",
)  # fmt: skip
"""A string of each name trafilatura's author search (``AUTHOR_XPATHS``) looks for in a class, id, rel,
itemprop or data attribute, or as a tag (``<author>``; ``rel='me'`` tests a child ``<rel>``): a page
that holds none of them anywhere has no author for it to find."""


def may_name_author(html: str) -> bool:
    """Whether ``author_from_page`` can find anything in the page ``html``: a tenth of a millisecond, where
    the search takes two on a small page (a fifth of the generic extractor's time on a manual's chapter),
    and most documentation and table pages have no author mark at all."""
    return any(mark in html for mark in AUTHOR_MARKS)


def author_from_page(tree: HtmlElement) -> str | None:
    """trafilatura's author search in the page (``extract_author``) without its copy of the page: it prunes
    comments and the like out of ``tree`` itself, so call it when nothing else will read ``tree``."""
    author = extract_metainfo(prune_unwanted_nodes(tree, AUTHOR_DISCARD_XPATHS), AUTHOR_XPATHS, len_limit=120)
    return _trimmed(normalize_authors(None, author)) if author else None


def body_html(tree: HtmlElement, url: str, config: ConfigParser) -> str | None:
    """``trafilatura.extract(tree, url=url, output_format="html", include_images=True, include_links=True,
    include_tables=True, include_formatting=True, config=config)`` without its content fingerprint."""
    options = Extractor(
        config=config, output_format="html", formatting=True, links=True, images=True, tables=True, url=url
    )
    document = bare_extraction(tree, options=options, as_dict=False)
    return determine_returnstring(document, options) if isinstance(document, Document) else None
