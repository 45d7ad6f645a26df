"""Retry "too many requests" and server errors *later*, as the site asks, instead of at once.

Scrapy 2.19's ``RetryMiddleware`` re-queues a 429/5xx immediately: it has no back-off and ignores
``Retry-After``. Against a rate limiter (ZAKER answers bursts with ``429 Too Many Requests``) an immediate
retry is another strike. :class:`RetryAfterMiddleware` handles the same statuses (``RETRY_HTTP_CODES``) and
the same retry budget (``RETRY_TIMES``, via Scrapy's own ``get_retry_request``, so ``retry/*`` stats and the
give-up log line are Scrapy's), but first pauses *every* request to that host:

- for ``Retry-After`` (seconds or an HTTP date) when the response has it, capped at ``BACKOFF_MAX_DELAY``;
- otherwise for ``BACKOFF_BASE_DELAY * 2 ** attempt`` (1 s, 2 s, 4 s… with the defaults), same cap.

It must sit before ``RetryMiddleware`` in the response chain (priority above 550), so that Scrapy's immediate
retry never sees these statuses. Network errors are still retried by ``RetryMiddleware``.
"""

from __future__ import annotations

import email.utils
import logging
import time
from datetime import UTC, datetime
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: ``120`` or ``Wed, 21 Oct 2026 07:28:00 GMT``; None if unreadable.

    Both forms are legal (RFC 9110 §10.2.3); a date in the past means "now".
    """
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Back off per host on retryable statuses, honouring ``Retry-After``, then retry through Scrapy."""

    def __init__(self, crawler: Crawler, codes: set[int], base_delay: float, max_delay: float) -> None:
        self.crawler = crawler
        self.codes = codes
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.resume_at: dict[str, float] = {}
        """Host → monotonic time before which no request goes to it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("retries are off")
        return cls(
            crawler,
            {int(code) for code in settings.getlist("RETRY_HTTP_CODES")},
            settings.getfloat("BACKOFF_BASE_DELAY"),
            settings.getfloat("BACKOFF_MAX_DELAY"),
        )

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        """Hold a request while its host is backing off (other hosts are not held)."""
        wait = self.resume_at.get(_host(request), 0.0) - time.monotonic()
        if wait > 0:
            await _sleep(wait)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if response.status not in self.codes or request.meta.get("dont_retry", False):
            return response
        attempt = request.meta.get("retry_times", 0)
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        delay = min(self.max_delay, asked if asked is not None else self.base_delay * 2**attempt)
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=f"{response.status} (backing off {delay:.0f}s)",
            # A request whose failure the spider handles says so, as for Scrapy's own retries.
            give_up_log_level=request.meta.get("give_up_log_level"),
        )
        if retry is None:
            return (
                response  # out of retries: Scrapy has logged "Gave up retrying"; the spider's errback reports
            )
        host = _host(request)
        self.resume_at[host] = max(self.resume_at.get(host, 0.0), time.monotonic() + delay)
        self.crawler.stats.inc_value("aggregator/backoff/count")
        logger.info(
            "Backing off %s for %.1fs after HTTP %d%s",
            host,
            delay,
            response.status,
            " (Retry-After)" if asked is not None else "",
        )
        return retry


def _host(request: Request) -> str:
    return urlsplit(request.url).netloc.lower()


async def _sleep(seconds: float) -> None:
    """A non-blocking pause that works under any Twisted reactor (asyncio or not)."""
    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))
