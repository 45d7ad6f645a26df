"""The crawler's refusals (see ``aggregator.web.safety`` for the rules): requests to anything but http(s)
before they are scheduled, and with ``REFUSE_PRIVATE_ADDRESSES`` requests to non-public addresses."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any, Self
from urllib.parse import urlsplit

from itemadapter import ItemAdapter, is_item
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from aggregator.web.safety import is_fetchable, is_public_address

logger = logging.getLogger(__name__)


class RefuseUnsafeRequests(BaseSpiderMiddleware):
    """Drop requests (and articles) whose URL is not http(s) before they are scheduled (or exported)."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if is_fetchable(request.url):
            return request
        self.refuse(request.url, "only http and https URLs are fetched")
        return None

    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        url = str(ItemAdapter(item).get("url") or "") if is_item(item) else ""
        if not url or is_fetchable(url):
            return item
        self.refuse(url, "an article must live at an http or https URL")
        return None

    def refuse(self, url: str, why: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("aggregator/dropped/unsafe_url")
        logger.warning("Dropped %s (unsafe_url): %s", url[:300], why, extra={"spider": self.crawler.spider})


class PrivateAddress(DNSLookupError):
    """A host name that resolves to an address ``REFUSE_PRIVATE_ADDRESSES`` forbids."""

    def __init__(self, name: str, address: str) -> None:
        super().__init__(f"{name} resolves to {address}, not a public address")
        self.address = address


def _allowed_hosts(settings: Any) -> frozenset[str]:
    return frozenset(host.lower() for host in settings.getlist("PRIVATE_ADDRESSES_ALLOWED_HOSTS"))


class PublicAddressResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that, with ``REFUSE_PRIVATE_ADDRESSES`` on, fails any name resolving to a
    non-public address: connections resolve through it, so no request can reach one whatever checked it
    before (a name that changes its answer between two lookups included)."""

    refuse_private: bool = False
    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> Self:
        resolver = super().from_crawler(crawler, reactor)
        resolver.refuse_private = crawler.settings.getbool("REFUSE_PRIVATE_ADDRESSES")
        resolver.allowed_hosts = _allowed_hosts(crawler.settings)
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:
        deferred = super().getHostByName(name, timeout)
        if self.refuse_private and name.lower() not in self.allowed_hosts:
            deferred.addCallback(self._check, name)
        return deferred

    @staticmethod
    def _check(address: str, name: str) -> str:
        if not is_public_address(address):
            raise PrivateAddress(name, address)
        return address


class RefusePrivateAddresses:
    """With ``REFUSE_PRIVATE_ADDRESSES``: refuse a request (each redirect hop is a new request) whose host is,
    or resolves to, a non-public address, with a ``Dropped <url> (private_address)`` line and counter.

    Hosts in ``PRIVATE_ADDRESSES_ALLOWED_HOSTS`` (exact host names or address literals, e.g. a mirror on
    the LAN) are exempt. A host that does not resolve is left to the download, which fails as usual.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allowed_hosts = _allowed_hosts(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("REFUSE_PRIVATE_ADDRESSES"):
            raise NotConfigured
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if not host or host in self.allowed_hosts:
            return None
        try:
            ipaddress.ip_address(host)
            address = host
        except ValueError:
            from twisted.internet import reactor

            try:
                address = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[attr-defined]
            except PrivateAddress as error:
                address = error.address
            except DNSLookupError:
                return None
        if not is_public_address(address):
            self.refuse(request, f"{host} resolves to {address}, not a public address")
        return None

    def refuse(self, request: Request, why: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("aggregator/dropped/private_address")
        logger.warning(
            "Dropped %s (private_address): %s; REFUSE_PRIVATE_ADDRESSES is on",
            request.url[:300],
            why,
            extra={"spider": self.crawler.spider},
        )
        raise IgnoreRequest(f"{request.url} refused: {why}")
