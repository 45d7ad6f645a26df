"""Scrapy add-ons of the project (``ADDONS``).

Kept apart from what they switch on, so that every crawl can load them cheaply: the distributed add-on is
listed in every run's ``ADDONS`` but needs redis and scrapy-redis only when ``REDIS_URL`` is set, and
importing those costs every single-machine run start-up time for nothing.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings


class DistributedCrawl:
    """The add-on (``ADDONS``) that turns ``REDIS_URL`` into a shared scheduler and duplicate filter.

    An add-on because it sees the final settings, ``-s`` ones included, and sets ``SCHEDULER`` and
    ``DUPEFILTER_CLASS`` at the ``addon`` priority: a project or command line that names its own still wins.
    Without ``REDIS_URL`` it disables itself and a crawl runs on one machine exactly as before.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("REDIS_URL"):
            raise NotConfigured
        settings.set("SCHEDULER", "aggregator.distributed.workers.SharedScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
