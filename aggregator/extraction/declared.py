"""The article a page declares, where readability's box is only a part of it.

A page may say where its article is: schema.org's ``itemprop="articleBody"``, or its main region (``<main>``,
``role="main"``). readability scores blocks and knows neither; where its box lies inside such a declaration
and is plainly a part of it (a boxed warning, one section, the code examples), the declaration is the box.
"""

from __future__ import annotations

from lxml import etree

from .boilerplate import link_share, squeeze


def declared_article(box: list[etree._Element], root: etree._Element) -> etree._Element | None:
    """The declared article around readability's box (``_article_body``, else ``_main_around_listings``);
    None where the page declares none that fits."""
    body = _article_body(box, root)
    return body if body is not None else _main_around_listings(box, root)


_ARTICLE_BODY = etree.XPath("//*[@itemprop='articleBody']")
MAX_DECLARED_SHARE = 0.5
"""Share of the declared article's text from which a box inside it is the article already."""


def _article_body(box: list[etree._Element], root: etree._Element) -> etree._Element | None:
    """The page's declared article body (schema.org's ``itemprop="articleBody"``), when the page declares one
    that is not links and readability's box is it, or lies in it and holds under half of its text.

    Read the Docs' theme (the kernel's documentation, and most Sphinx manuals) declares the article body
    and opens a translated page with a boxed warning ("此文件的目的是为让中文读者更容易阅读和理解…"): one
    ``<div>`` with one paragraph, which readability's bonus for ``<div>`` put above the page's sections, whose
    paragraphs are ``<section>``s' own; or it took one of those sections. Of 181 Chinese pages of the
    kernel's documentation, 10 came out as such a block, under 0.6 of trafilatura's text (a page on bisecting
    kept 15 of 526 words). The declaration is the page's own word for where its article is (trafilatura reads
    it first too). Where readability chose the declared article itself, its own text is no yardstick either:
    its clean-up had cut the article's sections of option lists down to the first (F1 0.37)."""
    declared = _ARTICLE_BODY(root)
    if len(declared) != 1 or not box:
        return None
    body = declared[0]
    if link_share(body) >= 0.3:
        return None
    if len(box) == 1 and box[0] is body:
        return body
    if any(part is body or body not in part.iterancestors() for part in box):
        return None
    held = sum(len(squeeze(part.text_content())) for part in box)
    return body if held < MAX_DECLARED_SHARE * len(squeeze(body.text_content())) else None


_MAIN = etree.XPath("//main | //*[@role='main']")


def _main_around_listings(box: list[etree._Element], root: etree._Element) -> etree._Element | None:
    """The page's main region (``<main>``, ``role="main"``, one, not links) around a box of nothing but code
    listings: an example is never the article on its own.

    Python's manual highlights its examples one token to a ``<span>``, and every comma of code counts for
    readability as a comma of prose: it took the examples of a module's page for its article (``bisect``:
    the project kept 117 of trafilatura's 1,311 words, ``urllib2``'s how-to 328 of 3,215)."""
    if not box or not all(_only_listings(part) for part in box):
        return None
    mains = _MAIN(root)
    if len(mains) != 1 or any(mains[0] not in part.iterancestors() for part in box):
        return None
    return mains[0] if link_share(mains[0]) < 0.3 else None


def _only_listings(element: etree._Element) -> bool:
    """Whether all of an element's text is in code listings (``<pre>``)."""
    listed = sum(len(squeeze(listing.text_content())) for listing in element.iter("pre"))
    return listed > 0 and listed >= len(squeeze(element.text_content()))
