"""ZAKER facts shared by the list and article parsers: ids, URLs, wrapped links, dates, the WAF page.

Kept apart from the two parsers so both can use them without importing each other; ``zaker`` re-exports
the public names.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.html
from lxml.cssselect import CSSSelector

from aggregator.sites.html import BEIJING, absolute_url, on_domain, parse_document, text_of
from aggregator.web.challenge import challenge_form

SITE = "https://www.myzaker.com"

_ID = re.compile(r"^[0-9a-fA-F]{24}$")
_ARTICLE_PATH = re.compile(r"^/article/([0-9a-fA-F]{24})/?$")
# Legacy app/mobile links name the article in a query parameter instead of the path.
_ID_PARAM_BY_PATH = {"/l.php": "l", "/zaker/l.php": "l", "/zaker/article_mongo.php": "pk"}


def now_in_shanghai(now: datetime | None) -> datetime:
    """``now`` as Beijing time; a naive ``now`` is taken to be Beijing wall time already, None means now.

    ZAKER prints every date as Beijing wall time, whatever the reader's or the crawler's timezone.
    """
    if now is None:
        return datetime.now(BEIJING)
    if now.tzinfo is None:
        return now.replace(tzinfo=BEIJING)
    return now.astimezone(BEIJING)


def article_id(url: str) -> str | None:
    """The 24-hex article id of any ZAKER article link (www/app/iphone, path or ``l.php?l=`` form).

    Links off myzaker.com return None even when their path looks like an article, so a list's
    advertising or partner links can never be mistaken for ZAKER articles.
    """
    if not url:
        return None
    parts = urlsplit(urljoin(SITE + "/", url.strip()))
    if parts.scheme not in ("http", "https") or not on_domain(parts.hostname, "myzaker.com"):
        return None
    match = _ARTICLE_PATH.match(parts.path)
    if match:
        return match.group(1).lower()
    param = _ID_PARAM_BY_PATH.get(parts.path)
    if param:
        for key, value in parse_qsl(parts.query):
            if key == param and _ID.match(value):
                return value.lower()
    return None


def canonical_article_url(href: str, base: str) -> str | None:
    """``https://www.myzaker.com/article/<id>`` for an article link, resolved against ``base``; else None.

    One spelling per article matters because the seen-store keys on the URL: the same story is linked
    protocol-relative, with and without a trailing slash, from app/iphone hosts and through link.php.
    """
    if not href or not href.strip():
        return None
    absolute = urljoin(base, unwrap_link(href.strip()))
    found = article_id(absolute)
    return f"{SITE}/article/{found}" if found else None


def _query_value(query: str, name: str) -> str | None:
    """A raw query value, not form-decoded: base64 uses ``+``, which ``parse_qs`` would turn into a space."""
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == name:
            return unquote(value).replace(" ", "+")
    return None


def _decode_base64_text(piece: str) -> str:
    """Decode one standard or url-safe base64 piece whose ``=`` padding may have been dropped."""
    piece = piece.strip().rstrip("=").replace("-", "+").replace("_", "/")
    if not piece or len(piece) % 4 == 1:
        raise ValueError("not base64")
    raw = base64.b64decode(piece + "=" * (-len(piece) % 4), validate=True)
    return raw.decode("utf-8")


def unwrap_link(href: str) -> str:
    """The real target of ZAKER's ``iphone.myzaker.com/zaker/link.php?...&b=<base64>`` click-tracking wrapper.

    ZAKER base64-encodes the URL piecewise (the path part and the query part separately, joined by a raw
    ``?``), so each piece is decoded on its own. Anything that is not a wrapper, or whose payload does not
    decode to an http(s) URL, is returned unchanged: a working tracked link beats a broken guess.
    """
    if not href:
        return href
    parts = urlsplit(href.strip())
    if not on_domain(parts.hostname, "myzaker.com") or not parts.path.endswith("/link.php"):
        return href
    payload = _query_value(parts.query, "b")
    if not payload:
        return href
    try:
        target = "?".join(_decode_base64_text(piece) for piece in payload.split("?"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return href
    if not re.match(r"^https?://[^\s/]+", target, re.IGNORECASE) or re.search(r"[\s\x00-\x1f]", target):
        return href
    return target


def article_id_time(article_id: str) -> datetime:
    """When ZAKER stored the article: the first 8 hex digits of the Mongo ObjectId are a Unix timestamp.

    This is ingest time, a little after the source published; good enough when the page shows no date.
    """
    if not _ID.match(article_id or ""):
        raise ValueError(f"not a 24-hex ZAKER article id: {article_id!r}")
    return datetime.fromtimestamp(int(article_id[:8], 16), BEIJING)


_CLOCK = r"(?:\s*(?P<hour>\d{1,2})[:：](?P<minute>\d{2})(?:[:：](?P<second>\d{2}))?)?"
_AGO = re.compile(r"^(?P<n>\d+)\s*(?P<unit>分钟|小时|天)前$")
_NAMED_DAY = re.compile(r"^(?P<day>今天|昨天|前天)" + _CLOCK + "$")
_FULL_DATE = re.compile(
    r"^(?P<year>\d{4})(?:[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})|年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日)"
    + _CLOCK
    + "$"
)
_YEARLESS_DATE = re.compile(
    r"^(?:(?P<m1>\d{1,2})-(?P<d1>\d{1,2})|(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日)" + _CLOCK + "$"
)
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}
_UNIT = {"分钟": "minutes", "小时": "hours", "天": "days"}


def _at(year: int, month: int, day: int, match: re.Match[str]) -> datetime | None:
    """A Beijing datetime from date parts and the optional clock group; None when the parts are impossible."""
    try:
        return datetime(
            year,
            month,
            day,
            int(match.group("hour") or 0),
            int(match.group("minute") or 0),
            int(match.group("second") or 0),
            tzinfo=BEIJING,
        )
    except ValueError:
        return None


def _month_day(match: re.Match[str]) -> tuple[int, int]:
    return int(match.group("m1") or match.group("m2")), int(match.group("d1") or match.group("d2"))


def parse_time(text: str | None, now: datetime | None = None) -> datetime | None:
    """A ZAKER date as printed on its pages, as an aware Beijing datetime; None if it is not one.

    ZAKER shows "N分钟前", "N小时前", "昨天 10:20", "前天", "YYYY-MM-DD[ HH:MM[:SS]]", "MM-DD" and, in the
    list JSON, "MM月DD日". Relative forms count back from ``now``. A year-less date is the most recent
    such day not after today: in early January, "12月31日" is last year's New Year's Eve, not this year's.
    """
    if not text:
        return None
    text = re.sub(r"\s+", " ", text).strip()
    current = now_in_shanghai(now).replace(microsecond=0)
    if text == "刚刚":
        return current
    if match := _AGO.match(text):
        return current - timedelta(**{_UNIT[match.group("unit")]: int(match.group("n"))})
    if match := _NAMED_DAY.match(text):
        day = (current - timedelta(days=_DAYS_BACK[match.group("day")])).date()
        return _at(day.year, day.month, day.day, match)
    if match := _FULL_DATE.match(text):
        month, day_of_month = _month_day(match)
        return _at(int(match.group("year")), month, day_of_month, match)
    if match := _YEARLESS_DATE.match(text):
        month, day_of_month = _month_day(match)
        # Walk back a few years: 02-29 only exists in leap years.
        for year in range(current.year, current.year - 8, -1):
            found = _at(year, month, day_of_month, match)
            if found is not None and found.date() <= current.date():
                return found
        return None
    return None


def is_challenge(html: str) -> bool:
    """Whether this is one of Chaitin SafeLine's challenge pages instead of a ZAKER page.

    The one classifier (``aggregator.web.challenge``) decides: it wants a challenge's markers *and* a page
    with next to no text, so an article about SafeLine that quotes them is still parsed as an article.
    """
    return challenge_form(html) is not None


@functools.cache
def _selector(css: str) -> CSSSelector:
    return CSSSelector(css, translator="html")


def select(element: lxml.html.HtmlElement, css: str) -> list[lxml.html.HtmlElement]:
    """``element.cssselect(css)`` with the CSS translated to XPath once per selector, not once per call:
    the translation costed more than the matching (a quarter of parsing an article, in ``bench/run.py``)."""
    return _selector(css)(element)  # type: ignore[no-any-return]


__all__ = ["BEIJING", "absolute_url", "on_domain", "parse_document", "select", "text_of"]
