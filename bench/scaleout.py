"""Scale-out: the same full-text feed site crawled by one worker, then by two workers at once, each run on
one local ``redis-server`` (``REDIS_URL``), side by side in one run.

Each worker extracts in its own thread (``EXTRACTION_PROCESSES=0``), so one worker is held to one core by the
GIL and a second one is what brings the second core: the speed-up measured is the distributed mode's.
Workers close once the shared queue is empty and nobody was busy for ``REDIS_IDLE_CLOSE_SECONDS`` (1 s here;
that tail is in both wall times). Every article must be exported exactly once: the posts on disk, the workers'
``exported/new`` counts and their "Wrote post … for URL" lines are checked against the site's article list.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bench.feed_site import FeedSite
from bench.processes import PYTHON, REPO, Process, Server, load, ok, start_process, wait_process

TARGET_SPEEDUP = 1.6
FEEDS = 10
_WROTE = re.compile(r"Wrote post \S+ for (\S+)")


def workers_run(
    workdir: Path, site: FeedSite, redis_url: str, workers: int
) -> tuple[float, list[Process], Path]:
    server = Server(
        ["--kind", "feed", "--articles", str(site.articles), "--feeds", str(site.feeds), "--prerender"]
    )
    output = workdir / f"scaleout-{workers}"
    urls = ",".join(server.base + path for path in site.feed_paths())
    settings = {
        "OUTPUT_DIR": str(output),
        "LOG_LEVEL": "INFO",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": "16",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "EXTRACTION_PROCESSES": "0",
        "REDIS_URL": redis_url,
        "REDIS_KEY_PREFIX": f"bench-{workers}",
        "REDIS_IDLE_CLOSE_SECONDS": "1",
        "REDIS_POLL_SECONDS": "0.2",
        "REDIS_WORKER_TIMEOUT": "10",
    }
    command = [PYTHON, "-m", "scrapy", "crawl", "feed", "-a", f"url={urls}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    try:
        logs = [workdir / f"scaleout-{workers}-worker{n}.log" for n in range(workers)]
        started = [start_process(command, REPO, log) for log in logs]
        processes = [
            wait_process(child, begun, log) for (child, begun), log in zip(started, logs, strict=True)
        ]
        wall = max(begun + p.wall for (_, begun), p in zip(started, processes, strict=True)) - min(
            begun for _, begun in started
        )
    finally:
        server.stop()
    return wall, processes, output


def run(workdir: Path, articles: int) -> list[str]:
    from tests.redis_server import RedisServer, redis_server_binary

    binary = redis_server_binary()
    if binary is None:
        return ["## Scale-out", "", "redis-server is not installed (make system-deps): not measured", ""]
    site = FeedSite(articles, feeds=FEEDS)
    server = RedisServer(binary, workdir / "redis").start()
    lines = [
        f"## Scale-out ({articles:,} full-text feed articles, workers on one Redis, extraction in a thread)",
        "",
        "| workers | wall s | articles/s | speed-up | exported by each | CPU s each | peak RSS MB each "
        "| every article once |",
        "|---|---|---|---|---|---|---|---|",
    ]
    try:
        rates: dict[int, float] = {}
        exact: dict[int, bool] = {}
        for workers in (1, 2):
            print(f"  scale-out, {workers} worker(s) ({load()})", flush=True)
            wall, processes, output = workers_run(workdir, site, server.url, workers)
            wrote = Counter(url for p in processes for url in _WROTE.findall(p.log))
            each = [len(_WROTE.findall(p.log)) for p in processes]
            posts = len(list(output.glob("*.md")))
            urls = {url.rsplit("/", 1)[-1] for url in wrote}
            expected = {site.page_path(i).rsplit("/", 1)[-1] for i in range(site.articles)}
            exact[workers] = (
                all(p.returncode == 0 for p in processes)
                and posts == site.articles
                and sum(wrote.values()) == site.articles
                and max(wrote.values(), default=0) == 1
                and urls == expected
            )
            rates[workers] = sum(each) / wall
            lines.append(
                f"| {workers} | {wall:.1f} | {rates[workers]:.1f} | {rates[workers] / rates[1]:.2f}× "
                f"| {' / '.join(map(str, each))} | {' / '.join(f'{p.cpu:.1f}' for p in processes)} "
                f"| {' / '.join(f'{p.peak_rss_mb:.0f}' for p in processes)} "
                f"| {'yes' if exact[workers] else 'NO'} ({posts} posts) |"
            )
        speedup = rates[2] / rates[1]
        lines += [
            "",
            f"Target: two workers ≥ {TARGET_SPEEDUP}× one worker's articles/s, nothing exported twice: "
            f"{ok(speedup >= TARGET_SPEEDUP and exact[1] and exact[2])} ({speedup:.2f}×, "
            f"exactly once: {'yes' if exact[1] and exact[2] else 'NO'})",
            "",
        ]
    finally:
        server.stop()
    return lines
