"""From page to item: the one function that turns what a page (and its list or feed entry) says into an
:class:`~aggregator.items.Article`.

Every road to a post goes through :func:`build_article`: the site spiders (page + list entry), the feed
spider (feed entry + the fetched page) and ``aggregator extract`` (the page alone). It only *chooses*
between what the sources say; it transforms nothing. Making the content safe and complete (absolute URLs,
lazy images, attached media, text, cover) is the pipelines' job, so all roads get the same treatment.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from aggregator.extraction.text import html_to_text
from aggregator.items import Article
from aggregator.sites.base import ArticlePage, ListEntry

T = TypeVar("T")


def _first(values: Iterable[T | None]) -> T | None:
    """The first value that says something (not None, not empty)."""
    return next((value for value in values if value), None)


def _fullest_body(page: ArticlePage | None, listed: ArticlePage | ListEntry | None) -> str:
    """The body with more text; on a tie the page's (it is the article itself, the listing a copy)."""
    page_body = (page.body_html or "") if page is not None else ""
    listed_body = getattr(listed, "body_html", None) or ""
    if not listed_body:
        return page_body
    if not page_body:
        return listed_body
    return page_body if len(html_to_text(page_body)) >= len(html_to_text(listed_body)) else listed_body


def build_article(
    url: str,
    page: ArticlePage | None,
    listed: ArticlePage | ListEntry | None = None,
    *,
    listed_wins: bool = False,
    site: str,
    feed: str = "",
    categories: Iterable[str] = (),
    guid: str = "",
    author: str = "",
    default_author: str = "",
    attachments: Iterable[str] = (),
    media: Iterable[dict[str, str]] = (),
    key: str = "",
    default_title: str = "",
    link_post: bool = False,
    source_link: str = "",
) -> Article:
    """Merge an article page with what its list (or feed) said about it.

    ``page`` is the parsed article page (None when it was not fetched); ``listed`` what the list or feed
    entry said. For each field the page wins and the listing fills its gaps — or the other way round with
    ``listed_wins`` (a feed's own title, date and author are the publisher's word; a list's are a
    teaser's). The body is always the fuller of the two. ``author`` overrides both (``-a author=``);
    without any, ``default_author`` or the site's name is credited, as the seed post's ``author: ZAKER``
    does. ``attachments`` are images that belong to the article but not to its body markup (a feed's
    enclosures): the Clean pipeline shows those the body lacks; ``media`` likewise for audio and video.
    ``default_title`` is a title made up when no source gives one (an untitled feed entry's first words);
    ``key``, ``link_post`` and ``source_link`` are passed on as they are (see :class:`Article`).
    """
    sources: list[Any] = [page, listed] if not listed_wins else [listed, page]
    sources = [source for source in sources if source is not None]
    return Article(
        url=url,
        guid=guid or url,
        site=site,
        feed=feed,
        key=key,
        title=_first(source.title for source in sources) or default_title,
        author=author or _first(source.author for source in sources) or default_author or site,
        published=_first(source.published for source in sources),
        updated=_first(getattr(source, "updated", None) for source in sources),
        categories=list(categories),
        tags=list(_first(source.tags for source in sources) or []),
        summary=_first(source.summary for source in sources) or "",
        body_html=_fullest_body(page, listed),
        cover=_first(source.cover for source in sources) or "",
        attachments=list(attachments),
        media=[dict(item) for item in media],
        link_post=link_post,
        source_link=source_link,
    )
