"""The project's HTML parser: lxml.html's elements, with their classes told apart in C, and no depth limit.

lxml.html's own parser asks a Python method for the class of every element it hands to Python (a form, an
input or a label gets a class of its own), and readability, trafilatura and the extraction rules hand out
elements by the hundred thousand on a long page: 9% of the generic extractor's time went to that method
(``bench/extraction.py``, web pages). Nothing here uses the form classes, so every element is an
``HtmlElement``, which libxml2's side of lxml decides alone. The output is the same on every page of the
benchmark. Site pages, the generic extractor and the body sanitiser all parse with it.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def html_parser(encoding: str | None = None) -> lxml.html.HTMLParser:
    """A new parser (parsers are not shared between threads: the feed spider extracts in worker threads).
    ``huge_tree``: libxml2 otherwise stops at 256 levels and silently drops the rest (issue 14)."""
    parser = lxml.html.HTMLParser(encoding=encoding, huge_tree=True)
    parser.set_element_class_lookup(_LOOKUP)
    return parser


def document(html: str) -> lxml.html.HtmlElement:
    """A whole page, parsed."""
    return lxml.html.document_fromstring(html, parser=html_parser())


def fragment(html: str) -> lxml.html.HtmlElement:
    """A piece of a page (a body trafilatura or readability wrote), inside a ``<div>``; an empty ``<div>``
    for a document with no body at all: readability's summary of a club's page was its bare ``<html>``
    element, and lxml refuses that with an ``AssertionError`` ("too many bodies: []")."""
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div", parser=html_parser())
    except (AssertionError, etree.ParserError):
        if lxml.html.document_fromstring(html or "<p></p>", parser=html_parser()).find("body") is not None:
            raise  # a refusal of another kind: not ours to hide
        return lxml.html.fragment_fromstring("", create_parent="div", parser=html_parser())
