"""The ``aggregator`` command (also ``python -m aggregator``): run the subscriptions, now or on a schedule.

    aggregator validate                    check the subscriptions file
    aggregator crawl [--only NAME ...]     crawl every subscription now, in one process, then print a summary
    aggregator schedule                    crawl each subscription whenever its cron schedule says, forever
    aggregator list                        the subscriptions, with when each last ran and its figures
    aggregator adopt [DIR]                 make the state know an existing blog's posts (docs/blog.md)
    aggregator import-opml FILE            add an OPML file's feeds to the subscriptions file
    aggregator export-opml                 write the feed subscriptions as OPML

Running one spider by hand stays plain Scrapy: ``scrapy crawl zaker -a channel=13``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from scrapy.settings import Settings
from scrapy.utils.log import configure_logging
from scrapy.utils.project import get_project_settings

from aggregator.export.hexo import load_timezone
from aggregator.run.blog import (
    BLOG_COMMANDS,
    add_blog_commands,
    add_publish_options,
    publish_overrides,
    publish_run,
)
from aggregator.run.cron import format_next_runs
from aggregator.run.subscriptions import SubscriptionError, Subscriptions, load_subscriptions
from aggregator.state.store import SQLiteStateStore, state_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def project_settings(overrides: Sequence[str]) -> Settings:
    """The project's Scrapy settings, wherever the command runs from, plus ``-s NAME=VALUE`` overrides."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "aggregator.settings")
    settings = get_project_settings()
    for override in overrides:
        name, separator, value = override.partition("=")
        if not separator or not name:
            raise SystemExit(f"aggregator: -s takes NAME=VALUE, not {override!r}")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def _subscriptions(args: argparse.Namespace, settings: Settings) -> Subscriptions:
    path = Path(args.subscriptions or settings["SUBSCRIPTIONS_FILE"])
    if not path.exists() and not args.subscriptions:
        raise SubscriptionError(
            [f"{path}: no subscriptions file; copy subscriptions.example.yaml to {path} and edit it"]
        )
    return load_subscriptions(path)


def command_validate(args: argparse.Namespace, settings: Settings) -> int:
    subscriptions = _subscriptions(args, settings)
    for entry in subscriptions.entries:
        state = "" if entry.enabled else "  (disabled)"
        arguments = " ".join(f"-a {key}={value}" for key, value in entry.arguments.items())
        schedule = entry.schedule or "no schedule"
        print(f"{entry.name}: scrapy crawl {entry.spider} {arguments}  [{schedule}]{state}")
        if entry.schedule:
            print(f"    next runs: {format_next_runs(entry.schedule, settings)}")
    print(f"{subscriptions.path}: {len(subscriptions.entries)} subscriptions, all valid")
    return EXIT_OK


def command_crawl(args: argparse.Namespace, settings: Settings) -> int:
    from aggregator.run.crawl import crawl_subscriptions, format_table

    selected = _subscriptions(args, settings).select(args.only)
    if not selected:
        print("aggregator: no enabled subscription to crawl", file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run:
        settings.set("DRY_RUN", True, priority="cmdline")
    started = time.monotonic()
    results = crawl_subscriptions(selected, settings, Path(args.jobdir) if args.jobdir else None)
    print(format_table(results, time.monotonic() - started, settings.getbool("DRY_RUN")))
    published = publish_run(args, settings, results)
    return EXIT_OK if published and all(result.status == "ok" for result in results) else EXIT_FAILED


def command_schedule(args: argparse.Namespace, settings: Settings) -> int:
    from aggregator.run.schedule import CrawlScheduler, crawl_command

    subscriptions = _subscriptions(args, settings)
    selected = subscriptions.select(args.only)
    configure_logging(settings)
    timezone = load_timezone(settings["TIMEZONE"])
    try:
        scheduler = CrawlScheduler(
            selected,
            crawl_command(subscriptions.path.resolve(), [*args.set, *publish_overrides(args)]),
            timezone,
            default_schedule=args.cron or "",
        )
    except ValueError as error:
        print(f"aggregator: {error}", file=sys.stderr)
        return EXIT_USAGE
    scheduler.start()
    return EXIT_OK


def command_list(args: argparse.Namespace, settings: Settings) -> int:
    subscriptions = _subscriptions(args, settings)
    path = state_path(settings)
    runs = {}
    if path.exists():
        store = SQLiteStateStore(path)
        try:
            runs = store.last_runs()
        finally:
            store.close()
    zone = load_timezone(settings["TIMEZONE"])
    rows = [("subscription", "spider", "schedule", "last run", "status", "fetched", "exported", "updated",
             "unchanged", "dropped", "errors")]  # fmt: skip
    for entry in subscriptions.entries:
        run = runs.get(entry.name)
        schedule = entry.schedule or "-"
        if not entry.enabled:
            schedule += " (disabled)"
        if run is None:
            rows.append((entry.name, entry.spider, schedule, "never", "", "", "", "", "", "", ""))
            continue
        status = run.status if run.status == "ok" else f"{run.status}: {run.reason}"
        finished = run.finished.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        figures = (run.fetched, run.exported, run.updated, run.unchanged, run.dropped, run.errors)
        rows.append((entry.name, entry.spider, schedule, finished, status, *map(str, figures)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aggregator",
        description="Crawl ZAKER, CCTV and RSS/Atom feeds into Hexo posts, from a subscriptions file.",
        epilog="One spider by hand: scrapy crawl feed -a url=URL (see README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        command = commands.add_parser(name, help=help_text, description=help_text)
        command.add_argument(
            "--subscriptions", metavar="PATH", help="subscriptions file (default: SUBSCRIPTIONS_FILE setting)"
        )
        command.add_argument(
            "-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="override a setting"
        )
        return command

    add("validate", "check the subscriptions file and show what each entry runs")
    crawl = add(
        "crawl", "crawl every enabled subscription (or --only some) now, side by side, in one process"
    )
    crawl.add_argument("--only", nargs="+", metavar="NAME", help="crawl only these subscriptions")
    crawl.add_argument("--jobdir", metavar="DIR", help="keep each crawl's queue in DIR/<name> to resume it")
    crawl.add_argument(
        "--dry-run", action="store_true", help="fetch and extract, write nothing; show what would be written"
    )
    add_publish_options(crawl)
    schedule = add("schedule", "crawl each subscription on its cron schedule until SIGINT/SIGTERM")
    schedule.add_argument("--only", nargs="+", metavar="NAME", help="schedule only these subscriptions")
    schedule.add_argument("--cron", metavar="EXPR", help="schedule for subscriptions that have none")
    add_publish_options(schedule)
    add("list", "show the subscriptions and how each one's last run went")
    extract = add(
        "extract", "print what the project extracts from one saved page or URL, as a post would hold it"
    )
    extract.add_argument("page", metavar="PATH_OR_URL", help="a saved page (read as bytes) or an http(s) URL")
    extract.add_argument(
        "--url", metavar="BASE_URL", help="the page's real URL: picks site rules, resolves links"
    )
    extract.add_argument("--format", choices=("text", "html", "markdown", "post"), default="text")
    add_blog_commands(add)
    return parser


def command_extract(args: argparse.Namespace, settings: Settings) -> int:
    from aggregator.run.extract import command_extract as extract_page

    return extract_page(args, settings)


COMMANDS = {
    "validate": command_validate,
    "crawl": command_crawl,
    "schedule": command_schedule,
    "list": command_list,
    "extract": command_extract,
    **BLOG_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = project_settings(args.set)
    try:
        return COMMANDS[args.command](args, settings)
    except SubscriptionError as error:
        print(f"aggregator: the subscriptions file has problems:\n{error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        logging.getLogger(__name__).warning("Interrupted")
        return EXIT_FAILED
