"""Browser cookies for sites behind a web application firewall (ZAKER's Chaitin SafeLine).

SafeLine answers a crawler's first request with a JavaScript challenge instead of the page. A browser that
passed it holds two cookies, ``sl-session`` and ``sl_waf_recap``; sending the same pair lets a crawl
through for as long as SafeLine honours them (about an hour, judging by RSSHub's cache). The user supplies
them either as a ``Cookie:`` header string or dict in ``<SITE>_COOKIES``, or as a Netscape/Mozilla
``cookies.txt`` exported from the browser in ``<SITE>_COOKIES_FILE``.

:class:`BrowserCookiesMiddleware` puts them on every request *for* the site. Requests in this project name the
real site only in ``meta["canonical_url"]`` when they are fetched from a test server or mirror (see
``spiders.site.SiteSpider.request``), so that is what decides whether a request is for the site.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from http.cookiejar import LoadError, MozillaCookieJar
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from aggregator.web.urls import on_domain

logger = logging.getLogger(__name__)

SITES: Mapping[str, tuple[str, str]] = {"myzaker.com": ("ZAKER_COOKIES", "ZAKER_COOKIES_FILE")}
"""Registrable domain → (setting with a cookie header string or dict, setting with a cookies.txt path)."""


def parse_cookie_header(value: str | Mapping[str, Any] | None) -> dict[str, str]:
    """``"a=1; b=2"`` (as copied from the browser's request headers), a dict, or its JSON, as a dict.

    ``-s ZAKER_COOKIES=...`` always arrives as a string, so a string that looks like a JSON object is read as
    one; anything else is split the way browsers join cookies.
    """
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(name): str(cookie) for name, cookie in value.items()}
    text = value.strip()
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except ValueError as error:
            raise ValueError(f"cookie setting looks like JSON but is not valid: {error}") from None
        return parse_cookie_header(loaded)
    if text.lower().startswith("cookie:"):
        text = text[len("cookie:") :]
    cookies = {}
    for pair in text.split(";"):
        name, sep, cookie = pair.strip().partition("=")
        if not sep or not name.strip():
            if pair.strip():
                raise ValueError(f"cookie setting: {pair.strip()!r} is not name=value")
            continue
        cookies[name.strip()] = cookie.strip()
    return cookies


def load_cookies_file(path: str | Path, domain: str) -> dict[str, str]:
    """The cookies of ``domain`` (and its subdomains) from a Netscape/Mozilla ``cookies.txt``.

    Expired and session cookies are kept: a browser export taken minutes ago often marks the WAF's cookies as
    session cookies, and it is SafeLine, not this file, that decides whether they still work.
    """
    jar = MozillaCookieJar()
    try:
        jar.load(str(path), ignore_discard=True, ignore_expires=True)
    except FileNotFoundError:
        raise ValueError(f"cookies file {path} does not exist") from None
    except LoadError as error:
        raise ValueError(f"cookies file {path} is not a Netscape/Mozilla cookies.txt: {error}") from None
    return {cookie.name: cookie.value or "" for cookie in jar if on_domain(cookie.domain.lstrip("."), domain)}


def as_cookie_list(cookies: Any) -> list[dict[str, Any]]:
    """``Request.cookies`` (a dict or a list of dicts) as a list of dicts, the form that can carry a path.

    A cookie given as a plain dict gets the request's directory as its path in Scrapy's cookie jar
    (``/channel`` for ``/channel/13``), so it would not be sent to ``/article/…``; WAF cookies need ``/``.
    """
    if isinstance(cookies, Mapping):
        return [{"name": str(name), "value": str(value)} for name, value in cookies.items()]
    return [dict(cookie) for cookie in cookies or []]


class BrowserCookiesMiddleware:
    """Send the cookies a user exported from a browser with every request for that site.

    They go into ``request.cookies`` so that Scrapy's ``CookiesMiddleware`` (which must run after this one,
    priority 700) merges them with cookies the site sets during the crawl; with ``COOKIES_ENABLED = False``
    they are written as the ``Cookie`` header instead. A cookie the request names itself is left alone.
    """

    def __init__(self, cookies: dict[str, dict[str, str]], cookies_enabled: bool) -> None:
        self.cookies = cookies
        self.cookies_enabled = cookies_enabled

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read every site's cookie settings once; a bad setting or file stops the crawl before it starts."""
        settings = crawler.settings
        cookies: dict[str, dict[str, str]] = {}
        for domain, (header_setting, file_setting) in SITES.items():
            found: dict[str, str] = {}
            if path := settings.get(file_setting):
                found.update(load_cookies_file(path, domain))
                if not found:
                    logger.warning("Cookies file %s (%s) has no cookie for %s", path, file_setting, domain)
            try:
                found.update(parse_cookie_header(settings.get(header_setting)))
            except ValueError as error:
                raise ValueError(f"{header_setting}: {error}") from None
            if found:
                cookies[domain] = found
                logger.info(
                    "Sending %d browser cookie(s) to %s: %s", len(found), domain, ", ".join(sorted(found))
                )
        if not cookies:
            raise NotConfigured("no browser cookies configured")
        return cls(cookies, settings.getbool("COOKIES_ENABLED"))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = urlsplit(request.meta.get("canonical_url") or request.url).hostname or ""
        for domain, cookies in self.cookies.items():
            if not on_domain(host, domain):
                continue
            if self.cookies_enabled:
                named = as_cookie_list(request.cookies)
                given = {cookie["name"] for cookie in named}
                request.cookies = named + [
                    {"name": name, "value": value, "path": "/"}
                    for name, value in cookies.items()
                    if name not in given
                ]
            elif b"Cookie" not in request.headers:
                request.headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        return None
