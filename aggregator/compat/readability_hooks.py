"""Hooks into readability-lxml's private API (see :mod:`aggregator.compat`); canaries in
``tests/test_compat.py``."""

from __future__ import annotations

import re

from lxml import etree
from readability import Document
from readability.readability import REGEXES, Unparseable

__all__ = ["DISPLAY_NONE", "ReadabilityOnTree", "Unparseable"]

_INLINE_TAGS = frozenset(
    {"a", "b", "cite", "code", "em", "font", "i", "small", "span", "strong", "sub", "sup", "u"}
)
_BLOCK_START = re.compile(REGEXES["divToPElementsRe"].pattern.removeprefix("<"), re.IGNORECASE)
"""readability's ``divToPElementsRe`` (``<(blockquote|dl|div|…)``) less its ``<``: matched against tag
names instead of serialised markup."""


def _holds_block(element: etree._Element, itself: bool) -> bool:
    """Whether readability's ``divToPElementsRe`` would find a tag in ``element``'s serialised markup.

    readability serialises every ``<div>``'s children to search that markup for ``<div``, ``<p``, ``<img`` …;
    in markup a ``<`` only ever opens a tag (text and attribute values escape it), so the search is true
    exactly when a descendant's tag name (or the element's own, when it is serialised too) starts with one of
    those names. Walking the tags gives the same answer without writing out every div's subtree.
    """
    nodes = element.iter() if itself else element.iterdescendants()
    return any(isinstance(node.tag, str) and _BLOCK_START.match(node.tag) for node in nodes)


_UNLIKELY_NAMES = [name for name in REGEXES["unlikelyCandidatesRe"].pattern.split("|") if name.isalnum()]
_UNLIKELY_AT_WORD_START = re.compile(r"(?<![a-z0-9])(?:{})".format("|".join(_UNLIKELY_NAMES)))
"""readability's ``unlikelyCandidatesRe`` (``combx|comment|…|footer|…``), each name matched at the start of a
word (a run of ``[a-z0-9]``) of a lower-cased class or id. Its ``ad-break`` is left out: it can never start
such a word."""
_HOLDS_CONTENT = "descendant-or-self::main | descendant-or-self::article | descendant-or-self::math"

DISPLAY_NONE: re.Pattern[str] = REGEXES["displayNoneRe"]
"""readability's own test for ``style="display: none"``: hidden elements are judged exactly as it does."""


class ReadabilityOnTree(Document):
    """readability's ``Document``, scoring a tree we prepare rather than HTML it parses and rewrites itself.

    ``Document`` hands the input it was given to its private ``_parse`` and scores whatever that returns;
    its own ``_parse`` parses text and rewrites the whole page (lxml ``Cleaner``, absolute links), which is
    half of readability's time on a portal page. Subclasses implement :meth:`prepare`: an already parsed
    tree in, the tree to score out.
    """

    def prepare(self, tree: etree._Element) -> etree._Element:
        raise NotImplementedError

    def transform_misused_divs_into_paragraphs(self) -> None:
        """readability's own step (divs with no block inside become paragraphs; inline runs inside divs are
        wrapped in paragraphs), with its markup search replaced by ``_holds_block``: on a portal page the
        serialisation was a quarter of readability's time."""
        for elem in self.tags(self.html, "div"):
            if not _holds_block(elem, itself=False):
                elem.tag = "p"
        for elem in self.tags(self.html, "div"):
            paragraph = None
            children = list(elem)
            if elem.text and elem.text.strip():
                paragraph = elem.makeelement("p", {})
                paragraph.text, elem.text = elem.text, None
                elem.insert(0, paragraph)
            for child in children:
                if child.tag == "br":
                    paragraph = None
                    continue
                if child.tag not in _INLINE_TAGS or _holds_block(child, itself=True):
                    paragraph = None
                    continue
                if paragraph is None:
                    paragraph = elem.makeelement("p", {})
                    child.addprevious(paragraph)
                paragraph.append(child)
            for position, child in reversed(list(enumerate(elem))):
                if child.tail and child.tail.strip():
                    tail = elem.makeelement("p", {})
                    tail.text, child.tail = child.tail, None
                    elem.insert(position + 1, tail)
                if child.tag == "br":
                    child.drop_tree()

    def remove_unlikely_candidates(self) -> None:
        """readability's own step (elements whose class or id names a comment, a footer, a menu, a pager …
        are dropped before scoring), with the names matched at the start of a word of the class or id, not
        anywhere in it: a news site wraps its article in ``<div id="artpagination">`` ("article pagination"),
        and readability dropped the article with it, as a pager, and took a log-in box for the article.
        ``comments``, ``sidebar-left`` and ``footer`` still match; ``artpagination`` no longer does. The
        other conditions are readability's, unchanged."""
        for elem in self.html.xpath(".//*[@class or @id]"):
            names = "{} {}".format(elem.get("class", ""), elem.get("id", ""))
            if (
                _UNLIKELY_AT_WORD_START.search(names.lower())
                and not REGEXES["okMaybeItsACandidateRe"].search(names)
                and elem.tag not in ("html", "body")
                and not elem.xpath("ancestor-or-self::pre | ancestor-or-self::code")
                and not elem.xpath(_HOLDS_CONTENT)
            ):
                elem.drop_tree()

    def _parse(self, input: etree._Element) -> etree._Element:  # readability's own name and argument
        self.encoding = "utf-8"  # readability reads it after parsing; the tree is already decoded
        return self.prepare(input)
