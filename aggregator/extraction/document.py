"""A box that is one part of a whole document: a section of a manual, a module of a page builder's layout.

readability scores each block by the paragraphs directly in it and takes the best one; documentation
generators and page builders write a page as many such blocks of one kind (sections nested in sections,
sibling sections, rows of modules), and the rest of the page was lost. These rules find the whole around a
box (``aggregator.extraction.box`` asks them), named by the generator's own classes, and only when that
whole holds little else.
"""

from __future__ import annotations

import re

from lxml import etree

from .boilerplate import HEADINGS, link_share, squeeze

MAX_BETWEEN = 0.25
"""Share of its text a whole may hold besides the parts of it that are the article (a preamble, a table of
contents, a caption between rows) and still be the article; ``aggregator.extraction.box`` holds the smallest
container of a box of several parts to it too."""


_SECTION = re.compile(r"^(?:section|sect[1-5]|chapter|appendix|preface|refsect[1-3]|simplesect)$")


def _is_section(element: etree._Element) -> bool:
    """A section named by its generator's class (``div.section``, ``div.sect1``, …), or a ``<section>`` with
    no class that opens with a heading which is no link: Sphinx's HTML5 writer (docutils 0.17 and later)
    writes a manual's sections so, a kernel page's first section came out alone (recall 0.56). A
    ``<section>`` with a class is page layout as often as text."""
    if any(_SECTION.match(name) for name in (element.get("class") or "").split()):
        return True
    return (
        element.tag == "section" and not element.get("class") and _opens_with_heading(element, linked=False)
    )


def whole_document(box: list[etree._Element]) -> etree._Element | None:
    """The whole document around a box that lies in one of its sections, when a page is a document of named
    sections: the outermost of the sections nested around the box, or the block that holds it beside its
    sibling sections.

    Documentation generators write a chapter as sections nested in sections (DocBook's style sheets,
    Publican, older Sphinx: ``div.section``; AsciiDoc: ``div.sect2`` in its ``div.sect1``'s body) or a
    manual as sibling sections (AsciiDoc: ``div.sect1``, each a heading and its ``div.sectionbody``), each
    section's paragraphs its own: readability scores every section by the paragraphs directly in it and
    takes the best one. A chapter of the Debian Administrator's Handbook came out as one of its
    sub-subsections (recall 0.16), a page of git's manual as one of its sections (gitfaq: a fifteenth of
    its text). Named sections only (``_is_section``: a ``<section>`` counts without a class only when it
    opens with a heading), each opening with its heading (a blog theme's "section"s hold widgets: its posts
    and its side bar). Not links."""
    outermost = [_outermost_section(part) for part in box]
    if not box or any(section is None for section in outermost):
        return None
    document = outermost[0]
    parent = document.getparent()
    if any(section is not document for section in outermost):
        # parts in sibling sections (the box and its twins): their parent is the document, if it is one
        document = parent
        if parent is None or any(section.getparent() is not parent for section in outermost):
            return None
        if parent.tag in ("body", "html") or not _of_sections(parent, outermost[0]):
            return None
    elif parent is not None and parent.tag not in ("body", "html") and _of_sections(parent, document):
        document = parent
    if len(box) == 1 and box[0] is document:
        return None
    return document if link_share(document) < 0.3 else None


def sections_of_a_document(twins: list[etree._Element], box: list[etree._Element]) -> bool:
    """Whether the twins found beside the box (``_with_twins``) are the sections of one document: at least
    ``MIN_SECTIONS`` of them, nearly all opening with a heading that is no link.

    A page builder writes a long document as one block per section, each a heading and its paragraphs
    (Intel's terms of use: fifteen ``div.detail-text`` blocks); readability takes the longest, the twins
    bring back the others, and the cross-check measured them against readability's one section and put it
    back (recall 0.14). Teaser cards are twins too, but their headings are links; a thread's posts have no
    twins (``_is_post``)."""
    added = [twin for twin in twins if twin not in box]
    headed = sum(_opens_with_heading(twin, linked=False) for twin in added)
    return headed >= MIN_SECTIONS and headed >= HEADED_SHARE * len(added)


MIN_SECTIONS = 3
HEADED_SHARE = 0.75
"""Of the twins, the share that must open with a heading (an introduction before the first may have none)."""


_BUILDER_ROW = re.compile(
    r"^(?:et_pb_section|vc_row|elementor-section|elementor-top-section|fl-row|panel-grid|wp-block-group)$"
)
"""The class of a page builder's rows (Divi, WPBakery, Elementor, Beaver Builder, SiteOrigin, the block
editor's groups): a page written with one is a column of such rows, each holding modules of text, images,
tables, accordions."""


def _is_builder_row(element: etree._Element) -> bool:
    return any(_BUILDER_ROW.match(name) for name in (element.get("class") or "").split())


def whole_layout(box: list[etree._Element]) -> etree._Element | None:
    """The block that holds the page builder's rows around a box that is one of its modules, when the
    page is written with one and that block is the page's text: its rows, and little else.

    A page builder writes a page as rows of modules (a text module, then blurbs of a heading and a
    paragraph each, a table of facts, an accordion); readability takes the longest module, the rest of the
    page was lost (a charity's projects page: recall 0.33; a clinic's treatment page: 0.78)."""
    if not box:
        return None
    outermost = []
    for part in box:
        rows = [element for element in (part, *part.iterancestors()) if _is_builder_row(element)]
        if not rows:
            return None
        outermost.append(rows[-1])
    layout = outermost[0].getparent()
    if (
        layout is None
        or layout.tag in ("body", "html")
        or any(row.getparent() is not layout for row in outermost)
    ):
        return None
    rows_here = [child for child in layout if isinstance(child.tag, str) and _is_builder_row(child)]
    if len(rows_here) < 2:
        return None
    if not _little_besides(layout, rows_here):
        return None
    return layout if link_share(layout) < 0.3 else None


def _outermost_section(element: etree._Element) -> etree._Element | None:
    """The outermost of the named sections around ``element`` (itself included), each opening with its
    heading; None outside any. A section may sit in its parent section's body (AsciiDoc's
    ``div.sect1 > div.sectionbody > div.sect2``)."""
    sections = [above for above in (element, *element.iterancestors()) if _is_section(above)]
    if not sections or not _opens_with_heading(sections[0]):
        return None
    outermost = sections[0]
    for section in sections[1:]:
        if not _opens_with_heading(section):
            break
        outermost = section
    return outermost


def _opens_with_heading(section: etree._Element, linked: bool = True) -> bool:
    """Whether a section's first block is its heading, or a block that holds only its heading (DocBook's
    ``div.titlepage``); with ``linked`` False, a heading that is no link."""
    first = next((child for child in section if isinstance(child.tag, str)), None)
    if first is None:
        return False
    heading = first if first.tag in HEADINGS else next(first.iter(*HEADINGS), None)
    if heading is None or squeeze(heading.text_content()) != squeeze(first.text_content()):
        return False
    return linked or link_share(heading) < 0.5


def _of_sections(document: etree._Element, section: etree._Element) -> bool:
    """Whether ``document`` holds ``section`` beside sibling sections of its kind, and little else: a
    preamble, a table of contents, at most a quarter of its text outside them."""
    siblings = [child for child in document if child is not section and _is_section(child)]
    if not any(_opens_with_heading(sibling) for sibling in siblings):
        return False
    return _little_besides(document, [section, *siblings])


def _little_besides(holder: etree._Element, parts: list[etree._Element]) -> bool:
    """Whether the blocks of ``holder`` other than ``parts`` (children of it) hold at most ``MAX_BETWEEN``
    of its text: a preamble, a table of contents, a caption between rows."""
    kept = set(parts)
    others = [child for child in holder if isinstance(child.tag, str) and child not in kept]
    outside = sum(len(squeeze(child.text_content())) for child in others)
    return outside <= MAX_BETWEEN * len(squeeze(holder.text_content()))
