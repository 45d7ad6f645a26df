"""A generated summary-only feed site for the full-text benchmark: RSS feeds of teasers, and a portal page per
entry that the feed spider must fetch and run through the generic extractor.

Pages look like Chinese news portals' article pages, 5–30 KB: a header with a channel menu, a breadcrumb,
the article (headline, source line, paragraphs of the test fixtures' sentences, a photo or two)
and around it the noise the extractor has to cut away: a "热点新闻" sidebar of headline links, a "相关阅读"
list, share buttons, an advertisement, a comment box and a footer with the licence numbers. Three layouts
(class names and nesting differ, as between portals) rotate. One page in four is GBK, declared only in its
``<meta>``, as many portals still serve them: decoding is part of what is measured.

Rendered on request (``bench/server.py --kind feed``), deterministic from the seed; nothing is written.
Feed ``k`` (``/feed/k.xml``) lists articles ``k``, ``k + feeds``, ``k + 2·feeds``, …
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from bench.site import sentences

EPOCH = datetime(2024, 5, 1, 0, 0, tzinfo=UTC)
CHANNELS = ("首页", "时政", "国际", "财经", "科技", "体育", "娱乐", "汽车", "房产", "教育", "健康", "图片")
SOURCES = ("新华社", "人民日报", "南方日报", "澎湃新闻", "经济观察报", "中国新闻网", "本网记者")
LAYOUTS = (
    ("main-content", "article-title", "article-info", "article-content", "side-bar"),
    ("wrap-left", "hd", "post_info", "post_body", "wrap-right"),
    ("left_zw", "main_title", "source_time", "TRS_Editor", "right_list"),
)


@dataclass(frozen=True)
class FeedSite:
    """``articles`` articles spread over ``feeds`` RSS feeds."""

    articles: int
    seed: int = 2024
    feeds: int = 10

    def feed_paths(self) -> list[str]:
        return [f"/feed/{k}.xml" for k in range(min(self.feeds, self.articles))]

    def page_path(self, index: int) -> str:
        day = EPOCH - timedelta(hours=index + 1)
        return f"/news/{day:%Y%m%d}/{index:07d}.html"


class FeedPages:
    """Renders the feeds and pages of a :class:`FeedSite`; ``base`` is the server's own address."""

    def __init__(self, site: FeedSite) -> None:
        self.site = site
        self.base = ""
        self.sentences = sentences()

    def title(self, index: int) -> str:
        rng = random.Random(f"title:{self.site.seed}:{index}")
        sentence = rng.choice(self.sentences).rstrip("。")
        return sentence[: rng.randint(12, 28)].strip(" ，、：") + f"（{index}）"

    def feed(self, number: int) -> str | None:
        site = self.site
        if not 0 <= number < min(site.feeds, site.articles):
            return None
        items = []
        for index in range(number, site.articles, site.feeds):
            rng = random.Random(f"teaser:{site.seed}:{index}")
            url = self.base + site.page_path(index)
            teaser = rng.choice(self.sentences)[:40] + "……"
            when = EPOCH - timedelta(hours=index + 1)
            items.append(
                f"<item><title>{escape(self.title(index))}</title><link>{url}</link>"
                f'<guid isPermaLink="true">{url}</guid><description>{escape(teaser)}</description>'
                f"<pubDate>{format_datetime(when, usegmt=True)}</pubDate></item>"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>门户新闻 {number}</title><link>{self.base}/</link><description>摘要源</description>"
            f"<language>zh-cn</language>{''.join(items)}</channel></rss>"
        )

    def links(self, rng: random.Random, count: int) -> str:
        return "".join(
            f'<li><a href="/news/{rng.randint(20200101, 20241231)}/{rng.randint(0, 9999999):07d}.html">'
            f"{escape(rng.choice(self.sentences)[: rng.randint(10, 24)])}</a></li>"
            for _ in range(count)
        )

    def page(self, index: int) -> tuple[str, bytes] | None:
        site = self.site
        if not 0 <= index < site.articles:
            return None
        rng = random.Random(f"page:{site.seed}:{index}")
        main, headline, info, content, side = LAYOUTS[index % len(LAYOUTS)]
        gbk = index % 4 == 3
        when = EPOCH - timedelta(hours=index + 1) + timedelta(hours=8)
        target = rng.randint(5_000, 30_000)
        chrome = 2_500 + 1_400 * 3  # bytes of the noise below, roughly: the article gets the rest
        paragraphs, size = [], 0
        while size < max(target - chrome, 1_200):
            paragraph = escape("".join(rng.choices(self.sentences, k=rng.randint(2, 5))))
            paragraphs.append(f"<p>{paragraph}</p>")
            size += len(paragraph.encode("utf-8")) + 7
        for _ in range(rng.randint(0, 2)):
            paragraphs.insert(
                rng.randint(1, len(paragraphs)),
                f'<p style="text-align:center"><img src="https://img.example.cn/{when:%Y%m}/'
                f'{rng.getrandbits(64):016x}.jpg" alt=""></p>',
            )
        menu = "".join(f'<li><a href="/{n}/">{c}</a></li>' for n, c in enumerate(CHANNELS))
        title = escape(self.title(index))
        html = f"""<!DOCTYPE html>
<html><head><meta charset="{"gbk" if gbk else "utf-8"}"><title>{title}_门户新闻网</title>
<meta name="keywords" content="{escape(rng.choice(self.sentences)[:20])}">
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</head><body>
<div class="header"><div class="logo"><a href="/">门户新闻网</a></div><ul class="nav">{menu}</ul>
<div class="search"><form action="/search"><input name="q"><button>搜索</button></form></div></div>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/news/">新闻中心</a> &gt; 正文</div>
<div class="container"><div class="{main}">
<h1 class="{headline}">{title}</h1>
<div class="{info}"><span>{when:%Y-%m-%d %H:%M}</span> <span>来源：{rng.choice(SOURCES)}</span>
<span>编辑：{escape(rng.choice(self.sentences)[:3])}</span></div>
<div class="share"><a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="{content}">{"".join(paragraphs)}</div>
<div class="statement">（责任编辑：{escape(rng.choice(self.sentences)[:3])}）
版权声明：本网转载稿件均注明出处。</div>
<div class="related"><h3>相关阅读</h3><ul>{self.links(rng, 8)}</ul></div>
<div class="comment"><h3>网友评论</h3><textarea></textarea><button>发表评论</button>
<p>已有{rng.randint(0, 999)}人参与</p></div>
</div>
<div class="{side}"><div class="ad"><a href="/ad"><img src="/ad/banner.gif" alt="广告"></a></div>
<h3>热点新闻</h3><ul>{self.links(rng, 12)}</ul><h3>图片新闻</h3><ul>{self.links(rng, 6)}</ul></div></div>
<div class="footer"><p>关于我们 | 联系方式 | 广告服务 | 网站地图</p>
<p>Copyright © 2024 门户新闻网 版权所有 互联网新闻信息服务许可证：44120170001 粤ICP备05070829号</p></div>
</body></html>"""
        if gbk:
            return "text/html", html.encode("gbk", errors="xmlcharrefreplace")
        return "text/html; charset=utf-8", html.encode("utf-8")

    def targets(self) -> list[str]:
        """Every request target of the site: the feeds, then the pages."""
        return [*self.site.feed_paths(), *(self.site.page_path(i) for i in range(self.site.articles))]

    _PAGE = re.compile(r"/news/\d{8}/(\d{7})\.html")
    _FEED = re.compile(r"/feed/(\d+)\.xml")

    def get(self, target: str) -> tuple[str, str | bytes] | None:
        """``(content type, body)`` at request target ``target``, or None (404)."""
        if match := self._PAGE.fullmatch(target):
            index = int(match.group(1))
            return self.page(index) if target == self.site.page_path(index) else None
        if match := self._FEED.fullmatch(target):
            text = self.feed(int(match.group(1)))
            return ("application/rss+xml; charset=utf-8", text) if text else None
        return None
