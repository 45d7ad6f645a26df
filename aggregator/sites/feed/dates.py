"""A feed entry's dates as its site meant them.

feedparser reads RFC 822 and W3C-DTF dates well when they name their zone, and that reading is kept. It
takes a zone-less date as UTC (a Chinese forum's ``2020/1/10 14:07:00`` is Beijing time) and cannot read
localised day and month names (``Seg, 24 Set 2018 19:35:07 -0300``); it even misreads some numeric forms
(``2020/1/10`` as 1 November). So a date string that names no zone, or that feedparser could not read, is
read again here: numeric forms by dateutil, localised names by dateparser (which knows some 200 languages),
both as wall-clock time in the site's zone (``TIMEZONE``) unless the string gives its own offset.

A date string that nothing can read is reported to the caller, which logs it: an entry dated with the
crawl's time must not pass in silence.
"""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, datetime, tzinfo
from typing import Any

_NAMED_ZONE = re.compile(r"(\d(Z|[+-]\d\d:?\d\d)|\b(GMT|UTC|UT|[ECMP][SD]T|Z))\s*$", re.IGNORECASE)
"""The end of a date string that says which zone it is in."""
_ENGLISH_NAMES = re.compile(
    r"^\s*((Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s*)?\d{1,2}\s+"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{2,4}\b|^\s*\d{4}-\d\d-\d\d",
    re.IGNORECASE,
)
"""RFC 822 with English names, or W3C-DTF: the forms feedparser reads right when a zone is given."""


def _from_struct(parsed: time.struct_time | None) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError):
        return None


def read_date(
    text: str, parsed: time.struct_time | None, zone: tzinfo, language: str = ""
) -> datetime | None:
    """The date a feed's date string means, timezone-aware; ``None`` when it cannot be read.

    ``parsed`` is feedparser's reading of ``text``; ``zone`` is the site's (``TIMEZONE``), taken for a
    string that names none; ``language`` is the feed's ``<language>`` (a hint for localised names).
    """
    text = " ".join((text or "").split())
    if not text:
        return _from_struct(parsed)
    if parsed and _NAMED_ZONE.search(text) and _ENGLISH_NAMES.search(text):
        return _from_struct(parsed)
    return _numeric(text, zone) or _localised(text, zone, language) or _from_struct(parsed)


def _numeric(text: str, zone: tzinfo) -> datetime | None:
    """Numeric and English forms (``2020/1/10 14:07:00``, ``2020-01-10 14:07``) with dateutil."""
    if not re.match(r"^\s*(\d{4}[-/.年]\d{1,2}|[A-Za-z]{3,9},?\s+\d)", text):
        return None
    from dateutil import parser as dateutil_parser

    try:
        value = dateutil_parser.parse(text)
    except (ValueError, OverflowError):
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def _localised(text: str, zone: tzinfo, language: str) -> datetime | None:
    """Day and month names of any language (``Seg, 24 Set``, ``Mi, 05 Dez``, ``星期五``) with dateparser."""
    import dateparser

    zone_name = getattr(zone, "key", None) or str(zone)
    settings: dict[str, Any] = {"TIMEZONE": zone_name, "RETURN_AS_TIMEZONE_AWARE": True}
    primary = language.split("-")[0].lower() if language else ""
    for languages in ([primary] if primary else [], None):
        try:
            value = dateparser.parse(text, languages=languages or None, settings=settings)
        except (ValueError, OverflowError, KeyError):
            value = None
        if value is not None:
            return value
    return None


def entry_dates(raw: Any, zone: tzinfo, language: str = "") -> tuple[datetime | None, datetime | None, str]:
    """``(published, updated, unreadable)`` of a feedparser entry; ``unreadable`` is a date string that
    could not be read (empty when every date given was read)."""
    values: dict[str, datetime | None] = {}
    unreadable = ""
    for name in ("published", "updated"):
        # dict.get bypasses feedparser's deprecated mapping of a missing updated to published.
        text = dict.get(raw, name) or ""
        value = read_date(text, dict.get(raw, f"{name}_parsed"), zone, language)
        if value is None and text.strip():
            unreadable = unreadable or text.strip()
        values[name] = value
    return values["published"], values["updated"], unreadable
