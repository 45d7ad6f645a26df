"""Faults: a site that fails, a crawl that is killed, an output folder that refuses posts.

Each test runs real ``scrapy crawl`` processes against the loopback fixture server. The crawls run on the
shipped settings (``aggregator/settings.py``): the output guard, the ``crawl`` command that exits non-zero
on failure and ``Retry-After`` back-off are tested as the project ships them, and a test below fails if one
of them is switched off there.
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import frontmatter
import pytest

from tests.crawling import FIXTURES, CrawlResult, crawl, start_crawl
from tests.fixture_server import Answer, FixtureServer
from tests.shipped import shipped_settings

PAGE = (FIXTURES / "feed" / "page_c919.html").read_text(encoding="utf-8")
PAGE_SENTENCE = "东航方面表示，C919在运营期间保持了良好的安全记录"
TEASER = "摘要：国产大飞机的最新消息……"


def test_the_shipped_settings_enable_what_these_tests_rely_on() -> None:
    """These crawls run on the project's own settings: each component they exercise must be switched on
    there, or deleting it from aggregator/settings.py would go unnoticed."""
    settings = shipped_settings()
    assert settings.getdict("EXTENSIONS").get("aggregator.export.guard.OutputGuard") is not None
    assert settings.getbool("OUTPUT_GUARD_ENABLED")
    assert settings.getdict("EXTENSIONS").get("aggregator.run.summary.RunSummary") is not None
    assert settings.getbool("RUN_SUMMARY_ENABLED")
    retry_after = "aggregator.web.backoff.RetryAfterMiddleware"
    assert settings.getdict("DOWNLOADER_MIDDLEWARES").get(retry_after) is not None
    assert settings.getbool("RETRY_ENABLED") and 429 in settings.getlist("RETRY_HTTP_CODES")
    assert settings["COMMANDS_MODULE"] == "aggregator.run.commands"
    assert settings.getdict("ITEM_PIPELINES").get("pipelines.hexo.HexoExportPipeline") is not None
    assert settings.getint("OUTPUT_WRITE_FAILURES_MAX") >= 1


def page(number: int) -> str:
    title = f"第{number}号新闻：国产大飞机完成第{1000 + number}次商业飞行"
    return PAGE.replace("国产大飞机C919完成第1000次商业飞行", title)


def rss(server: FixtureServer, links: list[str], title: str = "测试站") -> str:
    """A summary-only feed of these links (teaser descriptions: the page is where the article is)."""
    items = "".join(
        f"<item><title>第{number}号新闻</title><link>{link}</link><description>{TEASER}</description>"
        f"<pubDate>Fri, 01 Mar 2024 02:{number % 60:02d}:00 GMT</pubDate></item>"
        for number, link in enumerate(links)
    )
    channel = f"<channel><title>{title}</title>{items}</channel>"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'


def add_feed(server: FixtureServer, path: str, links: list[str]) -> str:
    return server.add(path, rss(server, links), content_type="application/rss+xml; charset=utf-8")


def warnings_about(result: CrawlResult, url: str) -> list[str]:
    """Lines at WARNING or above that name ``url``: what an operator reads about this item."""
    return [line for line in result.lines(url) if re.search(r"\] (WARNING|ERROR|CRITICAL): ", line)]


def test_server_faults_cost_one_line_each_and_the_run_goes_on(server: FixtureServer, tmp_path: Path) -> None:
    comment = "<p>" + "评论区填充文字。" * 42 + "</p>"
    big = page(6).replace("</body>", f"<div class='comments'>{comment * 10_500}</div></body>")
    assert len(big.encode()) > 10_000_000
    pages = {
        "ok": server.add("/ok.html", page(0)),
        "500": server.add_sequence(
            "/flaky.html", [Answer(b"oops", 500), Answer(b"oops", 500), Answer(page(1).encode(), 200)]
        ),
        "429": server.add_sequence(
            "/limited.html",
            [Answer(b"slow down", 429, {"Retry-After": "1"}), Answer(page(2).encode(), 200)],
        ),
        "always500": server.add("/broken.html", "oops", status=500),
        "timeout": server.add("/slow.html", page(3), delay=8),
        "reset": server.add_fault("/reset.html", "reset"),
        "truncated": server.add_fault("/truncated.html", "truncate", page(4)),
        "loop": server.add_redirect("/loop-a.html", "/loop-b.html"),
        "huge": server.add("/huge.html", big),
        "empty": server.add("/empty.html", ""),
    }
    server.add_redirect("/loop-b.html", "/loop-a.html")
    feed = add_feed(server, "/feed.xml", list(pages.values()))
    dead_feed = server.add("/dead.xml", "oops", status=503)
    empty_feed = server.add("/empty.xml", "", content_type="application/rss+xml")
    cut_feed = server.add_fault("/cut.xml", "truncate", rss(server, [server.url("/ok.html")]))

    result = crawl(
        "feed",
        tmp_path / "out",
        f"url={dead_feed},{empty_feed},{cut_feed},{feed}",
        "fetch=always",
        # Parsing pages holds the reactor for a moment: a shorter timeout would fail healthy pages too.
        settings={"DOWNLOAD_TIMEOUT": "2.5", "BACKOFF_MAX_DELAY": "2"},
    )
    assert result.returncode == 0, result.log[-5000:]
    # Every article is there: from its page when the page came through, from the feed's teaser otherwise.
    for name, url in pages.items():
        post = result.post_by_link(url)
        from_page = PAGE_SENTENCE in post.content
        assert from_page == (name in ("ok", "500", "429", "huge")), (name, post.content[:300])
        if not from_page:
            assert TEASER in post.content, name
    # Retried where retrying makes sense, as often as RETRY_TIMES allows, not where it does not.
    assert server.hits("/flaky.html") == 3 and server.hits("/broken.html") == 3
    assert server.hits("/limited.html") == 2 and result.lines("after HTTP 429 (Retry-After)")
    assert server.hits("/slow.html") == 3 and server.hits("/reset.html") == 3
    assert server.hits("/truncated.html") == 3
    assert server.hits("/empty.html") == 1 and server.hits("/huge.html") == 1
    # One line of ours per degraded article, naming it and the cause.
    causes = {
        "always500": "HTTP 500",
        "timeout": "TimeoutError",
        "reset": "ConnectionLost",
        "truncated": "DataLoss",
        "loop": "max redirections",
        "empty": "gave no article",
    }
    for name, cause in causes.items():
        ours = [line for line in warnings_about(result, pages[name]) if "[feed]" in line]
        assert len(ours) == 1 and cause in ours[0], (name, ours, result.lines(pages[name]))
    for name in ("ok", "500", "429", "huge"):
        assert not [line for line in warnings_about(result, pages[name]) if "[feed]" in line], name
    # A feed that cannot be read is one error each, and the others are crawled all the same.
    assert len(result.lines(f"Feed {dead_feed} could not be fetched (HTTP 503)")) == 1
    assert len(result.lines(f"Feed {empty_feed} is unreadable")) == 1
    assert len(result.lines(f"Feed {cut_feed} could not be fetched")) == 1
    assert "Summary of feed:" in result.log


def serve_articles(server: FixtureServer, count: int, delay: float) -> tuple[str, list[str]]:
    """A feed of ``count`` articles whose pages answer slowly: a crawl stays busy exporting for a while."""
    links = [server.add(f"/news/{number}.html", page(number), delay=delay) for number in range(count)]
    return add_feed(server, "/feed.xml", links), links


def assert_sound_posts(output_dir: Path) -> list[str]:
    """Every post parses and is whole (front matter and the closing ``</div>``); return their links."""
    links = []
    for path in sorted(output_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        post = frontmatter.loads(text)
        assert post["link"] and post["title"], path
        assert text.endswith("</div>\n"), f"{path} is cut short"
        links.append(post["link"])
    return links


def wait_for_posts(
    output_dir: Path, count: int, process: subprocess.Popen[bytes], timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while len(list(output_dir.glob("*.md"))) < count:
        assert process.poll() is None, "the crawl ended before it could be interrupted"
        assert time.monotonic() < deadline, f"fewer than {count} posts after {timeout}s"
        time.sleep(0.05)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_interrupted_while_exporting_then_run_again(
    server: FixtureServer, tmp_path: Path, stop: signal.Signals
) -> None:
    feed, links = serve_articles(server, 12, delay=0.3)
    out = tmp_path / "out"
    first = start_crawl(
        "feed",
        out,
        tmp_path / "first.log",
        f"url={feed}",
        "fetch=always",
        settings={"CONCURRENT_REQUESTS": "2"},
    )
    wait_for_posts(out, 3, first.process)
    first.process.send_signal(stop)
    interrupted = first.wait(timeout=60)
    exported_before = assert_sound_posts(out)
    assert 3 <= len(exported_before) < 12
    if stop == signal.SIGINT:
        # A clean shutdown: in-flight pages finish, the summary is logged, and the exit status says "failed".
        assert "Summary of feed:" in interrupted.log and "finished (shutdown)" in interrupted.log
        assert interrupted.lines("Crawl of feed failed: stopped: shutdown")
        assert interrupted.returncode == 1
    else:
        assert interrupted.returncode == -signal.SIGKILL

    again = crawl("feed", out, f"url={feed}", "fetch=always")
    assert again.returncode == 0, again.log[-3000:]
    exported = assert_sound_posts(out)
    assert sorted(exported) == sorted(links)  # every article, each once
    assert not list(out.rglob(".aggregator-tmp-*")), "temporary files left behind"
    assert f"exported {12 - len(exported_before)} new" in again.log or stop == signal.SIGKILL


@contextlib.contextmanager
def tmpfs(mount_point: Path, options: str) -> Iterator[Path]:
    """A small file system at ``mount_point``; the test is skipped where mounting is not allowed."""
    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"NOT TESTED: cannot mount a tmpfs here ({mounted.stderr.strip() or mounted.returncode}); "
            "run the tests as root (or in a container with CAP_SYS_ADMIN) to test a full or read-only disk"
        )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def test_read_only_output_dir_stops_before_crawling(server: FixtureServer, tmp_path: Path) -> None:
    feed, _ = serve_articles(server, 3, delay=0)
    with tmpfs(tmp_path / "readonly", "ro,size=64k") as out:
        result = crawl("feed", out, f"url={feed}")
        assert not list(out.iterdir())
    assert result.returncode != 0
    why = f"Cannot write posts to OUTPUT_DIR {out}: Read-only file system (EROFS); not crawling"
    assert len(result.lines(f"[aggregator.export.guard] ERROR: {why}")) == 1
    assert server.hits("/feed.xml") == 0  # nothing was fetched only to be thrown away


def test_full_disk_stops_the_crawl_without_half_written_posts(server: FixtureServer, tmp_path: Path) -> None:
    # About 40 KB per post: a handful fill the disk.
    filler = "".join(f"<p>第{n}段：" + "国产大飞机的详细报道。" * 60 + "</p>" for n in range(20))
    links = [
        server.add(f"/long/{number}.html", page(number).replace("      <script>", filler + "<script>"))
        for number in range(30)
    ]
    feed = add_feed(server, "/feed.xml", links)
    with tmpfs(tmp_path / "small", "size=256k") as out:
        result = crawl("feed", out, f"url={feed}", "fetch=always", settings={"CONCURRENT_REQUESTS": "2"})
        exported = assert_sound_posts(out)
        leftovers = list(out.rglob(".aggregator-tmp-*"))
    assert result.returncode == 1, result.log[-3000:]
    assert 1 <= len(exported) < len(links)
    assert not leftovers, "a failed write left its temporary file"
    assert result.lines("Stopping the crawl: posts cannot be written to OUTPUT_DIR")
    assert result.lines("No space left on device")
    assert "finished (output_not_writable)" in result.log
    assert result.lines("Crawl of feed failed: stopped: output_not_writable")
