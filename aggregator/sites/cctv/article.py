"""CCTV item pages: text articles (ARTI), photo sets (PHOA) and videos (VIDE, 新闻联播 items).

All three share CCTV's head (``publishDate`` script, the 来源 info line); they differ in where the body
lives. Text articles have several generations of containers, tried newest first; an empty container is
skipped rather than trusted, because the 2019+ template ships an empty ``#text_area`` (``&nbsp;``) right
before the real ``#content_area``.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime

import lxml.html
from lxml import etree

from aggregator.sites.base import ArticlePage, EmptyArticle, UnknownLayout
from aggregator.sites.cctv.body import (
    body_has_content,
    drop,
    extract_body,
    has_class,
    inner_html,
    make_figure,
)
from aggregator.sites.cctv.common import (
    absolute_url,
    clean_text,
    item_type,
    parse_document,
    parse_info_line,
    parse_publish_date,
)
from aggregator.sites.html import first_text

_VIDEO_PREFIX = re.compile(r"^\s*\[视频\]\s*")
_GUID = re.compile(r"""guid_Ad_VideoCode\s*=\s*["']([0-9A-Za-z]{8,64})["']""")
_GUID_VAR = re.compile(r"""var\s+guid\s*=\s*["']([0-9A-Za-z]{8,64})["']""")
_BLOCKS = frozenset({"p", "div", "li", "br", "figcaption", "h2", "h3", "h4", "h5", "h6", "dd", "dt"})

_ARTICLE_BODIES = (
    "//div[@id='content_area']",
    f"//*[{has_class('content_area')}]",
    "//*[@id='text_area']",
    f"//*[{has_class('text_area')}]",
    f"//*[{has_class('cnt_bd')}]",
)
# The full-episode page of 新闻联播 has no .cnt_bd; its rundown is in .nrjianjie_shadow under the player.
# Item pages of 2025 hold their text in div.title_con > #content (a public crawler of that year reads it).
_VIDEO_BODIES = (
    f"//*[{has_class('cnt_bd')}]",
    f"//*[{has_class('title_con')}]//*[@id='content']",
    *_ARTICLE_BODIES[:4],
    f"//*[{has_class('nrjianjie_shadow')}]",
)
_INFO_LINES = f"//*[{has_class('info')} or {has_class('info1')}]"
"""The 来源 line: ``div.info``, or ``div.info1`` on the template a 2023 browser extension reads."""


def _first_text(doc: lxml.html.HtmlElement, *xpaths: str) -> str | None:
    """The first text found by these XPaths, in order (element or attribute results)."""
    return first_text((doc.xpath(xpath) for xpath in xpaths), clean_text)


def _marked_title(doc: lxml.html.HtmlElement) -> str | None:
    """The text between ``<!--repaste.title.begin-->`` and ``<!--repaste.title.end-->`` (old templates)."""
    for begin in doc.xpath("//comment()[normalize-space(.)='repaste.title.begin']"):
        parts = [begin.tail or ""]
        for sibling in begin.itersiblings():
            if not isinstance(sibling.tag, str):
                if (sibling.text or "").strip() == "repaste.title.end":
                    break
            else:
                parts.append(sibling.text_content())
            parts.append(sibling.tail or "")
        text = clean_text("".join(parts))
        if text:
            return text
    return None


def _title(doc: lxml.html.HtmlElement, *extra_xpaths: str) -> str | None:
    """The headline: the gaiban title area, the old repaste title markers, then generic fallbacks.

    ``h2#subtitle`` and ``h6#sourcetitle`` (原标题) are never taken. The ``<title>`` fallback keeps the part
    before the first ``_`` because CCTV appends ``_<channel>_央视网(cctv.com)``.
    """
    title = _first_text(doc, f"//div[{has_class('title_area')}]//h1") or _marked_title(doc)
    title = title or _first_text(doc, *extra_xpaths, "//h1", "//meta[@property='og:title']/@content")
    if not title:
        head_title = _first_text(doc, "//title")
        title = clean_text(head_title.split("_")[0]) if head_title else None
    return title or None


def _info(doc: lxml.html.HtmlElement, html: str) -> tuple[str | None, datetime | None]:
    """(source, published) from the first ``.info``/``.info1`` line that has either; ``publishDate`` fills
    the date."""
    source = published = None
    for node in doc.xpath(_INFO_LINES):
        source, published = parse_info_line(node.text_content())
        if source or published:
            break
    return source, published or parse_publish_date(html)


def _og_image(doc: lxml.html.HtmlElement, url: str) -> str | None:
    values = doc.xpath("//meta[@property='og:image']/@content")
    return absolute_url(values[0], url) if values else None


def _body_from(doc: lxml.html.HtmlElement, url: str, xpaths: tuple[str, ...]) -> tuple[str | None, bool]:
    """The first non-empty cleaned body among the containers, and whether any container existed."""
    seen: set[int] = set()
    found = False
    for xpath in xpaths:
        for container in doc.xpath(xpath)[:1]:
            if id(container) in seen:
                continue
            seen.add(id(container))
            found = True
            body = extract_body(container, url)
            if body_has_content(body):
                return inner_html(body).strip(), True
    return None, found


def parse_article(html: str, url: str) -> ArticlePage:
    """A news.cctv.com text article (ARTI): 2019+ gaiban template, ``#text_area`` or old ``.cnt_bd``."""
    doc = parse_document(html, url)
    body, found = _body_from(doc, url, _ARTICLE_BODIES)
    if body is None:
        if found:
            raise EmptyArticle(f"CCTV article without text or image at {url}")
        raise UnknownLayout(f"no CCTV article body (content_area, text_area, cnt_bd) at {url}")
    source, published = _info(doc, html)
    return ArticlePage(
        title=_title(doc),
        body_html=body,
        author=source,
        published=published,
        cover=_og_image(doc, url),
    )


def _text_lines(chunks: list[str]) -> str | None:
    lines = (clean_text(line) for line in "".join(chunks).split("\n"))
    return " ".join(line for line in lines if line) or None


def _photos_in_order(
    container: lxml.html.HtmlElement, url: str
) -> tuple[str | None, list[tuple[str, str | None]]]:
    """(intro text, [(photo URL, caption)]) walking a container in document order.

    Nothing is assumed about the markup inside ``.tujitop`` beyond order: each picture's caption is the
    text that follows it up to the next picture, and text before the first picture is the set's intro.
    """
    intro: list[str] = []
    photos: list[tuple[str, list[str]]] = []
    for event, node in etree.iterwalk(container, events=("start", "end")):
        if not isinstance(node.tag, str):
            continue
        chunks = photos[-1][1] if photos else intro
        if event == "start":
            if node.tag == "img":
                src = absolute_url(node.get("src") or node.get("data-src") or node.get("data-original"), url)
                if src:
                    photos.append((src, []))
                continue
            if node.tag in _BLOCKS:
                chunks.append("\n")
            chunks.append(node.text or "")
        else:
            if node.tag in _BLOCKS:
                chunks.append("\n")
            if node is not container:
                chunks.append(node.tail or "")
    return _text_lines(intro), [(src, _text_lines(chunks)) for src, chunks in photos]


def _swiper_photos(doc: lxml.html.HtmlElement, url: str) -> list[tuple[str, str | None]]:
    """Photos of the slideshow template (``ul.swiper-wrapper li img`` + ``p.show_txt`` captions)."""
    images = doc.xpath(f"//*[{has_class('swiper-wrapper')}]//img | //*[@id='mainContent']//img")
    sources = [absolute_url(img.get("src") or img.get("data-src"), url) for img in images]
    captions = [
        clean_text(node.text_content()) or None for node in doc.xpath(f"//*[{has_class('show_txt')}]")
    ]
    unique = list(dict.fromkeys(src for src in sources if src))
    return [(src, captions[index] if index < len(captions) else None) for index, src in enumerate(unique)]


def parse_photo_set(html: str, url: str) -> ArticlePage:
    """A photo.cctv.com photo set (PHOA): every photo, in order, as ``<figure>`` with its caption.

    The body is the set's intro (if any) as a ``<p>``, then one ``<figure><img><figcaption>`` per photo,
    the same shape the article parser gives captioned images.
    """
    doc = parse_document(html, url)
    intro: str | None = None
    photos: list[tuple[str, str | None]] = []
    containers = doc.xpath(f"//*[{has_class('tujitop')}]")
    if containers:
        container = copy.deepcopy(containers[0])
        chrome = f".//h1 | .//script | .//style | .//*[{has_class('info')}] | .//*[{has_class('zebian')}]"
        for node in container.xpath(chrome):
            drop(node)
        intro, photos = _photos_in_order(container, url)
    elif doc.xpath(f"//*[{has_class('swiper-wrapper')}] | //*[@id='mainContent']"):
        photos = _swiper_photos(doc, url)
    elif blocks := doc.xpath(f"//*[{has_class('photo')}][not(ancestor::*[{has_class('photo')}])]"):
        # The plain template: .bigTitle, .info and one .photo block per picture, its caption inside.
        for block in blocks:
            block_intro, block_photos = _photos_in_order(block, url)
            if block_photos:
                first_src, first_caption = block_photos[0]
                block_photos[0] = (first_src, first_caption or block_intro)
            photos.extend(block_photos)
    else:
        raise UnknownLayout(f"no CCTV photo set (.tujitop, slideshow or .photo blocks) at {url}")
    if not photos:
        raise EmptyArticle(f"CCTV photo set without photos at {url}")
    body = lxml.html.Element("div")
    if intro:
        etree.SubElement(body, "p").text = intro
    for src, caption in photos:
        body.append(make_figure(src, caption))
    source, published = _info(doc, html)
    return ArticlePage(
        title=_title(doc, f"//*[{has_class('bigTitle')}]"),
        body_html=inner_html(body).strip(),
        author=source,
        published=published,
        cover=_og_image(doc, url) or photos[0][0],
        summary=intro,
    )


def video_guid(html: str) -> str | None:
    """The video's guid (``guid_Ad_VideoCode = "…"``, or the ``var guid`` it points to), for the video API."""
    match = _GUID.search(html) or _GUID_VAR.search(html)
    return match.group(1) if match else None


def parse_video(html: str, url: str) -> ArticlePage:
    """A tv.cctv.com video page (VIDE, 新闻联播 item): the ``.cnt_bd`` text under the player.

    The page's poster is taken only from ``og:image`` when present; the spider passes the list's
    ``image`` as the cover otherwise. A page that holds only the player raises EmptyArticle with
    reason ``video_no_text``, so such drops are counted apart from broken articles.
    """
    doc = parse_document(html, url)
    body, found = _body_from(doc, url, _VIDEO_BODIES)
    is_video = found or video_guid(html) is not None or item_type(url) == "video"
    text = clean_text(lxml.html.fragment_fromstring(body, create_parent="div").text_content()) if body else ""
    if not text:
        if is_video:
            raise EmptyArticle(f"video page without text (player only) at {url}", reason="video_no_text")
        raise UnknownLayout(f"no CCTV video description (.cnt_bd) at {url}")
    title = _title(doc, f"//*[{has_class('tit')}]")
    source, published = _info(doc, html)
    return ArticlePage(
        title=_VIDEO_PREFIX.sub("", title) if title else None,
        body_html=body,
        author=source,
        published=published,
        cover=_og_image(doc, url),
    )
