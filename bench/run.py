"""End-to-end benchmark: ``python bench/run.py [--sizes 1000,5000]`` prints figures; it asserts no speed.

For each size N it generates a local ZAKER + CCTV site of N articles (``bench/site.py``), serves it on
127.0.0.1 (``bench/server.py``), crawls it with the real ``scrapy crawl zaker`` and ``scrapy crawl cctv``
(one after the other, politeness off) into a fresh blog, then crawls it again unchanged. ``scrapy bench``
runs on the same machine in the same run, as the yardstick. Printed: articles/s and pages/s (wall clock,
process start-up included), mean and p95 milliseconds per article in parsing, extraction and export
(``bench/timing.py``), the peak RSS of each crawl process, the re-run's time, and the targets:
articles/s ≥ 50% of ``scrapy bench``'s pages/s, peak RSS < 300 MB and flat in N, re-run ≥ 10× faster.

Exit status 1 only if a crawl failed or did not write every article; missing a target is a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.site import Site, build_site  # noqa: E402

PYTHON = sys.executable
PYCACHE = Path(tempfile.gettempdir()) / "aggregator-bench-pycache"
SKIP_KNOWN = "aggregator.state.incremental.SkipKnownArticles"
TARGET_RATIO = 0.5
TARGET_RSS_MB = 300
TARGET_SPEEDUP = 10


@dataclass
class Process:
    """One finished subprocess: wall time, CPU time and peak resident memory (its own, from ``wait4``)."""

    returncode: int
    wall: float
    cpu: float
    peak_rss_mb: float
    log: str = ""


@dataclass
class Crawl:
    spider: str
    process: Process
    timings: dict[str, list[float]] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)


@dataclass
class Run:
    """Both spiders' crawls of one pass over the site."""

    crawls: list[Crawl]
    server_cpu: float = 0.0

    @property
    def wall(self) -> float:
        return sum(process.wall for process in self.processes)

    @property
    def processes(self) -> list[Process]:
        """Each process once: in the default mode both crawls share one."""
        return list({id(crawl.process): crawl.process for crawl in self.crawls}.values())

    def stat(self, name: str) -> float:
        return sum(crawl.stats.get(name, 0) for crawl in self.crawls)

    @property
    def crawl_seconds(self) -> float:
        """Time spent crawling, start-up excluded: the longest crawl when they ran side by side."""
        elapsed = [crawl.stats.get("elapsed_time_seconds", 0) for crawl in self.crawls]
        return max(elapsed, default=0) if len(self.processes) == 1 else sum(elapsed)

    def samples(self, stage: str) -> list[float]:
        return [value for crawl in self.crawls for value in crawl.timings.get(stage, [])]


def run_process(command: list[str], cwd: Path, log_path: Path, timeout: float = 900) -> Process:
    """Run ``command``; its resource use is read with ``wait4`` so that it is this child's alone."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    # Start-up as installed software starts: with bytecode caches (kept out of the source tree), even where
    # the environment turns them off (PYTHONDONTWRITEBYTECODE), else every crawl recompiles our modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    with log_path.open("wb") as log:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return Process(
        returncode=child.returncode,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        log=log_path.read_text(encoding="utf-8", errors="replace"),
    )


def scrapy_bench(workdir: Path) -> tuple[float, Process]:
    """``scrapy bench``'s pages/s, run outside the project so that it uses Scrapy's own defaults."""
    folder = workdir / "scrapy-bench"
    folder.mkdir()
    process = run_process([PYTHON, "-m", "scrapy", "bench"], folder, workdir / "scrapy-bench.log")
    pages = re.search(r"'response_received_count': (\d+)", process.log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", process.log)
    if process.returncode != 0 or not pages or not elapsed:
        raise RuntimeError(f"scrapy bench failed:\n{process.log[-3000:]}")
    return int(pages.group(1)) / float(elapsed.group(1)), process


def project_settings() -> Any:
    os.chdir(REPO)
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def crawl_settings(site: Site, base: str, output: Path, concurrency: int) -> dict[str, str]:
    """Politeness off, the site's bases, and the timing components around the project's own pipelines."""
    settings = project_settings()
    pipelines = settings.getdict("ITEM_PIPELINES")
    priority = {path.rsplit(".", 1)[1]: value for path, value in pipelines.items()}
    timed = {
        **pipelines,
        "bench.timing.ExtractionStarts": priority["CleanPipeline"] - 1,
        "bench.timing.ExtractionEnds": priority["ExtractPipeline"] + 1,
        "bench.timing.ExportStarts": priority["HexoExportPipeline"] - 1,
        "bench.timing.ExportEnds": priority["HexoExportPipeline"] + 1,
    }
    middlewares = settings.getdict("SPIDER_MIDDLEWARES")
    if SKIP_KNOWN not in middlewares:
        print(f"note: {SKIP_KNOWN} is not in the project's SPIDER_MIDDLEWARES; the benchmark enables it")
        middlewares[SKIP_KNOWN] = 950
    middlewares["bench.timing.ParseTimer"] = 990
    return {
        "OUTPUT_DIR": str(output),
        "LOG_LEVEL": "INFO",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "ZAKER_BASE_URL": f"{base}/zaker",
        "ZAKER_MAX_PAGES": str(max(site.zaker_pages, 1)),
        "CCTV_NEWS_BASE_URL": f"{base}/cctv",
        "ITEM_PIPELINES": json.dumps(timed),
        "SPIDER_MIDDLEWARES": json.dumps(middlewares),
    }


def crawl_commands(site: Site) -> dict[str, list[str]]:
    return {
        "zaker": ["-a", f"channel={','.join(site.zaker_channels)}"],
        "cctv": ["-a", f"category={','.join(site.cctv_categories)}", "-a", f"pages={site.cctv_pages}"],
    }


def crawl_site(
    site: Site, settings: dict[str, str], workdir: Path, label: str, profile: bool, separate: bool
) -> Run:
    """One pass over the site: both spiders in one process (as ``aggregator crawl`` runs a schedule's
    subscriptions), or with ``separate`` one ``scrapy crawl`` process each."""
    wanted = {spider: args for spider, args in crawl_commands(site).items() if args[1].split("=", 1)[1]}
    if separate or profile:
        return Run(
            [crawl_alone(spider, args, settings, workdir, label, profile) for spider, args in wanted.items()]
        )
    timings = workdir / f"{label}-{{spider}}-timings.json"
    spec = [[spider, dict(arg.split("=", 1) for arg in args[1::2])] for spider, args in wanted.items()]
    command = [PYTHON, str(REPO / "bench" / "together.py"), json.dumps(spec)]
    for name, value in {**settings, "BENCH_TIMINGS_FILE": str(timings)}.items():
        command += ["-s", f"{name}={value}"]
    process = run_process(command, REPO, workdir / f"{label}-together.log")
    crawls = []
    for spider in wanted:
        timings_file = Path(str(timings).replace("{spider}", spider))
        if process.returncode != 0 or not timings_file.is_file():
            raise RuntimeError(f"crawl of {spider} failed ({label}):\n{process.log[-3000:]}")
        data = json.loads(timings_file.read_text(encoding="utf-8"))
        crawls.append(Crawl(spider, process, data["samples_ms"], data["stats"]))
    return Run(crawls)


def crawl_alone(
    spider: str, arguments: list[str], settings: dict[str, str], workdir: Path, label: str, profile: bool
) -> Crawl:
    timings_file = workdir / f"{label}-{spider}-timings.json"
    command = [PYTHON, "-m", "scrapy", "crawl", spider, *arguments]
    if profile:
        report = workdir / f"{label}-{spider}-profile.txt"
        command = [PYTHON, "-m", "pyinstrument", "-r", "text", "-o", str(report), "-m", *command[2:]]
    for name, value in {**settings, "BENCH_TIMINGS_FILE": str(timings_file)}.items():
        command += ["-s", f"{name}={value}"]
    process = run_process(command, REPO, workdir / f"{label}-{spider}.log")
    if process.returncode != 0 or not timings_file.is_file():
        raise RuntimeError(f"scrapy crawl {spider} failed ({label}):\n{process.log[-3000:]}")
    data = json.loads(timings_file.read_text(encoding="utf-8"))
    return Crawl(spider, process, data["samples_ms"], data["stats"])


def start_server(root: Path, port: int = 0) -> tuple[subprocess.Popen[str], str]:
    """The site's server, on ``port`` or (0) any free one; and its base URL."""
    server = subprocess.Popen(
        [PYTHON, str(REPO / "bench" / "server.py"), str(root), "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    match = re.match(r"listening on (\d+)", line)
    if not match:
        server.kill()
        raise RuntimeError(f"the benchmark server did not start: {line!r}")
    return server, f"http://127.0.0.1:{match.group(1)}"


def stop_server(server: subprocess.Popen[str]) -> float:
    """Stop the server; its CPU seconds, to show it was not the bottleneck."""
    server.terminate()
    _, _, usage = os.wait4(server.pid, 0)
    server.returncode = 0
    return usage.ru_utime + usage.ru_stime


@dataclass
class Result:
    size: int
    site: Site
    first: Run
    second: Run
    generated_in: float


def benchmark(
    size: int, concurrency: int, workdir: Path, profile: bool, extra: dict[str, str], separate: bool
) -> Result:
    root, output = workdir / f"site-{size}", workdir / f"output-{size}"
    started = time.perf_counter()
    site = build_site(root, size)
    generated_in = time.perf_counter() - started
    server, base = start_server(root)
    try:
        settings = {**crawl_settings(site, base, output, concurrency), **extra}
        first = crawl_site(site, settings, workdir, f"{size}-first", profile, separate)
        first.server_cpu = stop_server(server)
        posts = sum(1 for _ in output.rglob("*.md"))
        if posts != site.articles:
            raise RuntimeError(
                f"N={size}: {posts} posts written for {site.articles} articles (see {workdir})"
            )
        # Same port: the settings name it. A fresh server so that its CPU time is the first run's alone.
        server, base = start_server(root, int(base.rsplit(":", 1)[1]))
        second = crawl_site(site, settings, workdir, f"{size}-second", False, separate)
        second.server_cpu = stop_server(server)
    finally:
        if server.returncode is None:
            stop_server(server)
    return Result(size, site, first, second, generated_in)


def mean_p95(values: list[float]) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{statistics.fmean(values):.1f} / {p95:.1f}"


def report(results: list[Result], bench_pages: float) -> list[str]:
    lines = [
        f"scrapy bench (same machine, same run): {bench_pages:.1f} pages/s",
        "",
        "| N | pages | first run s | articles/s | pages/s | vs scrapy bench | parse ms mean/p95 "
        "| extraction ms mean/p95 | export ms mean/p95 | peak RSS MB zaker/cctv | server CPU s "
        "| re-run s | re-run pages | speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        first, second = result.first, result.second
        pages = first.stat("downloader/response_count")
        exported = first.stat("aggregator/exported/new")
        rate = exported / first.wall
        rss = " / ".join(f"{crawl.process.peak_rss_mb:.0f}" for crawl in first.crawls)
        lines.append(
            f"| {result.size} | {pages:.0f} | {first.wall:.1f} | {rate:.1f} | {pages / first.wall:.1f} "
            f"| {rate / bench_pages:.0%} | {mean_p95(first.samples('parse'))} "
            f"| {mean_p95(first.samples('extraction'))} | {mean_p95(first.samples('export'))} | {rss} "
            f"| {first.server_cpu:.1f} | {second.wall:.1f} | {second.stat('downloader/response_count'):.0f} "
            f"| {first.wall / second.wall:.1f}× |"
        )
    lines.append("")
    for result in results:
        first, second = result.first, result.second
        rate = first.stat("aggregator/exported/new") / first.wall
        rss = max(crawl.process.peak_rss_mb for crawl in first.crawls + second.crawls)
        cpu = sum(process.cpu for process in first.processes)
        rewritten = second.stat("aggregator/exported/new") + second.stat("aggregator/exported/updated")
        lines.append(
            f"N={result.size}: site generated in {result.generated_in:.1f} s "
            f"({result.site.bytes_written / 1e6:.0f} MB, {result.site.list_pages} list pages); "
            f"crawl CPU {cpu:.1f} s vs server CPU {first.server_cpu:.1f} s; "
            f"re-run: unchanged {second.stat('aggregator/unchanged'):.0f}, written {rewritten:.0f}"
        )
        crawl_first, crawl_second = first.crawl_seconds, second.crawl_seconds
        lines.append(
            f"  crawl time without start-up (Scrapy's elapsed_time_seconds): first {crawl_first:.1f} s, "
            f"re-run {crawl_second:.2f} s ({crawl_first / max(crawl_second, 1e-3):.0f}× faster)"
        )
        lines.append(
            f"  targets: articles/s ≥ {TARGET_RATIO:.0%} of scrapy bench: "
            f"{_ok(rate >= TARGET_RATIO * bench_pages)}; "
            f"peak RSS < {TARGET_RSS_MB} MB: {_ok(rss < TARGET_RSS_MB)} ({rss:.0f} MB); "
            f"re-run ≥ {TARGET_SPEEDUP}× faster: {_ok(first.wall / second.wall >= TARGET_SPEEDUP)}"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = max(c.process.peak_rss_mb for c in large.first.crawls) - max(
            c.process.peak_rss_mb for c in small.first.crawls
        )
        lines.append(f"peak RSS from N={small.size} to N={large.size}: {growth:+.0f} MB")
    return lines


def _ok(met: bool) -> str:
    return "met" if met else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,5000", help="articles per site, comma list (default 1000,5000)"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="CONCURRENT_REQUESTS (and per domain)")
    parser.add_argument("--keep", action="store_true", help="keep the sites, posts and logs; print where")
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one more Scrapy setting for every crawl, e.g. -s INCREMENTAL_SKIP_KNOWN=False",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the first crawls under pyinstrument (slower figures); text reports beside the logs",
    )
    parser.add_argument(
        "--separate",
        action="store_true",
        help="one `scrapy crawl` process per spider instead of one process for both (as `aggregator crawl`)",
    )
    arguments = parser.parse_args(argv)
    sizes = [int(size) for size in arguments.sizes.split(",") if size.strip()]
    workdir = Path(tempfile.mkdtemp(prefix="aggregator-bench-"))
    try:
        bench_pages, _ = scrapy_bench(workdir)
        print(f"scrapy bench: {bench_pages:.1f} pages/s", flush=True)
        results = []
        for size in sizes:
            print(f"N={size}: generating, crawling, re-crawling …", flush=True)
            extra = dict(setting.split("=", 1) for setting in arguments.set)
            results.append(
                benchmark(size, arguments.concurrency, workdir, arguments.profile, extra, arguments.separate)
            )
        print()
        print("\n".join(report(results, bench_pages)))
    except RuntimeError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        arguments.keep = True
        return 1
    finally:
        if arguments.keep:
            print(f"\nsites, posts, logs and timings kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
