"""Browser-grade TLS is opt-in per site: only the site's requests are marked for curl_cffi.

The crawls through the impersonating handler are in ``test_zaker_crawl.py`` and ``test_waf.py`` (the
``handler`` fixture runs them with both handlers); these check the wiring around it.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from aggregator import settings as project_settings
from aggregator.web.impersonate import CURL_ERRORS, HANDLER, Impersonation, SiteImpersonationMiddleware


def project(**overrides: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def test_the_add_on_is_inert_without_a_site_setting() -> None:
    settings = project()
    Impersonation().update_settings(settings)
    assert HANDLER not in settings.getdict("DOWNLOAD_HANDLERS").values()
    assert CURL_ERRORS not in settings.getlist("RETRY_EXCEPTIONS")


def test_the_add_on_installs_the_handler_when_a_site_asks() -> None:
    settings = project(ZAKER_IMPERSONATE="chrome")
    Impersonation().update_settings(settings)
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    assert handlers["http"] == handlers["https"] == HANDLER
    assert "aggregator.web.impersonate.SiteImpersonationMiddleware" in settings.getdict(
        "DOWNLOADER_MIDDLEWARES"
    )
    assert CURL_ERRORS in settings.getlist("RETRY_EXCEPTIONS")  # curl's network errors are retried too


def test_only_the_sites_requests_are_impersonated() -> None:
    crawler = get_crawler(settings_dict={"ZAKER_IMPERSONATE": "chrome131", "DOWNLOAD_TIMEOUT": 17})
    middleware = SiteImpersonationMiddleware.from_crawler(crawler)
    zaker = Request(
        "http://127.0.0.1:8080/zaker/article/611efbd68e9f0972d25236fc",
        meta={"canonical_url": "https://www.myzaker.com/article/611efbd68e9f0972d25236fc"},
        cookies=[{"name": "sl-session", "value": "abc", "path": "/"}],
    )
    middleware.process_request(zaker)
    assert zaker.meta["impersonate"] == "chrome131"
    assert zaker.meta["impersonate_args"] == {"timeout": 17}
    assert zaker.cookies == {}  # sent in the Cookie header Scrapy's cookie middleware wrote already
    for url in (
        "https://news.cctv.com/2022/10/14/ARTIq5yJZw5sQ2kFbnJvK7cP221014.shtml",
        "https://example.com/",
    ):
        other = Request(url)
        middleware.process_request(other)
        assert "impersonate" not in other.meta
    chosen = Request("https://www.myzaker.com/", meta={"impersonate": "safari184"})
    middleware.process_request(chosen)
    assert chosen.meta["impersonate"] == "safari184"  # a request that chose its browser keeps it
