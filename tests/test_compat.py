"""Canaries for the hooks into dependencies' private APIs (:mod:`aggregator.compat`).

One test per hook. Each checks what the hook relies on in the installed (pinned) version, so that an upgrade
that renames a private method, moves an attribute or changes an overridden signature fails here, with the
hook's name, rather than as a confusing failure somewhere in a crawl (or not at all: the engine wake-up,
for one, would silently degrade to polling every 5 seconds).
"""

from __future__ import annotations

import inspect

import lxml.html
import pytest
import readability
import scrapy.commands.crawl
import scrapy.core.engine
import scrapy_redis.queue
import scrapy_redis.scheduler
from scrapy import Request, Spider
from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.images import ImagesPipeline
from scrapy.settings import Settings
from scrapy.utils.reactor import CallLaterOnce

from aggregator.compat import readability_hooks, redis_hooks, scrapy_hooks
from aggregator.run.commands.crawl import Command as AggregatorCrawlCommand
from pipelines.images import ImageDownloadPipeline


def parameters(function: object) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)  # type: ignore[arg-type]


# --- Scrapy ---------------------------------------------------------------------------------------------


class Quiet(Spider):
    name = "quiet"


def test_crawl_command_creates_crawlers_through_the_hook() -> None:
    """``scrapy crawl`` must still build its crawler with ``self._create_crawler(name)`` inside ``run``."""
    assert "self._create_crawler(" in inspect.getsource(scrapy.commands.crawl.Command.run), (
        "Scrapy's crawl command no longer calls _create_crawler: fix CrawlCommandKeepingCrawlers"
    )
    assert parameters(scrapy.commands.crawl.Command._create_crawler) == ("self", "spidercls")
    command = scrapy_hooks.CrawlCommandKeepingCrawlers()
    command.crawler_process = CrawlerRunner(Settings())  # type: ignore[assignment]
    crawler = command._create_crawler(Quiet)
    assert isinstance(crawler, Crawler) and command.crawlers == [crawler]
    assert issubclass(AggregatorCrawlCommand, scrapy_hooks.CrawlCommandKeepingCrawlers)


def test_engine_slot_has_nextcall() -> None:
    """``wake_engine`` schedules ``engine._slot.nextcall``: the engine must keep a ``_slot`` whose
    ``nextcall`` is a ``CallLaterOnce`` (else distributed workers only poll every 5 s)."""
    assert "self._slot" in inspect.getsource(scrapy.core.engine.ExecutionEngine.__init__)
    slot_init = inspect.getsource(scrapy.core.engine._Slot.__init__)
    assert "self.nextcall" in slot_init and "CallLaterOnce" in slot_init
    assert callable(CallLaterOnce.schedule)


def test_image_stores_are_configured_by_update_stores() -> None:
    """``configure_image_stores`` calls ``_update_stores``, which Scrapy's own ``from_crawler`` calls."""
    assert "cls._update_stores(settings)" in inspect.getsource(ImagesPipeline.from_crawler.__func__)
    assert parameters(ImagesPipeline._update_stores) == ("settings",)
    settings = Settings({"IMAGES_STORE_S3_ACL": "canary-acl", "FILES_STORE_S3_ACL": "private"})
    scrapy_hooks.configure_image_stores(ImageDownloadPipeline, settings)
    assert FilesPipeline.STORE_SCHEMES["s3"].POLICY == "canary-acl"


@pytest.mark.parametrize("method", sorted(scrapy_hooks.IMAGES_PIPELINE_OVERRIDES))
def test_images_pipeline_signatures(method: str) -> None:
    """Every ImagesPipeline method our pipeline overrides or calls still takes the parameters it passes."""
    expected = scrapy_hooks.IMAGES_PIPELINE_OVERRIDES[method]
    assert parameters(getattr(ImagesPipeline, method)) == expected, (
        f"ImagesPipeline.{method} changed its signature: check pipelines/images.py and "
        "aggregator/compat/scrapy_hooks.py"
    )


# --- readability-lxml -----------------------------------------------------------------------------------


class WithoutNavigation(readability_hooks.ReadabilityOnTree):
    def prepare(self, tree):
        for element in tree.xpath("//*[@id='nav']"):
            element.drop_tree()
        return tree


def test_readability_scores_what_parse_returns() -> None:
    """``Document`` must pass its input untouched to ``_parse`` and score the tree that comes back."""
    assert "self._parse(self.input)" in inspect.getsource(readability.Document._html)
    text = "".join(
        f"<p>Paragraph {n}, with commas, and enough words to be scored as text.</p>" for n in range(8)
    )
    root = lxml.html.fromstring(
        f"<html><body><div id='nav'><a href='/'>home</a></div><div id='a'>{text}</div>"
    )
    document = WithoutNavigation(root)
    summary = document.summary(html_partial=True)
    assert document.encoding == "utf-8"
    assert "Paragraph 7" in summary and "home" not in summary, "readability did not score the prepared tree"


def test_readability_display_none_pattern() -> None:
    assert readability_hooks.DISPLAY_NONE.search("color: red; display:none")
    assert not readability_hooks.DISPLAY_NONE.search("display: block")
    assert issubclass(readability_hooks.Unparseable, ValueError)


# --- scrapy-redis ---------------------------------------------------------------------------------------


def test_redis_queue_decodes_what_it_encodes() -> None:
    """``decode_request`` is the queue's ``_decode_request``, the inverse of its ``_encode_request``."""
    spider = Quiet()
    queue = scrapy_redis.queue.PriorityQueue(None, spider, "canary:%%:%(spider)s")
    assert queue.key == "canary:%:quiet", "scrapy-redis no longer formats queue keys with %(spider)s"
    request = Request("http://127.0.0.1/a", meta={"k": "v"}, priority=3)
    decoded = redis_hooks.decode_request(queue, queue._encode_request(request))
    assert (decoded.url, decoded.meta["k"], decoded.priority) == (request.url, "v", 3)
    assert parameters(scrapy_redis.queue.PriorityQueue.__init__) == (
        "self",
        "server",
        "spider",
        "key",
        "serializer",
    )


def test_redis_scheduler_attributes() -> None:
    """``SharedScheduler`` sets these attributes itself; the inherited methods must still read them."""
    init = parameters(scrapy_redis.scheduler.Scheduler.__init__)
    assert {"server", "persist", "dupefilter_cls", "serializer"} <= set(init)
    source = inspect.getsource(scrapy_redis.scheduler.Scheduler)
    missing = [name for name in redis_hooks.SCHEDULER_ATTRIBUTES if f"self.{name}" not in source]
    assert not missing, f"scrapy-redis's Scheduler no longer uses {missing}: check SharedScheduler"
