"""新闻联播 (Xinwen Lianbo) on tv.cctv.com: the latest date, and one day's list of segments.

The programme index (``/lm/xwlb/``) names its latest day in ``.rilititle p``; each day has a fragment page
``/lm/xwlb/day/YYYYMMDD.shtml`` made only of ``<li>`` items, the full episode (marked 完整版) first and
then one video page per news segment. A segment has no time of its own, so entries are dated at the
broadcast, 19:00 Beijing time of that day.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import lxml.html

from aggregator.sites.base import ListEntry, ListPage, UnknownLayout
from aggregator.sites.cctv.common import (
    TV,
    absolute_url,
    beijing_time,
    clean_text,
    parse_document,
    type_from_id,
)

BROADCAST_HOUR = 19
_DATE = re.compile(r"(\d{4})\s*[-年/.]?\s*(\d{1,2})\s*[-月/.]?\s*(\d{1,2})")
_DAY_IN_URL = re.compile(r"/day/(\d{8})\.shtml")
_DURATION = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_VIDEO_PREFIX = re.compile(r"^\s*\[视频\]\s*")


def _as_date(text: str | None) -> date | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def xwlb_day_url(day: str, base: str = TV) -> str:
    """The list page of one day; ``day`` may be ``YYYY-MM-DD``, ``YYYYMMDD`` or ``YYYY年MM月DD日``."""
    parsed = _as_date(day)
    if parsed is None:
        raise ValueError(f"not a date: {day!r}")
    return f"{base.rstrip('/')}/lm/xwlb/day/{parsed:%Y%m%d}.shtml"


def latest_xwlb_date(html: str) -> str | None:
    """The latest broadcast day named on the programme index, as ``YYYY-MM-DD``; None if absent."""
    if not html or not html.strip():
        return None
    doc = parse_document(html, TV + "/lm/xwlb/")
    for node in doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' rilititle ')]//p"):
        parsed = _as_date(clean_text(node.text_content()))
        if parsed:
            return parsed.isoformat()
    return None


def _entry(item: lxml.html.HtmlElement, page_url: str, day: date | None) -> ListEntry | None:
    anchors = item.xpath(".//a[@href]")
    if not anchors:
        return None
    titled = [a for a in anchors if clean_text(a.get("title"))]
    anchor = titled[0] if titled else anchors[0]
    url = absolute_url(anchor.get("href"), page_url)
    if not url:
        return None
    title = clean_text(anchor.get("title")) or clean_text(anchor.text_content())
    durations = [_DURATION.search(clean_text(span.text_content())) for span in item.iter("span")]
    duration = next((match.group(0) for match in durations if match), None)
    image = next((img.get("src") for img in item.iter("img") if img.get("src")), None)
    extra: dict[str, Any] = {
        "id": url.rsplit("/", 1)[-1].split(".", 1)[0] if type_from_id(url) else None,
        "type": "video",
        "duration": duration,
        "full_episode": "完整版" in clean_text(item.text_content()),
    }
    return ListEntry(
        url=url,
        title=_VIDEO_PREFIX.sub("", title) or None,
        published=beijing_time(day.year, day.month, day.day, BROADCAST_HOUR) if day else None,
        cover=absolute_url(image, page_url),
        extra=extra,
    )


def parse_xwlb_day(html: str, url: str) -> ListPage:
    """Segments of one day (``/lm/xwlb/day/YYYYMMDD.shtml``), full episode first, each URL once.

    A blank page means the day has no list yet and gives no entries; a page with content but no
    ``<li>`` links is a changed layout.
    """
    if not html or not html.strip():
        return ListPage(entries=[])
    doc = parse_document(html, url)
    day_match = _DAY_IN_URL.search(url)
    day = _as_date(day_match.group(1)) if day_match else None
    entries: dict[str, ListEntry] = {}
    for item in doc.iter("li"):
        entry = _entry(item, url, day)
        if entry and entry.url not in entries:
            entries[entry.url] = entry
    if not entries:
        raise UnknownLayout(f"no 新闻联播 items (li > a[href]) at {url}")
    title = f"新闻联播 {day:%Y-%m-%d}" if day else "新闻联播"
    return ListPage(entries=list(entries.values()), title=title)
