"""CCTV's category lists: static JSONP files under ``/2019/07/gaiban/cmsdatainterface/page/``.

Three quirks are handled here and nowhere else:

* the body is ``<callback>({"data": {...}})`` where the callback is usually the category name but not
  always (some crawlers ask for ``?cb=t&cb=<cat>``), so the payload is the text between the first ``(``
  and the last ``)``, whatever the name; a trailing ``;`` and a bare JSON body are accepted too;
* the CMS (and people quoting it) leave trailing commas before ``]``/``}``, which JSON forbids, so they
  are removed outside of strings before decoding;
* the files are UTF-8 but are served without a charset, so an HTTP client falls back to ISO-8859-1 and
  turns every title into mojibake; the parser therefore takes the raw bytes and decodes them as UTF-8
  itself (dropping a BOM), never trusting a header.
"""

from __future__ import annotations

import codecs
import html
import json
import re
from typing import Any

from aggregator.sites.base import ListEntry, ListPage, PageError
from aggregator.sites.cctv.common import NEWS, absolute_url, item_type, parse_focus_date, type_from_id

_STRING_OR_TRAILING_COMMA = re.compile(r'("(?:\\.|[^"\\])*")|,\s*(?=[\]}])')
_IMAGE_KEYS = ("image", "image2", "image3")
# Video titles carry a "[视频]" type marker; the item type already says so.
_VIDEO_PREFIX = re.compile(r"^\s*\[视频\]\s*")


def list_url(category: str, page: int, base: str = NEWS) -> str:
    """URL of page ``page`` (1-based) of a category's JSONP list; the callback is named after it."""
    return f"{base.rstrip('/')}/2019/07/gaiban/cmsdatainterface/page/{category}_{page}.jsonp?cb={category}"


def jsonp_text(body: bytes) -> str:
    """The body as text: always UTF-8, whatever the HTTP header claimed, without a BOM.

    A stray invalid byte is replaced rather than fatal, so one damaged character does not cost a page of
    fifty entries.
    """
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="replace")


def drop_trailing_commas(text: str) -> str:
    """Remove commas that directly precede ``]`` or ``}``, leaving string contents untouched."""
    return _STRING_OR_TRAILING_COMMA.sub(lambda match: match.group(1) or "", text)


def _preview(text: str, limit: int = 80) -> str:
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


def decode_jsonp(body: bytes) -> Any:
    """The JSON value inside a JSONP body; ``PageError(reason="bad_jsonp")`` if there is none."""
    text = jsonp_text(body).strip().lstrip("\ufeff")
    payload = text.rstrip(";").rstrip()
    if not payload.startswith(("{", "[")):
        start, end = payload.find("("), payload.rfind(")")
        if start == -1:
            raise PageError(f"not JSONP (no callback parentheses): {_preview(text)}", reason="bad_jsonp")
        if end <= start:
            # What a connection cut mid-body looks like: the callback opens but never closes.
            raise PageError(
                f"JSONP cut off (no closing parenthesis after {len(text)} characters): {_preview(text)}",
                reason="bad_jsonp",
            )
        payload = payload[start + 1 : end]
    try:
        return json.loads(drop_trailing_commas(payload))
    except json.JSONDecodeError as error:
        raise PageError(
            f"JSONP payload is not JSON ({error.msg}): {_preview(text)}", reason="bad_jsonp"
        ) from error


def _text(value: Any) -> str | None:
    """A field as clean text; the CMS sometimes HTML-escapes titles and briefs (``&quot;``, ``&nbsp;``)."""
    if value is None or isinstance(value, dict | list):
        return None
    text = html.unescape(str(value)).replace("\xa0", " ").strip()
    return text or None


def _tags(keywords: str | None) -> list[str]:
    """``keywords`` is space-separated; commas are accepted too. Order kept, duplicates dropped."""
    if not keywords:
        return []
    return list(dict.fromkeys(word for word in re.split(r"[\s,，;；]+", keywords) if word))


def _entry(item: dict[str, Any], page_url: str) -> ListEntry | None:
    url = absolute_url(_text(item.get("url")), page_url)
    if not url:
        return None
    item_id = _text(item.get("id"))
    images = {key: absolute_url(_text(item.get(key)), page_url) for key in _IMAGE_KEYS}
    extra: dict[str, Any] = {
        "id": item_id,
        "type": (type_from_id(item_id) if item_id else None) or item_type(url),
        **images,
    }
    if _text(item.get("count")) is not None:
        extra["count"] = _text(item.get("count"))
    return ListEntry(
        url=url,
        title=_VIDEO_PREFIX.sub("", _text(item.get("title")) or "") or None,
        summary=_text(item.get("brief")),
        published=parse_focus_date(_text(item.get("focus_date"))),
        cover=images["image"],
        tags=_tags(_text(item.get("keywords"))),
        extra=extra,
    )


def parse_list_jsonp(body: bytes, url: str) -> ListPage:
    """Entries of one JSONP list page, in page order.

    Items without a ``url`` are skipped: there is nothing to fetch for them. ``next_url`` stays None
    because the spider pages by number (``list_url(category, n)``) until a page comes back empty.
    """
    data = decode_jsonp(body)
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        items = data["data"].get("list")
    else:
        items = None
    if not isinstance(items, list):
        raise PageError(
            f"JSONP has no data.list array: {_preview(jsonp_text(body).strip())} at {url}", reason="bad_jsonp"
        )
    entries = [entry for item in items if isinstance(item, dict) and (entry := _entry(item, url))]
    return ListPage(entries=entries, next_url=None)
