"""ZAKER list pages (channel, source, 精读): three generations of markup, one ``ListPage``.

See ``aggregator.sites.zaker`` for what each generation looks like and where it was seen.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import lxml.html

from aggregator.sites.base import BlockedPage, ListEntry, ListPage, UnknownLayout
from aggregator.sites.zaker.common import (
    absolute_url,
    canonical_article_url,
    is_challenge,
    now_in_shanghai,
    parse_document,
    parse_time,
    text_of,
)

_WIN_PAGE_DATA = re.compile(r"window\.WinPageData\s*=\s*")
_BACKGROUND_URL = re.compile(r"""background(?:-image)?\s*:\s*url\(\s*['"]?([^'")]+)['"]?\s*\)""")
_COMMENTS = re.compile(r"^(\d+)\s*评论$")


def parse_list(html: str, url: str, now: datetime | None = None) -> ListPage:
    """Entries (in page order), next page and list name of a ZAKER list page or its JSON continuation.

    ``url`` is the list's canonical URL on myzaker.com; links are resolved against it. ``now`` anchors
    relative and year-less dates (default: the current time); it is read as Beijing time.
    """
    if is_challenge(html):
        raise BlockedPage(f"SafeLine challenge page instead of the list at {url}")
    current = now_in_shanghai(now)
    stripped = (html or "").lstrip()
    if stripped.startswith("{"):
        # The next_url of a list answers with the same structure as WinPageData, as bare JSON.
        return _from_page_data(_read_json(stripped, url), url, current, title=None)
    document = parse_document(html, url)
    title = _list_title(document)
    page_data = _find_win_page_data(document, url)
    if page_data is not None:
        return _from_page_data(page_data, url, current, title)
    blocks = document.cssselect("div.content-block")
    if blocks:
        return _from_content_blocks(blocks, document, url, title)
    figures = document.cssselect("div.figure.flex-block")
    if figures:
        return _from_figures(figures, document, url, current, title)
    raise UnknownLayout(
        f"no known ZAKER list markup at {url}: no window.WinPageData script, "
        "no div.content-block (2020-22) and no div.figure.flex-block (2017-19)"
    )


def _list_title(document: lxml.html.HtmlElement) -> str | None:
    """The channel name from the highlighted nav item, else the page's <title>."""
    for selector in ("a.nav_item_active", "head title", ".main-title"):
        found = document.cssselect(selector)
        if found and (name := text_of(found[0])):
            return name
    return None


def _read_json(text: str, url: str) -> dict[str, Any]:
    """The first JSON object in ``text``; JavaScript after it (``;``, more statements) is ignored."""
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError as error:
        raise UnknownLayout(f"ZAKER list data at {url} is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise UnknownLayout(f"ZAKER list data at {url} is a {type(value).__name__}, not an object")
    return value


def _find_win_page_data(document: lxml.html.HtmlElement, url: str) -> dict[str, Any] | None:
    """The object assigned to ``window.WinPageData`` in an inline script, or None if no script sets it."""
    for script in document.iter("script"):
        code = script.text or ""
        match = _WIN_PAGE_DATA.search(code)
        if match:
            return _read_json(code[match.end() :], url)
    return None


def _from_page_data(data: dict[str, Any], url: str, now: datetime, title: str | None) -> ListPage:
    """Current (2023+) lists: ``data.article[]`` items, ``next_url.value`` for the next page.

    The 2018 "load more" JSON shares ``data.article[]`` but spells fields ``href``/``marks``/``img`` and puts
    ``next_url`` under ``data``; both are read so that pagination from an old list page keeps working.
    """
    body = data.get("data")
    items = body.get("article") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise UnknownLayout(f"ZAKER list data at {url} has no data.article list")
    entries = _unique(
        [entry for item in items if isinstance(item, dict) and (entry := _json_entry(item, url, now))]
    )
    if items and not entries:
        raise UnknownLayout(f"none of the {len(items)} data.article items at {url} links a ZAKER article")
    next_url = data.get("next_url")
    if isinstance(next_url, dict):
        next_url = next_url.get("value")
    if not isinstance(next_url, str) and isinstance(body, dict):
        next_url = body.get("next_url")
    return ListPage(
        entries=entries,
        next_url=absolute_url(next_url, url) if isinstance(next_url, str) else None,
        title=title,
    )


def _clean(value: Any) -> str | None:
    """A JSON string field stripped of padding, or None for missing, empty or non-string values."""
    if not isinstance(value, str):
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


def _json_entry(item: dict[str, Any], url: str, now: datetime) -> ListEntry | None:
    link = canonical_article_url(_clean(item.get("url")) or _clean(item.get("href")) or "", url)
    if link is None:
        return None
    marks = [mark for mark in (_clean(m) for m in item.get("marks") or []) if mark]
    author = _clean(item.get("author_name")) or _clean(item.get("auther_name"))
    published = parse_time(_clean(item.get("date")), now)
    comments = item.get("comment_counts")
    for mark in marks:
        if counted := _COMMENTS.match(mark):
            comments = int(counted.group(1))
        elif published is None and (when := parse_time(mark, now)):
            published = when
        elif author is None:
            author = mark
    tags = [
        name
        for tag in item.get("tag") or []
        if (name := _clean(tag.get("tag") if isinstance(tag, dict) else tag))
    ]
    extra: dict[str, Any] = {}
    if isinstance(comments, int | str) and str(comments).isdigit():
        extra["comments"] = int(comments)
    return ListEntry(
        url=link,
        title=_clean(item.get("title")),
        summary=_clean(item.get("desc")),
        author=author,
        published=published,
        cover=absolute_url(_clean(item.get("thumbnail_mpic")) or _clean(item.get("img")), url),
        tags=tags,
        extra=extra,
    )


def _from_content_blocks(
    blocks: list[lxml.html.HtmlElement], document: lxml.html.HtmlElement, url: str, title: str | None
) -> ListPage:
    """2020-22 lists: only the link and the title are known to be in each ``div.content-block``."""
    entries = []
    for block in blocks:
        anchors = block.cssselect(".article-wrap > a[href]")
        link = canonical_article_url(anchors[0].get("href", ""), url) if anchors else None
        if link is None:
            continue
        heading = block.cssselect(".article-title")
        name = text_of(heading[0]) if heading else None
        entries.append(ListEntry(url=link, title=name or _clean(anchors[0].get("title"))))
    return _html_list(entries, len(blocks), "div.content-block", document, url, title)


def _from_figures(
    figures: list[lxml.html.HtmlElement],
    document: lxml.html.HtmlElement,
    url: str,
    now: datetime,
    title: str | None,
) -> ListPage:
    """2017-19 lists: ``div.figure.flex-block``; the cover exists only as the CSS background of ``a.img``."""
    entries = []
    for figure in figures:
        anchors = figure.cssselect("h2.figcaption a[href]")
        link = canonical_article_url(anchors[0].get("href", ""), url) if anchors else None
        if link is None:
            continue
        author = published = None
        extra: dict[str, Any] = {}
        for span in figure.cssselect("div.subtitle span"):
            text = text_of(span)
            if not text:
                continue
            if counted := _COMMENTS.match(text):
                extra["comments"] = int(counted.group(1))
            elif published is None and (when := parse_time(text, now)):
                published = when
            elif author is None:
                author = text
        cover = None
        for image_link in figure.cssselect("a.img[style]"):
            if found := _BACKGROUND_URL.search(image_link.get("style", "")):
                cover = absolute_url(found.group(1), url)
                break
        entries.append(
            ListEntry(
                url=link,
                title=text_of(anchors[0]) or _clean(anchors[0].get("title")),
                author=author,
                published=published,
                cover=cover,
                extra=extra,
            )
        )
    return _html_list(entries, len(figures), "div.figure.flex-block", document, url, title)


def _html_list(
    entries: list[ListEntry],
    found: int,
    markup: str,
    document: lxml.html.HtmlElement,
    url: str,
    title: str | None,
) -> ListPage:
    """Finish an HTML list: drop repeats, find ``a.next_page``, refuse a page whose items link nowhere."""
    entries = _unique(entries)
    if not entries:
        raise UnknownLayout(f"none of the {found} {markup} items at {url} links a ZAKER article")
    pager = document.cssselect("a.next_page[href]")
    next_url = absolute_url(pager[0].get("href"), url) if pager else None
    return ListPage(entries=entries, next_url=next_url, title=title)


def _unique(entries: list[ListEntry]) -> list[ListEntry]:
    """Keep the first entry per article: ZAKER repeats top stories further down the same page."""
    seen: set[str] = set()
    kept = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            kept.append(entry)
    return kept
