"""Read clean article HTML back as plain text and as a list of images."""

from __future__ import annotations

import re

from lxml import etree

from aggregator.memo import remember_recent
from aggregator.web import parser

BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "blockquote", "pre", "figure", "figcaption", "table", "tr",
        "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "caption",
        "details", "summary",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})  # a row's cells on one line, apart: "Etruscan Rasna", not "EtruscanRasna"
_BLANK_RUNS = re.compile(r"\n{3,}")
_INLINE_SPACE = re.compile(r"[ \t\r\f\v]+")


def _parse(html: str) -> etree._Element | None:
    if not html or not html.strip():
        return None
    try:
        return parser.fragment(html)
    except (etree.ParserError, ValueError):
        return None


def html_to_text(html: str) -> str:
    """Plain text of a body: one paragraph per block, separated by a blank line, each as a browser shows it
    (a line break of the HTML source is a space; ``<br>`` is a line break; a ``<pre>`` keeps its lines and
    their spaces, a listing's indentation).

    Full-width indentation (``　　``, common on Chinese sites) is trimmed from each line, because it is
    layout, not content. A table row is one line, its cells apart by a space (glued, two cells read as
    one word, and a table page loses every word of it).
    """
    return _read(html)[0]


_SOURCE_LINE_BREAK = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")
r"""A run of HTML white space that holds a line break (not ``\s``: a no-break space is shown as one)."""


def as_shown(text: str) -> str:
    """Text outside ``<pre>`` as a browser shows it: each line break of the page's source, with the white
    space around it, is one space ("Such partitions have been considered an ideal\never since …" is one
    line of its paragraph)."""
    return _SOURCE_LINE_BREAK.sub(" ", text)


def _shown(text: str, verbatim: bool) -> str:
    """A piece of text as a browser shows it (``as_shown``), but in ``<pre>``, whose lines are marked to keep
    their indentation and spacing (``_VERBATIM``)."""
    return text.replace("\n", "\n" + _VERBATIM) if verbatim else as_shown(text)


_VERBATIM = "\ue000"
"""Marks the start of a line of ``<pre>`` (a private-use character): its spaces are the code's."""


def _line(line: str) -> str:
    if line.startswith(_VERBATIM):
        return line.replace(_VERBATIM, "").rstrip()
    return _INLINE_SPACE.sub(" ", line).strip(" \u3000\xa0")


def _text_of(root: etree._Element) -> str:
    parts: list[str] = []

    def walk(element: etree._Element, verbatim: bool) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in BLOCK_TAGS
        inside = verbatim or tag == "pre"
        if block:
            parts.append("\n\n")
        elif tag in _CELLS:
            parts.append(" ")
        if tag == "pre":
            parts.append(_VERBATIM)
        if tag == "br":
            parts.append("\n" + _VERBATIM if inside else "\n")
        if element.text and tag not in ("script", "style"):
            parts.append(_shown(element.text, inside))
        for child in element:
            walk(child, inside)
            if child.tail:
                parts.append(_shown(child.tail, inside))
        if block:
            parts.append("\n\n")
        elif tag in _CELLS:
            parts.append(" ")

    walk(root, False)
    lines = [_line(line) for line in "".join(parts).split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def image_urls(html: str) -> list[str]:
    """Every ``<img src>`` of the body, in document order, each URL once."""
    return list(_read(html)[1])


def text_and_images(html: str) -> tuple[str, list[str]]:
    """:func:`html_to_text` and :func:`image_urls` of one body."""
    text, images = _read(html)
    return text, list(images)


def _read(html: str) -> tuple[str, tuple[str, ...]]:
    return _read_once(html or "")


@remember_recent
def _read_once(html: str) -> tuple[str, tuple[str, ...]]:
    """Text and images of a body from one parse, the last few remembered (:mod:`aggregator.memo`): a feed
    article's body is read by the Clean pipeline (is anything visible?) and then by the Extract pipeline."""
    root = _parse(html)
    return ("", ()) if root is None else (_text_of(root), tuple(_images_of(root)))


def _images_of(root: etree._Element) -> list[str]:
    seen: dict[str, None] = {}
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        if src:
            seen.setdefault(src, None)
    return list(seen)
