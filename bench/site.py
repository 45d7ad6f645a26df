"""A local ZAKER + CCTV site of N articles for the benchmark, in the markup of the test fixtures.

Nothing is written to disk: :class:`Pages` renders any page of the site on request (``bench/server.py``
serves it), so a 25,000-article site costs no generation time and no 500 MB of files. Everything is a
function of the article's index and the seed, so every run, and every request for the same page, gets the
same bytes.

The page chrome is not invented here: every page is a fixture page (``tests/fixtures/zaker``,
``tests/fixtures/cctv``) with its variable parts replaced, so the spiders and page objects do exactly the
work they do on the real sites:

* ZAKER: channels of up to :data:`ZAKER_PAGES` list pages, the first an HTML page with ``window.WinPageData``,
  the next ones ZAKER's ``next_new.php`` JSON continuation (``next_url`` pagination); articles alternate
  between the 2020-22 layout (lazy ``data-original`` images in ``img_box``) and the 2018 one.
* CCTV: one category per :data:`CCTV_CATEGORIES` name, each a numbered series of JSONP list pages
  (``<category>_<page>.jsonp``, trailing comma and all) of :data:`CCTV_PER_PAGE` entries; ARTI articles in
  the 2019+ "gaiban" template.
* Every article: a title, an author, tags, 3–10 body images and a 5–30 KB body of sentences taken from the
  fixtures' article bodies (one of :data:`BODY_VARIANTS` bodies per site kind, rendered once).

``changed_every=k`` makes every k-th article (index ``k-1``, ``2k-1``, …) a revised version: one more
paragraph at the end of its body. The benchmark crawls the site, then crawls it again with that switch to
check that exactly those posts are rewritten.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs

import lxml.html

from aggregator.sites.cctv.params import LIST_CATEGORIES
from aggregator.web.encoding import decode_html

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"

ZAKER_PER_PAGE = 25
ZAKER_PAGES = 10
CCTV_PER_PAGE = 50
CCTV_CATEGORIES = tuple(name for name in LIST_CATEGORIES if name != "news")
"""Categories the generator fills, in order; ``news`` is left out because the real one repeats others."""
BODY_VARIANTS = 64
"""Distinct bodies per site kind: enough that posts differ in length, few enough to render once."""
REVISION = "（更新：本文发布后补充了最新进展，以上内容已据此修订。）"
"""The paragraph a changed article gains."""

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
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Site:
    """The shape of a site of ``articles`` articles (half ZAKER, half CCTV): the spider arguments that crawl
    all of it. Articles are numbered 0…N-1, ZAKER's first; the index is part of every article id."""

    articles: int
    seed: int = 2024
    changed_every: int = 0

    @property
    def zaker_articles(self) -> int:
        return self.articles // 2

    @property
    def cctv_articles(self) -> int:
        return self.articles - self.zaker_articles

    @property
    def zaker_per_channel(self) -> int:
        return ZAKER_PER_PAGE * ZAKER_PAGES

    @property
    def zaker_channels(self) -> list[str]:
        return [str(1001 + n) for n in range(-(-self.zaker_articles // self.zaker_per_channel))]

    @property
    def zaker_pages(self) -> int:
        return -(-min(self.zaker_articles, self.zaker_per_channel) // ZAKER_PER_PAGE)

    @property
    def cctv_pages(self) -> int:
        """List pages per category: enough that :data:`CCTV_CATEGORIES` hold every CCTV article."""
        return max(1, -(-self.cctv_articles // (CCTV_PER_PAGE * len(CCTV_CATEGORIES))))

    @property
    def cctv_per_category(self) -> int:
        return CCTV_PER_PAGE * self.cctv_pages

    @property
    def cctv_categories(self) -> list[str]:
        return list(CCTV_CATEGORIES[: -(-self.cctv_articles // self.cctv_per_category)])

    @property
    def list_pages(self) -> int:
        zaker = -(-self.zaker_articles // ZAKER_PER_PAGE)
        return zaker + -(-self.cctv_articles // CCTV_PER_PAGE)

    def changed(self, index: int) -> bool:
        return self.changed_every > 0 and index % self.changed_every == self.changed_every - 1

    def changed_urls(self) -> set[str]:
        """The canonical URLs of the revised articles."""
        return {self.article_url(i) for i in range(self.articles) if self.changed(i)}

    def when(self, index: int) -> datetime:
        return EPOCH - timedelta(hours=index + 1)

    def zaker_id(self, index: int) -> str:
        """24 hex digits like ZAKER's; the last 8 are the index."""
        return hashlib.md5(f"{self.seed}:{index}".encode()).hexdigest()[:16] + f"{index:08x}"

    def cctv_id(self, index: int) -> str:
        """``ARTI`` + 20 characters + the date, like CCTV's; characters 13–20 are the index."""
        digest = hashlib.md5(f"{self.seed}:{index}".encode()).digest()
        code = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:12])
        return f"ARTI{code}{index:08d}{self.when(index):%y%m%d}"

    def article_url(self, index: int) -> str:
        """The article's real (canonical) URL, the one its post links."""
        if index < self.zaker_articles:
            return f"https://www.myzaker.com/article/{self.zaker_id(index)}"
        return f"https://news.cctv.com/{self.when(index):%Y/%m/%d}/{self.cctv_id(index)}.shtml"

    def arguments(self) -> list[str]:
        """For ``bench/server.py``."""
        return [
            "--articles",
            str(self.articles),
            "--seed",
            str(self.seed),
            "--changed-every",
            str(self.changed_every),
        ]


def _fixture(case: str, name: str = "page.html") -> str:
    """A fixture page without its leading ``<!-- FIXTURE … -->`` provenance comment."""
    text = (FIXTURES / case / name).read_text(encoding="utf-8")
    return re.sub(r"\A\s*<!--.*?-->\s*", "", text, flags=re.S)


def sentences() -> list[str]:
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


def paragraphs(rng: random.Random, pool: list[str]) -> list[str]:
    """5–30 KB of UTF-8 text, in paragraphs of two to six of the fixtures' sentences."""
    target = rng.randint(5_000, 30_000)
    found, size = [], 0
    while size < target:
        paragraph = "".join(rng.choices(pool, k=rng.randint(2, 6)))
        found.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 7
    return found


def with_images(rng: random.Random, text: list[str], images: list[str]) -> str:
    """Paragraphs with the images spread between them, as the sites lay out photos in text."""
    slots = sorted(rng.sample(range(len(text) + 1), min(len(images), len(text) + 1)))
    images = list(images)
    parts: list[str] = []
    for index, paragraph in enumerate(text):
        while slots and slots[0] == index:
            slots.pop(0)
            parts.append(images.pop(0))
        parts.append(f"<p>{paragraph}</p>")
    parts.extend(images)
    return "".join(parts)


@dataclass(frozen=True)
class Entry:
    """What a list and its article page both say about article ``index``."""

    index: int
    title: str
    author: str
    tags: list[str]
    when: datetime
    rng_state: object
    """The article's random stream after these fields: the page continues it (images, body choice)."""


class Pages:
    """Renders any page of a :class:`Site`: :meth:`get` answers a request target."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.sentences = sentences()
        templates = random.Random(site.seed)
        self.bodies = [paragraphs(templates, self.sentences) for _ in range(BODY_VARIANTS)]
        self.zaker_2021 = self._zaker_template(_fixture("zaker/article_windows_hello"), modern=True)
        self.zaker_2018 = self._zaker_template(_fixture("zaker/article_2018"), modern=False)
        self.zaker_list_page = _replace(
            r"window\.WinPageData = .*?;</script>",
            "window.WinPageData = {DATA};</script>",
            _replace(
                r"<title>.*?</title>",
                "<title>{NAME}_ZAKER新闻</title>",
                _fixture("zaker/list_current_winpagedata"),
            ),
        )
        self.cctv_article = self._cctv_template(_fixture("cctv/article_gaiban_anhui_rice"))

    # --- the parts every page is made of -----------------------------------------------------------------

    def entry(self, index: int) -> Entry:
        rng = random.Random(f"{self.site.seed}:{index}")
        sentence = rng.choice(self.sentences).rstrip("。")
        title = sentence[: rng.randint(12, 28)].strip(" ，、：") + f" {rng.randint(2, 999)}"
        authors = ZAKER_AUTHORS if index < self.site.zaker_articles else CCTV_SOURCES
        author = rng.choice(authors)
        tags = rng.sample(TAGS, rng.randint(0, 3))
        return Entry(index, title, author, tags, self.site.when(index), rng.getstate())

    def body(self, entry: Entry, rng: random.Random, images: list[str], indent: str = "") -> str:
        text = [indent + paragraph for paragraph in rng.choice(self.bodies)]
        if self.site.changed(entry.index):
            text.append(indent + REVISION)
        return with_images(rng, text, images)

    # --- ZAKER -------------------------------------------------------------------------------------------

    @staticmethod
    def _zaker_template(page: str, modern: bool) -> str:
        page = page.replace("{", "{{").replace("}", "}}")
        page = _replace(r"<title>.*?</title>", "<title>{title}</title>", page)
        page = _replace(r"<h1>.*?</h1>", "<h1> {title}</h1>", page)
        page = _replace(r'<span class="time">.*?</span>', '<span class="time">{time}</span>', page)
        if modern:
            page = _replace(r'og:title" content="[^"]*"', 'og:title" content="{title}"', page)
            page = _replace(
                r'<a class="article-auther line"[^>]*>[^<]*</a>',
                '<a class="article-auther line" href="//www.myzaker.com/source/11250" target="_blank">'
                "{author}</a>",
                page,
            )
            page = _replace(
                r'<div class="lebel-list">.*?</div>', '<div class="lebel-list">{tags}</div>', page
            )
        else:
            page = _replace(r'<span class="auther">.*?</span>', '<span class="auther">{author}</span>', page)
        return _replace(
            r'<div id="content">.*?<div id="recommend_bottom">',
            '<div id="content">{body}<div id="recommend_bottom">',
            page,
        )

    def zaker_article(self, index: int) -> str:
        """An article page in the 2020-22 layout (lazy images) or, for about half, the 2018 layout."""
        entry = self.entry(index)
        rng = random.Random()
        rng.setstate(entry.rng_state)  # type: ignore[arg-type]
        modern = rng.random() < 0.5
        month = entry.when.strftime("%Y%m")
        images = []
        for number in range(rng.randint(3, 10)):
            src = f"http://zkres{rng.randint(1, 3)}.myzaker.com/{month}/{rng.getrandbits(96):024x}_1024.jpg"
            attribute = "data-original" if modern else "src"
            images.append(
                f'<div class="img_box" id="id_imagebox_{number}" onclick><div class="content_img_div '
                f'perview_img_div"><img class="lazy opacity_0 " id="img_{number}" {attribute}="{src}" '
                f'data-height="720" data-width="1280"></div></div>'
            )
        tags = "".join(f'<a href="//www.myzaker.com/tag/{t}" target="_blank">{t}</a>' for t in entry.tags)
        return (self.zaker_2021 if modern else self.zaker_2018).format(
            title=entry.title,
            author=entry.author,
            time=f"{entry.when:%Y-%m-%d %H:%M}" if modern else f"{entry.when:%Y-%m-%d}",
            tags=tags,
            body=self.body(entry, rng, images),
        )

    def zaker_list(self, channel: int, page: int) -> str | None:
        """Page ``page`` (1…) of channel ``channel`` (0…): HTML first, then ``next_new.php`` JSON."""
        site = self.site
        first = channel * site.zaker_per_channel + (page - 1) * ZAKER_PER_PAGE
        last = min(first + ZAKER_PER_PAGE, (channel + 1) * site.zaker_per_channel, site.zaker_articles)
        if channel < 0 or page < 1 or first >= last:
            return None
        items = []
        for index in range(first, last):
            entry = self.entry(index)
            rng = random.Random(index)
            items.append(
                {
                    "url": f"//www.myzaker.com/article/{site.zaker_id(index)}",
                    "icon_url": "",
                    "tag_name": "",
                    "date": entry.when.strftime("%m月%d日"),
                    "desc": rng.choice(self.sentences)[:60],
                    "author_name": entry.author,
                    "thumbnail_mpic": f"http://zkres1.myzaker.com/{entry.when:%Y%m}/{rng.getrandbits(96):024x}"
                    "_320.jpg",
                    "comment_counts": rng.randint(0, 500),
                    "author_url": "",
                    "tag": [
                        {"is_flock": "0", "tag": t, "total": 0, "url": f"//www.myzaker.com/tag/{t}"}
                        for t in entry.tags
                    ],
                    "title": entry.title,
                }
            )
        more = last < min((channel + 1) * site.zaker_per_channel, site.zaker_articles)
        query = (
            f"f=myzaker_com&app_id={1001 + channel}&opage={page + 1}"
            f"&next_aticle_id={site.zaker_id(last - 1)}&_version=6.5"
        )
        data = {
            "data": {"article": items},
            "next_url": {"value": f"https://www.myzaker.com/news/next_new.php?{query}"} if more else None,
        }
        encoded = json.dumps(data, ensure_ascii=False).replace("/", "\\/")
        if page > 1:
            return encoded  # the next_new.php continuation: bare JSON
        return self.zaker_list_page.replace("{NAME}", f"频道{1001 + channel}").replace("{DATA}", encoded)

    # --- CCTV --------------------------------------------------------------------------------------------

    @staticmethod
    def _cctv_template(page: str) -> str:
        page = page.replace("{", "{{").replace("}", "}}")
        page = _replace(r"<title>.*?</title>", "<title>{title}_新闻频道_央视网(cctv.com)</title>", page)
        page = _replace(r'publishDate ="\d+ "', 'publishDate ="{stamp} "', page)
        page = _replace(r"<h1>.*?</h1>", "<h1>{title}</h1>", page)
        page = _replace(
            r'<div class="info">.*?</div>',
            '<div class="info">来源：<a href="https://news.cctv.com/" target="_blank">{source}</a>&nbsp;| '
            "{date}</div>",
            page,
        )
        return _replace(
            r"<!--repaste\.body\.begin-->.*?<!--repaste\.body\.end-->",
            "<!--repaste.body.begin-->{body}<!--repaste.body.end-->",
            page,
        )

    def cctv_images(self, entry: Entry, rng: random.Random) -> list[str]:
        day = entry.when.strftime("%Y/%m/%d")
        return [
            f"//p{rng.randint(1, 5)}.img.cctvpic.com/photoworkspace/contentimg/{day}/"
            f"{entry.when:%Y%m%d%H%M}{rng.randint(10000000, 99999999)}.jpg"
            for _ in range(rng.randint(3, 10))
        ]

    def cctv_page(self, index: int) -> str:
        entry = self.entry(index)
        rng = random.Random()
        rng.setstate(entry.rng_state)  # type: ignore[arg-type]
        images = [
            f'<p style="text-align: center;" class="photo_img_20190808"><img src="{src}" alt=""></p>'
            for src in self.cctv_images(entry, rng)
        ]
        return self.cctv_article.format(
            title=entry.title,
            stamp=f"{entry.when:%Y%m%d%H%M%S}",
            source=entry.author,
            date=f"{entry.when:%Y年%m月%d日 %H:%M}",
            body=self.body(entry, rng, images, indent="　　"),
        )

    def cctv_list(self, category: str, page: int) -> str | None:
        site = self.site
        if category not in site.cctv_categories or not 1 <= page <= site.cctv_pages:
            return None
        start = site.zaker_articles + site.cctv_categories.index(category) * site.cctv_per_category
        end = min(start + site.cctv_per_category, site.articles)
        first, last = start + (page - 1) * CCTV_PER_PAGE, min(start + page * CCTV_PER_PAGE, end)
        if first >= last:
            return None
        entries = []
        for index in range(first, last):
            entry = self.entry(index)
            rng = random.Random()
            rng.setstate(entry.rng_state)  # type: ignore[arg-type]
            images = self.cctv_images(entry, rng)
            extra = random.Random(index)
            entries.append(
                {
                    "id": site.cctv_id(index),
                    "image2": "https:" + images[0],
                    "title": entry.title,
                    "keywords": " ".join(extra.sample(TAGS, 3)),
                    "count": "0",
                    "ext_field": "",
                    "image": "https:" + images[-1],
                    "focus_date": entry.when.strftime("%Y-%m-%d %H:%M:%S"),
                    "image3": "",
                    "brief": extra.choice(self.sentences)[:60],
                    "url": site.article_url(index),
                }
            )
        items = ",".join(json.dumps(entry, ensure_ascii=False) for entry in entries)
        # The CMS's trailing comma before "]" is kept, as on the real site.
        return f'{category}({{"data":{{"total":{end - start},"list":[{items},]}}}})'

    # --- routing -----------------------------------------------------------------------------------------

    @cached_property
    def _routes(self) -> list[tuple[re.Pattern[str], str]]:
        return [
            (re.compile(r"/zaker/channel/(\d+)"), "zaker_channel"),
            (re.compile(r"/zaker/news/next_new\.php\?(.*)"), "zaker_next"),
            (re.compile(r"/zaker/article/([0-9a-f]{24})"), "zaker_article"),
            (
                re.compile(r"/cctv/2019/07/gaiban/cmsdatainterface/page/(\w+)_(\d+)\.jsonp(?:\?.*)?"),
                "cctv_list",
            ),
            (re.compile(r"/cctv/\d{4}/\d\d/\d\d/(ARTI\w{20}\d{6})\.shtml"), "cctv_article"),
        ]

    def get(self, target: str) -> tuple[str, str] | None:
        """``(content type, text)`` of the page at request target ``target``, or None (404)."""
        site = self.site
        for pattern, kind in self._routes:
            match = pattern.fullmatch(target)
            if not match:
                continue
            if kind == "zaker_channel":
                text = self.zaker_list(int(match.group(1)) - 1001, 1)
            elif kind == "zaker_next":
                query = parse_qs(match.group(1))
                text = self.zaker_list(int(query["app_id"][0]) - 1001, int(query["opage"][0]))
                return ("application/json; charset=utf-8", text) if text else None
            elif kind == "zaker_article":
                index = int(match.group(1)[16:], 16)
                ok = index < site.zaker_articles and site.zaker_id(index) == match.group(1)
                text = self.zaker_article(index) if ok else None
            elif kind == "cctv_list":
                text = self.cctv_list(match.group(1), int(match.group(2)))
                return ("application/javascript", text) if text else None  # CCTV sends no charset
            else:
                index = int(match.group(1)[16:24])
                ok = site.zaker_articles <= index < site.articles and site.cctv_id(index) == match.group(1)
                text = self.cctv_page(index) if ok else None
            return ("text/html; charset=utf-8", text) if text else None
        return None
