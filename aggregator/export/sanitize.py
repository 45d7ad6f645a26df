"""Make article HTML safe to publish and independent of the page it came from.

Two passes, each with its own job:

1. an lxml pass that needs to *understand* the page: lazy images (the real URL sits in ``data-original`` or
   ``data-src`` while ``src`` holds a spinner), relative URLs (meaningless once the HTML leaves its page),
   tracking pixels and empty paragraphs;
2. ``nh3`` (the Ammonia sanitiser), an allow-list that decides what may reach a reader's browser: no
   scripts, no event handlers, no ``javascript:``/``data:`` URLs, no styles, no frames.

The allow-list keeps the article's structure: paragraphs, headings, lists, figures and captions, tables,
quotes, code and links.
"""

from __future__ import annotations

import logging
import re
import unicodedata

import lxml.html
import nh3
from lxml import etree

from aggregator.memo import remember_recent
from aggregator.web.encoding import parseable_text
from aggregator.web.parser import html_parser
from aggregator.web.safety import FETCHED_SCHEMES, LINK_SCHEMES, safe_url

logger = logging.getLogger(__name__)

LAZY_SRC_ATTRIBUTES = (
    "data-original",
    "data-src",
    "data-lazy-src",
    "data-actualsrc",
    "data-original-src",
    "data-lazyload",
    "data-echo",
    "data-url",
    "file",
)
"""Where lazy-loading scripts keep an image's real URL, most specific first."""

_PLACEHOLDER_WORDS = (
    r"blank|spacer|placeholder|loading|lazy|lazyload|grey|gray|pixel|transparent|empty|clear|1x1"
)
_PLACEHOLDER_SRC = re.compile(
    rf"^(data:|about:blank)|(^|/)((?:{_PLACEHOLDER_WORDS})[-_.]?)+(@?\d+x?\d*)?\.(gif|png|svg)([?#]|$)",
    re.IGNORECASE,
)
"""A stand-in's address: its file name is nothing but placeholder words (``blank.gif``, ``grey-pixel.png``,
``lazy_placeholder.svg``). A word inside a real image's name (``pixel-8-review.png``, ``gray-whale.png``)
does not make it one."""
_TRACKER_URL = re.compile(
    r"(//|\.)(pixel|beacon|stat|stats|track|tracking|analytics|counter|log)\.|/(pixel|beacon|track|count)"
    r"(\.gif|\.png|\?|/)|[?&](utm_|spm=)",
    re.IGNORECASE,
)

ALLOWED_TAGS = (set(nh3.ALLOWED_TAGS) - {"map", "area", "nav", "header", "footer", "aside", "center"}) | {
    "section",
    "tfoot",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag in ALLOWED_TAGS},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "*": {"lang", "dir"},
}
REMOVED_WITH_CONTENT = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "form",
    "button",
    "select",
    "textarea",
    "canvas",
    "audio",
    "video",
    "head",
    "title",
    "meta",
    "link",
}
URL_SCHEMES = set(LINK_SCHEMES)
_ALLOW_LIST = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=REMOVED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    strip_comments=True,
    link_rel="noopener noreferrer",
)
"""The allow-list, built once: ``nh3.clean`` with these arguments builds it on every call, which took
three fifths of its time on a small article (48 µs against 18)."""

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SPACES = re.compile(r"\s+")


def clean_title(title: str | None) -> str:
    """One line of plain text: control characters gone, runs of white space (newlines too) made one space.

    A title is metadata, not markup: ``<b>`` in a feed title is shown as typed, and the theme escapes it.
    """
    if not title:
        return ""
    text = unicodedata.normalize("NFC", _CONTROL_CHARS.sub("", title))
    return _SPACES.sub(" ", text).strip()


def _real_image_src(img: etree._Element) -> str | None:
    src = (img.get("src") or "").strip()
    for attribute in LAZY_SRC_ATTRIBUTES:
        candidate = (img.get(attribute) or "").strip()
        if candidate and not candidate.startswith("data:"):
            return candidate
    if src and not _PLACEHOLDER_SRC.search(src):
        return src
    srcset = (img.get("srcset") or img.get("data-srcset") or "").strip()
    if srcset:
        return srcset.split(",")[0].strip().split(" ")[0]
    return None


def _is_tracking_pixel(img: etree._Element, src: str) -> bool:
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= 1:
            return True
    return bool(_TRACKER_URL.search(src))


def _absolute_url(base_url: str, value: str, schemes: frozenset[str] = LINK_SCHEMES) -> str | None:
    """``value`` resolved against the page, or None when its scheme is not one a post may link to
    (``aggregator.web.safety.safe_url``: images http(s) only, links also ``mailto``).

    The scheme is checked here, not only by nh3, because nh3 filters the schemes of ``href`` and ``src`` but
    leaves ``cite`` alone, and because an ``<img>`` whose source nh3 removes would stay behind empty.
    """
    return safe_url(value, base_url, schemes) or None


def _fix_images(root: etree._Element, base_url: str) -> None:
    for img in list(root.iter("img")):
        src = _real_image_src(img)
        url = _absolute_url(base_url, src, FETCHED_SCHEMES) if src else None
        if not src or not url or _is_tracking_pixel(img, src):
            img.drop_tree()
            continue
        img.set("src", url)
        for size in ("width", "height"):
            lazy_size = img.get(f"data-{size}")
            if not img.get(size) and lazy_size and lazy_size.isdigit():
                img.set(size, lazy_size)


def _absolutize_links(root: etree._Element, base_url: str) -> None:
    for element in root.iter("a", "blockquote", "q", "ins", "del"):
        for attribute in ("href", "cite"):
            value = element.get(attribute)
            if value is None:
                continue
            url = _absolute_url(base_url, value)
            if url is None:
                del element.attrib[attribute]
            else:
                element.set(attribute, url)


def _drop_empty_blocks(root: etree._Element) -> None:
    """Paragraphs and wrappers left with neither text nor image (emptied image boxes, spacer ``<p></p>``)."""
    for element in list(root.iter("p", "div", "span", "section", "figure")):
        if element is root or element.getparent() is None:
            continue
        if element.find(".//img") is None and not (element.text_content() or "").strip(" \t\r\n\u3000\xa0"):
            element.drop_tree()


_INLINE_TAGS = re.compile(
    r"</?(?:font|span|b|i|u|s|em|strong|small|big|sub|sup|strike|ins|del|mark|abbr|cite|q|label|tt|code|nobr"
    r"|a)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG_BUT_LINES = re.compile(r"<(?!/?(?:p|br|img)\b)/?[a-zA-Z][^>]*>")


def _parse(html: str) -> tuple[etree._Element, bool]:
    """The fragment in a ``<div>``, and whether libxml2 stopped at its depth limit (content is then lost).

    ``huge_tree`` (``html_parser``) lifts the limit from 256 levels to 2048: ``<font>…<br>`` × 400 is real
    (pages that never close their font tags) and was cut at line 253 without a word.
    """
    parser = html_parser()
    root = lxml.html.fragment_fromstring(html, create_parent="div", parser=parser)
    return root, any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log)


def parse_fragment(html: str, where: str = "") -> etree._Element:
    """An HTML fragment as an element tree, never silently cut.

    Beyond even the lifted depth limit the markup is flattened instead — inline formatting dropped first,
    then every tag but paragraphs, line breaks and images — with a WARNING naming the article, so the text
    is kept and the lost formatting is known.
    """
    root, cut = _parse(html)
    for flatten, what in ((_INLINE_TAGS, "inline formatting"), (_ANY_TAG_BUT_LINES, "all structure")):
        if not cut:
            return root
        html = flatten.sub("", html)
        root, cut = _parse(html)
        logger.warning(
            "Markup of %s is nested deeper than the parser allows: %s dropped to keep its text",
            where or "an article",
            what,
        )
    if cut:
        logger.warning("Markup of %s is nested too deep even flattened: part of its text is lost", where)
    return root


def clean_body_html(html: str | None, base_url: str) -> str:
    """Sanitise an article body fragment; relative URLs resolve against ``base_url`` (the article's URL).

    Control characters go first: they are never content, XML and YAML tooling downstream chokes on them,
    and lxml would turn a NUL into a replacement character that then shows in the post.

    The last few results are remembered (:mod:`aggregator.memo`): a summary that repeats the body is the
    same clean.
    """
    return _clean_body_html(html or "", base_url)


@remember_recent
def _clean_body_html(html: str, base_url: str) -> str:
    html = parseable_text(html)
    if not html.strip():
        return ""
    try:
        root = parse_fragment(html, base_url)
    except (etree.ParserError, ValueError):
        return ""
    _fix_images(root, base_url)
    _absolutize_links(root, base_url)
    _drop_empty_blocks(root)
    markup = lxml.html.tostring(root, encoding="unicode")
    cleaned = _ALLOW_LIST.clean(markup)
    return _unwrap_outer_div(_drop_emptied_tags(cleaned))


_EMPTY_TAG = re.compile(r"<(p|div|span|section|figure)>(?:\s|&nbsp;)*</\1>")


def _drop_emptied_tags(html: str) -> str:
    """Empty wrappers the allow-list itself produced (its parser splits a ``<p>`` around a block it must
    close), so that cleaning clean HTML changes nothing."""
    previous = None
    while previous != html:
        previous, html = html, _EMPTY_TAG.sub("", html)
    return html


def _unwrap_outer_div(html: str) -> str:
    """Drop the ``<div>`` that ``fragment_fromstring`` wrapped around the fragment."""
    html = html.strip()
    if html.startswith("<div>") and html.endswith("</div>"):
        return html[5:-6].strip()
    return html
