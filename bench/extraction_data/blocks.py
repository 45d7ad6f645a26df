"""Aid for writing gold text by hand: list every visible text line of a saved page, numbered.

    python bench/extraction_data/blocks.py real_web/pages/CASE.html.gz > /tmp/CASE.txt

No extraction happens here: every text block of the page (scripts, styles and comments left out) becomes
one numbered line, in document order, nav bars and footers included. The person writing the gold reads
the page this way, picks the article's lines and copies them (with any corrections) into ``gold/CASE.txt``.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from aggregator.extraction.markup import open_self_closed_root
from aggregator.web.encoding import decode_html

_BLOCKS = {
    "p", "div", "section", "article", "blockquote", "pre", "figure", "figcaption", "table", "tr", "td", "th",
    "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "nav",
    "aside", "main", "form", "caption", "br", "hr", "title",
}  # fmt: skip


def lines(data: bytes) -> list[str]:
    text, _ = decode_html(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    root = lxml.html.document_fromstring(open_self_closed_root(text))  # as a browser shows it
    parts: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in ("script", "style", "noscript", "template", "svg"):
            if element.tail:
                parts.append(element.tail)
            return
        if tag in _BLOCKS:
            parts.append("\n")
        parts.append(element.text or "")
        for child in element:
            walk(child)
        if tag in _BLOCKS:
            parts.append("\n")
        parts.append(element.tail or "")

    walk(root)
    return [line for line in (re.sub(r"\s+", " ", raw).strip() for raw in "".join(parts).split("\n")) if line]


if __name__ == "__main__":
    for number, line in enumerate(lines(Path(sys.argv[1]).read_bytes())):
        print(f"{number}\t{line}")
