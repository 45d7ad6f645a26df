"""The standfirst (lead, teaser, chapo) that news and magazine sites print outside the article box.

readability picks the box of running text; the standfirst under the headline is set apart from it (its own
``<p class="lead">``, a ``<div>`` in the article's ``<header>``, a ``chapo`` above the body), and trafilatura
drops a box's ``<header>`` whole. Without it a post starts at its second paragraph. Three ways to know it,
each measured on real pages (``bench/extraction.py``): a class that names it, its place right after the
headline in the article's own header, and the page's description, which publishers fill with it.
"""

from __future__ import annotations

import re

from lxml import etree

from .boilerplate import link_share, names, squeeze
from .box import SENTENCE_END
from .box_page import ITEM_BLOCKS

_LEAD = re.compile(
    r"lead|teaser|intro|standfirst|chapo|chapeau|\bdek\b|excerpt|subtitle|subline|abstract|summary|description"
    r"|kicker",
    re.IGNORECASE,
)
_LEAD_BLOCKS = ("p", "div", "h2", "span")


_NOT_LEAD = re.compile(r"byline|author|meta|date|time|info|share|tag|breadcrumb", re.IGNORECASE)


def _header_standfirst(headline: etree._Element, body: etree._Element) -> str | None:
    """The paragraph that follows the headline inside the article's own ``<header>``
    (``<header><h1>…</h1><p>standfirst</p></header>``): trafilatura drops a box's ``<header>`` whole, and
    the standfirst with it. A byline, date or share line there is no standfirst: it must be a sentence."""
    header = headline.getparent()
    if header is None or header.tag != "header":
        return None
    for element in headline.itersiblings():
        if element.tag != "p":
            continue
        if _NOT_LEAD.search(names(element)):
            continue
        text = " ".join(element.text_content().split())
        flat = squeeze(text)
        if (
            40 <= len(flat) <= 600
            and SENTENCE_END.search(text)
            and link_share(element) < 0.3
            and flat[:40] not in squeeze(body.text_content())
        ):
            return text
        return None
    return None


def standfirst(
    root: etree._Element, box: list[etree._Element], body: etree._Element, descriptions: tuple[str, ...] = ()
) -> str | None:
    """The standfirst printed between the headline and the article box (``<p class="lead">``), when the
    body does not already say it: news and magazine sites put it outside the box readability picks.

    The headline is the last ``<h1>`` before the box: blog themes print the site's name as an ``<h1>`` and
    its tagline as ``<h2 class="site-description">`` above everything, which is no standfirst; and when the
    box holds the headline itself, nothing printed before the box is between the two (but its ``<header>``
    may hold one, ``_header_standfirst``).

    Where no block is marked as the standfirst, the page's own descriptions (``page_descriptions``:
    ``<meta name="description">``, ``og:description``, …) name it: publishers fill them with the standfirst,
    so a block after the headline that says one of them, and that the body does not, is the standfirst
    (``_described_standfirst``).
    """
    if not box:
        return None
    return _marked_standfirst(root, box, body) or _described_standfirst(root, box, body, descriptions)


def _marked_standfirst(root: etree._Element, box: list[etree._Element], body: etree._Element) -> str | None:
    """A standfirst marked by its class, after the last headline before the box (or in the box's header)."""
    inside = next((h for part in box for h in part.iter("h1") if squeeze(h.text_content())), None)
    if inside is not None:
        return _header_standfirst(inside, body) or _marked_in_box(inside, box, body)
    before: list[etree._Element] = []
    for element in root.iter(etree.Element):
        if element is box[0]:
            break
        before.append(element)
    headline = next(
        (at for at in range(len(before) - 1, -1, -1)
         if before[at].tag == "h1" and squeeze(before[at].text_content())),
        None,
    )  # fmt: skip
    if headline is None:
        return None
    said = squeeze(body.text_content())
    for element in before[headline + 1 :]:
        if element.tag in _LEAD_BLOCKS and _LEAD.search(names(element)) and not _in_author_box(element):
            lead = _unsaid_lead(element, said)
            if lead:
                return lead
    return None


_AUTHOR_BOX = re.compile(r"author|byline|\bbio\b|biography|profile", re.IGNORECASE)


def _in_author_box(element: etree._Element) -> bool:
    """Whether a block lies in the box about the author: its ``<div class="description">`` is the writer's
    biography, not the article's (a tech blog's "currently works for TechCrunch as a writer" opened the
    post)."""
    return any(_AUTHOR_BOX.search(names(above)) for above in element.iterancestors())


def _unsaid_lead(element: etree._Element, said: str) -> str | None:
    """The text of a block marked as the standfirst, when it is one (a sentence or two, not links) and the
    body (``said``, squeezed) does not already begin with it."""
    text = " ".join(element.text_content().split())
    if 40 <= len(squeeze(text)) <= 600 and link_share(element) < 0.3 and squeeze(text)[:40] not in said:
        return text
    return None


def _marked_in_box(headline: etree._Element, box: list[etree._Element], body: etree._Element) -> str | None:
    """A block marked as the standfirst by its class between the headline the box holds and the box's first
    paragraph (``<div class="content-block__subline">`` after the headline's own wrapper): trafilatura drops
    it from the box as a teaser (a finance wiki lost its opening sentence)."""
    part = next(part for part in box if part is headline or part in headline.iterancestors())
    elements = list(part.iter(etree.Element))
    said = squeeze(body.text_content())
    for element in elements[elements.index(headline) + 1 :]:
        if element.tag == "p" and not _LEAD.search(names(element)):
            return None  # the body has begun
        if element.tag in _LEAD_BLOCKS and _LEAD.search(names(element)) and not _in_author_box(element):
            lead = _unsaid_lead(element, said)
            if lead:
                return lead
    return None


MIN_DESCRIPTION = 40
"""Characters (white space aside) a description needs to name a standfirst; less names a site, not a text."""


_DESCRIPTIONS = frozenset({"description", "og:description", "twitter:description", "dc.description"})


def page_descriptions(root: etree._Element) -> tuple[str, ...]:
    """Every description the page declares in ``<meta>`` (``description``, ``og:description``, …), each once:
    they differ more often than not, and any of them may be the standfirst."""
    found: dict[str, None] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if key in _DESCRIPTIONS and content:
            found.setdefault(content, None)
    return tuple(found)


def _described_standfirst(
    root: etree._Element, box: list[etree._Element], body: etree._Element, descriptions: tuple[str, ...]
) -> str | None:
    """The block between the headline and the end of the box whose text one of the page's descriptions
    begins (descriptions are often cut short, ``…``), when the body does not already say it.

    Found on a news site that prints the standfirst as ``<div class="entry-content"><p>`` beside the
    headline, with no full stop, a French review whose ``chapo`` sits above the box, and a magazine whose
    ``<p class="af-chapo">`` trafilatura drops as a teaser.
    """
    said = _words(body.text_content())
    wanted = [
        words for words in (_words(text)[:MIN_DESCRIPTION] for text in descriptions)
        if len(words) == MIN_DESCRIPTION and words not in said
    ]  # fmt: skip
    if not wanted:
        return None
    elements = list(root.iter(etree.Element))
    end = elements.index(box[-1]) + sum(1 for _ in box[-1].iterdescendants(etree.Element))
    start = max((at for at, element in enumerate(elements[:end]) if element.tag == "h1"), default=-1) + 1
    for element in elements[start : end + 1]:
        if element.tag not in _STANDFIRST_BLOCKS or any(
            isinstance(child.tag, str) and child.tag in ITEM_BLOCKS for child in element
        ):
            continue
        if _opening_words(element) not in wanted:
            continue
        text = " ".join(element.text_content().split())
        words = _words(text)
        if (
            any(words.startswith(start) for start in wanted)
            and len(text) <= 1200
            and link_share(element) < 0.3
        ):
            return text
    return None


_NOT_WORD = re.compile(r"\W+")


def _opening_words(element: etree._Element) -> str:
    """The first ``MIN_DESCRIPTION`` characters of ``_words`` of the element's text, read from its first
    pieces of text only (and one word character more, so that lower-casing a final sigma sees what follows
    it): every block from the headline to the end of the box is asked, the box's wrappers among them, and
    their whole text was read, over and over, to compare its first words."""
    kept = ""  # the word characters read so far: ``_words`` drops the others one by one
    for piece in element.itertext():
        kept += _NOT_WORD.sub("", piece)
        words = kept.lower()
        if len(words) > MIN_DESCRIPTION:
            return words[:MIN_DESCRIPTION]
    return kept.lower()


def _words(text: str) -> str:
    """Text as its word characters alone: a description spells quotes and dashes its own way (``'`` for
    ``’``) and drops the final full stop, so only the words are compared."""
    return _NOT_WORD.sub("", text).lower()


_STANDFIRST_BLOCKS = frozenset({"p", "div", "h2", "h3", "h4", "span", "section"})
