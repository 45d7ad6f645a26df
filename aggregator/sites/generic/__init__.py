"""Any article page, for sites without rules of their own: readability finds the box, trafilatura the text.

The steps, each for a failure measured on real portal pages (``bench/extraction.py``):

* the markup is repaired first (``aggregator.extraction.markup``: stray ``</html>``, ``<section>``/``<font>``
  paragraphs, ``<center>`` photos, loose text, code listings in tables, ``overflow: hidden``, empty named
  anchors, permalink signs, the navigation bars of manuals) and lazy images resolved (``data-original``/
  ``data-src`` → ``src``), or trafilatura would keep spinners;
* the title is the one the metadata declare; a title only guessed from the page's headings gives way to
  the part of ``<title>`` the page prints as a heading (``_declared_title``: the guess was the site's logo);
  names a Chinese site appends with underscores leave it (``without_site_name``);
* readability chooses the article box (``aggregator.extraction.box``) and trafilatura extracts from that box
  alone (written as a page it reads whole, ``aggregator.extraction.box_page``): on its own it keeps the
  feeds of other stories around the article; a box that holds no article sends trafilatura back to the
  whole page, and a whole page that reads as a list of links to its first block of running text (a BBS
  thread laid out in tables);
* every image stands in under an address trafilatura keeps while it runs (it drops images whose address
  does not end like an image file, which is most of WeChat's and Baidu's);
* trafilatura's minimum text size is lowered: its default (250 characters) was tuned on English, and a short
  Chinese news item of 150 characters is a whole article;
* a leading heading that repeats the title is removed, because the post already shows the title;
* the result is cross-checked against readability's own text (``aggregator.extraction.crosscheck``): where
  the two disagree far (the box lost most of the article, or a thread's replies came in), trafilatura on the
  whole page is used if it agrees with readability, else readability's text, so no page ends up much worse
  than readability alone; a standfirst printed between the headline and the box leads the body;
* then ``aggregator.extraction`` cuts what Chinese portals print inside the article box (editor and source
  lines, share bars, QR captions, counters, related-article lists, copyright lines, logos and icons) and
  refuses list pages and site front pages, which would otherwise be published as an "article" of headlines.
"""

from __future__ import annotations

import re
from copy import deepcopy
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from trafilatura.settings import DEFAULT_CONFIG

from aggregator.compat.trafilatura_hooks import (
    author_from_page,
    body_html,
    date_from_page,
    may_name_author,
    page_metadata,
    title_from_page,
)
from aggregator.export.sanitize import LAZY_SRC_ATTRIBUTES, clean_title
from aggregator.extraction import crosscheck
from aggregator.extraction.body import drop_chrome, looks_like_list, looks_like_teaser
from aggregator.extraction.boilerplate import HEADINGS, squeeze
from aggregator.extraction.box import article_box_and_text, first_text_block, holds_posts
from aggregator.extraction.box_page import box_document
from aggregator.extraction.markup import drop_stray_end_tags, repair
from aggregator.extraction.standfirst import page_descriptions, standfirst
from aggregator.sites.base import ArticlePage, EmptyArticle, PageError
from aggregator.web import parser

TRAFILATURA_CONFIG = deepcopy(DEFAULT_CONFIG)
TRAFILATURA_CONFIG["DEFAULT"]["min_extracted_size"] = "50"
TRAFILATURA_CONFIG["DEFAULT"]["min_output_size"] = "10"
TRAFILATURA_CONFIG["DEFAULT"]["extraction_timeout"] = "0"
"""trafilatura's settings here: its minimum sizes lowered (a 150-character Chinese item is a whole article),
and its extraction timeout off (older versions enforced it with a process-wide alarm signal)."""

_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "datePublished",
    "dc.date.issued",
    "dc.date",
    "date",
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_when(value: str, default_tz: tzinfo) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)


def published_from_meta(root: etree._Element, default_tz: tzinfo) -> datetime | None:
    """The publication time a page declares in ``<meta>`` or ``<time datetime>``, with its time of day."""
    wanted = {name.lower() for name in _DATE_META}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in wanted:
            when = _parse_when(meta.get("content") or "", default_tz)
            if when:
                return when
    for element in root.iter("time"):
        when = _parse_when(element.get("datetime") or "", default_tz)
        if when:
            return when
    return None


def _meta_author(root: etree._Element) -> str | None:
    for meta in root.iter("meta"):
        if (meta.get("name") or meta.get("property") or "").lower() in ("author", "article:author"):
            author = clean_title(meta.get("content"))
            if author and not author.startswith(("http://", "https://")):
                return author
    return None


def _resolve_lazy_images(root: etree._Element) -> None:
    for img in root.iter("img"):
        for attribute in LAZY_SRC_ATTRIBUTES:
            candidate = (img.get(attribute) or "").strip()
            if candidate and not candidate.startswith("data:"):
                img.set("src", candidate)
                break


def _drop_title_heading(root: etree._Element, title: str) -> None:
    """The title, where the body opens with it: a heading, or the first lines of the first paragraph."""
    for element in root:
        if element.tag in ("h1", "h2") and clean_title(element.text_content()) == title:
            element.drop_tree()
        elif element.tag == "p":
            _drop_title_lines(element, squeeze(title))
        break


def _drop_title_lines(paragraph: etree._Element, flat_title: str) -> None:
    """The first lines of ``paragraph`` (up to a ``<br>``), when together they are the title: a government
    document prints its title over two or three bold lines above its text, in the same paragraph."""
    said = squeeze(paragraph.text or "")
    for child in paragraph:
        if child.tag != "br":
            said += squeeze(child.text_content() + (child.tail or ""))
        elif said == flat_title and flat_title:
            paragraph.text = child.tail
            for line in list(child.itersiblings(preceding=True)):
                paragraph.remove(line)
            paragraph.remove(child)
            return
        elif len(said) >= len(flat_title):
            return
        else:
            said += squeeze(child.tail or "")


_TITLE_SEPARATORS = re.compile(r"\s+[-|–—›»:/]\s+|\s*(?:_{1,2}|-{2}|\||›|»)\s*")


def _declared_title(root: etree._Element, title: str) -> str:
    """The title guessed from the page (``title_from_page``), or the headline the page declares in its
    ``<title>`` when the guess is another text.

    With no title in its metadata, the title is trafilatura's guess from the page's headings (the only
    ``<h1>``, or a heading whose class names a title), and on many pages that is the site's logo
    (山西省人民政府网站, "Historische Wehranlage in Horka e.V") or the first story of a list beside the
    article. The page's ``<title>`` names the article ("Historischer Markt › Historische Wehranlage in Horka
    e.V"): when the title is not what it starts with, a part of it that the page prints as a heading is the
    headline."""
    declared = clean_title(root.findtext(".//title"))
    flat_title = squeeze(title)
    if not declared or not flat_title or squeeze(declared).startswith(flat_title):
        return title
    headings = {squeeze(heading.text_content()) for heading in root.iter(*HEADINGS)}
    for part in _TITLE_SEPARATORS.split(declared):
        flat = squeeze(part)
        if flat != flat_title and len(flat) >= MIN_HEADLINE and flat in headings:
            return clean_title(part)
    return title


_SITE_SUFFIX = re.compile(r"(?<=[^\x00-\x7f])_{1,2}|_{1,2}(?=[^\x00-\x7f])")
"""An underscore beside a Chinese character or full-width sign: the separator of Chinese sites' titles
("标题_栏目_网站"). Between ASCII letters an underscore is part of a name (``__init__``, ``snake_case``)."""


def without_site_name(title: str) -> str:
    """The headline of a Chinese site's title, without the channel and site names it appends with
    underscores: "载人航天工程全线备战空间站建造任务_中国载人航天官方网站" is the post's title less the site's
    name, which the post shows elsewhere. A first part too short to be a headline keeps the whole title."""
    headline = _SITE_SUFFIX.split(title, maxsplit=1)[0].strip()
    return headline if len(squeeze(headline)) >= MIN_SITE_HEADLINE else title


MIN_SITE_HEADLINE = 6
"""Characters (white space aside) of the part before an underscore that make it the headline."""


MIN_HEADLINE = 4
"""Characters (white space aside) of a part of ``<title>`` that can be a headline (not a channel: "新闻")."""


def _title_candidates(root: etree._Element, title: str) -> tuple[str, ...]:
    """The spellings of the title a page repeats in its body: metadata, ``<title>`` less the site, h1."""
    candidates = [title]
    page_title = root.findtext(".//title") or ""
    candidates += re.split(r"\s*[_|–—-]\s*", page_title)[:1]
    candidates += [clean_title(h.text_content()) for h in root.iter("h1")][:2]
    return tuple(candidate for candidate in candidates if candidate)


_NOT_TEXT = re.compile(r"[\ufffd\x00-\x08\x0e-\x1f\x7f-\x9f]")


def looks_binary(text: str) -> bool:
    """Whether decoded "HTML" is really binary data: many replacement or control characters.

    ``decode_html`` never raises, so an image or archive served as ``text/html`` arrives as text made mostly
    of U+FFFD; extracting "an article" from it would publish garbage.
    """
    sample = text[:20_000]
    return bool(sample) and len(_NOT_TEXT.findall(sample)) > len(sample) * 0.05


_STAND_IN = "https://image.invalid/{}.jpg"


def _stand_in_images(document: etree._Element) -> dict[str, str]:
    """Give every image an address trafilatura keeps; return the real addresses by stand-in.

    trafilatura keeps an image only if its address ends like an image file, and the CDNs of Chinese portals
    mostly do not (WeChat's ``…/640?wx_fmt=jpeg``, Baidu's ``…&f=JPEG?w=640``): their photos would vanish
    from the post. Which images belong to the story is judged later (``drop_chrome``), on the real address.
    """
    real: dict[str, str] = {}
    for number, img in enumerate(document.iter("img")):
        src = (img.get("src") or "").strip()
        if not src or src.startswith("data:"):
            continue
        stand_in = _STAND_IN.format(number)
        real[stand_in] = src
        for attribute in [name for name in img.attrib if name.startswith("data-src") or name == "srcset"]:
            del img.attrib[attribute]
        img.set("src", stand_in)
    return real


def _real_images(container: etree._Element, real: dict[str, str]) -> None:
    for img in container.iter("img"):
        src = real.get(img.get("src") or "")
        if src:
            img.set("src", src)


def _extract(document: etree._Element, url: str) -> tuple[str | None, dict[str, str]]:
    """trafilatura's body HTML of a page (or of the article box alone), images, links and tables kept.

    Returns the body and the real addresses of its stand-in images (see ``_stand_in_images``).
    """
    real = _stand_in_images(document)
    return body_html(document, url, TRAFILATURA_CONFIG), real


def _body(document: etree._Element, url: str, title: str, titles: tuple[str, ...]) -> etree._Element:
    """The cleaned article body trafilatura finds in ``document``; ``EmptyArticle`` when there is none."""
    body, real_images = _extract(document, url)
    if not body:
        raise EmptyArticle("no article text found on the page")
    body_root = parser.fragment(body)
    container = body_root.find(".//body")
    container = container if container is not None else body_root
    _real_images(container, real_images)
    _drop_title_heading(container, title)
    if looks_like_list(container):
        raise EmptyArticle("a list of headlines, not an article", reason="list_page")
    drop_chrome(container, titles)
    if looks_like_teaser(container):
        raise EmptyArticle("a teaser cut off with an ellipsis, not an article", reason="list_page")
    if not "".join(container.itertext()).strip() and container.find(".//img") is None:
        raise EmptyArticle("only page chrome around the article text")
    return container


def _page_body(root: etree._Element, url: str, title: str, titles: tuple[str, ...]) -> etree._Element:
    """The body of the whole page; where that reads as a list of links, the page's first block of running
    text (``first_text_block``): a BBS thread laid out in tables, all menus around one post."""
    try:
        return _body(deepcopy(root), url, title, titles)
    except EmptyArticle as refused:
        block = first_text_block(root)
        if block is None:
            raise
        try:
            return _body(box_document([block]), url, title, titles)
        except EmptyArticle:
            raise refused from None


def _readability_body(
    container: etree._Element, title: str, titles: tuple[str, ...]
) -> etree._Element | None:
    """readability's own article (``article_box_and_text``), cut of chrome like any body (None when nothing
    of it is left). ``container`` is changed in place."""
    _drop_title_heading(container, title)
    drop_chrome(container, titles)
    return container if "".join(container.itertext()).strip() else None


def _cross_checked(
    container: etree._Element,
    reference: etree._Element | None,
    root: etree._Element,
    url: str,
    title: str,
    titles: tuple[str, ...],
    whole_page: bool,
    box: list[etree._Element],
) -> etree._Element:
    """The body to trust when the project and readability disagree (``aggregator.extraction.crosscheck``).
    A body longer than readability's text that trafilatura on the whole page confirms stands, unless the
    ``box`` it was read from holds a thread's posts (the replies, which both read, are not the article)."""
    if reference is None:
        return container
    ours = crosscheck.tokens(crosscheck.text_of(container))
    raw = crosscheck.tokens(crosscheck.text_of(reference))
    if sum(raw.values()) < crosscheck.MIN_REFERENCE or crosscheck.agrees(ours, raw):
        # Agreement with readability's text as it stands settles it: cutting its chrome takes away words
        # the project's body has cut too, which leaves the verdict as it was (the same output on every
        # page of bench/extraction.py), and skips the chrome rules on the reference, a seventh of the
        # time on table pages.
        return container
    readability = _readability_body(reference, title, titles)
    theirs = crosscheck.tokens(crosscheck.text_of(readability))
    if (
        readability is None
        or sum(theirs.values()) < crosscheck.MIN_REFERENCE
        or crosscheck.agrees(ours, theirs)
    ):
        return container
    if not whole_page:
        try:
            third = _body(deepcopy(root), url, title, titles)
        except EmptyArticle:
            third = None
        if third is not None:
            third_tokens = crosscheck.tokens(crosscheck.text_of(third))
            if crosscheck.trust_third(third_tokens, theirs):
                return third
            if crosscheck.confirmed_by_third(ours, theirs, third_tokens) and not holds_posts(box):
                return container
    return readability


_FRONT_PAGE_PATH = re.compile(
    r"^/?([a-z]{2}(?:[-_][a-z]{2,4})?/?)?((index|default|home)\.(s?html?|php|aspx?|jsp))?$", re.IGNORECASE
)


def is_front_page(url: str) -> bool:
    """Whether ``url`` is a site's front page (``https://news.163.com/``, ``…/index.html``), in one of its
    languages too (``https://www.deutschland.de/en``, ``…/zh-cn/``): a list of stories, never one. Teaser
    paragraphs there read like an article to any text-density rule."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and not parts.query and bool(_FRONT_PAGE_PATH.match(parts.path))


def parse_article(html: str, url: str, default_tz: tzinfo = UTC) -> ArticlePage:
    """The main article of any page: title, author, date, body HTML (not yet sanitised), cover, tags."""
    if looks_binary(html):
        raise PageError("the page is binary data, not text", reason="not_text")
    if is_front_page(url):
        raise EmptyArticle("the site's front page, not an article", reason="list_page")
    try:
        root = parser.document(drop_stray_end_tags(html))
    except (etree.ParserError, ValueError) as error:
        raise PageError(f"unreadable HTML: {error}", reason="bad_html") from error
    _resolve_lazy_images(root)
    repair(root)
    metadata = page_metadata(root, url, guess_title=False)
    # A page that prints a script before ``<html>`` has its ``<title>`` parsed into the body, where
    # trafilatura's title search (``//head//title``) does not look; a browser still shows it in the tab.
    title = clean_title(metadata.title) or _declared_title(root, clean_title(title_from_page(root)))
    title = without_site_name(title or clean_title(root.findtext(".//title")))
    titles = _title_candidates(root, title)
    box, reference = article_box_and_text(root)
    whole_page = False
    try:
        if not box:
            raise EmptyArticle("readability found no article box")
        container = _body(box_document(box), url, title, titles)
    except EmptyArticle:
        # A box that holds no article (readability took a footer, a headline list or a single caption
        # for it, as on pages of <font> lines with no <p>) is no verdict on the page.
        container, whole_page = _page_body(root, url, title, titles), True
    container = _cross_checked(container, reference, root, url, title, titles, whole_page, box)
    lead = standfirst(root, box, container, page_descriptions(root))
    if lead:
        paragraph = etree.Element("p")
        paragraph.text, paragraph.tail, container.text = lead, container.text, None
        container.insert(0, paragraph)
    inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in container)
    published = published_from_meta(root, default_tz)
    if published is None:
        date = date_from_page(root, metadata)
        published = _parse_when(date, default_tz) if date and _DATE_ONLY.match(date) else None
    author = metadata.author
    if not author:
        declared = _meta_author(root)  # read first: the author search prunes the page
        author = (author_from_page(root) if may_name_author(root) else None) or declared
    return ArticlePage(
        title=title or None,
        body_html=(container.text or "") + inner,
        author=author,
        published=published,
        tags=list(metadata.tags or []),
        cover=metadata.image or None,
        summary=metadata.description or None,
    )
