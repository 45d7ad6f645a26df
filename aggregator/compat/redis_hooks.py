"""Hooks into scrapy-redis's private API (see :mod:`aggregator.compat`); canaries: tests/test_compat.py."""

from __future__ import annotations

from typing import Any

from scrapy import Request


def decode_request(queue: Any, data: bytes) -> Request:
    """A request as scrapy-redis's queues store it, decoded by the queue's private ``_decode_request``."""
    return queue._decode_request(data)


SCHEDULER_ATTRIBUTES: tuple[str, ...] = (
    "server",
    "persist",
    "dupefilter_cls",
    "serializer",
    "stats",
    "queue",
    "df",
    "spider",
)
"""Attributes of scrapy-redis's ``Scheduler`` that ``SharedScheduler`` sets in its own ``from_crawler`` and
``open`` (instead of the base class's) and that the inherited methods (``has_pending_requests``,
``__len__``, ``flush``) read."""
