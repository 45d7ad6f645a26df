"""The blog owner's commands (``adopt``, ``import-opml``, ``export-opml``), registered with ``aggregator``.

Kept out of ``cli.py`` so that each command's arguments sit beside the code that reads them, and the modules
behind them (``adopt``, ``opml``) are imported only when their command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from scrapy.settings import Settings


def add_blog_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the commands to ``aggregator``'s parser (``add`` makes one with the common options)."""
    adopt = add(
        "adopt", "record an existing blog's posts in the state, so that crawls neither copy nor rewrite them"
    )
    adopt.add_argument("folder", nargs="?", metavar="DIR", help="posts to adopt (default: OUTPUT_DIR)")
    adopt.add_argument(
        "--take-over",
        action="store_true",
        help="let the next crawl rewrite each adopted post in place, under its existing file name",
    )

    importing = add(
        "import-opml", "add the feeds of an OPML file (a feed reader's export) to the subscriptions file"
    )
    importing.add_argument("file", metavar="FILE", help="the OPML file")
    exporting = add("export-opml", "write the feed subscriptions as OPML, for a feed reader")
    exporting.add_argument("-o", "--output", metavar="FILE", help="write here instead of to standard output")


def add_publish_options(command: argparse.ArgumentParser) -> None:
    """``--publish`` / ``--push`` of ``crawl`` and ``schedule``: settings PUBLISH_GIT / PUBLISH_PUSH."""
    command.add_argument(
        "--publish",
        action="store_true",
        help="commit the changed posts to the blog's git repository (PUBLISH_GIT)",
    )
    command.add_argument("--push", action="store_true", help="with --publish: push the commit (PUBLISH_PUSH)")


def publish_overrides(args: argparse.Namespace) -> list[str]:
    """The settings ``--publish`` / ``--push`` stand for, passed on to each scheduled run."""
    return (["PUBLISH_GIT=True"] if args.publish else []) + (["PUBLISH_PUSH=True"] if args.push else [])


def publish_run(args: argparse.Namespace, settings: Settings, results: list[Any]) -> bool:
    """After ``aggregator crawl``: publish when asked (never in a dry run); False if publishing failed."""
    for override in publish_overrides(args):
        settings.set(override.split("=")[0], True, priority="cmdline")
    if not settings.getbool("PUBLISH_GIT") or settings.getbool("DRY_RUN"):
        return True
    from aggregator.run.publish import format_publish, publish

    outcome = publish(results, settings)
    print(format_publish(outcome))
    return not outcome.error


def command_adopt(args: argparse.Namespace, settings: Settings) -> int:
    from aggregator.run.adopt import command_adopt as run

    return run(args, settings)


def command_import_opml(args: argparse.Namespace, settings: Settings) -> int:
    from aggregator.run.opml import command_import_opml as run

    return run(args, settings)


def command_export_opml(args: argparse.Namespace, settings: Settings) -> int:
    from aggregator.run.opml import command_export_opml as run

    return run(args, settings)


BLOG_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "adopt": command_adopt,
    "import-opml": command_import_opml,
    "export-opml": command_export_opml,
}
