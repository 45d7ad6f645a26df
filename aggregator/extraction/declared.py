"""The article a page declares, where readability's box is only a part of it.

A page may say where its article is: schema.org's ``itemprop="articleBody"``, or its main region (``<main>``,
``role="main"``). readability scores blocks and knows neither; where its box lies inside such a declaration
and holds under half of its text (a boxed warning, one section, a definition and a table, the code
examples), the declaration is the box, and readability's own text no yardstick for it.
"""

from __future__ import annotations

from lxml import etree

from .boilerplate import link_share, squeeze

_ARTICLE_BODY = etree.XPath("//@itemprop[.='articleBody']")  # attributes, each knowing its element
_MAIN = etree.XPath("//main | //*[@role='main']")
MAX_DECLARED_SHARE = 0.5
"""Share of a declared region's text from which a box inside it is the article already."""
MAX_DECLARED_LINKS = 0.3
"""Share of a declared region's text in links from which it is an index of pages, not an article."""


def declared_article(box: list[etree._Element], root: etree._Element) -> etree._Element | None:
    """The declared article body around readability's box, else the declared main region around it; None
    where the page declares neither once, or the box is most of it, or it is links.

    Read the Docs' theme (the kernel's documentation, and most Sphinx manuals) declares the article body
    and opens a translated page with a boxed warning ("此文件的目的是为让中文读者更容易阅读和理解…"): one
    ``<div>`` with one paragraph, which readability's bonus for ``<div>`` put above the page's sections, whose
    paragraphs are ``<section>``s' own; or it took one of those sections. Of 181 Chinese pages of the
    kernel's documentation, 10 came out as such a block, under 0.6 of trafilatura's text (a page on bisecting
    kept 15 of 526 words). Where readability chose the declared article body itself, its own text is no
    yardstick either: its clean-up had cut the article's sections of option lists down to the first (F1
    0.37).

    Python's manual declares its main region (``role="main"``) and writes a module's reference as
    definition lists and highlighted examples, one token to a ``<span>``: readability counted each comma of
    code as a comma of prose and took the examples for the article (``bisect``: 117 of trafilatura's 1,311
    words), or one definition and a table (``json``: 572 of 3,447). Both declarations are the page's own word
    for where its article is (trafilatura reads them first too).
    """
    if not box:
        return None
    bodies = [declaration.getparent() for declaration in _ARTICLE_BODY(root)]
    body = bodies[0] if len(bodies) == 1 and link_share(bodies[0]) < MAX_DECLARED_LINKS else None
    if body is not None and (box == [body] or _part_of(box, body)):
        return body
    mains = _MAIN(root)
    if len(mains) == 1 and link_share(mains[0]) < MAX_DECLARED_LINKS and _part_of(box, mains[0]):
        return mains[0]
    return None


def _part_of(box: list[etree._Element], region: etree._Element) -> bool:
    """Whether every part of the box lies inside ``region`` and all of them hold under half of its text."""
    if any(region not in part.iterancestors() for part in box):
        return False
    held = sum(len(squeeze(part.text_content())) for part in box)
    return held < MAX_DECLARED_SHARE * len(squeeze(region.text_content()))
