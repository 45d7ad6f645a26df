"""ZAKER article pages (2018 and 2020-22 layouts): title, source, time, tags and the body HTML.

See ``aggregator.sites.zaker`` for the page structure and why lazy images are rewritten here.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import lxml.html

from aggregator.sites.base import ArticlePage, BlockedPage, DeletedArticle, EmptyArticle, UnknownLayout
from aggregator.sites.html import first_text, inner_html
from aggregator.sites.zaker.common import (
    absolute_url,
    article_id,
    article_id_time,
    is_challenge,
    now_in_shanghai,
    parse_document,
    parse_time,
    select,
    text_of,
    unwrap_link,
)

DELETED_NOTICE = "原文已被删除"
VIDEO_MARKER = "视频："
# Page furniture that ZAKER renders inside the body container (recommendations, footer, disclaimer).
_CHROME = "#recommend_bottom, #article_bottom, #ID_disclaimer, div.article_other, div.article_more"
_PLAYERS = "div.iframe_video, div.video_container"
# Blocks that can be a first child div of the body container without being the body's wrapper.
_NOT_A_WRAPPER = {"img_box", "iframe_video", "video_container"}
_LAZY_CLASSES = {"lazy", "opacity_0"}


def parse_article(html: str, url: str, now: datetime | None = None) -> ArticlePage:
    """The article at ``url`` (its canonical myzaker.com URL), with ZAKER's quirks undone in ``body_html``.

    ``now`` anchors relative dates such as "3小时前" (default: the current time, read as Beijing time).
    Raises ``BlockedPage`` for the WAF challenge, ``DeletedArticle`` for a removed article, ``EmptyArticle``
    for a video-only article and ``UnknownLayout`` for anything that is not a ZAKER article page.
    """
    if is_challenge(html):
        raise BlockedPage(f"SafeLine challenge page instead of the article at {url}")
    document = parse_document(html, url)
    containers = select(document, "div.article_content")
    if not containers:
        raise UnknownLayout(f"no div.article_content at {url}: not a ZAKER article page, or a new layout")
    title = _title(document)
    if DELETED_NOTICE in (text_of(containers[0]) or "") + (_page_title(document) or ""):
        raise DeletedArticle(f"ZAKER says {DELETED_NOTICE} for {url}")

    body = _body_of(containers[0])
    for element in select(body, _CHROME):
        element.drop_tree()
    _drop_empty_paragraphs(body)
    if not _has_text_or_image(body) and not select(body, f"{_PLAYERS}, figure, video, iframe"):
        raise DeletedArticle(f"empty article body at {url} (ZAKER empties the body of deleted articles)")

    is_video = VIDEO_MARKER in (title or "") + (text_of(body) or "") or bool(select(body, _PLAYERS))
    poster = _replace_players(body, url)
    _show_lazy_images(body, url)
    for link in body.iter("a"):
        if href := link.get("href"):
            link.set("href", unwrap_link(href))
    if not _has_text_or_image(body):
        if is_video:
            raise EmptyArticle(
                f"video-only article at {url}: no text and no poster image once the player is removed",
                reason="video_only",
            )
        raise EmptyArticle(f"article at {url} has no text and no image", reason="no_body")

    return ArticlePage(
        title=title,
        body_html=inner_html(body).strip(),
        author=first_text(
            select(document, css)
            for css in ("div.article_tips span.auther", "span.auther", "a.article-auther")
        ),
        published=_published(document, url, now),
        tags=_tags(document),
        cover=_lead_image(document, url) or poster,
    )


def _title(document: lxml.html.HtmlElement) -> str | None:
    """The 2018 ``div.article_header h1``; later layouts only promise an ``h1``; og:title as last resort."""
    return first_text(select(document, css) for css in ("div.article_header h1", "h1")) or _meta_text(
        document, "og:title"
    )


def _page_title(document: lxml.html.HtmlElement) -> str | None:
    found = select(document, "head title")
    return text_of(found[0]) if found else None


def _first_text(document: lxml.html.HtmlElement, selectors: tuple[str, ...]) -> str | None:
    """The first text found by these CSS selectors, in order."""
    return first_text(select(document, css) for css in selectors)


def _meta_text(document: lxml.html.HtmlElement, name: str) -> str | None:
    for meta in document.xpath("//meta[@property=$name or @name=$name][@content]", name=name):
        if content := " ".join(meta.get("content", "").split()):
            return content
    return None


def _lead_image(document: lxml.html.HtmlElement, url: str) -> str | None:
    """og:image, unless it is ZAKER's own logo (``/static/``), which its pages use as a site-wide default."""
    image = absolute_url(_meta_text(document, "og:image"), url)
    if image is None or "/static/" in urlsplit(image).path:
        return None
    return image


def _body_of(container: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """``div#content`` (2018), else the container's first child div as RSSHub reads it, else the container.

    A first child that is itself an image box or a player means the body is not wrapped, so the container
    is the body.
    """
    found = select(container, "div#content")
    if found:
        return found[0]
    first = next(iter(container.iterchildren("div")), None)
    if first is not None and not _NOT_A_WRAPPER.intersection((first.get("class") or "").split()):
        return first
    return container


def _drop_empty_paragraphs(body: lxml.html.HtmlElement) -> None:
    """ZAKER separates every image with ``<p></p>``; they would become blank lines in the post."""
    for paragraph in list(body.iter("p")):
        if len(paragraph) == 0 and not (paragraph.text or "").strip():
            paragraph.drop_tree()


def _has_text_or_image(body: lxml.html.HtmlElement) -> bool:
    # Stops at the first text, where text_of(body) would first collapse the whole body's text.
    return any(text.strip() for text in body.itertext()) or any(True for _ in body.iter("img"))


def _replace_players(body: lxml.html.HtmlElement, url: str) -> str | None:
    """Remove video players (they never work off-site), leaving their poster as a plain ``<img>``.

    Returns the first poster's URL, so a video article still gets a cover.
    """
    players = set(select(body, _PLAYERS))
    players.update(f for f in body.iter("figure") if select(f, "video, iframe, embed, object"))
    players.update(body.iter("video"))
    players.discard(body)
    outermost = [p for p in players if not any(a in players for a in p.iterancestors())]
    first_poster = None
    for player in outermost:
        poster = _poster_of(player, url)
        if poster is None:
            player.drop_tree()
            continue
        image = lxml.html.Element("img", src=poster)
        image.tail = player.tail
        player.getparent().replace(player, image)
        first_poster = first_poster or poster
    return first_poster


def _poster_of(player: lxml.html.HtmlElement, url: str) -> str | None:
    candidates = [player, *player.iterdescendants()]
    for element in candidates:
        if element.tag == "video" and (poster := absolute_url(element.get("poster"), url)):
            return poster
    for element in candidates:
        if element.tag == "img" and (
            source := absolute_url(element.get("data-original") or element.get("src"), url)
        ):
            return source
    return None


def _show_lazy_images(body: lxml.html.HtmlElement, url: str) -> None:
    """Give each lazy image its real address and size.

    ZAKER's ``src`` is empty or a placeholder until its JavaScript copies ``data-original`` into it, and the
    size lives in ``data-width``/``data-height``; without this every image would be blank off-site.
    """
    for image in body.iter("img"):
        source = absolute_url(image.get("data-original") or image.get("src"), url)
        if source:
            image.set("src", source)
        for attribute, size in (("data-width", "width"), ("data-height", "height")):
            value = (image.attrib.pop(attribute, None) or "").strip()
            if value.isdigit():
                image.set(size, value)
        image.attrib.pop("data-original", None)
        classes = [c for c in (image.get("class") or "").split() if c not in _LAZY_CLASSES]
        if classes:
            image.set("class", " ".join(classes))
        else:
            image.attrib.pop("class", None)


def _published(document: lxml.html.HtmlElement, url: str, now: datetime | None) -> datetime | None:
    """``span.time`` read against ``now``; when absent or unreadable, the time hidden in the article id."""
    current = now_in_shanghai(now)
    for selector in ("div.article_tips span.time", "span.time"):
        for element in select(document, selector):
            if when := parse_time(text_of(element), current):
                return when
    found = article_id(url)
    return article_id_time(found) if found else None


def _tags(document: lxml.html.HtmlElement) -> list[str]:
    tags: list[str] = []
    for link in select(document, ".lebel-list a"):
        if (name := text_of(link)) and name not in tags:
            tags.append(name)
    return tags
