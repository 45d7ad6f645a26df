"""Hostile input that costs resources or breaks a run (issue 14): decompression bombs, slow or huge pages
for ``aggregator extract``, a corrupt state file, and failures inside a pipeline."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from aggregator.run.cli import main
from tests.crawling import REPO, crawl, crawl_env
from tests.fixture_server import Answer, FixtureServer, Route

PARAGRAPH = "<p>" + "国产大飞机C919完成第1000次商业飞行，累计运送旅客超过十万人次。" * 6 + "</p>"


def png(width: int, height: int) -> bytes:
    """A valid black-and-white PNG of any size, built row by row: 12000x12000 is 144 megapixels in ~20 KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then one bit per pixel
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def full_text_feed(server: FixtureServer, bodies: dict[str, str]) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{server.url('/a/' + str(n))}</link><guid>g{n}</guid>"
        f"<description><![CDATA[{body}]]></description></item>"
        for n, (title, body) in enumerate(bodies.items())
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>源</title>{items}</channel></rss>'
    return server.add("/feed.xml", feed, content_type="application/rss+xml")


def test_a_decompression_bomb_is_refused_before_decoding(server: FixtureServer, tmp_path: Path) -> None:
    bomb = server.add("/bomb.png", png(12000, 12000), content_type="image/png")
    small = server.add("/small.png", png(64, 48), content_type="image/png")
    feed = full_text_feed(server, {"炸弹": f'{PARAGRAPH}<p><img src="{bomb}"><img src="{small}"></p>'})
    result = crawl(
        "feed", tmp_path / "out", f"url={feed}", "fetch=never", settings={"IMAGES_MODE": "download"}
    )
    assert result.returncode == 0, result.log[-3000:]
    refused = result.lines(f"Image {bomb} of ")
    assert len(refused) == 1 and "(too_many_pixels)" in refused[0], result.log[-3000:]
    (post,) = result.posts().values()
    assert bomb in post.content and small not in post.content  # the bomb stays remote, the small one local
    # Memory is measured by bench/image_bomb.py (peak RSS of the crawl process), not asserted here.


def test_the_pixel_cap_is_read_from_the_header(server: FixtureServer, tmp_path: Path) -> None:
    """Below Pillow's own bomb limit, ``IMAGES_MAX_PIXELS`` decides (here lowered to show it)."""
    wide = server.add("/wide.png", png(4000, 3000), content_type="image/png")
    feed = full_text_feed(server, {"宽图": f'{PARAGRAPH}<p><img src="{wide}"></p>'})
    settings = {"IMAGES_MODE": "download", "IMAGES_MAX_PIXELS": "10000000"}
    result = crawl("feed", tmp_path / "out", f"url={feed}", "fetch=never", settings=settings)
    (line,) = result.lines(f"Image {wide} of ")
    assert "(too_many_pixels): 4000x3000 pixels > IMAGES_MAX_PIXELS 10000000" in line


def dripping(server: FixtureServer, path: str, size: int, seconds_per_kib: float) -> str:
    body = ("<html><body>" + PARAGRAPH * (size // len(PARAGRAPH.encode()))).encode("utf-8")
    server.routes[path] = Route([Answer(body, 200, {"Content-Type": "text/html; charset=utf-8"},
                                       trickle=seconds_per_kib)])  # fmt: skip
    return server.url(path)


@pytest.mark.slow  # waits on real back-off, timeouts or worker restarts: out of make test-fast
def test_extract_a_url_has_a_total_timeout(server: FixtureServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = dripping(server, "/slow.html", 40 * 1024, 0.5)  # 20 s in all, a chunk every half second
    started = time.monotonic()
    assert main(["extract", url, "-s", "DOWNLOAD_TIMEOUT=2"]) == 2
    assert time.monotonic() - started < 10  # not the 20 s the drip would take
    assert "DOWNLOAD_TIMEOUT" in capsys.readouterr().err


def test_extract_a_url_has_the_crawls_size_cap(
    server: FixtureServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.add("/huge.html", "<html><body>" + PARAGRAPH * 20_000)
    assert main(["extract", url, "-s", "DOWNLOAD_MAXSIZE=1000000"]) == 2
    assert "DOWNLOAD_MAXSIZE" in capsys.readouterr().err
    unsized = dripping(server, "/unsized.html", 2_000_000, 0.0)
    assert main(["extract", unsized, "-s", "DOWNLOAD_MAXSIZE=1000000"]) == 2


@pytest.mark.slow  # waits on real back-off, timeouts or worker restarts: out of make test-fast
def test_a_corrupt_state_file_is_one_error_with_the_way_out(server: FixtureServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    state = out / ".aggregator" / "state.sqlite"
    state.parent.mkdir(parents=True)
    state.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40)
    kept = out / "earlier-post-0123456789.md"
    kept.write_text("---\ntitle: earlier\n---\n<div>\n</div>\n", "utf-8")
    feed = full_text_feed(server, {"标题": PARAGRAPH})
    result = crawl("feed", out, f"url={feed}", "fetch=never", process=True)  # the command line's own check
    assert result.returncode == 1
    errors = result.lines("ERROR")
    assert len(errors) == 1 and f"mv '{state}' '{state}.corrupt'" in errors[0], result.log[-3000:]
    assert "Traceback" not in result.log and kept.exists()
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(f'subscriptions:\n  - name: f\n    feed: "{feed}"\n', "utf-8")
    command = [sys.executable, "-m", "aggregator", "crawl", "--subscriptions", str(subscriptions),
               "-s", f"OUTPUT_DIR={out}"]  # fmt: skip
    scheduled = subprocess.run(
        command, cwd=REPO, env=crawl_env(), capture_output=True, text=True, timeout=120
    )
    log = scheduled.stdout + scheduled.stderr
    assert scheduled.returncode == 1 and "Traceback" not in log, log[-3000:]
    assert len([line for line in log.splitlines() if " ERROR: " in line and "mv '" in line]) == 1, log[-3000:]
    state.rename(state.with_suffix(".corrupt"))
    again = crawl("feed", out, f"url={feed}", "fetch=never")
    assert again.returncode == 0 and kept.exists() and len(again.posts()) == 2


class ExplodingPipeline:
    """A pipeline with a bug that only one article triggers (loaded by name in a test crawl)."""

    def process_item(self, item: Any) -> Any:
        if "爆炸" in item.title:
            raise ValueError("boom")
        return item


def test_a_failure_inside_a_pipeline_is_a_dropped_line_and_a_counter(
    server: FixtureServer, tmp_path: Path
) -> None:
    from aggregator import settings as project

    pipelines = {**project.ITEM_PIPELINES, "tests.test_hostile_limits.ExplodingPipeline": 350}
    feed = full_text_feed(server, {"爆炸": PARAGRAPH, "平安": PARAGRAPH})
    result = crawl(
        "feed",
        tmp_path / "out",
        f"url={feed}",
        "fetch=never",
        settings={"ITEM_PIPELINES": json.dumps(pipelines)},
    )
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.lines(f"Dropped {server.url('/a/0')} (error): ValueError: boom")) == 1
    assert re.search(r"dropped 1 \(error: 1\)", result.log), result.log[-2000:]
    assert len(result.posts()) == 1


def test_a_failing_spider_callback_is_a_dropped_line_and_a_counter() -> None:
    """What Scrapy logs and counts when a callback raises on one page (the pipeline case is above, end to
    end): the formatter's line and the summary's counter, read from the objects Scrapy calls."""
    from scrapy import Request
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler
    from twisted.python.failure import Failure

    from aggregator.run.logformatter import ArticleLogFormatter
    from aggregator.run.summary import RunSummary
    from spiders.feed import FeedSpider

    crawler = get_crawler(FeedSpider, {"PROGRESS_INTERVAL": 0})
    spider = FeedSpider(url="https://news.example/feed.xml")
    request = Request("https://news.example/a/1.html")
    try:
        raise ValueError("bad page")
    except ValueError:
        failure = Failure()
    line = ArticleLogFormatter().spider_error(failure, request, failure, spider)
    assert (
        line["msg"] % line["args"]
        == "Dropped https://news.example/a/1.html (spider_error): ValueError: bad page"
    )
    stats = MemoryStatsCollector(crawler)
    RunSummary(stats, 0).spider_error(failure, None, spider)
    assert stats.get_value("aggregator/dropped/spider_error") == 1
