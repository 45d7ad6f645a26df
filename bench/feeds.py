"""How many entries of real feeds become posts, and why the others do not.

    .venv/bin/python bench/feeds.py                       # ../shared/feeds: real sites' feeds
    .venv/bin/python bench/feeds.py --kinds real,synthetic-snippet,synthetic,illformed
    .venv/bin/python bench/feeds.py --manifest tests/fixtures/feeds_real/meta.json

Each feed is served on 127.0.0.1 and crawled by its own ``scrapy crawl feed -a fetch=never`` (see
``tests/feed_corpus.py``). Prints, per feed and in total: entries with a title or a link, posts written,
entries lost (true duplicates — a repeated guid — excepted), the ``Dropped … (reason)`` lines by reason,
posts whose title holds markup or entities, wrong dates, and posts with URLs resolved against the feed.
Always exits 0: a figure, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.feed_corpus import FeedResult, crawl_feed, load_manifest
from tests.fixture_server import FixtureServer


def shared_manifest() -> Path:
    """``shared/feeds/manifest.json`` beside the checkout (or beside a folder of worktrees holding it)."""
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "feeds" / "manifest.json"
        if candidate.is_file():
            return candidate
    return Path("../shared/feeds/manifest.json")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--manifest", type=Path, default=shared_manifest())
    parser.add_argument("--kinds", default="real", help="comma list of manifest kinds (default: real)")
    parser.add_argument("--jobs", type=int, default=2, help="crawls at once (default 2)")
    parser.add_argument("--problems", type=int, default=3, help="differences shown per feed")
    parser.add_argument("--only", default="", help="only feeds whose file name contains this")
    args = parser.parse_args()
    if not args.manifest.is_file():
        print(f"no manifest at {args.manifest}: nothing to measure")
        return 0
    feeds = [f for f in load_manifest(args.manifest, set(args.kinds.split(","))) if args.only in f.name]
    server = FixtureServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
            outputs = [Path(tmp) / str(n) for n in range(len(feeds))]
            results = list(
                pool.map(lambda pair: crawl_feed(pair[0], server, pair[1]), zip(feeds, outputs, strict=True))
            )
    finally:
        server.stop()
    report(results, args.problems)
    return 0


def report(results: list[FeedResult], problems: int) -> None:
    total: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    print(f"{'feed':60} {'entries':>7} {'posts':>6} {'lost':>5} {'dup':>4}  dropped")
    for result in results:
        name = result.feed.name[-60:]
        dropped = ", ".join(f"{reason} {count}" for reason, count in sorted(result.dropped.items()))
        print(
            f"{name:60} {result.entries:7} {result.posts:6} {result.lost:5} {result.duplicates:4}  {dropped}"
        )
        if result.returncode:
            print(f"    exit status {result.returncode}")
        for problem in result.problems[:problems]:
            print(f"    {problem[:150]}")
        total.update(
            entries=result.entries,
            posts=result.posts,
            lost=result.lost,
            duplicates=result.duplicates,
            markup_titles=result.markup_titles,
            wrong_dates=result.wrong_dates,
            feed_relative_urls=result.feed_relative_urls,
            failed_runs=int(result.returncode != 0),
            problems=len(result.problems),
        )
        reasons.update(result.dropped)
    print()
    print(
        f"feeds {len(results)}: entries {total['entries']}, posts {total['posts']}, lost {total['lost']} "
        f"(true duplicates {total['duplicates']} not counted as lost)"
    )
    print("dropped by reason: " + (", ".join(f"{r} {n}" for r, n in reasons.most_common()) or "none"))
    print(
        f"markup titles {total['markup_titles']}, wrong dates {total['wrong_dates']}, "
        f"posts with feed-relative URLs {total['feed_relative_urls']}, runs exiting non-zero "
        f"{total['failed_runs']}, differences {total['problems']}"
    )


if __name__ == "__main__":
    sys.exit(main())
