"""The full-text feed path, end to end: summary-only feeds whose every entry's page is fetched, decoded and
run through the generic extractor (``bench/feed_site.py``), then exported.

Crawled twice in the same run: with extraction in a thread of the crawl process (``EXTRACTION_PROCESSES=0``,
one core at most) and in a pool of one worker process per core. Printed: articles/s and their ratio to
``scrapy bench``'s pages/s, the crawl process's peak RSS, and where an article's time goes: fetch (Scrapy's
``download_latency``, request sent to response received), decode and extraction (measured inside the reader,
``aggregator/extraction/*_seconds``), export (the Hexo exporter, ``bench/timing.py``). Fetch is waiting, the
other three are CPU; the shares are of their sum per article.
"""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

from bench.feed_site import FeedSite
from bench.processes import PYTHON, REPO, Process, Server, load, ok, run_process

TARGET_RATIO = 0.5
FEEDS = 10


def crawl(workdir: Path, site: FeedSite, processes: int, label: str) -> tuple[Process, dict, float]:
    """One crawl of every feed into a fresh folder: the process, its timings file, the server's CPU."""
    from bench.run import timed_settings  # the same timing components as the site-rule crawls

    server = Server(
        ["--kind", "feed", "--articles", str(site.articles), "--feeds", str(site.feeds), "--prerender"]
    )
    output, timings = workdir / f"fulltext-{label}", workdir / f"fulltext-{label}-timings.json"
    urls = ",".join(server.base + path for path in site.feed_paths())
    settings = {
        **timed_settings(),
        "OUTPUT_DIR": str(output),
        "CONCURRENT_REQUESTS": "16",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
        "EXTRACTION_PROCESSES": str(processes),
        "BENCH_TIMINGS_FILE": str(timings),
    }
    command = [PYTHON, "-m", "scrapy", "crawl", "feed", "-a", f"url={urls}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    try:
        process = run_process(command, REPO, workdir / f"fulltext-{label}.log")
    finally:
        server_cpu = server.stop()
    posts = len(list(output.glob("*.md")))
    if process.returncode != 0 or not timings.is_file() or posts != site.articles:
        raise RuntimeError(
            f"full-text crawl ({label}): {posts} posts of {site.articles}\n{process.log[-3000:]}"
        )
    return process, json.loads(timings.read_text(encoding="utf-8")), server_cpu


def run(workdir: Path, articles: int, bench_pages: float) -> list[str]:
    site = FeedSite(articles, feeds=FEEDS)
    cores = os.cpu_count() or 1
    lines = [
        f"## Full-text feeds ({articles:,} summary-only entries in {FEEDS} feeds, portal pages 5–30 KB)",
        "",
        "| extraction | wall s | articles/s | vs scrapy bench | peak RSS MB | fetch ms | decode ms "
        "| extraction ms | export ms | CPU split decode / extraction / export | crawl process CPU ms "
        "| server CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    best = 0.0
    for processes in (0, cores):
        label = "thread" if processes == 0 else f"{processes} processes"
        print(f"  full-text, extraction in {label} ({load()})", flush=True)
        process, data, server_cpu = crawl(workdir, site, processes, label.replace(" ", "-"))
        stats, samples = data["stats"], data["samples_ms"]
        pages = stats.get("aggregator/extraction/pages", 0) or 1
        rate = stats.get("aggregator/exported/new", 0) / process.wall
        best = max(best, rate)
        fetch = statistics.fmean(samples.get("fetch") or [0])
        decode = stats.get("aggregator/extraction/decode_seconds", 0) * 1000 / pages
        extract = stats.get("aggregator/extraction/extract_seconds", 0) * 1000 / pages
        export = statistics.fmean(samples.get("export") or [0])
        cpu = decode + extract + export
        lines.append(
            f"| {label} | {process.wall:.1f} | {rate:.1f} | {rate / bench_pages:.0%} "
            f"| {process.peak_rss_mb:.0f} "
            f"| {fetch:.1f} | {decode:.1f} | {extract:.1f} | {export:.1f} "
            f"| {decode / cpu:.0%} / {extract / cpu:.0%} / {export / cpu:.0%} "
            f"| {process.cpu * 1000 / articles:.1f} | {server_cpu:.1f} |"
        )
    lines += [
        "",
        f"Target: full-text articles/s ≥ {TARGET_RATIO:.0%} of scrapy bench: "
        f"{ok(best >= TARGET_RATIO * bench_pages)} ({best / bench_pages:.0%})",
        "",
    ]
    return lines
