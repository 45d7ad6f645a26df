"""Per-article timings inside a benchmark crawl, switched on only by ``bench/run.py`` (``-s`` settings).

Nothing here changes what the crawl does: every component passes requests, responses and items through
untouched and only reads the clock.

* :class:`ParseTimer` (a spider middleware next to the spider) times each article callback: reading the
  page and merging it with its list entry, the page objects' work (``parse`` in the table); it also keeps
  each article page's ``download_latency`` (``fetch``: request sent to response received).
* :class:`ExtractionStarts`/:class:`ExtractionEnds` are item pipelines placed just before the clean pipeline
  and just after the extract pipeline: the time between them is "extraction" (sanitising, text, images).
* :class:`ExportStarts`/:class:`ExportEnds` bracket the Hexo exporter the same way ("export").

At close, :class:`ParseTimer` writes the samples (milliseconds) and the crawl's numeric stats to the JSON file
``BENCH_TIMINGS_FILE``.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

_SAMPLES: dict[int, dict[str, list[float]]] = {}
"""Samples per crawler (by id), shared by the components of one crawl."""
_STARTED: dict[tuple[int, str], float] = {}
"""When the current stage of an item (by id) started."""


def samples(crawler: Crawler) -> dict[str, list[float]]:
    return _SAMPLES.setdefault(id(crawler), {"fetch": [], "parse": [], "extraction": [], "export": []})


class ParseTimer:
    """Times article callbacks (responses whose request has ``meta["article_url"]``) and writes the file."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.samples = samples(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        timer = cls(crawler)
        crawler.signals.connect(timer.spider_closed, signal=signals.spider_closed)
        return timer

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        if not response.meta.get("article_url"):
            yield from result
            return
        self.samples["fetch"].append(response.meta.get("download_latency", 0) * 1000)
        spent = 0.0
        iterator = iter(result)
        while True:
            started = time.perf_counter()
            try:
                value = next(iterator)
            except StopIteration:
                break
            finally:
                spent += time.perf_counter() - started
            yield value
        self.samples["parse"].append(spent * 1000)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """The same for async callbacks (Scrapy asks every spider middleware for both forms)."""
        timed = bool(response.meta.get("article_url"))
        if timed:
            self.samples["fetch"].append(response.meta.get("download_latency", 0) * 1000)
        spent = 0.0
        iterator = aiter(result)
        while True:
            started = time.perf_counter()
            try:
                value = await anext(iterator)
            except StopAsyncIteration:
                break
            finally:
                spent += time.perf_counter() - started
            yield value
        if timed:
            self.samples["parse"].append(spent * 1000)

    def spider_closed(self) -> None:
        path = self.crawler.settings.get("BENCH_TIMINGS_FILE")
        if not path:
            return
        # Several crawls in one process (bench/together.py) share the setting: "{spider}" tells them apart.
        path = path.replace("{spider}", self.crawler.spidercls.name)
        assert self.crawler.stats is not None
        stats = {
            key: value
            for key, value in self.crawler.stats.get_stats().items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }
        Path(path).write_text(json.dumps({"samples_ms": self.samples, "stats": stats}), encoding="utf-8")


class _Stopwatch:
    """One end of a timed stretch of the item pipelines."""

    stage = ""
    ends = False

    def __init__(self, crawler: Crawler) -> None:
        self.samples = samples(crawler)[self.stage]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        key = (id(item), self.stage)
        if not self.ends:
            _STARTED[key] = time.perf_counter()
        elif (started := _STARTED.pop(key, None)) is not None:
            self.samples.append((time.perf_counter() - started) * 1000)
        return item


class ExtractionStarts(_Stopwatch):
    stage = "extraction"


class ExtractionEnds(_Stopwatch):
    stage = "extraction"
    ends = True


class ExportStarts(_Stopwatch):
    stage = "export"


class ExportEnds(_Stopwatch):
    stage = "export"
    ends = True
