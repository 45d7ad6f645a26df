"""Every firewall answer the sites give: one classifier, one outcome.

Each form has a fixture in ``tests/fixtures/waf`` (the v1 challenge RSSHub solves is
``tests/fixtures/zaker/challenge``). The classifier must name each form and no real page; a ZAKER crawl that
meets any of them must end the same way — one ERROR naming the form with the advice, the crawl stopped as
``blocked_by_waf`` after ``ZAKER_MAX_CHALLENGES``, exit status 1 — and never as per-article errors.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from aggregator.run.summary import judge
from aggregator.web.challenge import FORMS, SOLVABLE, advice, classify
from tests.crawling import FIXTURES
from tests.fixture_cases import case, cases
from tests.fixture_server import FixtureServer
from tests.test_zaker_crawl import ARTICLE_CASES, article_path, check_handler, serve_zaker, summary_line

WAF = FIXTURES / "waf"
CASES = [found.name for found in cases("waf")]
V1 = FIXTURES / "zaker" / "challenge" / "page.html"


def load(name: str) -> tuple[bytes, dict[str, Any]]:
    """The page and what serving and classifying it must give (``expected.json``)."""
    found = case("waf", name)
    return found.page_bytes(), found.expected


def cookie_names(meta: dict[str, Any]) -> list[str]:
    cookie = meta["headers"].get("Set-Cookie")
    return [cookie.split("=", 1)[0]] if cookie else []


def every_form() -> list[tuple[str, bytes, int, dict[str, str]]]:
    """(form, body, status, headers) for every fixture, the v1 page included (served as SafeLine does)."""
    forms = [("safeline-v1", V1.read_bytes(), 200, {"Set-Cookie": "sl-session=v1; Path=/"})]
    for name in CASES:
        body, meta = load(name)
        forms.append((meta["form"], body, meta["status"], meta["headers"]))
    return forms


def test_every_form_has_a_fixture() -> None:
    assert {form for form, *_ in every_form()} == set(FORMS)
    assert {case("waf", name).provenance for name in CASES} == {"reconstructed"}  # no real page was captured


@pytest.mark.parametrize("name", CASES)
def test_classifier_names_each_form(name: str) -> None:
    body, meta = load(name)
    found = classify(meta["status"], body.decode("utf-8"), cookie_names(meta))
    assert found is not None and found.form == meta["form"] and found.detail == meta["detail"]
    assert found.label in str(found) and f"HTTP {meta['status']}" in str(found)


def test_v1_challenge_and_its_once_id() -> None:
    found = classify(200, V1.read_text(encoding="utf-8"))
    assert found is not None and found.form == "safeline-v1"
    assert found.detail == "once_id=7f1c2e9a4b6d4e0f8a3b5c7d9e1f2a4b"


def real_pages() -> list[Path]:
    pages = [p for p in (FIXTURES / "zaker").glob("*/page.*") if p.parent.name != "challenge"]
    pages += list((FIXTURES / "cctv").glob("*/page.*")) + list((FIXTURES / "feed").glob("*.html"))
    return sorted(pages)


def test_no_page_of_the_sites_is_taken_for_a_refusal() -> None:
    pages = real_pages()
    assert len(pages) > 20
    for page in pages:
        text = page.read_bytes().decode("utf-8", errors="replace")
        assert classify(200, text) is None, page
        assert classify(404, text) is None, page  # an ordinary error stays an ordinary error


def test_an_article_quoting_the_markers_is_still_an_article() -> None:
    page = (FIXTURES / "zaker" / "article_windows_hello" / "page.html").read_text(encoding="utf-8")
    quoted = '<pre>SafeLineChallenge("abc", {level: 1}); window.captcha = {once_id: "x"}; cbk_var</pre>'
    text = page.replace("</body>", quoted + "</body>")
    assert classify(200, text) is None
    assert classify(468, text) is not None  # SafeLine's own status is never a page


def test_advice_names_every_remedy() -> None:
    for form in FORMS:
        from aggregator.web.challenge import Refusal

        text = advice(Refusal(form, 403), "ZAKER")
        for remedy in ("ZAKER_COOKIES", "ZAKER_COOKIES_FILE", "DOWNLOAD_DELAY", "ZAKER_IMPERSONATE"):
            assert remedy in text, (form, remedy)
        assert ("ZAKER_SOLVE_CHALLENGE" in text) == (form in SOLVABLE)
        assert "docs/waf.md" in text


def blocked_run(server: FixtureServer, run_crawl, body: bytes, status: int, headers: dict, more: dict) -> Any:
    settings = {**serve_zaker(server), **more}
    for name in ARTICLE_CASES:
        server.add(article_path(name), body, status=status, headers=headers)
    slow = {
        **settings,
        "ZAKER_MAX_CHALLENGES": "3",
        "DOWNLOAD_DELAY": "0.3",
        "RETRY_TIMES": "1",
        "BACKOFF_BASE_DELAY": "0.1",
    }
    return run_crawl("zaker", "channel=13", settings=slow)


@pytest.mark.slow  # waits on real back-off, timeouts or worker restarts: out of make test-fast
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_form_ends_the_crawl_the_same_way(
    server: FixtureServer, run_crawl, form: str, handler: dict[str, str]
) -> None:
    _, body, status, headers = next(f for f in every_form() if f[0] == form)
    result = blocked_run(server, run_crawl, body, status, headers, handler)
    assert result.returncode == 1, result.log[-3000:]
    check_handler(result, handler)
    assert result.posts() == {}
    errors = result.lines("[zaker] ERROR:")  # the spider's one line; Scrapy's exit line is separate
    assert len(errors) == 1, errors
    assert FORMS[form] in errors[0] and "(blocked)" in errors[0]
    for remedy in ("ZAKER_COOKIES_FILE", "DOWNLOAD_DELAY", "ZAKER_IMPERSONATE", "docs/waf.md"):
        assert remedy in errors[0]
    assert "finished (blocked_by_waf)" in summary_line(result)
    assert result.lines("Stopping the crawl: 3 pages refused by the site (ZAKER_MAX_CHALLENGES=3)")
    assert result.lines("Crawl of zaker failed: stopped at the site's firewall")
    for symptom in ("could not be fetched", "unknown_layout", "http_error", "video_no_text"):
        assert not result.lines(symptom), symptom
    articles = [path for path, _ in server.requests if path.startswith("/zaker/article/")]
    retries = 2 if form == "http-429" else 1  # RETRY_TIMES=1: a 429 is asked twice before it counts
    # Stopped: not every article asked for (as often as its retries allow).
    assert len(set(articles)) >= 3 and len(articles) < len(ARTICLE_CASES) * retries, articles


def test_a_host_that_keeps_refusing_is_no_longer_asked(server: FixtureServer, run_crawl) -> None:
    """The feed spider has no site settings: the wall itself is its one ERROR, with the counts."""
    feed_items = "".join(
        f"<item><title>Story {n}</title><link>{server.base}/story/{n}.html</link>"
        f"<guid>{server.base}/story/{n}.html</guid><description>short {n}</description></item>"
        for n in range(8)
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Walled</title>{feed_items}</channel></rss>'
    )
    url = server.add("/feed.xml", feed, content_type="application/rss+xml")
    for n in range(8):
        server.add(f"/story/{n}.html", "Forbidden", status=403, content_type="text/plain")
    result = run_crawl(
        "feed", f"url={url}", "fetch=always", settings={"CONCURRENT_REQUESTS": "1", "WALL_MAX_REFUSALS": "3"}
    )
    walls = result.lines("Stopped requesting 127.0.0.1 for this run")
    assert len(walls) == 1 and "] ERROR:" in walls[0], result.log[-3000:]
    assert "it refused 3 requests after back-off (HTTP 403: 3; WALL_MAX_REFUSALS=3)" in walls[0]
    assert len(result.lines("] ERROR:")) == 2  # the wall, and the exit line saying why
    assert sum(1 for path, _ in server.requests if path.startswith("/story/")) == 3
    assert len(result.posts()) == 8  # the feed's own text stands in for the pages not asked for
    assert result.returncode == 1
    assert result.lines("Crawl of feed failed: 127.0.0.1 refused too often and was no longer asked")


def test_judge_reports_blocked_runs() -> None:
    assert judge({}, "blocked_by_waf")[0] == "blocked"
    stats = {"aggregator/walled/www.myzaker.com": 3, "item_scraped_count": 2}
    status, why = judge(stats, "finished")
    assert status == "blocked" and why.startswith("www.myzaker.com refused too often")
    assert judge({"item_scraped_count": 2}, "finished") == ("ok", "")


def test_quoted_once_id_is_what_the_solver_reads() -> None:
    from aggregator.web.safeline import once_id

    body, meta = load("safeline_v1_quoted")
    assert f"once_id={once_id(body.decode())}" == meta["detail"]
    assert re.fullmatch(r"\w+", once_id(V1.read_text(encoding="utf-8")) or "")


@pytest.mark.slow  # waits on real back-off, timeouts or worker restarts: out of make test-fast
def test_aggregator_crawl_reports_blocked_subscriptions(server: FixtureServer, tmp_path: Path) -> None:
    """The summary table and ``aggregator list`` say BLOCKED, and why, for a WAF stop and for a wall."""
    from tests.test_operations import aggregator

    settings = serve_zaker(server)
    server.add("/zaker/channel/660", V1.read_bytes(), headers={"Set-Cookie": "sl-session=v1; Path=/"})
    items = "".join(
        f"<item><title>Story {n}</title><link>{server.base}/story/{n}.html</link>"
        f"<description>short {n}</description></item>"
        for n in range(5)
    )
    feed = server.add("/feed.xml", f'<rss version="2.0"><channel><title>W</title>{items}</channel></rss>')
    for n in range(5):
        server.add(f"/story/{n}.html", "Forbidden", status=403, content_type="text/plain")
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(
        f"subscriptions:\n  - name: tech\n    zaker: {{channel: 660}}\n  - name: walled\n    feed: {feed}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    options = ["-s", f"OUTPUT_DIR={out}", "-s", f"ZAKER_BASE_URL={settings['ZAKER_BASE_URL']}"]
    options += ["-s", "ZAKER_MAX_CHALLENGES=1", "-s", "FEED_FETCH_PAGES=always", "-s", "DOWNLOAD_DELAY=0"]
    result = aggregator("crawl", "--subscriptions", str(subscriptions), *options)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:] if line and line[0] != " "}
    assert "BLOCKED: stopped at the site's firewall" in rows["tech"]
    assert "BLOCKED: 127.0.0.1 refused too often and was no longer asked" in rows["walled"]
    listing = aggregator("list", "--subscriptions", str(subscriptions), "-s", f"OUTPUT_DIR={out}")
    assert "blocked: stopped at the site's firewall" in listing.stdout
