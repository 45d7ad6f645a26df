"""Distributed crawling on a real ``redis-server``: the shared state store, the job bookkeeping, and two
``scrapy crawl feed`` workers splitting one site between them."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import redis
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from aggregator.distributed.addon import DistributedCrawl
from aggregator.distributed.workers import SharedJob
from aggregator.drops import ArticleDropped
from aggregator.items import Article
from aggregator.state.redis_store import RedisStateStore
from aggregator.state.store import ExportRecord
from pipelines.state import StatePipeline
from tests.crawling import FIXTURES, CrawlResult, start_crawl
from tests.fixture_server import FixtureServer
from tests.redis_server import BINARY_MISSING, RedisServer, redis_server_binary

ARTICLES = 300
FEED_A = range(0, 175)
FEED_B = range(125, ARTICLES)
"""Two feeds of one site that share 50 articles, so both workers may hold the same article at once."""
PAGE_DELAY = 0.04
"""Slow enough per page that one worker cannot finish the site before the other has started on it."""
FEED_DELAY = 1.5
"""Both workers are up before the first feed answers and its article requests reach the queue."""


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    binary = redis_server_binary()
    if binary is None:
        pytest.skip(BINARY_MISSING)
    server = RedisServer(binary, tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis_server.client()
    client.flushall()
    yield client
    client.close()


def export_record(url: str, guid: str, digest: str) -> ExportRecord:
    now = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    return ExportRecord(url, guid, "post.md", digest, now, now, now)


def test_add_on_switches_scheduling_only_with_redis_url() -> None:
    """Without ``REDIS_URL`` the add-on stays out of the way; with it, a project's own choice still wins."""
    with pytest.raises(NotConfigured):
        DistributedCrawl().update_settings(Settings())
    settings = Settings({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    DistributedCrawl().update_settings(settings)
    assert settings["SCHEDULER"] == "aggregator.distributed.workers.SharedScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    own = Settings({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    own.set("SCHEDULER", "myproject.Scheduler", "project")
    DistributedCrawl().update_settings(own)
    assert own["SCHEDULER"] == "myproject.Scheduler"


def test_state_store_lookup_record_and_claim(redis_client: redis.Redis, redis_server: RedisServer) -> None:
    first = RedisStateStore(redis_server.client())
    second = RedisStateStore(redis_server.client())  # another worker: its own connection and owner name
    url, guid = "https://news.example.com/a/1.html", "guid-1"
    assert first.lookup(url, guid) is None

    assert first.claim(url, guid, "")
    assert not second.claim(url, guid, ""), "an article being exported by one worker is not the other's"
    assert not second.claim("https://news.example.com/a/1-copy.html", guid, ""), "same guid, other URL"
    assert first.claim(url, guid, ""), "a worker may renew its own claim"

    first.record(export_record(url, guid, "hash-1"))
    found = second.lookup(url)
    assert found == export_record(url, guid, "hash-1")
    by_guid = second.lookup("https://news.example.com/a/1.html?utm_source=rss", guid)
    assert by_guid is not None and by_guid.url == url
    assert not second.claim(url, guid, ""), "looked up before the export: the record has moved on since"
    assert second.claim(url, guid, "hash-1"), "recording released the claim; a changed article may go"
    assert not first.claim(url, guid, "hash-1")
    assert first.count() == second.count() == 1

    brief = RedisStateStore(redis_server.client(), claim_seconds=0.2)
    assert brief.claim("https://news.example.com/a/2.html", "", "")
    assert not first.claim("https://news.example.com/a/2.html", "", "")
    time.sleep(0.3)
    assert first.claim("https://news.example.com/a/2.html", "", ""), "a dead worker's claim expires"
    for store in (first, second, brief):
        store.close()


def test_two_state_pipelines_export_a_shared_article_once(
    redis_client: redis.Redis, redis_server: RedisServer, tmp_path: Path
) -> None:
    """Two workers hold the same new article at once: both look it up, only the claimant exports it."""
    article = Article(
        url="https://news.example.com/a/1.html", guid="g1", title="标题", body_html="<p>正文</p>"
    )
    one, two = (StatePipeline(RedisStateStore(redis_server.client()), tmp_path) for _ in range(2))
    assert one.process_item(article) is article
    with pytest.raises(ArticleDropped, match="another worker") as dropped:
        two.process_item(Article(**vars(article)))
    assert dropped.value.reason == "duplicate"

    (tmp_path / "post.md").write_text("written by worker one", encoding="utf-8")
    one.post_exported(article, "post.md", "new")
    tomorrow = StatePipeline(RedisStateStore(redis_server.client()), tmp_path)
    with pytest.raises(ArticleDropped) as unchanged:
        tomorrow.process_item(Article(**vars(article)))
    assert unchanged.value.reason == "unchanged"
    later = StatePipeline(RedisStateStore(redis_server.client()), tmp_path)
    changed = Article(**{**vars(article), "title": "新标题"})
    assert later.process_item(changed).post_path == "post.md", "a changed article may be claimed again"
    for pipeline in (one, two, tomorrow, later):
        pipeline.close_spider()


def test_job_bookkeeping_join_drain_leave(redis_client: redis.Redis) -> None:
    one = SharedJob(redis_client, "test:job", "one", worker_timeout=60)
    two = SharedJob(redis_client, "test:job", "two", worker_timeout=60)
    assert one.join() == 0 and two.join() == 1
    redis_client.sadd(one.dupefilter_key, "fingerprint")
    redis_client.zadd(one.requests_key, {b"request": 0})
    assert not one.drained(0.3), "a request is queued"
    redis_client.delete(one.requests_key)
    assert not one.drained(0.3), "both workers were busy a moment ago (joining counts)"
    time.sleep(0.4)
    assert one.drained(0.3)
    two.heartbeat(busy=True)
    assert not one.drained(0.3), "two is busy: it may still push requests"
    one.heartbeat(busy=False)
    assert not one.leave(), "two is still there"
    assert redis_client.exists(one.dupefilter_key)
    assert two.leave(), "the last worker out"
    assert redis_client.keys("test:job:*") == [], "the run's queue and duplicate filter are gone"

    crashed = SharedJob(redis_client, "test:job", "crashed", worker_timeout=0.3)
    crashed.join()
    redis_client.sadd(crashed.dupefilter_key, "fingerprint")
    time.sleep(0.4)
    late = SharedJob(redis_client, "test:job", "late", worker_timeout=0.3)
    assert late.join() == 0, "a worker silent for longer than the timeout is gone"
    assert not redis_client.exists(late.dupefilter_key), "a crashed run's fingerprints do not block this one"


def article_path(n: int) -> str:
    return f"/news/2024/{n:04d}.html"


def serve_site(server: FixtureServer) -> list[str]:
    """Two summary-only feeds and the 300 article pages they link, made from the real-style C919 page."""
    # The fixture server listens with Python's default backlog of 5. Two crawlers opening a connection per
    # request overflow it, and the kernel's SYN retry then stalls a worker for 1-3 s, long enough for the
    # other to take the whole site. Listening again on the bound socket only raises the backlog.
    server.httpd.socket.listen(128)
    template = (FIXTURES / "feed" / "page_c919.html").read_text(encoding="utf-8")
    for n in range(ARTICLES):
        server.add(article_path(n), template.replace("1000", str(1000 + n)), delay=PAGE_DELAY)

    def feed(name: str, numbers: range) -> str:
        items = "".join(
            f"""<item>
  <title>{escape(f"国产大飞机C919完成第{1000 + n}次商业飞行")}</title>
  <link>{server.base}{article_path(n)}</link>
  <guid isPermaLink="true">{server.base}{article_path(n)}</guid>
  <description>国产大飞机C919日前完成第{1000 + n}次商业飞行……</description>
  <pubDate>{format_datetime(datetime(2024, 3, 1, tzinfo=UTC).replace(minute=n % 60, hour=n // 60))}</pubDate>
</item>"""
            for n in numbers
        )
        body = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>南方新闻网 - {name}</title><link>{server.base}/news/</link>
<description>南方新闻网</description>{items}</channel></rss>"""
        server.add(
            f"/feeds/{name}.xml", body, content_type="application/rss+xml; charset=utf-8", delay=FEED_DELAY
        )
        return server.url(f"/feeds/{name}.xml")

    return [feed("a", FEED_A), feed("b", FEED_B)]


_PAGE = re.compile(r"Crawled \(200\) <GET http://127\.0\.0\.1:\d+(/news/2024/\d{4}\.html)>")
_FEED = re.compile(r"Crawled \(200\) <GET http://127\.0\.0\.1:\d+/feeds/(\w+)\.xml>")
_WROTE = re.compile(r"(?:Wrote|Updated) post \S+ for (\S+)")


def run_workers(server: FixtureServer, redis_server: RedisServer, feeds: list[str], tmp_path: Path, run: str):
    """Two ``scrapy crawl feed`` processes at once into one OUTPUT_DIR; the Redis keys seen meanwhile."""
    settings = {
        "REDIS_URL": redis_server.url,
        "ADDONS": json.dumps({"aggregator.distributed.addon.DistributedCrawl": 0}),
        "REDIS_IDLE_CLOSE_SECONDS": "2",
        "REDIS_POLL_SECONDS": "0.2",
    }
    # One site name and one category list for both feeds: an article reads the same whichever feed led
    # to it (by default the author falls back to the feed's title), so a re-run finds it unchanged.
    args = (f"url={','.join(feeds)}", "categories=新媒体,科技", "site=南方新闻网")
    workers = [
        start_crawl("feed", tmp_path / "output", tmp_path / f"{run}-{i}.log", *args, settings=settings)
        for i in (1, 2)
    ]
    seen_keys: set[str] = set()
    done = threading.Event()

    def watch() -> None:
        with redis_server.client() as client:
            while not done.is_set():
                seen_keys.update(key.decode() for key in client.keys("aggregator:feed:*"))
                time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        results = [worker.wait(timeout=60) for worker in workers]
    finally:
        done.set()
        watcher.join()
    for result in results:
        assert result.returncode == 0, result.log[-3000:]
        assert "Job aggregator:feed is drained" in result.log, result.log[-3000:]
    return results, seen_keys


def test_two_workers_split_one_site_and_export_each_article_once(
    server: FixtureServer, redis_server: RedisServer, redis_client: redis.Redis, tmp_path: Path
) -> None:
    feeds = serve_site(server)
    results, seen_keys = run_workers(server, redis_server, feeds, tmp_path, "first")

    # scrapy-redis really scheduled the crawl: its queue and fingerprints lived in Redis while it ran,
    # and the last worker out cleared them (but not the incremental state).
    assert {"aggregator:feed:requests", "aggregator:feed:dupefilter", "aggregator:feed:workers"} <= seen_keys
    assert sorted(k.decode() for k in redis_client.keys("aggregator:*")) == [
        "aggregator:state:guids",
        "aggregator:state:posts",
    ]
    assert redis_client.hlen("aggregator:state:posts") == ARTICLES

    # Every worker yielded both feed requests; the shared duplicate filter let one copy of each through.
    feeds_fetched = [Counter(_FEED.findall(result.log)) for result in results]
    assert sum(feeds_fetched, Counter()) == {"a": 1, "b": 1}
    assert server.hits("/feeds/a.xml") == server.hits("/feeds/b.xml") == 1

    # The work was split, and a worker ran requests that only the other worker had scheduled.
    # Each queued request ran once: a worker that parsed both feeds queued the 50 shared articles once,
    # workers that parsed one feed each queued them twice (and the state store settles who exports them).
    pages = [_PAGE.findall(result.log) for result in results]
    fetched = Counter(path for worker_pages in pages for path in worker_pages)
    assert fetched.keys() == {article_path(n) for n in range(ARTICLES)}
    one_each = all(feeds_fetched)
    assert sum(fetched.values()) == (len(FEED_A) + len(FEED_B) if one_each else ARTICLES)
    assert min(len(p) for p in pages) >= 50, [len(p) for p in pages]
    listed = {"a": {article_path(n) for n in FEED_A}, "b": {article_path(n) for n in FEED_B}}
    foreign = [
        set(fetched) - set().union(*(listed[name] for name in own_feeds))
        for fetched, own_feeds in zip(pages, feeds_fetched, strict=True)
    ]
    assert any(foreign), "no worker ran a request scheduled by the other one"

    # Each article exported exactly once. Of the 350 feed entries, the 50 second sightings of a shared
    # article were dropped: by the spider (one worker read both feeds), by the state pipeline of the worker
    # that saw it before, by a lost claim, or as unchanged when the other worker had already exported it.
    posts = CrawlResult(0, "", tmp_path / "output").posts()
    links = Counter(post["link"] for post in posts.values())
    assert len(posts) == ARTICLES and set(links.values()) == {1}
    assert links.keys() == {f"{server.base}{article_path(n)}" for n in range(ARTICLES)}
    written = Counter(url for result in results for url in _WROTE.findall(result.log))
    assert written.keys() == links.keys() and set(written.values()) == {1}
    first = totals(results)
    assert first["exported"] == ARTICLES and first["updated"] == 0
    assert first["duplicate"] + first["unchanged"] == len(FEED_A) + len(FEED_B) - ARTICLES

    # A second distributed run over the same site: fetches the feeds again, exports and rewrites nothing.
    files = {
        path: (path.stat().st_mtime_ns, path.read_bytes()) for path in (tmp_path / "output").rglob("*.md")
    }
    again, _ = run_workers(server, redis_server, feeds, tmp_path, "second")
    assert server.hits("/feeds/a.xml") == server.hits("/feeds/b.xml") == 2
    assert not any(_WROTE.findall(result.log) for result in again)
    assert {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in files} == files
    assert len(list((tmp_path / "output").rglob("*.md"))) == ARTICLES
    second = totals(again)
    assert second["exported"] == second["updated"] == 0
    assert second["unchanged"] >= ARTICLES
    assert second["unchanged"] + second["duplicate"] == len(FEED_A) + len(FEED_B)


def totals(results: list[CrawlResult]) -> Counter[str]:
    """Exported, updated, unchanged and duplicate articles over all workers, from their summary lines."""
    total: Counter[str] = Counter()
    for result in results:
        (line,) = result.lines("Summary of feed:")
        for name, pattern in {
            "exported": r"exported (\d+) new",
            "updated": r"updated (\d+)",
            "unchanged": r"unchanged (\d+)",
            "duplicate": r"duplicate: (\d+)",
        }.items():
            match = re.search(pattern, line)
            total[name] += int(match.group(1)) if match else 0
    return total
