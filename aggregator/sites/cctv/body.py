"""Cut a CCTV article body out of its container and undo the CMS's habits.

What is changed, and why:

* Only what lies between ``<!--repaste.body.begin-->`` and ``<!--repaste.body.end-->`` is kept when the
  markers are there: that is CCTV's own definition of the body (its "repaste" copy tool uses it), and it
  leaves out players, share bars and title blocks that some containers also hold.
* ``p.photo_img_20190808`` image paragraphs become ``<figure>``; a ``p.photo_alt`` caption right after one
  becomes its ``<figcaption>``, so the caption stays attached to its picture through Markdown conversion.
  Protocol-relative ``//pN.img.cctvpic.com`` sources become ``https:``.
* The full-width indent ``　　`` that starts every paragraph is removed: Markdown and the blog theme indent
  (or not) by themselves, and leading ideographic spaces show up as stray blanks.
* The dateline lead ``<strong>央视网消息：</strong>`` is kept as the plain first words of the first
  paragraph: it says where the story comes from, so it belongs to the text, but it is a dateline rather
  than emphasis, so the bold is dropped. When the CMS put the label in a paragraph of its own, it is joined
  to the next paragraph instead of leaving a one-line paragraph holding only "央视网消息：".
* The editor credit (``div.zebian``, ``p.bianji``, a trailing ``编辑：…``/``责任编辑：…`` paragraph or
  ``（责任编辑：…）`` at the very end) is dropped: it names CCTV's desk staff on duty, not the author (the
  来源 line is the credit that matters and becomes the post's author), and repeated at the foot of every
  post it is noise.
* Scripts and styles are dropped here already, because a video container often holds nothing but its
  player script and must still be recognised as having no text.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from aggregator.sites.cctv.common import INDENT_CHARS, absolute_url, clean_text
from aggregator.sites.html import inner_html
from aggregator.web import parser

_BODY_BEGIN = re.compile(r"<!--\s*repaste\.body\.begin\s*-->")
_BODY_END = re.compile(r"<!--\s*repaste\.body\.end\s*-->")
_LEAD_LABEL = re.compile(r"^\S{1,12}?消息(?:[（(][^）)]*[）)])?\s*[：:]?$")
_EDITOR_LINE = re.compile(r"^[（(\[【]?\s*(?:责任编辑|编辑|责编)\s*[：:]")
_EDITOR_AT_END = re.compile(r"\s*[（(]\s*(?:责任编辑|编辑|责编)\s*[：:][^（）()]*[）)]\s*$")
_MEDIA = ".//img | .//video | .//iframe | .//embed | .//object | .//audio"
_EMPTY_CANDIDATES = ("p", "div", "span", "strong", "b", "section", "font")
_CHROME_CLASSES = ("zebian", "bianji", "editor_new_pc", "fxg_btn")
"""Editor credits, and the 2025 item pages' editor and share-button boxes (as a public crawler drops them)."""


def has_class(name: str) -> str:
    """XPath predicate body for "has this CSS class" (no cssselect needed)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def drop(node: etree._Element) -> None:
    """Remove a node but keep the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def between_markers(markup: str) -> tuple[str, bool]:
    """The markup between the repaste body markers, and whether any marker was found."""
    begin, end = _BODY_BEGIN.search(markup), _BODY_END.search(markup)
    if not begin and not end:
        return markup, False
    start = begin.end() if begin else 0
    stop = end.start() if end and end.start() >= start else len(markup)
    return markup[start:stop], True


def make_figure(src: str, caption: str | None = None, alt: str | None = None) -> lxml.html.HtmlElement:
    """``<figure><img src alt><figcaption>caption</figcaption></figure>`` — one picture and its words."""
    figure = lxml.html.Element("figure")
    image = etree.SubElement(figure, "img", src=src)
    if alt:
        image.set("alt", alt)
    if caption:
        etree.SubElement(figure, "figcaption").text = caption
    return figure


def _lstrip_indent(element: etree._Element) -> bool:
    """Strip the indent before the first visible content; True once content has been reached."""
    if element.text:
        element.text = element.text.lstrip(INDENT_CHARS)
        if element.text:
            return True
    for child in element:
        if isinstance(child.tag, str) and (child.tag in ("img", "br") or _lstrip_indent(child)):
            return True
        if child.tail:
            child.tail = child.tail.lstrip(INDENT_CHARS)
            if child.tail:
                return True
    return False


def _figures(body: lxml.html.HtmlElement, page_url: str) -> None:
    for paragraph in body.xpath(f".//p[{has_class('photo_img_20190808')}]"):
        images = [absolute_url(img.get("src"), page_url) for img in paragraph.iter("img")]
        images = [src for src in images if src]
        if not images:
            continue
        caption_node = paragraph.getnext()
        caption = None
        if (
            caption_node is not None
            and caption_node.tag == "p"
            and caption_node.xpath(f"self::*[{has_class('photo_alt')}]")
            and not (paragraph.tail or "").strip(INDENT_CHARS)
        ):
            caption = clean_text(caption_node.text_content()) or None
            drop(caption_node)
        alt = clean_text(paragraph.find(".//img").get("alt")) or None
        figure = make_figure(images[0], caption, alt)
        for src in images[1:]:
            figure.insert(len(figure) - (1 if caption else 0), lxml.html.Element("img", src=src))
        figure.tail = paragraph.tail
        paragraph.getparent().replace(paragraph, figure)


def _unwrap_lead(body: lxml.html.HtmlElement) -> None:
    first = next((p for p in body.iter("p") if clean_text(p.text_content())), None)
    if first is None or (first.text or "").strip(INDENT_CHARS) or not len(first):
        return
    label = first[0]
    label_text = clean_text(label.text_content())
    if label.tag not in ("strong", "b") or not _LEAD_LABEL.match(label_text):
        return
    first.text = label_text + (label.tail or "")
    label.tail = None
    first.remove(label)
    following = first.getnext()
    if (
        clean_text(first.text_content()) == label_text
        and not first.xpath(_MEDIA)
        and following is not None
        and following.tag == "p"
        and clean_text(following.text_content())
    ):
        following.text = label_text + (following.text or "")
        drop(first)


def _drop_editor_credit(body: lxml.html.HtmlElement) -> None:
    for chrome in _CHROME_CLASSES:
        for node in body.xpath(f".//*[{has_class(chrome)}]"):
            drop(node)
    while True:
        blocks = [child for child in body if isinstance(child.tag, str)]
        if not blocks:
            return
        last = blocks[-1]
        text = clean_text(last.text_content())
        if not text and not last.xpath(_MEDIA):
            drop(last)
            continue
        if _EDITOR_LINE.match(text) and len(text) <= 80 and not last.xpath(_MEDIA):
            drop(last)
            continue
        break
    if len(last):
        last[-1].tail = _EDITOR_AT_END.sub("", last[-1].tail or "") or None
    else:
        last.text = _EDITOR_AT_END.sub("", last.text or "")


def _drop_empty(body: lxml.html.HtmlElement) -> None:
    # ``any(text.strip() …)`` is ``clean_text(node.text_content())`` tested for emptiness, without building
    # and collapsing the text of every wrapper (the whole body, for the outer ones).
    for node in reversed(list(body.iter(*_EMPTY_CANDIDATES))):
        if node is not body and not any(text.strip() for text in node.itertext()) and not node.xpath(_MEDIA):
            drop(node)


def _drop_trailing_breaks(body: lxml.html.HtmlElement) -> None:
    for paragraph in body.iter("p"):
        while len(paragraph) and paragraph[-1].tag == "br" and not clean_text(paragraph[-1].tail):
            paragraph.remove(paragraph[-1])


def extract_body(container: lxml.html.HtmlElement, page_url: str) -> lxml.html.HtmlElement:
    """A cleaned ``<div>`` holding the body of ``container`` (see the module docstring for what changes)."""
    markup, marked = between_markers(inner_html(container))
    body = parser.fragment(markup)  # no cut at 256 levels
    for node in list(body.iter(etree.Comment, "script", "style", "noscript")):
        drop(node)
    if not marked:
        # Without markers the container may also hold the title and info line (old .cnt_bd pages).
        for node in body.xpath(f".//h1 | .//*[{has_class('info')}] | .//*[{has_class('title_area')}]"):
            drop(node)
    for image in body.iter("img"):
        src = absolute_url(image.get("src"), page_url)
        if src:
            image.set("src", src)
    _figures(body, page_url)
    for block in body.iter("p", "figcaption", "li", "div", "h2", "h3", "h4", "h5", "h6", "blockquote"):
        _lstrip_indent(block)
    for line_break in body.iter("br"):
        if line_break.tail:
            line_break.tail = line_break.tail.lstrip(INDENT_CHARS)
    _drop_trailing_breaks(body)
    _drop_editor_credit(body)
    _drop_empty(body)
    _unwrap_lead(body)
    return body


def body_has_content(body: lxml.html.HtmlElement) -> bool:
    """Whether a cleaned body has any text or picture worth a post."""
    return bool(clean_text(body.text_content()) or body.xpath(_MEDIA))
