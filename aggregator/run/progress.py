"""The live progress table of ``aggregator crawl`` in a terminal: one row per subscription, redrawn in place.

Someone watching a crawl wants to see, per subscription, how far it is — pages fetched, articles written,
errors — not scroll through log lines. When standard output is a terminal (and ``PROGRESS_DISPLAY`` is
``auto``), rich's ``Live`` keeps such a table at the bottom of the screen while the log scrolls above it;
otherwise (cron, a pipe, a file, ``PROGRESS_DISPLAY = "plain"``) nothing changes: the plain progress lines
every ``PROGRESS_INTERVAL`` seconds, as before.

The display is started before Scrapy sets up logging, so that Scrapy's log handler writes through rich's
redirected ``stderr`` and log lines appear above the table instead of through it. The table is drawn from
rich's refresh thread; it reads each crawler's stats through ``dict.copy()``, which is atomic, so it never
sees a dict changing under it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from rich.console import Console
from rich.live import Live
from rich.table import Table

from aggregator.run.summary import counts, judge


class Watched(Protocol):
    """What the table needs of a running subscription (``aggregator.run.crawl._Running``)."""

    subscription: Any
    crawler: Any
    started: float
    finished: float | None
    start_error: str


def wanted(settings: Any, stream: Any = None) -> bool:
    """Live display: ``PROGRESS_DISPLAY = "auto"`` and standard output is a terminal."""
    stream = stream or sys.stdout
    return settings.get("PROGRESS_DISPLAY") == "auto" and hasattr(stream, "isatty") and stream.isatty()


class ProgressTable:
    """The renderable: rich calls ``__rich__`` on every refresh."""

    def __init__(self) -> None:
        self.running: Sequence[Watched] = ()

    def __rich__(self) -> Table:
        table = Table(title="aggregator crawl", title_justify="left", expand=False)
        for column in ("subscription", "pages", "new", "updated", "unchanged", "dropped", "errors", "time"):
            table.add_column(column, justify="left" if column == "subscription" else "right")
        table.add_column("state")
        now = time.monotonic()
        for entry in self.running:
            stats = _stats(entry.crawler)
            figures = counts(stats)
            if entry.start_error:
                state = f"[red]failed: {entry.start_error}[/red]"
            elif entry.finished is not None:
                status, why = judge(stats, stats.get("finish_reason"))
                state = "[green]done[/green]" if status == "ok" else f"[red]failed: {why}[/red]"
            else:
                state = "[yellow]running[/yellow]" if stats else "waiting"
            errors = figures["errors"]
            table.add_row(
                entry.subscription.name,
                str(figures["fetched"]),
                str(figures["exported"]),
                str(figures["updated"]),
                str(figures["unchanged"]),
                str(sum(figures["dropped"].values())),
                f"[red]{errors}[/red]" if errors else "0",
                f"{(entry.finished or now) - entry.started:.0f}s",
                state,
            )
        return table


def _stats(crawler: Any) -> dict[str, Any]:
    """A copy of the crawler's stats; empty until its crawl has started (Scrapy raises before that)."""
    if crawler is None:
        return {}
    try:
        return dict(crawler.stats.get_stats().copy())
    except RuntimeError:
        return {}


@contextmanager
def live_progress(settings: Any) -> Iterator[ProgressTable | None]:
    """The live table while the block runs, or None when the display is not wanted (see :func:`wanted`)."""
    if not wanted(settings):
        yield None
        return
    table = ProgressTable()
    console = Console(file=sys.stdout)
    with Live(table, console=console, refresh_per_second=2, redirect_stdout=True, redirect_stderr=True):
        yield table
