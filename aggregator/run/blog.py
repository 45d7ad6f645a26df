"""The blog owner's commands (``adopt``, ``import-opml``, ``export-opml``), registered with ``aggregator``.

Kept out of ``cli.py`` so that each command's arguments sit beside the code that reads them, and the modules
behind them (``adopt``, ``opml``) are imported only when their command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

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


def command_adopt(args: argparse.Namespace, settings: Settings) -> int:
    from aggregator.run.adopt import command_adopt as run

    return run(args, settings)


BLOG_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {"adopt": command_adopt}
