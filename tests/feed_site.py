"""The feed fixture site, shared by the feed crawl and the Hexo render tests."""

from __future__ import annotations

from tests.crawling import FIXTURES
from tests.fixture_server import FixtureServer

FEEDS = FIXTURES / "feed"


def serve_feed_site(server: FixtureServer) -> dict[str, str]:
    """The fixture feeds and the pages they link, served as a real site would serve them."""
    summary = (FEEDS / "summary_only.xml").read_text(encoding="utf-8").replace("__BASE__", server.base)
    server.add("/tech/2024/0301/c919.html", (FEEDS / "page_c919.html").read_bytes())
    # Served without a charset in Content-Type: the page declares gb2312 only in its <meta>.
    server.add(
        "/tech/2024/0302/charging.html",
        (FEEDS / "page_charging_gbk.html").read_bytes(),
        content_type="text/html",
    )
    server.add("/tech/undated.html", (FEEDS / "page_undated.html").read_bytes())
    return {
        "summary": server.add(
            "/feeds/summary.xml", summary, content_type="application/rss+xml; charset=utf-8"
        ),
        "atom": server.add(
            "/feeds/atom.xml", (FEEDS / "atom.xml").read_bytes(), content_type="application/atom+xml"
        ),
        "rsshub": server.add(
            "/zaker/source/12291",
            (FEEDS / "rsshub_zaker_source.xml").read_bytes(),
            content_type="application/xml; charset=utf-8",
        ),
    }
