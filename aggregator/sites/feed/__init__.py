"""RSS 0.9x/1.0/2.0 and Atom feeds as data (feedparser does the format work).

A feed entry may carry the whole article (``content:encoded``, Atom ``<content>``, a long ``description``)
or only a teaser. :func:`needs_page` decides when the article's own page must be fetched.
"""

from __future__ import annotations

import html
import re
import xml.sax
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from aggregator.extraction.text import html_to_text
from aggregator.sites.base import PageError
from aggregator.web.encoding import repair_surrogate_references

from .entry import FeedEntry, Media, author_name, build_entry, title_text

__all__ = ["Feed", "FeedEntry", "Media", "needs_page", "parse_feed"]

_TRUNCATION = re.compile(
    r"(\.\.\.|…|\[\s*(\.\.\.|…)\s*\]|阅读全文|查看全文|阅读更多|更多内容|read more|continue reading)\W*$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Feed:
    title: str
    link: str
    entries: list[FeedEntry]
    warning: str = ""
    """Set when the feed had markup errors but could still be read."""
    author: str = ""
    """The feed-level author (Atom ``<author>``, ``managingEditor``, ``itunes:author``)."""
    skipped: int = 0
    """Entries with neither a title nor a link: nothing a reader could show."""


def _harmless_problems(feedparser: Any) -> tuple[type[Exception], ...]:
    """What feedparser flags although the feed was read correctly: not worth an operator's attention."""
    return (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


_XML_ENCODING = re.compile(rb"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[^"']+""")


_GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "hz", "cp936"})
_OTHER_CJK = re.compile(r"big5|cp950|euc.?kr|cp949|ks_c|shift.?jis|sjis|cp932|euc.?jp|iso-?2022|johab", re.I)
_CHAOS_MARGIN = 0.1
"""How much less coherent than the best guess a GB reading may be and still count as agreeing."""


def _detected_as_gb18030(body: bytes, feedparser_encoding: str) -> bool:
    """Whether detection agrees that mislabelled bytes are Chinese GB18030 (or GBK/GB2312).

    Big5, EUC-KR, EUC-JP and Shift_JIS bytes mostly decode as GB18030 too, into garbage: decoding alone
    proves nothing. When feedparser detected one of those, its reading stands. Otherwise charset-normalizer
    must find GB among its most coherent readings (short texts leave several CJK readings close).
    """
    if _OTHER_CJK.search(feedparser_encoding or ""):
        return False
    from charset_normalizer import from_bytes

    matches = list(from_bytes(body))
    if not matches:
        return False
    best = min(match.chaos for match in matches)
    for match in matches:
        names = {match.encoding.lower(), *(name.lower() for name in match.could_be_from_charset)}
        if match.chaos <= best + _CHAOS_MARGIN and names & _GB_FAMILY:
            return True
    return False


def _reparse_in_real_charset(body: bytes, headers: dict[str, str], parsed: Any) -> tuple[Any, str]:
    """A feed whose declared charset does not decode it: feedparser then detects the real one.

    Chinese feeds that lie are mostly GB18030/GBK labelled UTF-8, which feedparser's detection can miss;
    when the bytes decode strictly as GB18030 and detection agrees that they are GB text, transcode to
    UTF-8 and parse again. Anything else (Big5, EUC-KR, Shift_JIS…) keeps feedparser's reading.
    """
    try:
        body.decode("utf-8")
        return parsed, ""
    except UnicodeDecodeError:
        pass
    try:
        text = body.decode("gb18030")
    except UnicodeDecodeError:
        return parsed, ""
    if (parsed.get("encoding") or "").lower() in _GB_FAMILY or not _detected_as_gb18030(
        body, parsed.get("encoding") or ""
    ):
        return parsed, ""
    import feedparser

    data = _XML_ENCODING.sub(rb"\1utf-8", text.encode("utf-8"), count=1)
    headers = {**headers, "content-type": "application/xml; charset=utf-8"}
    return feedparser.parse(data, response_headers=headers, sanitize_html=False), "GB18030"


def xml_media_type(content_type: str | None) -> str:
    """The Content-Type feedparser should apply, per RFC 7303.

    RFC 7303 (2014) ended RFC 3023's rule that ``text/xml`` without a charset is US-ASCII: an XML document
    served without a charset parameter is read by its BOM, then its XML declaration, then as UTF-8, whatever
    the media type. feedparser still applies the old rule (and warns that the declared charset is wrong),
    so a ``text/*`` type without a charset is passed on as ``application/xml``.
    """
    if not content_type:
        return ""
    media_type, _, params = content_type.partition(";")
    if media_type.strip().lower().startswith("text/") and "charset" not in params.lower():
        return "application/xml" + (f";{params}" if params.strip() else "")
    return content_type


def _leading_space_removed(body: bytes) -> bytes:
    """White space before ``<?xml`` makes the document ill-formed, and sends feedparser to its loose parser
    (entities then stay in fields); browsers and feed readers skip it."""
    stripped = body.lstrip(b" \t\r\n")
    if stripped is not body and stripped.startswith(b"<"):
        return stripped
    return body


def parse_feed(body: bytes, url: str, content_type: str | None = None, zone: tzinfo | None = None) -> Feed:
    """Parse feed bytes; raise :class:`PageError` (``not_a_feed``) when nothing feed-like is in them.

    ``zone`` is the site's time zone (``TIMEZONE``), for dates that name none.
    """
    import feedparser  # here, not at the top: every crawl loads this module, few of them read feeds

    # No content-location: feedparser would resolve every relative URL of the entries against the feed's
    # own URL. xml:base still applies; what is left relative is resolved against the entry's link later.
    headers = {}
    media_type = xml_media_type(content_type)
    if media_type:
        headers["content-type"] = media_type
    body = repair_surrogate_references(_leading_space_removed(body))
    try:
        # Our own sanitiser runs later and understands lazy images; feedparser's would strip data-src first.
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False)
    except Exception as error:  # feedparser's own bug on odd input: one clear error, not a traceback
        raise PageError(
            f"the feed parser failed ({type(error).__name__}: {error})", reason="not_a_feed"
        ) from error
    redecoded = ""
    if isinstance(parsed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        parsed, redecoded = _reparse_in_real_charset(body, headers, parsed)
    version = parsed.get("version") or ""
    if not parsed.entries and not version:
        problem = parsed.get("bozo_exception") or "no RSS or Atom markup"
        raise PageError(f"not an RSS/Atom feed: {problem}", reason="not_a_feed")
    site_link = parsed.feed.get("link") or ""
    site_link = urljoin(url, site_link) if site_link else url
    language = parsed.feed.get("language") or ""
    # RSS and Atom 0.3 titles are HTML unless their type says otherwise, as readers render them.
    html_titles = version.startswith(("rss", "atom03"))
    entries: list[FeedEntry] = []
    skipped = 0
    for raw in parsed.entries:
        entry = build_entry(
            raw,
            feed_url=url,
            site_link=site_link,
            html_titles=html_titles,
            zone=zone or ZoneInfo("UTC"),
            language=language,
        )
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    if isinstance(parsed.get("bozo_exception"), xml.sax.SAXException):
        # feedparser's loose parser (used once the XML is broken) leaves authors and tags HTML-escaped:
        # "R&amp;D" would become Hexo's tag "R-amp-D". Unescape them once, as the strict parser does.
        for entry in entries:
            entry.author = html.unescape(entry.author)
            entry.tags = [html.unescape(tag) for tag in entry.tags]
    problem = parsed.get("bozo_exception")
    warning = ""
    if redecoded:
        warning = f"the feed's declared charset is wrong; read it as {redecoded}"
    elif isinstance(problem, feedparser.CharacterEncodingOverride):
        detected = parsed.get("encoding") or "detected"
        warning = f"the feed's declared charset is wrong ({problem}); read it as {detected}"
    elif parsed.bozo and not isinstance(problem, _harmless_problems(feedparser)):
        warning = f"feed has markup errors ({problem}); read what could be read"
    return Feed(
        title=title_text(parsed.feed.get("title_detail"), parsed.feed.get("title") or "", html_titles),
        link=site_link,
        entries=entries,
        warning=warning,
        author=author_name(parsed.feed),
        skipped=skipped,
    )


def needs_page(entry: FeedEntry, mode: str, min_chars: int) -> bool:
    """Whether the entry's page must be fetched to get the whole article.

    ``mode`` is ``FEED_FETCH_PAGES``: ``always``, ``never``, or ``auto`` — fetch when the feed has no full
    content, or its text is shorter than ``min_chars``, or it ends like a teaser ("…", "阅读全文",
    "Read more").
    """
    if mode == "always":
        return True
    if mode == "never":
        return False
    text = html_to_text(entry.best_html)
    return len(text) < min_chars or bool(_TRUNCATION.search(text))
