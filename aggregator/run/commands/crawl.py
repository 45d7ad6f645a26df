"""``scrapy crawl`` that tells cron, CI and shells whether the crawl failed outright.

Scrapy's own ``crawl`` exits 0 whenever the spider could be started, even if the crawl was blocked by a WAF,
shut down, could fetch nothing, or stopped because its posts could not be written. This command runs the
crawl exactly as Scrapy's does and then judges it by the rule ``aggregator crawl`` uses
(:func:`aggregator.run.summary.judge`): exit status 1 and one ERROR line saying why when it failed outright, 0
otherwise (single lost articles are counted in the summary, not failures).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterable

from scrapy.crawler import Crawler

from aggregator.compat.scrapy_hooks import CrawlCommandKeepingCrawlers
from aggregator.run.summary import judge
from aggregator.state import state_problem

logger = logging.getLogger(__name__)

FAILED = 1
"""Exit status of a crawl that failed outright; Scrapy uses the same for a spider that could not start."""


class Command(CrawlCommandKeepingCrawlers):
    """Scrapy's ``crawl``, plus an exit status. Named ``Command`` in ``crawl.py`` because Scrapy takes a
    command's name from its module and lets ``COMMANDS_MODULE`` replace a built-in of the same name."""

    def short_desc(self) -> str:
        return "Run a spider of the current project, by name; exit status 1 if the crawl failed outright"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        problem = state_problem(self.settings)
        if problem:
            logger.error(problem)
            self.exitcode = FAILED
            return
        super().run(args, opts)
        if self.exitcode:
            return  # the spider did not even start; Scrapy has said why
        self.exitcode = exit_status(self.crawlers)


def exit_status(crawlers: Iterable[Crawler]) -> int:
    """0, or :data:`FAILED` with one ERROR line saying why, for the crawlers of a finished ``scrapy crawl``.

    A function of its own so that the tests' in-process crawls (``tests/inprocess.py``) judge exactly as
    the command does.
    """
    status = 0
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        verdict, why = judge(stats, stats.get("finish_reason"))
        if verdict != "ok":
            name = crawler.spider.name if crawler.spider is not None else "?"
            logger.error("Crawl of %s failed: %s (exit status %d)", name, why, FAILED)
            status = FAILED
    return status
