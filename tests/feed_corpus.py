"""Measuring the feed spider on real feeds: every entry against the post it became (or why it did not).

One feed is served on 127.0.0.1 with its real ``Content-Type`` and crawled by a real ``scrapy crawl feed``
process (``fetch=never``: the entries' pages live on the real sites, which a test never contacts). The posts
carry their ``guid`` and ``feed`` in the front matter, so each is matched to the feed entry it came from.

What an entry *should* become is read here independently of the spider's code, from feedparser's fields:

* identity: the entry's guid (``id``), else its link; only a repeated guid is a true duplicate;
* title: text, entities decoded once, no markup (an untitled entry may take any title of plain text); an
  RSS or Atom 0.3 title, or a base64 one, holding markup is HTML, as readers render it;
* link: ``feedburner:origLink`` when present, else the entry's link, else a guid that is a URL;
* date: the entry's published (else updated) date, where the date string can be read;
* first image: the first ``<img>`` of the entry's content, or its image enclosure / ``media:content``.

Used by the corpus test (``tests/test_feed_corpus.py``) and the benchmark (``bench/feeds.py``).
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import frontmatter
import lxml.html

from tests.crawling import crawl_command, crawl_env
from tests.fixture_server import FixtureServer

FRONT_MATTER = {
    "title": "title",
    "date": "published",
    "headimg": "cover",
    "author": "author",
    "link": "url",
    "guid": "guid",
    "feed": "feed",
}
"""Front matter of measured posts: enough to match a post to its entry and check what it says."""

_DROPPED = re.compile(r"Dropped (\S+) \((\w+)\)")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


@dataclass
class FeedFile:
    """One real feed: where it is, how a server sends it, and where it came from."""

    path: Path
    content_type: str
    name: str
    kind: str = "real"
    lang: str = ""


@dataclass
class Expected:
    """What one feed entry should become."""

    key: str
    title: str
    link: str
    date: datetime | None
    image: str


@dataclass
class FeedResult:
    """One feed's crawl: entries, posts, and every difference found."""

    feed: FeedFile
    entries: int = 0
    posts: int = 0
    duplicates: int = 0
    """Entries whose guid another entry of the same feed already has: not expected to become posts."""
    dropped: Counter[str] = field(default_factory=Counter)
    """Log lines ``Dropped … (reason)`` by reason."""
    problems: list[str] = field(default_factory=list)
    markup_titles: int = 0
    wrong_dates: int = 0
    feed_relative_urls: int = 0
    returncode: int = 0
    log: str = ""

    @property
    def lost(self) -> int:
        return max(0, self.entries - self.duplicates - self.posts)


def load_manifest(manifest: Path, kinds: set[str] | None = None) -> list[FeedFile]:
    """Feeds listed beside a manifest: ``../shared/feeds/manifest.json`` (a list of records with ``file``,
    ``content_type``, ``kind``, ``lang``) or a fixture folder's ``meta.json`` (``files``: name → record)."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    records = (
        [{"file": name, **record} for name, record in data["files"].items()] if "files" in data else data
    )
    return [
        FeedFile(
            path=manifest.parent / record["file"],
            content_type=record["content_type"],
            name=record["file"],
            kind=record.get("kind", "real"),
            lang=record.get("lang", ""),
        )
        for record in records
        if kinds is None or record.get("kind", "real") in kinds
    ]


def feed_bytes(feed: FeedFile) -> bytes:
    data = feed.path.read_bytes()
    if feed.path.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    return data


def plain(text: str) -> str:
    """One line of text: tags removed, entities decoded once, white space collapsed."""
    if _TAG.search(text):
        try:
            text = lxml.html.fragment_fromstring(text, create_parent="div").text_content()
        except Exception:
            text = _TAG.sub(" ", text)
    return " ".join(html.unescape(text).split())


def _first_image(fragment: str, base: str) -> str:
    if not fragment or "<img" not in fragment.lower():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return ""
    for img in root.iter("img"):
        src = (img.get("src") or "").strip()
        if "1" in (img.get("width"), img.get("height")) or re.search(r"/~(r|ff|a)/", src):
            continue  # a tracking pixel (FeedBurner's /~r/ and /~ff/): the sanitiser removes it
        if src and not src.startswith("data:"):
            return urljoin(base, src)
    return ""


def _when(parsed: Any) -> datetime | None:
    import calendar

    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError):
        return None


_ZONE = re.compile(r"(Z|[+-]\d\d:?\d\d|\b(GMT|UTC|UT|[ECMP][SD]T))\s*$", re.IGNORECASE)


def _rfc7303(content_type: str) -> str:
    """``text/xml`` without a charset is read like ``application/xml`` (RFC 7303), not as US-ASCII."""
    if content_type.lower().startswith("text/") and "charset" not in content_type.lower():
        return "application/xml"
    return content_type


def reference_date(raw: Any) -> datetime | None:
    """The entry's date as a reader would take it: the feed's own zone, else the site's (Asia/Shanghai).

    feedparser's reading is kept when the string names its zone; a zone-less string is read by dateutil
    as wall-clock time in the site's zone (feedparser would take it as UTC, or misread ``2020/1/10``).
    """
    from dateutil import parser as dateutil_parser

    for name in ("published", "updated"):
        text = (dict.get(raw, name) or "").strip()
        if not text:
            continue
        parsed = _when(dict.get(raw, f"{name}_parsed"))
        if _ZONE.search(text):
            return parsed
        try:
            naive = dateutil_parser.parse(text)
        except (ValueError, OverflowError):
            return parsed
        if naive.tzinfo is None:
            return naive.replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        return naive
    return None


def _html_title(raw: Any, version: str) -> bool:
    """Whether a reader renders the entry's title as HTML: its type says so; or it holds markup and either
    its format leaves the type unsaid (RSS, Atom 0.3 — whose base64 titles come as ``text/plain``) or its
    type is neither text nor HTML (Atom 1.0's base64 form)."""
    kind = (raw.get("title_detail") or {}).get("type", "")
    if kind in ("text/html", "application/xhtml+xml"):
        return True
    markup = bool(_TAG.search(raw.get("title") or "") or "&" in (raw.get("title") or ""))
    return markup and (version.startswith(("rss", "atom03")) or not kind.startswith("text/"))


def expected_entries(body: bytes, content_type: str, url: str) -> tuple[list[Expected], int]:
    """What each entry with a title or a link should become, and how many repeat an earlier guid."""
    import feedparser

    parsed = feedparser.parse(body.lstrip(), response_headers={"content-type": _rfc7303(content_type)})
    expected: list[Expected] = []
    keys: set[str] = set()
    repeats = 0
    for raw in parsed.entries:
        title = raw.get("title") or ""
        link = raw.get("feedburner_origlink") or raw.get("link") or ""
        guid = (raw.get("id") or "").strip()
        if not link and guid.startswith(("http://", "https://")):
            link = guid
        if not title.strip() and not link:
            continue
        link = urljoin(url, link) if link else ""
        title = plain(title) if _html_title(raw, parsed.get("version") or "") else " ".join(title.split())
        key = guid or link or f"title:{title}"
        if key and key in keys:
            repeats += 1
            continue
        keys.add(key)
        base = link or url
        content = "".join(c.get("value", "") for c in raw.get("content") or []) or raw.get("summary", "")
        image = _first_image(content, (raw.get("content") or [{}])[0].get("base") or base)
        expected.append(
            Expected(
                key=key,
                title=title,
                link=link,
                date=reference_date(raw),
                image=image,
            )
        )
    return expected, repeats


def crawl_feed(
    feed: FeedFile, server: FixtureServer, output_dir: Path, *, in_process: bool = False, timeout: float = 300
) -> FeedResult:
    """Serve one feed, crawl it with the real spider, and compare every post with its entry.

    ``in_process``: on the test session's reactor (:mod:`tests.inprocess`), else as a ``scrapy crawl``
    subprocess (what the benchmark does, several at a time).
    """
    body = feed_bytes(feed)
    path = "/feeds/" + re.sub(r"[^A-Za-z0-9._-]+", "_", feed.name)
    url = server.add(path, body, content_type=feed.content_type)
    settings = {
        "POST_FRONT_MATTER": json.dumps(FRONT_MATTER),
        "TIMEZONE": "Asia/Shanghai",
        "LOG_LEVEL": "INFO",
    }
    started = datetime.now(UTC) - timedelta(seconds=1)
    if in_process:
        from tests.crawling import crawl

        crawled = crawl("feed", output_dir, f"url={url}", "fetch=never", settings=settings, timeout=timeout)
        returncode, log = crawled.returncode, crawled.log
    else:
        completed = subprocess.run(
            crawl_command("feed", output_dir, (f"url={url}", "fetch=never"), settings),
            cwd=Path(__file__).resolve().parent.parent,
            env=crawl_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        returncode, log = completed.returncode, completed.stdout + completed.stderr
    result = FeedResult(feed=feed, returncode=returncode, log=log)
    finished = datetime.now(UTC) + timedelta(seconds=1)
    for match in _DROPPED.finditer(result.log):
        result.dropped[match.group(2)] += 1
    expected, result.duplicates = expected_entries(body, feed.content_type, url)
    result.entries = len(expected) + result.duplicates
    posts = [frontmatter.load(p) for p in sorted(output_dir.rglob("*.md"))]
    result.posts = len(posts)
    compare(result, expected, posts, url, (started, finished))
    return result


def compare(
    result: FeedResult,
    expected: list[Expected],
    posts: list[frontmatter.Post],
    feed_url: str,
    crawl_window: tuple[datetime, datetime],
) -> None:
    """Check title, link, date and first image of each post against its entry; count what differs."""
    zone = ZoneInfo("Asia/Shanghai")
    by_key: dict[str, frontmatter.Post] = {}
    for post in posts:
        by_key.setdefault(str(post.get("guid") or ""), post)
        by_key.setdefault(str(post.get("link") or ""), post)
        by_key.setdefault(f"title:{post.get('title')}", post)
    feed_base = feed_url.rsplit("/", 1)[0] + "/"
    # A title whose text itself shows a tag ("History of the <blink> tag", once its HTML is read) is text.
    texts = {entry.title for entry in expected}
    for post in posts:
        title = str(post.get("title") or "")
        if (_TAG.search(title) or _ENTITY.search(title)) and title not in texts:
            result.markup_titles += 1
            result.problems.append(f"markup title {title!r}")
        urls = [*re.findall(r'(?:src|href)="([^"]+)"', post.content), str(post.get("headimg") or "")]
        if any(u.startswith(feed_base) or u.startswith(feed_url) for u in urls):
            result.feed_relative_urls += 1
            result.problems.append(f"{post.get('link')}: URL resolved against the feed")
    for entry in expected:
        post = by_key.get(entry.key) or by_key.get(_canonical(entry.key))
        if post is None:
            result.problems.append(f"no post for entry {entry.key!r} ({entry.title[:60]!r})")
            continue
        title = str(post.get("title") or "")
        if entry.title and title != entry.title:
            result.problems.append(f"{entry.key}: title {title!r} != {entry.title!r}")
        if not title:
            result.problems.append(f"{entry.key}: empty title")
        if entry.link and not _same_link(str(post.get("link") or ""), entry.link):
            result.problems.append(f"{entry.key}: link {post.get('link')!r} != {entry.link!r}")
        date = post.get("date")
        if isinstance(date, datetime):
            date = date.replace(tzinfo=zone) if date.tzinfo is None else date
            in_crawl = crawl_window[0] <= date <= crawl_window[1]
            if entry.date and abs((date - entry.date).total_seconds()) > 1:
                result.wrong_dates += 1
                result.problems.append(f"{entry.key}: date {date} != {entry.date}")
            elif entry.date is None and not in_crawl:
                pass  # a date feedparser could not read, which the spider read: checked per class
        if entry.image and str(post.get("headimg") or "") != entry.image:
            result.problems.append(f"{entry.key}: first image {post.get('headimg')!r} != {entry.image!r}")


def _canonical(url: str) -> str:
    from aggregator.web.urls import canonical_url

    return canonical_url(url) if url.startswith(("http://", "https://")) else url


def _same_link(post_link: str, entry_link: str) -> bool:
    """The post's link is the entry's (the spider strips tracking parameters; nothing else may differ)."""
    from aggregator.web.urls import canonical_url

    return post_link in (entry_link, canonical_url(entry_link)) or (
        urlsplit(post_link)._replace(fragment="") == urlsplit(canonical_url(entry_link))._replace(fragment="")
        and urlsplit(post_link).fragment == urlsplit(entry_link).fragment
    )
