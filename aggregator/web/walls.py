"""Refused responses become one kind of failure, and a host that keeps refusing is no longer asked.

:class:`RefusalMiddleware` looks at every page response once the back-off and retries are done (it sits
below ``RetryAfterMiddleware``, priority 555, so a 429 reaches it only after the retries ran out). A
response that :func:`aggregator.web.challenge.classify` calls a refusal — a WAF challenge in any of its
forms, or a plain 403/429 wall — is turned into :class:`Refused`, which the request's errback receives:
spiders then report one ERROR naming the form and stop (``blocked_by_waf``), instead of meeting it as an
unknown layout or an HTTP error on every article.

Plain walls are also counted per host. After ``WALL_MAX_REFUSALS`` of them the host is walled for the run:
one ERROR with the counts, and every later request to it fails at once as :class:`Refused` without being
sent (``aggregator/walled_hosts`` in the stats; ``aggregator crawl`` reports the subscription as blocked).

Media downloads (images) and the challenge solver's own calls are not classified: a refused image stays
remote, and the solver reads its service's answers itself.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK

from aggregator.web.challenge import MAX_CHALLENGE_BYTES, Refusal, classify
from aggregator.web.encoding import decode_html

logger = logging.getLogger(__name__)

WALL_FORMS = frozenset({"http-403", "http-429"})


class Refused(IgnoreRequest):
    """The site answered with a refusal instead of the page; ``refusal`` says which form."""

    def __init__(self, refusal: Refusal, url: str, walled: bool = False) -> None:
        self.refusal = refusal
        self.url = url
        self.walled = walled
        """True when the request was not sent at all because its host is walled for this run."""
        if walled:
            message = f"not requested: {urlsplit(url).hostname} refused too often this run ({refusal.label})"
        else:
            message = f"{refusal} instead of the page at {url}"
        super().__init__(message)


def host_of(request: Request) -> str:
    """The real host a request is for (its canonical URL when fetched from a test server or mirror)."""
    return (urlsplit(request.meta.get("canonical_url") or request.url).hostname or "").lower()


class RefusalMiddleware:
    """Classify page responses; turn refusals into :class:`Refused`; wall hosts that keep refusing."""

    def __init__(self, crawler: Crawler, max_refusals: int) -> None:
        self.crawler = crawler
        self.max_refusals = max_refusals
        self.refusals: dict[str, Counter[int]] = {}
        """Host → HTTP status → plain walls met."""
        self.walled: dict[str, Refusal] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("WALL_MAX_REFUSALS"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = host_of(request)
        if host in self.walled and self.classified(request):
            self.crawler.stats.inc_value("aggregator/refused/not_requested")
            raise Refused(self.walled[host], request.meta.get("canonical_url") or request.url, walled=True)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if not self.classified(request):
            return response
        status = response.status
        if status == 200 and len(response.body) > MAX_CHALLENGE_BYTES:
            return response  # a page, not a challenge: skip decoding it twice
        html = decode_html(response.body, response.headers.get("Content-Type"))[0]
        cookies = [
            value.decode("latin-1").split("=", 1)[0].strip()
            for value in response.headers.getlist("Set-Cookie")
        ]
        refusal = classify(status, html, cookies)
        if refusal is None:
            return response
        url = request.meta.get("canonical_url") or request.url
        self.crawler.stats.inc_value(f"aggregator/refused/{refusal.form}")
        if refusal.form in WALL_FORMS:
            self.count_wall(host_of(request), refusal)
        raise Refused(refusal, url)

    def count_wall(self, host: str, refusal: Refusal) -> None:
        """One more plain refusal from ``host``; wall it (one ERROR) when it reaches the limit."""
        counts = self.refusals.setdefault(host, Counter())
        counts[refusal.status] += 1
        total = sum(counts.values())
        if host in self.walled or self.max_refusals <= 0 or total < self.max_refusals:
            return
        self.walled[host] = refusal
        self.crawler.stats.inc_value("aggregator/walled_hosts")
        self.crawler.stats.set_value(f"aggregator/walled/{host}", total)
        by_status = ", ".join(f"HTTP {code}: {n}" for code, n in sorted(counts.items()))
        # A site spider reports the refusal itself as its one ERROR and stops; others rely on this line.
        reported = getattr(self.crawler.spider, "reports_refusals", False)
        logger.log(
            logging.WARNING if reported else logging.ERROR,
            "Stopped requesting %s for this run: it refused %d requests after back-off (%s; "
            "WALL_MAX_REFUSALS=%d). Its remaining pages are skipped; see docs/waf.md.",
            host,
            total,
            by_status,
            self.max_refusals,
        )

    @staticmethod
    def classified(request: Request) -> bool:
        """Page requests only: not media downloads (no callback) or calls marked ``dont_classify``."""
        return request.callback is not NO_CALLBACK and not request.meta.get("dont_classify", False)
