"""Hostile URLs (issue 14): local files, other schemes and private addresses are never fetched, and no URL
written into a post (body, cover, ``link``) runs script.

Every crawl here talks to the loopback fixture server only; the private-address refusal is shown with the
host name ``localhost`` (which resolves to 127.0.0.1) and the fixture server counting that nothing arrived.
"""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.utils.project import get_project_settings

from aggregator.export.hexo import PostFormat, render_post
from aggregator.export.sanitize import clean_body_html
from aggregator.items import Article
from aggregator.run.cli import main
from aggregator.sites.generic import parse_article
from aggregator.web.encoding import decode_html
from pipelines.clean import CleanPipeline
from tests.crawling import FIXTURES, crawl
from tests.fixture_server import FixtureServer
from tests.test_hostile import HOSTILE, xml_escape

SECRET = "root:x:0:0:secret-marker-7f3a"


def teaser_feed(links: list[str]) -> str:
    """An RSS feed of teaser entries (fetch=auto fetches their pages), one per link."""
    items = "".join(
        f"<item><title>条目{n}</title><link>{xml_escape(link)}</link><guid>entry-{n}</guid>"
        "<description>摘要……</description></item>"
        for n, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>源</title>'
        f"{items}</channel></rss>"
    )


def test_feed_entries_linking_local_files_and_other_schemes_are_never_fetched(
    server: FixtureServer, tmp_path: Path
) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n", "utf-8")
    server.add_redirect("/to-file.html", secret.as_uri())
    hostile = [
        f"file://localhost{secret}",
        f"file:{secret}",
        f"FILE://{secret}",
        f"data:text/html,<p>{SECRET}</p>",
        f"ftp://127.0.0.1:{server.httpd.server_address[1]}/passwd",
        f"s3://bucket{secret}",
    ]
    feed = server.add(
        "/feed.xml",
        teaser_feed([*hostile, server.url("/to-file.html")]),
        content_type="application/rss+xml",
    )
    result = crawl("feed", tmp_path / "out", f"url={feed}")
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    for post in result.posts().values():
        assert SECRET not in post.content and "secret-marker" not in str(post.metadata)
    assert len(result.lines("(unsafe_url): only http and https URLs are fetched")) == len(hostile)
    assert re.search(rf"unsafe_url: {len(hostile)}\b", result.log), result.log[-2000:]
    assert server.hits("/passwd") == 0
    # A feed URL given as an argument (on scrapyd: by whoever may schedule a job) is refused before anything
    # is fetched, by the same parameter model that makes `aggregator validate` refuse it in a subscription.
    refused = crawl("feed", tmp_path / "refused", f"url={feed},{secret.as_uri()}")
    assert refused.returncode != 0 and f"url {secret.as_uri()!r} is not an http(s) URL" in refused.log
    assert server.hits("/feed.xml") == 1 and not refused.posts()


def test_scrapy_download_handlers_of_other_schemes_are_off() -> None:
    handlers = get_project_settings().getdict("DOWNLOAD_HANDLERS")
    assert all(handlers[scheme] is None for scheme in ("file", "data", "ftp", "s3"))


def private_address_feed(server: FixtureServer) -> str:
    port = server.httpd.server_address[1]
    server.add("/secret.html", f"<html><body><p>{SECRET}</p></body></html>")
    server.add_redirect("/redirect.html", f"http://localhost:{port}/secret.html")
    links = [f"http://localhost:{port}/secret.html", server.url("/redirect.html")]
    return server.add("/feed.xml", teaser_feed(links), content_type="application/rss+xml")


def test_refuse_private_addresses_after_resolution_and_on_redirects(
    server: FixtureServer, tmp_path: Path
) -> None:
    feed = private_address_feed(server)
    result = crawl(
        "feed",
        tmp_path / "out",
        f"url={feed}",
        # The fixture server itself is on 127.0.0.1: exempt by its literal, so "localhost" is still refused.
        settings={"REFUSE_PRIVATE_ADDRESSES": "True", "PRIVATE_ADDRESSES_ALLOWED_HOSTS": "127.0.0.1"},
    )
    assert result.returncode == 0, result.log[-3000:]
    assert server.hits("/secret.html") == 0
    assert server.hits("/redirect.html") == 1  # the public-looking hop was followed, its target refused
    refused = result.lines("(private_address): localhost")
    assert len(refused) == 2, result.log[-3000:]
    assert all("127.0.0.1, not a public address" in line for line in refused)
    for post in result.posts().values():
        assert SECRET not in post.content


def test_the_resolver_refuses_private_answers_even_without_the_middleware(
    server: FixtureServer, tmp_path: Path
) -> None:
    """Connections resolve through ``PublicAddressResolver``: no earlier check is needed to stay safe.

    A process of its own: the resolver belongs to the reactor, which in-process test crawls share."""
    feed = private_address_feed(server)
    result = crawl(
        "feed",
        tmp_path / "out",
        f"url={feed}",
        process=True,
        settings={
            "REFUSE_PRIVATE_ADDRESSES": "True",
            "PRIVATE_ADDRESSES_ALLOWED_HOSTS": "127.0.0.1",
            "DOWNLOADER_MIDDLEWARES": '{"aggregator.web.refuse.RefusePrivateAddresses": null}',
        },
    )
    assert result.returncode == 0, result.log[-3000:]
    assert server.hits("/secret.html") == 0
    # Scrapy reports a refused resolution as CannotResolveHostError: the page fails, the feed's text is used.
    assert result.lines("failed (CannotResolveHostError")


def test_private_addresses_are_fetched_when_the_setting_is_off(server: FixtureServer, tmp_path: Path) -> None:
    """The default (a desktop crawl) fetches the same pages: the refusal above is the setting's doing."""
    feed = private_address_feed(server)
    result = crawl("feed", tmp_path / "out", f"url={feed}")
    assert result.returncode == 0, result.log[-3000:]
    assert server.hits("/secret.html") == 2


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "::1", "fe80::1",
     "fc00::1", "::ffff:127.0.0.1", "100.64.0.1", "224.0.0.1", "not-an-address"],
)  # fmt: skip
def test_non_public_addresses(address: str) -> None:
    from aggregator.web.safety import is_public_address

    assert not is_public_address(address)


def test_public_addresses() -> None:
    from aggregator.web.safety import is_public_address

    assert is_public_address("93.184.216.34") and is_public_address("2606:2800:220:1::1")


# --- URLs written into posts ------------------------------------------------------------------------------

UNSAFE_URLS = [
    "javascript:alert(document.domain)", "JavaScript:alert(1)", "vbscript:msgbox(1)", "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>", " \x01javascript:alert(1)", "java\tscript:alert(1)",
    "jav&#x09;ascript:alert(1)", "\u200bjavascript:alert(1)", "http:/etc/passwd", "feed:javascript:x",
]  # fmt: skip


def browser_scheme(url: str) -> str:
    """The scheme a browser sees: C0 controls and spaces around the URL and tabs/newlines in it ignored."""
    stripped = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(33)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", stripped)
    return match.group(1).lower() if match else ""


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_unsafe_link_and_cover_never_reach_the_front_matter(url: str) -> None:
    article = Article(url=url, title="标题", body_html="<p>正文</p>", cover=url)
    post = frontmatter.loads(render_post(article, PostFormat()))
    assert "link" not in post and "headimg" not in post and "thumbnail" not in post
    cleaned = CleanPipeline().process_item(
        Article(url="https://news.example/a.html", title="标题", body_html="<p>正文</p>", cover=url)
    )
    assert cleaned.cover == "" or cleaned.cover.startswith("https://news.example/")  # relative: a path


@HOSTILE
@given(
    url=st.lists(
        st.sampled_from(["java", "Script", "script", ":", "\t", "\n", "\x01", " ", "http", "s", "//", "a",
                         "/x", "file", "data", "vb", "\u200b", "%0a", "&#58;", "mailto"]),
        max_size=8,
    ).map("".join)
)  # fmt: skip
def test_safe_url_gives_http_or_nothing(url: str) -> None:
    from aggregator.web.safety import safe_url

    result = safe_url(url, "https://news.example/a/1.html")
    assert result == "" or re.match(r"https?://[^/]", result), result
    assert browser_scheme(result) in ("", "http", "https")
    for fields in ({"url": "https://news.example/a.html", "cover": url}, {"url": url}):
        article = Article(title="t", body_html="<p>x</p>", **fields)
        metadata = frontmatter.loads(render_post(article, PostFormat())).metadata
        for key in ("link", "headimg", "thumbnail"):
            assert browser_scheme(str(metadata.get(key, ""))) in ("", "http", "https"), metadata


# --- Control characters and XML declarations ---------------------------------------------------------------


def test_control_character_references_in_urls_do_not_crash_the_sanitiser() -> None:
    body = (
        '<p>t<img src="/pic&#2;.jpg"><a href="&#1;javascript:alert(1)">a</a><a href="/b&#x1f;.html">b</a></p>'
    )
    assert clean_body_html(body, "https://news.example/a/1.html") == (
        '<p>t<img src="https://news.example/pic.jpg"><a rel="noopener noreferrer">a</a>'
        '<a href="https://news.example/b.html" rel="noopener noreferrer">b</a></p>'
    )


def c919_page(prefix: str = "") -> str:
    page = (FIXTURES / "feed" / "page_c919.html").read_text("utf-8")
    page = page.replace("/tech/images/2024/c919", "/tech/images/2024/c&#2;919", 1)
    return prefix + page.replace("记者从", '记者<a href="&#1;javascript:x">从</a>', 1)


def test_control_character_references_do_not_crash_the_extractor(tmp_path: Path) -> None:
    text, _ = decode_html(c919_page().encode("utf-8"), "text/html; charset=utf-8")
    page = parse_article(text, "https://news.example/a/1.html")
    assert "国产大飞机C919" in page.body_html and not re.search("[\x01\x02]", page.body_html)
    file = tmp_path / "page.html"
    file.write_text(c919_page(), "utf-8")
    assert main(["extract", str(file), "--url", "https://news.example/a/1.html"]) == 0


def test_an_xhtml_page_with_an_xml_declaration_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    declaration = '<?xml version="1.0" encoding="utf-8"?>\n'
    text, _ = decode_html(c919_page(declaration).encode("utf-8"), None)
    assert "国产大飞机C919" in parse_article(text, "https://news.example/a/1.html").body_html
    file = tmp_path / "page.xhtml"
    file.write_bytes(("\ufeff" + c919_page(declaration)).encode("utf-8"))
    assert main(["extract", str(file), "--url", "https://news.example/a/1.html"]) == 0
    assert "国产大飞机C919" in capsys.readouterr().out


def test_body_urls_with_any_case_or_hidden_characters_are_refused() -> None:
    for url in UNSAFE_URLS:
        body = f'<p>x<a href="{url}">a</a><img src="{url}"><q cite="{url}">q</q></p>'
        cleaned = clean_body_html(body, "https://news.example/a/1.html")
        assert "script" not in cleaned.lower() and "file:" not in cleaned and "data:" not in cleaned, cleaned
