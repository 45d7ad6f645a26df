"""Browser-grade TLS for the sites that ask for it, opt-in per site (``ZAKER_IMPERSONATE = "chrome"``).

SafeLine and similar firewalls refuse (403) or challenge clients whose TLS and HTTP/2 fingerprint is not a
browser's, whatever User-Agent they claim; Scrapy's TLS stack (Twisted, OpenSSL) is not a browser's. The
``scrapy-impersonate`` package is a Scrapy download handler on ``curl_cffi``, which speaks TLS and HTTP/2
exactly as the browser it is told to impersonate. Its handler downloads a request with curl_cffi only when
``request.meta["impersonate"]`` names a browser, and hands every other request to Scrapy's own handler.

- :class:`Impersonation` (an add-on, always listed, inert unless a site setting is set) installs that
  handler for ``http``/``https``, this module's middleware, and curl's errors among the exceptions
  Scrapy's retry middleware retries.
- :class:`SiteImpersonationMiddleware` marks the requests *for* the site (by their canonical URL, so a
  test server or mirror standing in for the site counts) with the site's browser, and passes Scrapy's
  ``download_timeout`` on to curl. It runs after Scrapy's cookie (700) and proxy (750) middlewares, so the
  ``Cookie`` header, ``meta["proxy"]`` and ``Proxy-Authorization`` are already in place; it then empties
  ``request.cookies``, which the handler would otherwise send a second time, garbled from Scrapy's list
  form (the header already carries them).

Redirects, retries, back-off, the WAF middlewares and the cookie jar stay Scrapy's: the handler never
follows redirects itself and returns ordinary Scrapy responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

from aggregator.web.urls import on_domain
from aggregator.web.walls import host_of

SITES: Mapping[str, str] = {"myzaker.com": "ZAKER_IMPERSONATE"}
"""Registrable domain → the setting naming the browser to impersonate for it (empty: Scrapy's TLS)."""
HANDLER = "scrapy_impersonate.ImpersonateDownloadHandler"
MIDDLEWARE = "aggregator.web.impersonate.SiteImpersonationMiddleware"
CURL_ERRORS = "curl_cffi.requests.exceptions.RequestException"


def browsers(settings: BaseSettings) -> dict[str, str]:
    """Domain → browser name, for each site whose setting is set."""
    return {domain: str(settings.get(name)) for domain, name in SITES.items() if settings.get(name)}


class Impersonation:
    """Add-on: switch the download handler to ``scrapy-impersonate`` when any site asks for a browser."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not browsers(settings):
            return
        settings["DOWNLOAD_HANDLERS"]["http"] = HANDLER
        settings["DOWNLOAD_HANDLERS"]["https"] = HANDLER
        settings["DOWNLOADER_MIDDLEWARES"][MIDDLEWARE] = 760
        retried = settings.getlist("RETRY_EXCEPTIONS")
        if CURL_ERRORS not in retried:
            settings.set("RETRY_EXCEPTIONS", [*retried, CURL_ERRORS], "addon")


class SiteImpersonationMiddleware:
    """Send the requests for a site with an ``<SITE>_IMPERSONATE`` browser through curl_cffi."""

    def __init__(self, browsers: dict[str, str], timeout: float) -> None:
        self.browsers = browsers
        self.timeout = timeout

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        found = browsers(crawler.settings)
        if not found:
            raise NotConfigured("no site asks for browser-grade TLS")
        return cls(found, crawler.settings.getfloat("DOWNLOAD_TIMEOUT"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if "impersonate" not in request.meta:
            host = host_of(request)
            matches = (name for domain, name in self.browsers.items() if on_domain(host, domain))
            browser = next(matches, "")
            if not browser:
                return None
            request.meta["impersonate"] = browser
        if request.meta["impersonate"]:
            arguments: dict[str, Any] = dict(request.meta.get("impersonate_args") or {})
            arguments.setdefault("timeout", request.meta.get("download_timeout", self.timeout))
            request.meta["impersonate_args"] = arguments
            request.cookies = {}  # already in the Cookie header (see the module docstring)
        return None
