"""What every CCTV page object shares: Beijing time, URL repair, item types and tolerant HTML parsing.

CCTV prints every time without a zone (the list's ``focus_date``, the article's 来源 line, the
``publishDate`` script variable); they are all Beijing time, so they are made aware in Asia/Shanghai here,
once, instead of each parser guessing.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from aggregator.sites.html import BEIJING, absolute_url, parse_document

NEWS = "https://news.cctv.com"
"""Where category lists and text articles are (``ARTI``)."""
PHOTO = "https://photo.cctv.com"
"""Where photo sets are (``PHOA``)."""
TV = "https://tv.cctv.com"
"""Where videos (``VIDE``) and 新闻联播 are."""

# Full-width spaces (the CMS's paragraph indent), no-break spaces and ordinary whitespace.
INDENT_CHARS = "\u3000\xa0 \t\r\n"

_DATE_TIME = re.compile(
    r"(\d{4})\s*[年/-]\s*(\d{1,2})\s*[月/-]\s*(\d{1,2})\s*日?\s*(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?"
)
# The source runs up to the `|` separator or, on old pages that have none, up to the date itself.
_SOURCE = re.compile(r"来源\s*[：:]\s*(.+?)\s*(?=[|｜]|\d{4}\s*[年/-]|$)")
_PUBLISH_DATE = re.compile(r"""publishDate\s*=\s*["']\s*(\d{14})\s*["']""")
_ID_TYPES = (("ARTI", "article"), ("PHOA", "photo"), ("VIDE", "video"))


def clean_text(text: str | None) -> str:
    """Collapse whitespace, including the full-width and no-break spaces CCTV pads everything with."""
    if not text:
        return ""
    return re.sub(r"[\s\u3000\xa0]+", " ", text).strip()


def beijing_time(*parts: int) -> datetime | None:
    """An aware datetime in Beijing time, or None when the numbers are not a real date."""
    try:
        return datetime(*parts, tzinfo=BEIJING)  # type: ignore[misc]
    except (TypeError, ValueError):
        return None


def parse_focus_date(text: str | None) -> datetime | None:
    """The list API's ``focus_date`` (``YYYY-MM-DD HH:MM:SS``, Beijing time); None when unreadable."""
    return parse_info_date(text)


def parse_info_date(text: str | None) -> datetime | None:
    """The first ``YYYY年MM月DD日 HH:MM`` (or ``YYYY-MM-DD HH:MM[:SS]``) in a text, in Beijing time."""
    match = _DATE_TIME.search(clean_text(text))
    if not match:
        return None
    return beijing_time(*(int(group) for group in match.groups() if group is not None))


def parse_info_line(text: str | None) -> tuple[str | None, datetime | None]:
    """``来源：<source> | YYYY年MM月DD日 HH:MM`` → (source, published).

    The source is who CCTV credits for the story (央视网, 新华网, a partner paper); old pages drop the ``|``
    and put the date right after the source, so the source stops at whichever comes first.
    """
    line = clean_text(text)
    match = _SOURCE.search(line)
    source = match.group(1).strip(" |｜") if match else None
    return (source or None), parse_info_date(line)


def parse_publish_date(html: str) -> datetime | None:
    """``publishDate ="YYYYMMDDHHMMSS "`` from a head script (the trailing space is real), Beijing time."""
    match = _PUBLISH_DATE.search(html)
    if not match:
        return None
    digits = match.group(1)
    parts = (digits[0:4], digits[4:6], digits[6:8], digits[8:10], digits[10:12], digits[12:14])
    return beijing_time(*(int(part) for part in parts))


def type_from_id(id_or_url: str) -> str | None:
    """article/photo/video from an ``ARTI``/``PHOA``/``VIDE`` id (or a URL whose file name is one)."""
    name = urlsplit(id_or_url.strip()).path.rsplit("/", 1)[-1] if "/" in id_or_url else id_or_url.strip()
    for prefix, kind in _ID_TYPES:
        if name.upper().startswith(prefix):
            return kind
    return None


def item_type(item_id_or_url: str) -> str:
    """What a list item is: ``article``, ``photo`` or ``video``.

    The id prefix is the most reliable sign; without one the host decides (photo.cctv.com holds photo
    sets, tv.cctv.com videos), then a ``VIDE`` anywhere in the path. Anything else on news.cctv.com is an
    ordinary text article, so that is the default.
    """
    kind = type_from_id(item_id_or_url)
    if kind:
        return kind
    parts = urlsplit(item_id_or_url.strip())
    host = (parts.hostname or "").lower()
    if host == "photo.cctv.com" or host.startswith("photo."):
        return "photo"
    if host == "tv.cctv.com" or host.startswith("tv.") or "VIDE" in parts.path.upper():
        return "video"
    return "article"


__all__ = ["BEIJING", "absolute_url", "parse_document"]
