"""A local ZAKER + CCTV site of N articles for the benchmark, in the real markup of the test fixtures.

The page chrome is not invented here: every page is a fixture page (``tests/fixtures/zaker``,
``tests/fixtures/cctv``) with its variable parts replaced, so the spiders and page objects do exactly the
work they do on the real sites. What varies, deterministically from a seed:

* ZAKER: channels of up to :data:`ZAKER_PAGES` list pages, the first an HTML page with ``window.WinPageData``,
  the next ones ZAKER's ``next_new.php`` JSON continuation (``next_url`` pagination); articles alternate
  between the 2020-22 layout (lazy ``data-original`` images in ``img_box``) and the 2018 one.
* CCTV: categories of up to :data:`CCTV_PAGES` JSONP list pages (``<category>_<page>.jsonp``, trailing
  comma and all) and ARTI articles in the 2019+ "gaiban" template.
* Every article: a title, an author, tags, 3–10 body images and a 5–30 KB body made of sentences taken
  from the fixtures' real article text.

Files are written under ``root/zaker`` and ``root/cctv`` at the paths the spiders request (a query string
is part of the file name: ``next_new.php?…``), for :mod:`bench.server` to serve.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import lxml.html

from aggregator.web.encoding import decode_html
from spiders.cctv import LIST_CATEGORIES

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

ZAKER_PER_PAGE = 25
ZAKER_PAGES = 10
CCTV_PER_PAGE = 50
CCTV_PAGES = 10
CCTV_CATEGORIES = tuple(name for name in LIST_CATEGORIES if name != "news")
"""Categories the generator fills, in order; ``news`` is left out because the real one repeats others."""

ZAKER_AUTHORS = (
    "IT之家",
    "凤凰社会",
    "ZAKER北京",
    "新京报",
    "澎湃新闻",
    "媒体号12291",
    "环球网",
    "中国新闻网",
)
CCTV_SOURCES = ("央视网", "央视新闻客户端", "新华社", "人民日报", "光明网", "中国新闻网")
TAGS = ("科技", "社会", "国际", "财经", "体育", "教育", "健康", "农业", "航天", "文化", "汽车", "微软")
EPOCH = datetime(2024, 5, 1, 8, 0)
"""The newest article's date; older ones go back an hour at a time (dates are Beijing time)."""


@dataclass
class Site:
    """What :func:`build_site` wrote: the spider arguments that crawl all of it, and how many articles."""

    zaker_channels: list[str] = field(default_factory=list)
    zaker_pages: int = 0
    cctv_categories: list[str] = field(default_factory=list)
    cctv_pages: int = 0
    zaker_articles: int = 0
    cctv_articles: int = 0
    list_pages: int = 0
    bytes_written: int = 0

    @property
    def articles(self) -> int:
        return self.zaker_articles + self.cctv_articles


def _fixture(case: str, name: str = "page.html") -> str:
    """A fixture page without its leading ``<!-- FIXTURE … -->`` provenance comment."""
    text = (FIXTURES / case / name).read_text(encoding="utf-8")
    return re.sub(r"\A\s*<!--.*?-->\s*", "", text, flags=re.S)


def _sentences() -> list[str]:
    """Real sentences from the article fixtures: the text the sanitiser and the exporter really see."""
    found: list[str] = []
    pages = [
        page
        for pattern in ("zaker/*/page.html", "cctv/*/page.html", "feed/page_*.html", "cctv_site/*.html")
        for page in sorted(FIXTURES.glob(pattern))
    ]
    for page in pages:
        document = lxml.html.fromstring(decode_html(page.read_bytes(), None)[0])
        for paragraph in document.xpath("//div[@id='content'] | //div[@id='content_area'] | //p"):
            text = re.sub(r"\s+", " ", paragraph.text_content()).strip()
            found += [part.strip() + "。" for part in text.split("。") if len(part.strip()) > 8]
    return sorted(set(found))


def _replace(pattern: str, replacement: str, text: str) -> str:
    """One marked part of a fixture page replaced; a fixture that lost the mark is a bug here, not a page."""
    result, count = re.subn(pattern, lambda _: replacement, text, count=1, flags=re.S)
    if count != 1:
        raise ValueError(f"fixture template has no {pattern!r}")
    return result


class Generator:
    """Deterministic titles, bodies and images; one instance per site so runs with a seed are identical."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.sentences = _sentences()
        self.zaker_2021 = _fixture("zaker/article_windows_hello")
        self.zaker_2018 = _fixture("zaker/article_2018")
        self.zaker_list_page = _fixture("zaker/list_current_winpagedata")
        self.cctv_article = _fixture("cctv/article_gaiban_anhui_rice")

    def hex_id(self) -> str:
        return "".join(self.random.choice("0123456789abcdef") for _ in range(24))

    def title(self) -> str:
        sentence = self.random.choice(self.sentences).rstrip("。")
        return sentence[: self.random.randint(12, 28)].strip(" ，、：") + f" {self.random.randint(2, 999)}"

    def paragraphs(self) -> list[str]:
        """5–30 KB of UTF-8 text, in paragraphs of two to six real sentences."""
        target = self.random.randint(5_000, 30_000)
        paragraphs, size = [], 0
        while size < target:
            paragraph = "".join(self.random.choices(self.sentences, k=self.random.randint(2, 6)))
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 7
        return paragraphs

    def with_images(self, paragraphs: list[str], image: list[str]) -> str:
        """Paragraphs with the images spread between them, as the sites lay out photos in text."""
        slots = sorted(self.random.sample(range(len(paragraphs) + 1), min(len(image), len(paragraphs) + 1)))
        parts: list[str] = []
        for index, paragraph in enumerate(paragraphs):
            while slots and slots[0] == index:
                slots.pop(0)
                parts.append(image.pop(0))
            parts.append(f"<p>{paragraph}</p>")
        parts.extend(image)
        return "".join(parts)

    def image_count(self) -> int:
        return self.random.randint(3, 10)

    # --- ZAKER -------------------------------------------------------------------------------------------

    def zaker_article(self, title: str, author: str, when: datetime, tags: list[str]) -> str:
        """An article page in the 2020-22 layout (lazy images) or, for every other one, the 2018 layout."""
        modern = self.random.random() < 0.5
        month = when.strftime("%Y%m")
        images = []
        for index in range(self.image_count()):
            src = f"http://zkres{self.random.randint(1, 3)}.myzaker.com/{month}/{self.hex_id()}_1024.jpg"
            attribute = "data-original" if modern else "src"
            images.append(
                f'<div class="img_box" id="id_imagebox_{index}" onclick><div class="content_img_div '
                f'perview_img_div"><img class="lazy opacity_0 " id="img_{index}" {attribute}="{src}" '
                f'data-height="720" data-width="1280"></div></div>'
            )
        body = self.with_images(self.paragraphs(), images)
        page = self.zaker_2021 if modern else self.zaker_2018
        page = _replace(r"<title>.*?</title>", f"<title>{title}</title>", page)
        page = _replace(r"<h1>.*?</h1>", f"<h1> {title}</h1>", page)
        if modern:
            page = _replace(r'og:title" content="[^"]*"', f'og:title" content="{title}"', page)
            page = _replace(
                r'<a class="article-auther line"[^>]*>[^<]*</a>',
                f'<a class="article-auther line" href="//www.myzaker.com/source/11250" target="_blank">'
                f"{author}</a>",
                page,
            )
            page = _replace(
                r'<span class="time">.*?</span>', f'<span class="time">{when:%Y-%m-%d %H:%M}</span>', page
            )
            links = "".join(
                f'<a href="//www.myzaker.com/tag/{tag}" target="_blank">{tag}</a>' for tag in tags
            )
            page = _replace(
                r'<div class="lebel-list">.*?</div>', f'<div class="lebel-list">{links}</div>', page
            )
        else:
            page = _replace(r'<span class="auther">.*?</span>', f'<span class="auther">{author}</span>', page)
            page = _replace(
                r'<span class="time">.*?</span>', f'<span class="time">{when:%Y-%m-%d}</span>', page
            )
        return _replace(
            r'<div id="content">.*?<div id="recommend_bottom">',
            f'<div id="content">{body}<div id="recommend_bottom">',
            page,
        )

    def zaker_list(
        self, channel: str, name: str, items: list[dict[str, object]], next_url: str | None, page: int
    ) -> str:
        data: dict[str, object] = {
            "data": {"article": items},
            "next_url": {"value": next_url} if next_url else None,
        }
        encoded = json.dumps(data, ensure_ascii=False).replace("/", "\\/")
        if page > 1:
            return encoded  # the next_new.php continuation: bare JSON
        page_html = _replace(r"<title>.*?</title>", f"<title>{name}_ZAKER新闻</title>", self.zaker_list_page)
        return _replace(
            r"window\.WinPageData = .*?;</script>", f"window.WinPageData = {encoded};</script>", page_html
        )

    # --- CCTV --------------------------------------------------------------------------------------------

    def cctv_page(self, title: str, source: str, when: datetime) -> tuple[str, list[str]]:
        day = when.strftime("%Y/%m/%d")
        sources = []
        images = []
        for _ in range(self.image_count()):
            stamp = f"{when:%Y%m%d%H%M}{self.random.randint(10000000, 99999999)}"
            src = (
                f"//p{self.random.randint(1, 5)}.img.cctvpic.com/photoworkspace/contentimg/{day}/{stamp}.jpg"
            )
            sources.append(src)
            images.append(
                f'<p style="text-align: center;" class="photo_img_20190808"><img src="{src}" alt=""></p>'
            )
        body = self.with_images([f"　　{p}" for p in self.paragraphs()], images)
        page = self.cctv_article
        page = _replace(r"<title>.*?</title>", f"<title>{title}_新闻频道_央视网(cctv.com)</title>", page)
        page = _replace(r'publishDate ="\d+ "', f'publishDate ="{when:%Y%m%d%H%M%S} "', page)
        page = _replace(r"<h1>.*?</h1>", f"<h1>{title}</h1>", page)
        page = _replace(
            r'<div class="info">.*?</div>',
            f'<div class="info">来源：<a href="https://news.cctv.com/" target="_blank">{source}</a>&nbsp;| '
            f"{when:%Y年%m月%d日 %H:%M}</div>",
            page,
        )
        page = _replace(
            r"<!--repaste\.body\.begin-->.*?<!--repaste\.body\.end-->",
            f"<!--repaste.body.begin-->{body}<!--repaste.body.end-->",
            page,
        )
        return page, sources


def build_site(root: Path, articles: int, seed: int = 2024) -> Site:
    """Write a site of ``articles`` articles (half ZAKER, half CCTV) under ``root``; see the module doc."""
    generator = Generator(seed)
    site = Site()
    zaker_total = articles // 2
    cctv_total = articles - zaker_total
    when = EPOCH

    def write(path: str, text: str) -> None:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        target.write_bytes(data)
        site.bytes_written += len(data)

    # ZAKER: channels 1001, 1002, … of up to ZAKER_PAGES pages each.
    per_channel = ZAKER_PER_PAGE * ZAKER_PAGES
    for number, start in enumerate(range(0, zaker_total, per_channel)):
        channel = str(1001 + number)
        site.zaker_channels.append(channel)
        count = min(per_channel, zaker_total - start)
        pages = -(-count // ZAKER_PER_PAGE)
        previous_query = ""
        site.zaker_pages = max(site.zaker_pages, pages)
        for page in range(1, pages + 1):
            items: list[dict[str, object]] = []
            for _ in range(min(ZAKER_PER_PAGE, count - (page - 1) * ZAKER_PER_PAGE)):
                article_id = generator.hex_id()
                title, author = generator.title(), generator.random.choice(ZAKER_AUTHORS)
                tags = generator.random.sample(TAGS, generator.random.randint(0, 3))
                when -= timedelta(hours=1)
                write(f"zaker/article/{article_id}", generator.zaker_article(title, author, when, tags))
                items.append(
                    {
                        "url": f"//www.myzaker.com/article/{article_id}",
                        "icon_url": "",
                        "tag_name": "",
                        "date": when.strftime("%m月%d日"),
                        "desc": generator.random.choice(generator.sentences)[:60],
                        "author_name": author,
                        "thumbnail_mpic": f"http://zkres1.myzaker.com/{when:%Y%m}/{generator.hex_id()}_320.jpg",
                        "comment_counts": generator.random.randint(0, 500),
                        "author_url": "",
                        "tag": [
                            {"is_flock": "0", "tag": t, "total": 0, "url": f"//www.myzaker.com/tag/{t}"}
                            for t in tags
                        ],
                        "title": title,
                    }
                )
                site.zaker_articles += 1
            query = (
                f"f=myzaker_com&app_id={channel}&opage={page + 1}&next_aticle_id={article_id}&_version=6.5"
            )
            next_url = f"https://www.myzaker.com/news/next_new.php?{query}" if page < pages else None
            path = f"zaker/channel/{channel}" if page == 1 else f"zaker/news/next_new.php?{previous_query}"
            write(path, generator.zaker_list(channel, f"频道{channel}", items, next_url, page))
            previous_query = query
            site.list_pages += 1

    # CCTV: categories of up to CCTV_PAGES JSONP pages.
    per_category = CCTV_PER_PAGE * CCTV_PAGES
    if cctv_total > per_category * len(CCTV_CATEGORIES):
        raise ValueError(f"at most {per_category * len(CCTV_CATEGORIES)} CCTV articles")
    for number, start in enumerate(range(0, cctv_total, per_category)):
        category = CCTV_CATEGORIES[number]
        site.cctv_categories.append(category)
        count = min(per_category, cctv_total - start)
        pages = -(-count // CCTV_PER_PAGE)
        site.cctv_pages = max(site.cctv_pages, pages)
        for page in range(1, pages + 1):
            entries = []
            for _ in range(min(CCTV_PER_PAGE, count - (page - 1) * CCTV_PER_PAGE)):
                when -= timedelta(hours=1)
                code = "".join(
                    generator.random.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789")
                    for _ in range(20)
                )
                item_id = f"ARTI{code}{when:%y%m%d}"
                url = f"https://news.cctv.com/{when:%Y/%m/%d}/{item_id}.shtml"
                title = generator.title()
                page_html, images = generator.cctv_page(title, generator.random.choice(CCTV_SOURCES), when)
                write(f"cctv/{when:%Y/%m/%d}/{item_id}.shtml", page_html)
                entries.append(
                    {
                        "id": item_id,
                        "image2": "https:" + images[0],
                        "title": title,
                        "keywords": " ".join(generator.random.sample(TAGS, 3)),
                        "count": "0",
                        "ext_field": "",
                        "image": "https:" + images[-1],
                        "focus_date": when.strftime("%Y-%m-%d %H:%M:%S"),
                        "image3": "",
                        "brief": generator.random.choice(generator.sentences)[:60],
                        "url": url,
                    }
                )
                site.cctv_articles += 1
            items = ",".join(json.dumps(entry, ensure_ascii=False) for entry in entries)
            # The CMS's trailing comma before "]" is kept, as on the real site.
            jsonp = f'{category}({{"data":{{"total":{count},"list":[{items},]}}}})'
            write(f"cctv/2019/07/gaiban/cmsdatainterface/page/{category}_{page}.jsonp", jsonp)
            site.list_pages += 1
    return site
