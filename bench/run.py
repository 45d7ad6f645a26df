"""End-to-end benchmark: ``python bench/run.py`` prints figures and marks the targets met or not met.

Three parts, all in one run so that every figure is compared with a ``scrapy bench`` measured beside it:

1. **Site rules** (this module): for each size N a generated ZAKER + CCTV site (``bench/site.py``, rendered
   on request by ``bench/server.py``) crawled with the real ``zaker`` and ``cctv`` spiders into a fresh
   blog, then again unchanged (the incremental re-run), and at the largest size once more with 1% of the
   articles revised, every article re-read (``INCREMENTAL_SKIP_KNOWN=False``): exactly the revised posts
   must be rewritten.
2. **Full-text feeds** (``bench/fulltext.py``): summary-only feeds whose every page goes through the
   generic extractor, in a thread and in a process pool (``EXTRACTION_PROCESSES``).
3. **Scale-out** (``bench/scaleout.py``): the same site crawled by one and by two workers on one Redis.

Exit status 1 only if a crawl failed or did not write what it should; a missed target is a figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import fulltext, scaleout  # noqa: E402
from bench.processes import PYTHON, Process, Server, load, ok, run_process, scrapy_bench  # noqa: E402
from bench.site import Site  # noqa: E402

SKIP_KNOWN = "aggregator.state.incremental.SkipKnownArticles"
TARGET_RATIO = 1.0
TARGET_RATIO_SIZES = (5_000, 25_000)
TARGET_RSS_MB = 150
TARGET_RERUN_SECONDS = 10.0
CHANGED_EVERY = 100
"""1% of the articles revised for the changed re-run."""


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
    def processes(self) -> list[Process]:
        """Each process once: in the default mode both crawls share one."""
        return list({id(crawl.process): crawl.process for crawl in self.crawls}.values())

    @property
    def wall(self) -> float:
        return sum(process.wall for process in self.processes)

    @property
    def peak_rss(self) -> float:
        return max(process.peak_rss_mb for process in self.processes)

    def stat(self, name: str) -> float:
        return sum(crawl.stats.get(name, 0) for crawl in self.crawls)

    @property
    def crawl_seconds(self) -> float:
        """Time spent crawling, start-up excluded: the longest crawl when they ran side by side."""
        elapsed = [crawl.stats.get("elapsed_time_seconds", 0) for crawl in self.crawls]
        return max(elapsed, default=0) if len(self.processes) == 1 else sum(elapsed)

    @property
    def startup_share(self) -> float:
        """The part of the wall time that is not Scrapy's crawl: interpreter, imports, opening, closing."""
        return max(0.0, 1 - self.crawl_seconds / self.wall) if self.wall else 0.0

    def samples(self, stage: str) -> list[float]:
        return [value for crawl in self.crawls for value in crawl.timings.get(stage, [])]


def project_settings() -> Any:
    os.chdir(REPO)
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def timed_settings(extra_middlewares: dict[str, int] | None = None) -> dict[str, str]:
    """The project's pipelines and spider middlewares with the timing components of ``bench/timing.py``."""
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
        "LOG_LEVEL": "INFO",
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "ITEM_PIPELINES": json.dumps(timed),
        "SPIDER_MIDDLEWARES": json.dumps({**middlewares, **(extra_middlewares or {})}),
    }


def crawl_settings(site: Site, base: str, output: Path, concurrency: int) -> dict[str, str]:
    """Politeness off, the site's bases, and the timing components around the project's own pipelines."""
    return {
        **timed_settings(),
        "OUTPUT_DIR": str(output),
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "ZAKER_BASE_URL": f"{base}/zaker",
        "ZAKER_MAX_PAGES": str(max(site.zaker_pages, 1)),
        "CCTV_NEWS_BASE_URL": f"{base}/cctv",
    }


def crawl_commands(site: Site) -> dict[str, list[str]]:
    return {
        "zaker": ["-a", f"channel={','.join(site.zaker_channels)}"],
        "cctv": ["-a", f"category={','.join(site.cctv_categories)}", "-a", f"pages={site.cctv_pages}"],
    }


def read_timings(path: Path, spider: str, process: Process, label: str) -> Crawl:
    if process.returncode != 0 or not path.is_file():
        raise RuntimeError(f"crawl of {spider} failed ({label}):\n{process.log[-3000:]}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return Crawl(spider, process, data["samples_ms"], data["stats"])


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
    return Run(
        [
            read_timings(Path(str(timings).replace("{spider}", spider)), spider, process, label)
            for spider in wanted
        ]
    )


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
    return read_timings(timings_file, spider, process, label)


@dataclass
class Result:
    size: int
    first: Run
    second: Run
    state_mb: float
    posts_mb: float
    changed: Run | None = None
    rewritten: int = 0
    expected: int = 0
    exact: bool = False


def snapshot(output: Path) -> dict[str, tuple[int, int]]:
    """Every post by name: inode and modification time, which a rewrite (write beside, rename) changes."""
    return {entry.name: (entry.stat().st_ino, entry.stat().st_mtime_ns) for entry in output.glob("*.md")}


def folder_mb(path: Path) -> float:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file()) / 1e6


def benchmark(
    size: int,
    concurrency: int,
    workdir: Path,
    profile: bool,
    extra: dict[str, str],
    separate: bool,
    changed: bool,
) -> Result:
    from aggregator.web.urls import url_id

    site, output = Site(size), workdir / f"output-{size}"
    server = Server(site.arguments())
    settings = {**crawl_settings(site, server.base, output, concurrency), **extra}
    try:
        first = crawl_site(site, settings, workdir, f"{size}-first", profile, separate)
        first.server_cpu = server.stop()
        posts = snapshot(output)
        if len(posts) != site.articles:
            raise RuntimeError(f"N={size}: {len(posts)} posts for {site.articles} articles (see {workdir})")
        state_mb = sum(p.stat().st_size for p in (output / ".aggregator").glob("state.sqlite*")) / 1e6
        posts_mb = folder_mb(output) - state_mb
        # Same port: the settings name it. A fresh server so that its CPU time is this run's alone.
        server = Server(site.arguments(), server.port)
        second = crawl_site(site, settings, workdir, f"{size}-second", False, separate)
        second.server_cpu = server.stop()
        result = Result(size, first, second, state_mb, posts_mb)
        if changed:
            revised = Site(size, changed_every=CHANGED_EVERY)
            server = Server(revised.arguments(), server.port)
            reread = {**settings, "INCREMENTAL_SKIP_KNOWN": "False"}
            result.changed = crawl_site(revised, reread, workdir, f"{size}-changed", False, separate)
            result.changed.server_cpu = server.stop()
            after = snapshot(output)
            touched = {name for name, stamp in after.items() if posts.get(name) != stamp}
            expected = {f"{url_id(url)}.md" for url in revised.changed_urls()}
            matched = {name for name in touched if name.rsplit("-", 1)[-1] in expected}
            result.rewritten, result.expected = len(touched), len(expected)
            result.exact = (
                matched == touched and len(matched) == len(expected) and after.keys() == posts.keys()
            )
    finally:
        server.stop()
    return result


def mean_p95(values: list[float]) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{statistics.fmean(values):.1f} / {p95:.1f}"


def report(results: list[Result], bench_pages: float) -> list[str]:
    lines = [
        "| N | first run s | articles/s | vs scrapy bench | peak RSS MB | state DB MB | posts MB "
        "| re-run s | re-run start-up | re-run pages | parse / extraction / export ms mean | server CPU s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        first, second = result.first, result.second
        rate = first.stat("aggregator/exported/new") / first.wall
        stages = " / ".join(
            f"{statistics.fmean(first.samples(stage)):.1f}" if first.samples(stage) else "–"
            for stage in ("parse", "extraction", "export")
        )
        lines.append(
            f"| {result.size:,} | {first.wall:.1f} | {rate:.1f} | {rate / bench_pages:.0%} "
            f"| {max(first.peak_rss, second.peak_rss):.0f} | {result.state_mb:.1f} | {result.posts_mb:.0f} "
            f"| {second.wall:.1f} | {second.startup_share:.0%} "
            f"| {second.stat('downloader/response_count'):.0f} | {stages} | {first.server_cpu:.1f} |"
        )
    for result in results:
        if result.changed is None:
            continue
        changed = result.changed
        lines.append(
            f"| {result.size:,}, 1% changed, all re-read | | "
            f"{changed.stat('downloader/response_count') / changed.wall:.1f} pages/s | | "
            f"{changed.peak_rss:.0f} | | | {changed.wall:.1f} | {changed.startup_share:.0%} "
            f"| {changed.stat('downloader/response_count'):.0f} | rewritten {result.rewritten} "
            f"of {result.expected} changed | {changed.server_cpu:.1f} |"
        )
    lines.append("")
    for result in results:
        first, second = result.first, result.second
        rate = first.stat("aggregator/exported/new") / first.wall
        lines.append(
            f"N={result.size:,}: crawl CPU {sum(p.cpu for p in first.processes):.1f} s "
            f"({sum(p.cpu for p in first.processes) * 1000 / result.size:.2f} ms per article), re-run CPU "
            f"{sum(p.cpu for p in second.processes):.1f} s; "
            f"first crawl without start-up {first.crawl_seconds:.1f} s; re-run: unchanged "
            f"{second.stat('aggregator/unchanged'):.0f}, written "
            f"{second.stat('aggregator/exported/new') + second.stat('aggregator/exported/updated'):.0f}; "
            f"parse / extraction / export ms mean/p95 {mean_p95(first.samples('parse'))}, "
            f"{mean_p95(first.samples('extraction'))}, {mean_p95(first.samples('export'))}"
        )
    lines.append("")
    lines.append("Targets (site rules):")
    for result in results:
        first, second = result.first, result.second
        ratio = first.stat("aggregator/exported/new") / first.wall / bench_pages
        if result.size in TARGET_RATIO_SIZES:
            lines.append(
                f"- N={result.size:,}: articles/s ≥ {TARGET_RATIO:.0%} of scrapy bench: {ok(ratio >= 1)}"
            )
        if result.size == max(TARGET_RATIO_SIZES):
            rss = max(first.peak_rss, second.peak_rss)
            lines.append(f"- N={result.size:,}: peak RSS < {TARGET_RSS_MB} MB: {ok(rss < TARGET_RSS_MB)}")
            lines.append(
                f"- N={result.size:,}: unchanged re-run < {TARGET_RERUN_SECONDS:.0f} s: "
                f"{ok(second.wall < TARGET_RERUN_SECONDS)} ({second.wall:.1f} s)"
            )
        if result.changed is not None:
            lines.append(
                f"- N={result.size:,}, 1% changed: exactly the changed posts rewritten: {ok(result.exact)} "
                f"({result.rewritten} rewritten, {result.expected} changed)"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,25000", help="articles per site, comma list")
    parser.add_argument(
        "--changed", type=int, default=None, help="size of the 1%%-changed re-run (default: the largest)"
    )
    parser.add_argument("--fulltext", type=int, default=1000, help="full-text feed articles (0: skip)")
    parser.add_argument("--scaleout", type=int, default=1000, help="scale-out feed articles (0: skip)")
    parser.add_argument("--concurrency", type=int, default=16, help="CONCURRENT_REQUESTS (and per domain)")
    parser.add_argument("--keep", action="store_true", help="keep the posts and logs; print where")
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one more Scrapy setting for every site-rule crawl, e.g. -s INCREMENTAL_SKIP_KNOWN=False",
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
    changed_size = arguments.changed if arguments.changed is not None else max(sizes, default=0)
    workdir = Path(tempfile.mkdtemp(prefix="aggregator-bench-"))
    lines: list[str] = []
    try:
        started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        print(f"{started}, {load()}", flush=True)
        bench_pages = scrapy_bench(workdir)
        print(f"scrapy bench: {bench_pages:.1f} pages/s ({load()})", flush=True)
        results = []
        extra = dict(setting.split("=", 1) for setting in arguments.set)
        for size in sizes:
            print(f"N={size:,}: crawling, re-crawling … ({load()})", flush=True)
            results.append(
                benchmark(
                    size,
                    arguments.concurrency,
                    workdir,
                    arguments.profile,
                    extra,
                    arguments.separate,
                    size == changed_size,
                )
            )
        lines += [f"{started}; scrapy bench (same machine, same run): {bench_pages:.1f} pages/s", ""]
        lines += ["## Site rules (ZAKER + CCTV)", "", *report(results, bench_pages), ""]
        if arguments.fulltext:
            print(f"full-text feeds: {arguments.fulltext} articles … ({load()})", flush=True)
            lines += fulltext.run(workdir, arguments.fulltext, bench_pages)
        if arguments.scaleout:
            print(f"scale-out: {arguments.scaleout} articles, 1 and 2 workers … ({load()})", flush=True)
            lines += scaleout.run(workdir, arguments.scaleout)
        lines.append(f"finished {time.strftime('%H:%M UTC', time.gmtime())}, {load()}")
        print()
        print("\n".join(lines))
    except RuntimeError as error:
        print("\n".join(lines))
        print(f"benchmark failed: {error}", file=sys.stderr)
        arguments.keep = True
        return 1
    finally:
        if arguments.keep:
            print(f"\nposts, logs and timings kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
