"""Running it for real: ``aggregator crawl`` / ``list`` / ``schedule`` and resumable crawls (JOBDIR)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import frontmatter

from tests.crawling import FIXTURES, REPO, crawl
from tests.fixture_server import FixtureServer

FEEDS = FIXTURES / "feed"
PAGE = (FEEDS / "page_c919.html").read_text(encoding="utf-8")


def serve_site(server: FixtureServer, articles: int, delay: float = 0.0) -> str:
    """A summary-only feed of ``articles`` entries, each page built from the real-style fixture page."""
    items = []
    for number in range(articles):
        path = f"/news/{number}.html"
        title = f"第{number}号新闻：国产大飞机完成第{1000 + number}次商业飞行"
        page = PAGE.replace("国产大飞机C919完成第1000次商业飞行", title).replace(
            "十万人次", f"{number}万人次"
        )
        server.add(path, page, delay=delay)
        items.append(
            f"<item><title>{title}</title><link>{server.url(path)}</link><description>摘要……</description>"
            f"<pubDate>Fri, 01 Mar 2024 02:{number % 60:02d}:00 GMT</pubDate></item>"
        )
    channel = f"<channel><title>测试站</title>{''.join(items)}</channel>"
    rss = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'
    return server.add("/feed.xml", rss, content_type="application/rss+xml; charset=utf-8")


def aggregator(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")},
    )


def test_crawl_everything_with_summary_and_exit_status(server: FixtureServer, tmp_path: Path) -> None:
    feed = serve_site(server, 3)
    atom = server.add("/atom.xml", (FEEDS / "atom.xml").read_bytes(), content_type="application/atom+xml")
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(
        f"subscriptions:\n  - name: site\n    feed: {feed}\n    categories: [新媒体, 测试]\n"
        f"  - name: weekly\n    feed: {atom}\n    author: 编辑部\n"
        f"  - name: gone\n    feed: {server.url('/gone.xml')}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = aggregator("crawl", "--subscriptions", str(subscriptions), "-s", f"OUTPUT_DIR={out}")
    assert result.returncode == 1, result.stderr[-3000:]  # "gone" failed outright
    table = result.stdout.splitlines()
    assert table[0].split() == ["subscription", "fetched", "exported", "updated", "unchanged", "dropped",
                                "errors", "time", "status"]  # fmt: skip
    rows = {line.split()[0]: line.split() for line in table[1:] if line and not line.startswith(" ")}
    assert rows["site"][1:5] == ["4", "3", "0", "0"] and rows["site"][-1] == "ok"
    assert rows["weekly"][1:5] == ["1", "2", "0", "0"] and rows["weekly"][-1] == "ok"
    assert rows["gone"][-1] == "lists" and "FAILED" in " ".join(
        rows["gone"]
    )  # "FAILED: errors, and no article…"
    assert rows["TOTAL"][2] == "5" and rows["TOTAL"][-2:] == ["1", "failed"]
    posts = [frontmatter.load(p) for p in out.glob("*.md")]
    assert len(posts) == 5
    assert {post["author"] for post in posts if "weekly" in post["link"]} == {"编辑部"}
    assert {tuple(post["categories"]) for post in posts if "/news/" in post["link"]} == {("新媒体", "测试")}

    listing = aggregator("list", "--subscriptions", str(subscriptions), "-s", f"OUTPUT_DIR={out}")
    lines = {line.split()[0]: line for line in listing.stdout.splitlines()[1:]}
    assert " ok " in lines["site"] and "failed: errors" in lines["gone"]

    again = aggregator("crawl", "--subscriptions", str(subscriptions), "--only", "site", "weekly",
                       "-s", f"OUTPUT_DIR={out}")  # fmt: skip
    assert again.returncode == 0, again.stderr[-3000:]
    rows = {line.split()[0]: line.split() for line in again.stdout.splitlines()[1:] if line.strip()}
    assert rows["site"][2:5] == ["0", "0", "3"] and rows["weekly"][2:5] == ["0", "0", "2"]


def test_bad_subscriptions_fail_before_crawling(tmp_path: Path) -> None:
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(
        "subscriptions:\n  - feed: https://a.example/rss\n    limt: 3\n", encoding="utf-8"
    )
    result = aggregator("crawl", "--subscriptions", str(subscriptions))
    assert result.returncode == 2
    assert f"{subscriptions}:3: unknown key 'limt'" in result.stderr
    assert "Spider opened" not in result.stderr


def test_scheduler_runs_on_time_never_overlaps_and_stops_cleanly(
    server: FixtureServer, tmp_path: Path
) -> None:
    fast = serve_site(server, 2)
    slow_page = server.add("/slow/page.html", PAGE, delay=4)
    slow_feed = server.add(
        "/slow.xml",
        f'<rss version="2.0"><channel><title>慢</title><item><title>慢新闻</title><link>{slow_page}</link>'
        "<description>摘要……</description></item></channel></rss>",
        content_type="application/rss+xml",
    )
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(
        f'subscriptions:\n  - name: fast\n    feed: {fast}\n    schedule: "*/3 * * * * *"\n'
        f'  - name: slow\n    feed: {slow_feed}\n    schedule: "* * * * * *"\n'
        f'  - name: broken\n    feed: {server.url("/missing.xml")}\n    schedule: "*/3 * * * * *"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    log_path = tmp_path / "schedule.log"
    with log_path.open("w") as log:
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "aggregator", "schedule", "--subscriptions", str(subscriptions),
             "-s", f"OUTPUT_DIR={out}", "-s", "LOG_LEVEL=INFO"],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = log_path.read_text()
            if text.count("Crawl of fast finished") >= 2 and "Starting crawl of slow" in text:
                break
            time.sleep(0.5)
        scheduler.send_signal(signal.SIGTERM)
        code = scheduler.wait(timeout=60)
    text = log_path.read_text()
    assert code == 0, text[-3000:]
    assert text.count("Crawl of fast finished") >= 2
    assert "Crawl of broken FAILED (exit status 1)" in text  # a failing crawl does not stop the scheduler
    assert "Skipped a run of slow: the previous crawl is still running" in text
    assert text.rindex("Crawl of slow finished") < text.rindex(
        "Scheduler stopped"
    )  # waited for the crawl in flight
    links = [frontmatter.load(p)["link"] for p in out.glob("*.md")]
    assert sorted(links) == sorted({*links}) and len(links) == 3  # each article once, over all the ticks


def test_interrupted_crawl_resumes_from_jobdir(server: FixtureServer, tmp_path: Path) -> None:
    feed = serve_site(server, 12, delay=0.4)
    out, jobdir = tmp_path / "out", tmp_path / "job"
    settings = ["-s", f"OUTPUT_DIR={out}", "-s", f"JOBDIR={jobdir}", "-s", "CONCURRENT_REQUESTS=1",
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]  # fmt: skip
    first = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "feed", "-a", f"url={feed}", *settings],
        cwd=REPO, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(list(out.glob("*.md"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    first.send_signal(signal.SIGINT)
    first_log = first.communicate(timeout=60)[1]
    done_first = len(list(out.glob("*.md")))
    assert 3 <= done_first < 12, first_log[-3000:]
    assert "Summary of feed:" in first_log  # a clean shutdown still summarises

    second = crawl("feed", out, f"url={feed}", settings={"JOBDIR": str(jobdir), "CONCURRENT_REQUESTS": "1"})
    assert "Resuming crawl" in second.log
    links = [post["link"] for post in second.posts().values()]
    assert len(links) == 12 and len(set(links)) == 12
    assert f"exported {12 - done_first} new" in second.log


def test_scrapy_crawl_exit_status_on_the_command_line(server: FixtureServer, tmp_path: Path) -> None:
    """The command line itself (the other crawl tests run in-process): 1 when a spider cannot start or the
    crawl fails outright, with the reason; 0 when it ran."""
    nowhere = "url=http://127.0.0.1:9/feed.xml"  # port 9 (discard): nothing listens there
    refused = crawl("feed", tmp_path / "a", nowhere, "fetch=sometimes", process=True)
    assert refused.returncode == 1 and "fetch must be one of" in refused.log
    unreachable = crawl("feed", tmp_path / "b", nowhere, process=True)
    assert unreachable.returncode == 1 and "Crawl of feed failed" in unreachable.log
    feed = serve_site(server, 2)
    ran = crawl("feed", tmp_path / "c", f"url={feed}", process=True)
    assert ran.returncode == 0 and len(ran.posts()) == 2, ran.log[-3000:]
