"""ZAKER (myzaker.com) page objects: list pages and article pages as plain data.

Pure functions over saved pages, no I/O. The spider passes each page with its canonical myzaker.com URL;
every link and date that comes back is absolute and timezone-aware (Beijing time, as ZAKER prints it).

**Three generations of list markup.** ZAKER rebuilt its web lists twice, and a crawl may meet any of them
(old caches, mirrors, regional pages), so ``parse_list`` recognises all three and says which it did not find:

1. *2023 onwards*: the list is data, not markup. An inline script assigns ``window.WinPageData = {...}``;
   the items are ``data.article[]`` (``title``, ``desc``, protocol-relative ``url``, ``author_name`` or the
   misspelt ``auther_name``, a year-less ``MM月DD日`` date, ``tag[]``, ``thumbnail_mpic``,
   ``comment_counts``) and ``next_url.value`` pages on (with ZAKER's own ``next_aticle_id`` spelling). The
   next page answers with the same object as bare JSON.
2. *2020-22*: ``div.content-block`` items whose ``.article-wrap > a`` carries the link and ``.article-title``
   the title; nothing else is known to be there.
3. *2017-19*: ``div.figure.flex-block`` items: ``h2.figcaption a`` for link and title, three spans in
   ``div.subtitle`` (source, "3小时前", "44 评论"), and the cover only as the CSS ``background-image`` of
   ``a.img``; ``a.next_page`` pages on.

**Why ``data-original`` wins over ``src``.** Article images are lazy-loaded: ZAKER's markup leaves ``src``
empty or pointing at a placeholder, keeps the real address in ``data-original`` and the size in
``data-width``/``data-height``, and its own JavaScript swaps them in on scroll. A page saved or re-published
without that script shows blank boxes, so the parser performs the swap itself and ``body_html`` already
carries working ``src``, ``width`` and ``height``. (Images must still be fetched without a Referer.)

Also handled: links wrapped in ``iphone.myzaker.com/zaker/link.php?...&b=<base64>`` are unwrapped, relative
dates ("N分钟前", "昨天 10:20", "MM-DD") are anchored on ``now``, a page without a date falls back to the
timestamp inside the article id, and the SafeLine WAF challenge, deleted articles and video-only articles
raise the ``PageError`` subclasses from ``aggregator.sites.base``.
"""

from __future__ import annotations

from aggregator.sites.zaker.article import parse_article
from aggregator.sites.zaker.common import (
    BEIJING,
    article_id,
    article_id_time,
    canonical_article_url,
    is_challenge,
    parse_time,
    unwrap_link,
)
from aggregator.sites.zaker.lists import parse_list

__all__ = [
    "BEIJING",
    "article_id",
    "article_id_time",
    "canonical_article_url",
    "is_challenge",
    "parse_article",
    "parse_list",
    "parse_time",
    "unwrap_link",
]
