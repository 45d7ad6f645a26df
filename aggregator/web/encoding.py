"""Turn page bytes into text without trusting one declaration blindly.

Chinese sites often declare the wrong charset, or none in the HTTP header and only ``gb2312``/``gbk`` in a
``<meta>``. A wrong guess silently turns a whole article into mojibake, which no later step can detect, so
each declared encoding must prove itself by decoding the bytes strictly before it is believed.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Single-byte charsets decode any bytes without error, so "decodes cleanly" proves nothing for them; servers
# also send ISO-8859-1 as a default without looking at the page. Such a header is believed last.
_ANYTHING_GOES = {"latin-1", "iso8859-1", "cp1252", "windows-1252", "ascii", "us-ascii"}
# Pages labelled with the old, small Chinese charsets routinely use characters only their supersets have.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def normalize_encoding(name: str | None) -> str | None:
    """Python's codec name for a declared charset, widened to its superset; None if unknown."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, _SUPERSETS.get(canonical, canonical))


def meta_charset(body: bytes) -> str | None:
    """The charset a page declares in its first ``<meta>`` tags (only the head is searched)."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def header_charset(content_type: str | bytes | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header."""
    if not content_type:
        return None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    match = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | bytes | None = None) -> tuple[str, str]:
    """Decode an HTML page; return ``(text, encoding used)``.

    Order: byte-order mark, then the HTTP header charset, then the ``<meta>`` charset, then UTF-8 (each
    only if it decodes the bytes without error; a single-byte header charset such as ISO-8859-1, which
    decodes anything, only after the others), then statistical detection, then UTF-8 with replacement
    characters as the last resort so that nothing is ever lost to an exception.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), encoding
    declared = normalize_encoding(header_charset(content_type))
    weak = declared in _ANYTHING_GOES
    for candidate in (
        None if weak else declared,
        normalize_encoding(meta_charset(body)),
        "utf-8",
        declared if weak else None,
    ):
        text = _strict(body, candidate)
        if text is not None:
            return text, candidate  # type: ignore[return-value]
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        encoding = normalize_encoding(best.encoding) or best.encoding
        return body.decode(encoding, errors="replace"), encoding
    return body.decode("utf-8", errors="replace"), "utf-8"
