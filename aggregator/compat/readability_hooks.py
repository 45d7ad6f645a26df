"""Hooks into readability-lxml's private API (see :mod:`aggregator.compat`); canaries in
``tests/test_compat.py``."""

from __future__ import annotations

import logging
import re

import readability.readability
from lxml import etree
from readability import Document
from readability.readability import REGEXES, Unparseable

__all__ = ["DISPLAY_NONE", "ReadabilityOnTree", "Unparseable"]

_library_clean = readability.readability.clean
_LONG_RUN = re.compile(r"\s{255,}")
_SPACE_RUN = re.compile(r"\t|[ \t]{2,}")


def clean(text: str) -> str:
    """readability's ``clean`` (white space squeezed the way it measures every text), each of its three
    substitutions skipped where it cannot match: runs of 255 white-space characters need 255 characters, a
    run around a line break needs a line break, a run of blanks needs a tab or two spaces. The same result
    for every text (``tests/test_compat.py``); readability measures every link and every candidate with it,
    and on most of them (links and short blocks) at least one pass has nothing to find. With ``describe``
    below and the verdicts of ``remove_unlikely_candidates`` reached once per spelling: 2.6% less of the
    project's time over 84 tuning pages (bench/README.md, round 12). The first pass runs only where a long
    run can be (``_has_long_run``), the second reads lines (``_one_break_per_run``)."""
    if len(text) >= 255 and _has_long_run(text):
        text = _LONG_RUN.sub(" " * 255, text)
    if "\n" in text:
        text = _one_break_per_run(text)
    if "\t" in text or "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text.strip()


def _has_long_run(text: str) -> bool:
    """Whether ``text`` may hold a run of 255 white-space characters (``\\s{255,}``): such a run covers a
    whole block of 128 characters that starts at a multiple of 128, so a text with no such block of white
    space alone has none. Reading the blocks takes under a fiftieth of the pattern's time, which was tried at
    every blank of every text readability measures (a page's indentation)."""
    return any(text[start : start + 128].isspace() for start in range(0, len(text) - 127, 128))


def _one_break_per_run(text: str) -> str:
    r"""readability's ``re.sub(r"\s*\n\s*", "\n", text)``: each run of white space that holds a line break
    becomes one line break. Read line by line: each line loses the white space at its ends that touches a
    break, and lines of white space alone vanish into the run around them (``str.strip`` and ``\s`` know the
    same white space). Twice as fast: the pattern was tried at every blank between two words."""
    lines = text.split("\n")
    middle = [line for line in (each.strip() for each in lines[1:-1]) if line]
    return "\n".join([lines[0].rstrip(), *middle, lines[-1].lstrip()])


_library_describe = readability.readability.describe
_readability_log = logging.getLogger("readability.readability")


def describe(node: etree._Element, depth: int = 1) -> str:
    """readability's ``describe`` (a node's tag, id and class, for its debug lines) only when those lines
    are logged: readability formats them eagerly, for every candidate it scores and every block it
    cleans, whether they are logged or not, and ``describe`` remembers every node it named in a module-wide
    dict, which keeps the last page's tree alive after the extraction."""
    return _library_describe(node, depth) if _readability_log.isEnabledFor(logging.DEBUG) else ""


readability.readability.clean = clean
readability.readability.describe = describe

_NAMED = etree.XPath("descendant::*[@class or @id]")
"""readability's ``.//*[@class or @id]``: the same elements, in two fifths less time (``.//`` is a step for
every node, then one for its children)."""
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
        other conditions are readability's, unchanged; the verdict on the names is reached once for each
        spelling of them (a page repeats a few classes on hundreds of elements)."""
        unlikely_names: dict[str, bool] = {}
        for elem in _NAMED(self.html):
            names = "{} {}".format(elem.get("class", ""), elem.get("id", ""))
            unlikely = unlikely_names.get(names)
            if unlikely is None:
                unlikely = unlikely_names[names] = bool(
                    _UNLIKELY_AT_WORD_START.search(names.lower())
                    and not REGEXES["okMaybeItsACandidateRe"].search(names)
                )
            if (
                unlikely
                and elem.tag not in ("html", "body")
                and not elem.xpath("ancestor-or-self::pre | ancestor-or-self::code")
                and not elem.xpath(_HOLDS_CONTENT)
            ):
                elem.drop_tree()

    def _parse(self, input: etree._Element) -> etree._Element:  # readability's own name and argument
        self.encoding = "utf-8"  # readability reads it after parsing; the tree is already decoded
        return self.prepare(input)
