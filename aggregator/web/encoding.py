"""Turn page and feed bytes into text the way a browser would, without trusting one declaration blindly.

Chinese sites often declare the wrong charset, or none in the HTTP header and only ``gb2312``/``gbk`` in a
``<meta>`` (or in a non-standard place: ``<script charset=…>``). A wrong guess silently turns a whole
article into mojibake, which no later step can detect, so a declaration is first tried strictly. But real
Chinese pages also carry a few broken bytes (a truncated character, a stray byte from a template): a browser
then shows the declared charset with a replacement character or two, and so does this module: a charset
that decodes all but a handful of bytes is used with U+FFFD, not abandoned for statistical detection, which
on such a page can pick a Cyrillic code page and turn the whole post into mojibake.
"""

from __future__ import annotations

import codecs
import functools
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)
# A charset named anywhere near the top: ``<script charset="gb2312">``, ``<link charset=…>``, an XML
# declaration's ``encoding="gbk"`` (feeds, XHTML). Not a declaration of the page, but what its authors used.
_OTHER_CHARSET = re.compile(
    rb"""(?:\bcharset|<\?xml[^>]*\bencoding)\s*=\s*["']?\s*([a-zA-Z][a-zA-Z0-9_.:-]*)""",
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
# Detection results that name a script of their own (multi-byte East Asian or Unicode): believed as they are.
_MULTIBYTE = ("utf", "gb", "big5", "cp950", "euc", "shift_jis", "cp932", "cp949", "iso2022", "johab", "hz")
_HEAD = 4096
_HIGH_BYTES = bytes(range(0x80, 0x100))


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
    match = _META_CHARSET.search(body[:_HEAD])
    return match.group(1).decode("ascii", "ignore") if match else None


def other_charsets(body: bytes) -> list[str]:
    """Charsets named elsewhere in the head (``<script charset>``, the XML declaration), in page order."""
    return [match.group(1).decode("ascii", "ignore") for match in _OTHER_CHARSET.finditer(body[:_HEAD])]


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


def _tolerant(body: bytes, encoding: str, declared: bool = True) -> tuple[str, int] | None:
    """The text with U+FFFD for bytes ``encoding`` cannot read, if those are only a handful.

    "A handful" is relative to the non-ASCII bytes, the only ones a wrong charset misreads: at most 1% of
    them, and at least 2 for a declared charset (the declaration is evidence of its own). Reading GBK as
    UTF-8, or UTF-8 as GBK, breaks far more than that. An undeclared charset needs 50 non-ASCII bytes to
    prove anything: a Latin page with one "é" is not UTF-8 with one bad byte.
    """
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        return None
    errors = text.count("\ufffd") - body.count("\ufffd".encode())  # literal U+FFFD in UTF-8 pages
    non_ascii = len(body) - len(body.translate(None, _HIGH_BYTES))
    if not declared and non_ascii < 50:
        return None
    return (text, errors) if errors <= max(2 if declared else 0, non_ascii // 100) else None


def _gb2312_level1(char: str) -> bool:
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def chinese_likely(text: str) -> bool:
    """Whether text reads as simplified Chinese: most of its non-ASCII characters are among the 3,755
    common hanzi (GB2312 level 1). Other bytes read as GBK (Big5, a Cyrillic or Latin code page) come out
    as rare characters, kana, box drawing and symbols instead."""
    sample = [char for char in text[:50_000] if ord(char) >= 0x80 and not char.isspace()]
    if len(sample) < 20:
        return False
    common = sum(1 for char in sample if _gb2312_level1(char))
    return common >= len(sample) * 0.6


@functools.cache
def single_byte(encoding: str) -> bool:
    """Whether ``encoding`` reads every byte as one character (ISO-8859-15, windows-1251, KOI8-R …): such a
    charset decodes any bytes, so a page that "decodes cleanly" in it proves nothing."""
    try:
        text = _HIGH_BYTES.decode(encoding, errors="replace")
    except LookupError:
        return False
    return len(text) == len(_HIGH_BYTES) and text.count("\ufffd") < len(_HIGH_BYTES) // 2


def _declared(body: bytes, content_type: str | bytes | None) -> tuple[list[str], str | None]:
    """The charsets the response and page declare, strongest first, and a weak header charset apart."""
    header = normalize_encoding(header_charset(content_type))
    weak = header if header in _ANYTHING_GOES else None
    named = [None if weak else header, normalize_encoding(meta_charset(body))]
    named += [normalize_encoding(name) for name in other_charsets(body)]
    ordered = list(dict.fromkeys(name for name in named if name and name not in _ANYTHING_GOES))
    return ordered, weak


def _detected(body: bytes) -> str | None:
    best = from_bytes(body[:200_000]).best()
    return normalize_encoding(best.encoding) or best.encoding if best is not None and best.encoding else None


def _decode(body: bytes, content_type: str | bytes | None = None) -> tuple[str, str]:
    """Decode an HTML page or a feed; return ``(text, encoding used)``.

    Order: byte-order mark; each declared multi-byte charset (HTTP header, ``<meta>``, a charset named
    elsewhere in the head), then UTF-8, then each declared single-byte charset, if it decodes the bytes
    without error; the declared ones again with a handful of
    bad bytes allowed, the fewest first, shown as U+FFFD as a browser shows them; a single-byte header
    charset such as ISO-8859-1, which decodes anything, only then; UTF-8 with a handful of bad bytes; with
    nothing fitting, statistical detection when it names a multi-byte or Unicode charset, else GB18030 if
    that reads as Chinese, else detection's single-byte guess; UTF-8 with replacement characters as the
    last resort, so that nothing is ever lost to an exception.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace"), encoding
    declared, weak = _declared(body, content_type)
    # A single-byte declaration is tried after UTF-8: it decodes anything, and a page whose bytes are UTF-8
    # is UTF-8 (a Spanish paper's page saved as UTF-8 under its old ``iso-8859-15`` came out "kilÃ³metros"),
    # while text really written in such a charset is never valid UTF-8 once it has a letter beyond ASCII.
    multibyte = [name for name in declared if not single_byte(name)]
    for candidate in [*multibyte, "utf-8", *(name for name in declared if name not in multibyte)]:
        text = _strict(body, candidate)
        if text is not None:
            return text, candidate
    tolerated = [(result, candidate) for candidate in declared if (result := _tolerant(body, candidate))]
    if tolerated:
        (text, _errors), candidate = min(tolerated, key=lambda item: item[0][1])
        return text, candidate
    if weak:
        return body.decode(weak, errors="replace"), weak
    utf8 = _tolerant(body, "utf-8", declared=False)
    if utf8:
        return utf8[0], "utf-8"
    detected = _detected(body)
    if detected and detected.replace("-", "").startswith(_MULTIBYTE):
        return body.decode(detected, errors="replace"), detected
    chinese = _tolerant(body, "gb18030", declared=False)
    if chinese and chinese_likely(chinese[0]):
        return chinese[0], "gb18030"
    if detected:
        return body.decode(detected, errors="replace"), detected
    return body.decode("utf-8", errors="replace"), "utf-8"


def decode_html(body: bytes, content_type: str | bytes | None = None) -> tuple[str, str]:
    """Decode an HTML page (see :func:`_decode`) into text every parser takes: :func:`parseable_text`."""
    text, encoding = _decode(body, content_type)
    return parseable_text(text), encoding


_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\b[^>]*\?>", re.IGNORECASE)
_CONTROL_REFERENCE = re.compile(
    r"&#(?:0*(?:[0-8]|1[1-24-9]|2\d|3[01]|127)(?!\d)|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])(?![0-9a-fA-F]));?"
)
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parseable_text(text: str) -> str:
    """Decoded page text without what breaks parsers and is never content.

    * An XHTML page's ``<?xml … encoding="utf-8"?>``: lxml refuses a *decoded* string that declares an
      encoding ("Unicode strings with encoding declaration are not supported"), and the text is decoded.
    * Control characters, literal or as references (``&#1;``, ``&#x2;``): lxml refuses them in an attribute
      value it is asked to set (``<img src="/pic&#2;.jpg">`` crashed image and link handling), and no text
      needs them.
    """
    text = _XML_DECLARATION.sub("", text, count=1)
    if "&#" in text:
        text = _CONTROL_REFERENCE.sub("", text)
    return _CONTROL_CHARACTER.sub("", text)


_SURROGATE_REFERENCE = re.compile(
    rb"&#(?:[xX]0*([dD][89a-fA-F][0-9a-fA-F]{2})"  # D800-DFFF
    rb"|0*(55(?:29[6-9]|[3-9][0-9]{2})|56[0-9]{3}|57(?:[0-2][0-9]{2}|3(?:[0-3][0-9]|4[0-3]))));"  # 55296…
)
_SURROGATE_PAIR = re.compile(_SURROGATE_REFERENCE.pattern * 2)


def _surrogate(match: re.Match[bytes], group: int) -> int:
    hexadecimal, decimal = match.group(group), match.group(group + 1)
    return int(hexadecimal, 16) if hexadecimal else int(decimal)


def _pair(match: re.Match[bytes]) -> bytes:
    high, low = _surrogate(match, 1), _surrogate(match, 3)
    if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
        return b"&#x%X;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return b"&#xFFFD;&#xFFFD;"


def repair_surrogate_references(data: bytes) -> bytes:
    """Character references to UTF-16 surrogates (``&#55357;&#56832;``, an emoji written by a UTF-16 tool,
    or a lone ``&#55296;``) made valid: a pair becomes the one character it encodes, a lone half U+FFFD.

    A surrogate is not a character; feedparser decodes the reference into a string it then cannot encode
    (``UnicodeEncodeError``), and the whole feed was lost for one bad reference.
    """
    if b"&#" not in data:
        return data
    data = _SURROGATE_PAIR.sub(_pair, data)
    return _SURROGATE_REFERENCE.sub(b"&#xFFFD;", data)
