"""Log lines an operator can read: one short line per dropped or scraped article, never the whole body.

Scrapy's default formatter prints the full item on every drop, which for an article means pages of HTML.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


def describe(item: Any) -> str:
    """``<url>`` of an article item, or a short repr of anything else."""
    if is_item(item):
        url = ItemAdapter(item).get("url")
        if url:
            return str(url)
    return repr(item)[:200]


class ArticleLogFormatter(LogFormatter):
    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        level = getattr(exception, "log_level", None) or spider.crawler.settings["DEFAULT_DROPITEM_LOG_LEVEL"]
        if isinstance(level, str):
            level = getattr(logging, level.upper())
        reason = getattr(exception, "reason", type(exception).__name__)
        return {
            "level": level,
            "msg": "Dropped %(url)s (%(reason)s): %(message)s",
            "args": {"url": describe(item), "reason": reason, "message": exception},
        }

    def item_error(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        """A pipeline failed on an article (a bug, not a judgement): still one ``Dropped`` line with a
        reason; ``RunSummary`` counts it as ``aggregator/dropped/error``. Scrapy appends the traceback."""
        return {
            "level": logging.ERROR,
            "msg": "Dropped %(url)s (error): %(message)s",
            "args": {"url": describe(item), "message": f"{type(exception).__name__}: {exception}"},
        }

    def spider_error(
        self, failure: Failure, request: Request, response: Response | Failure, spider: Spider
    ) -> LogFormatterResult:
        """A spider callback failed on a page: the article (or list) it would have given is lost; counted as
        ``aggregator/dropped/spider_error``."""
        error = failure.value
        return {
            "level": logging.ERROR,
            "msg": "Dropped %(url)s (spider_error): %(message)s",
            "args": {"url": request.url, "message": f"{type(error).__name__}: {error}"},
        }

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        title = ItemAdapter(item).get("title", "") if is_item(item) else ""
        return {
            "level": logging.DEBUG,
            "msg": "Scraped %(url)s %(title)r",
            "args": {"url": describe(item), "title": str(title)[:80]},
        }
