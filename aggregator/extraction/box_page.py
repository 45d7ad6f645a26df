"""The article box as a page of its own, written so that trafilatura keeps all of the article in it.

readability chooses the box (``aggregator.extraction.box``); trafilatura then reads a page holding only
that box. It finds no container there that it recognises as an article, so it reads the box with its
fallback, which keeps paragraphs, quotes, code and tables only. Whatever else the article is made of
(subheadings, lists, captions, photos) is rewritten here into the paragraphs that fallback keeps.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

from aggregator.compat.trafilatura_hooks import ARTICLE_CONTAINERS
from aggregator.web import parser

from .boilerplate import link_share, squeeze
from .box import POST_NAMES
from .markup import holds_blocks, wrap_loose_text

_SUBHEADINGS = ("h2", "h3", "h4", "h5", "h6")


def box_document(box: list[etree._Element]) -> etree._Element:
    """A page that holds only the box (copies of its elements), for trafilatura to extract from.

    trafilatura reads a body of bare blocks with its fallback (no container it recognises as the article),
    and that fallback keeps paragraphs, quotes, code and tables only: the article's subheadings, its lists
    and its photo captions would be lost (a tutorial lost 16% of its text, every principle and step it
    listed; a travel blog every photo). So a subheading becomes a bold paragraph, which still reads as one
    (an ``<h1>`` too: page builders write section headings as ``<h1>``; one that repeats the title goes
    later, with the other title repeats); a list item or caption (``<figcaption>``,
    ``<div class="…caption…">``) of running text holds its text in a paragraph, and so does a captioned
    photo, and so do the lines of a definition list whose terms are no links, and a ``<div>`` named a
    paragraph (``_PARAGRAPH_CLASS``). Headline lists (items that are mostly links) are left as they are:
    they are not the article. A part of the article named "sidebar", "overlay" or "slide" loses that
    name, for which trafilatura drops whatever it holds (``_ASIDE_NAME``). An article held as twin
    containers trafilatura knows by name loses those names (``_split_article_unnamed``).
    """
    document = parser.document("<html><head></head><body></body></html>")
    body = document.find("body")
    for element in box:
        body.append(deepcopy(element))
    for heading in list(body.iter("h1", *_SUBHEADINGS)):
        if squeeze(heading.text_content()) and heading.find(".//img") is None and link_share(heading) < 0.5:
            strong = etree.Element("strong")
            strong.text, heading.text = heading.text, None
            strong.extend(list(heading))
            heading.tag = "p"
            heading.attrib.clear()
            heading.append(strong)
    for img in list(body.iter("img")):
        if _captioned_photo(img):
            paragraph = etree.Element("p")
            img.addprevious(paragraph)
            paragraph.tail, img.tail = img.tail, None
            paragraph.append(img)
    items = {*body.iter(*_TEXT_ITEMS), *body.xpath(_CAPTION_BLOCKS), *body.xpath(_PLAIN_TERMS)}
    for item in [element for element in body.iter() if element in items]:
        if any(other in items for other in item.iterdescendants()) or _holds_blocks(item):
            # the innermost item holds the paragraph (<div class="image-caption"><span class="caption">);
            # an item around blocks or items has only its own loose text put in paragraphs
            _wrap_item_text(item)
            continue
        if squeeze(item.text_content()) and link_share(item) < 0.3:
            paragraph = etree.Element("p")
            paragraph.text, item.text = item.text, None
            paragraph.extend(list(item))
            item.append(paragraph)
    for block in list(body.iter("div")):
        if _PARAGRAPH_CLASS.search(block.get("class") or "") and not holds_blocks(block):
            block.tag = "p"
    for aside in [element for element in body.iter() if _ASIDE_NAME.search(element.get("class") or "")]:
        if link_share(aside) < MAX_ASIDE_LINKS:
            names = aside.get("class").split()
            aside.set("class", " ".join(name for name in names if not _ASIDE_NAME.search(name)))
    _split_article_unnamed(body)
    return document


def _split_article_unnamed(body: etree._Element) -> None:
    """An article the box holds as two or more containers trafilatura knows by name
    (``ARTICLE_CONTAINERS``: an ``<article>``, a ``div.entry-content`` …), twins of one tag and class, loses
    those names: trafilatura reads the first container it knows and no other, and the rest of the article
    was lost.

    The Washington Post writes a story as two ``div.article_body.entry-content`` (each an ``<article>``) with
    a rail of links between them, and readability's box holds both: trafilatura kept one part (F1 0.907 →
    0.928); the New York Times of 2013 opens a story in one ``div.articleBody`` and goes on in others, and
    its lede was lost. Unnamed, the containers are read like the rest of the box. The names stay when the
    other containers are not twins of the one trafilatura reads (a box of "you might also like" teasers
    beside the article's body), when a container it knows holds the twins (``_enclosed``), or when the
    first is a post: there the first is the article (``_is_post``).
    """
    found: list[tuple[etree._Element, str, dict[str, str]]] = []
    for expression in ARTICLE_CONTAINERS:
        while (hit := next(iter(expression(body)), None)) is not None:
            if any(hit is element for element, _, _ in found):
                break  # a bare <div> it still knows (not trafilatura's XPaths of today)
            found.append((hit, hit.tag, dict(hit.attrib)))
            hit.tag = "div"
            hit.attrib.clear()
    known = {element for element, _, _ in found}
    read, tag, attrib = found[0] if found else (body, "", {})  # trafilatura's choice: the first it finds
    if not found or POST_NAMES.search(_names(attrib)) or _enclosed(read, known):
        _renamed(found)
        return
    twins = [
        element for element, other_tag, other in found[1:]
        if (other_tag, other.get("class")) == (tag, attrib.get("class")) and not _enclosed(element, known)
        and len(squeeze(element.text_content())) >= _SPLIT_MIN_TEXT and link_share(element) < 0.5
    ]  # fmt: skip
    if not twins:
        _renamed(found)


def _enclosed(element: etree._Element, known: set[etree._Element]) -> bool:
    """Whether another container trafilatura knows holds ``element``: the page names the whole it belongs
    to, and twins inside it may be the cards of a list as well as the parts of one article."""
    return any(above in known for above in element.iterancestors())


def _renamed(found: list[tuple[etree._Element, str, dict[str, str]]]) -> None:
    """The containers of ``found`` with their names back."""
    for element, tag, attrib in found:
        element.tag = tag
        element.attrib.clear()
        element.attrib.update(attrib)


def _names(attrib: dict[str, str]) -> str:
    return f"{attrib.get('class', '')} {attrib.get('id', '')}"


_SPLIT_MIN_TEXT = 100
"""Characters (white space aside) of running text a twin needs to be a part of the article."""


_PARAGRAPH_CLASS = re.compile(r"(?:^|\s)(?:para|paragraph|simpara)(?:\s|$)")
"""A ``<div>`` named a paragraph (Publican writes every paragraph as ``<div class="para">``): the fallback
keeps no ``<div>``, and read a paragraph's inline ``<code>`` as a code block of its own; a chapter of the
Debian Administrator's Handbook kept a third of its text."""
_ASIDE_NAME = re.compile("sidebar|overlay|slide")
"""Names of a page's chrome in trafilatura's discard list (``OVERALL_DISCARD_XPATH``) that the article's
own parts bear too: DocBook's ``<sidebar>`` ("文化 LARTC", "基础知识 符号链接", a title and paragraphs; half
of a handbook chapter's text went), Polygon's review, whose "Kickstarter stretch features" box is a
``div.overlay`` of four paragraphs (F1 0.863 → 0.929), and a slideshow's slides (eweek writes each slide,
a heading and a paragraph, as an ``li.slideshow_single_inactive``). Other names of that list
(``expand``, ``viewport``) changed no tuning page for the better."""
MAX_ASIDE_LINKS = 0.5
"""Share of links under which a box so named inside the article is one of its asides, not the page's
column of links."""


_TEXT_ITEMS = ("li", "figcaption")
ITEM_BLOCKS = frozenset({"p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", *_SUBHEADINGS})


_PLAIN_TERMS = ".//dl[not(dt//a[@href])]/*[self::dt or self::dd]"
"""The lines of a definition list whose terms are no links (a status page's "Server uptime: 18 minutes", a
spec sheet, a manual's list of topics, each term over its paragraphs): the fallback drops them too. A list
whose terms are links is a teaser list ("为你推荐") or a menu, left alone. A link in a description does not
make the list a menu: a chapter of the GIMP manual lost every topic's name for one."""
_CAPTION_BLOCKS = ".//div[contains(@class, 'caption')]|.//span[contains(@class, 'caption')]"
_IN_TEXT = frozenset({"p", "li", "figcaption", "td", "th", "a"})
_CAPTION_DEPTH = 4


def _captioned_photo(img: etree._Element) -> bool:
    """An image outside any paragraph with a caption of its own (in a ``<figure>``, or beside a
    ``<figcaption>`` or ``…caption`` block inside the nearest containers that hold no other image): the
    article's photo, which the fallback would drop. Images in links (teasers of other stories) and bare
    images (icons, badges) are left to trafilatura."""
    if any(ancestor.tag in _IN_TEXT or ancestor.tag == "noscript" for ancestor in img.iterancestors()):
        return False
    holder = img.getparent()
    for _ in range(_CAPTION_DEPTH):
        if holder is None or holder.tag == "body" or len(holder.xpath(".//img[not(ancestor::noscript)]")) > 1:
            return False
        if holder.tag == "figure" or holder.xpath(".//figcaption|.//*[contains(@class, 'caption')]"):
            return True
        holder = holder.getparent()
    return False


def _wrap_item_text(item: etree._Element) -> None:
    """The item's own running text beside the blocks it holds (``<li>跨平台<ul>…</ul></li>``: a point and
    its sub-points), each run in a paragraph, as the fallback drops loose text beside blocks: RapidJSON's
    list of features lost every heading point and kept the sub-points. A run that is mostly links (a menu's
    section over its pages) is left loose."""
    own = set(item)
    wrap_loose_text(item)
    for paragraph in [child for child in item if child not in own]:
        if link_share(paragraph) >= 0.3:
            paragraph.drop_tag()


def _holds_blocks(item: etree._Element) -> bool:
    return any(isinstance(child.tag, str) and child.tag in ITEM_BLOCKS for child in item)
