"""Hostile input: titles, bodies and files built to break the front matter, the file system or the reader.

Property-based tests (hypothesis) run the pure steps a crawl runs — the Clean and Extract pipelines, the
exporter's rendering and file naming, the sanitiser — on text drawn from the nasty cases; end-to-end crawls
serve the same cases in a feed, and malformed feeds and pages next to good ones.
"""

from __future__ import annotations

import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import frontmatter
import lxml.html
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from aggregator.export.files import PostNaming, resolve_inside, write_atomic
from aggregator.export.hexo import PostFormat, render_body, render_post
from aggregator.export.sanitize import clean_body_html, clean_title
from aggregator.items import Article
from aggregator.sites.base import PageError
from aggregator.sites.feed import parse_feed
from aggregator.sites.generic import parse_article
from aggregator.web.encoding import decode_html
from pipelines.clean import CleanPipeline
from pipelines.extract import ExtractPipeline
from tests.crawling import FIXTURES, crawl
from tests.fixture_server import FixtureServer

NASTY_TEXT = [
    "'", '"', "''", ': ', '#', '# not a comment', '---', '\n---\n', '...', '- ', '? ', '! ', '&a', '*a',
    '|', '>', '%', '@', '`', '{', '}', '[', ']', ',', '\\', '\n', '\r\n', '\t', '\x00', '\x01', '\x1b',
    '\x7f', '\x85', '\u2028', '\u2029', '\u200b', '\ufeff', '\u200e', '\u200f', '\u202e', '\u2066', '😀',
    '👨\u200d👩\u200d👧', '中文标题', 'عربي', '{{ site.title }}', '{% raw %}', '{# c #}', '</div>', '<div>',
    '<script>alert(1)</script>', '<img src=x onerror="alert(1)">', 'javascript:alert(1)',
    'data:text/html,<script>x</script>', '../../etc/passwd', '..\\..\\windows', '/etc/passwd', 'CON',
    'nul.txt', '.hidden', '~', 'null', 'true', '0x1F', '2024-01-01', '1e3', '<<: *a',
    '!!python/object:os.system',
]  # fmt: skip
"""Pieces a hostile title or body is made of: YAML syntax, control and bidirectional characters, template
markers, markup, URL schemes, path tricks."""

NASTY_HTML = [
    '<script>alert(1)</script>', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<img src=x onerror="alert(1)">', '<img src="javascript:alert(1)">',
    '<img data-original="javascript:alert(1)" src="/grey.gif">', '<img srcset="javascript:alert(1) 1x">',
    '<a href="javascript:alert(1)">a</a>', '<a href="JaVaScRiPt:alert(1)">a</a>',
    '<a href="java\tscript:alert(1)">a</a>', '<a href="&#106;avascript:alert(1)">a</a>',
    '<a href="vbscript:msgbox(1)">a</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<svg><script>alert(1)</script></svg>', '<svg onload=alert(1)><circle/></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="https://evil.example"></iframe>', '<object data="x.swf"></object>', '<embed src=x.swf>',
    '<form action="javascript:alert(1)"><input onfocus=alert(1) autofocus></form>',
    '<p style="background:url(javascript:alert(1))">styled</p>', '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', '<style>*{color:red}</style>',
    '<blockquote cite="javascript:alert(1)">quote</blockquote>', '<div onclick="alert(1)">click</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<!--<script>x</script>-->',
    '</div></div></body></html>', '<p>unclosed <b>bold <i>both', '<table><tr><td>cell', '<p>段落</p>',
    '<p><img src="/images/ok.jpg" alt="ok"></p>', '<a href="/relative/page.html">relative</a>',
    '{{ page.title }}', '{% if true %}x{% endif %}', '<p>\x00\x01\x1b</p>',
]  # fmt: skip
"""Pieces a hostile body is made of: every way of getting script into a page that we know of."""

EXECUTABLE_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "svg", "math", "style", "form",
                   "input", "button", "base", "meta", "link", "noscript", "template"}  # fmt: skip
URL_ATTRIBUTES = ("href", "src", "cite", "srcset", "action", "formaction", "data", "background", "poster")
URL_IGNORED = re.compile(r"[\x00-\x20]")

nasty_text = st.lists(st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=12)), max_size=8).map("".join)
nasty_html = st.lists(st.one_of(st.sampled_from(NASTY_HTML), st.text(max_size=12)), max_size=8).map("".join)
# Twice the examples of the loaded profile (200 in a full run; fewer in `make test-fast`, tests/conftest.py).
HOSTILE = settings(
    max_examples=2 * settings.default.max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def assert_not_executable(body: str) -> None:
    """No tag that runs or embeds anything, no event handler or style, no URL but http(s)/mailto/relative."""
    if not body.strip():
        return
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag.lower() not in EXECUTABLE_TAGS, body
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and name.lower() != "style", body
            if name.lower() in URL_ATTRIBUTES:
                scheme = urlsplit(URL_IGNORED.sub("", value)).scheme.lower()
                assert scheme in ("", "http", "https", "mailto"), (name, value)


def exported(
    title: str, body_html: str, url: str = "https://news.example/a/1.html", **fields: Any
) -> Article:
    """An article as it reaches the exporter: through the Clean and Extract pipelines a crawl runs."""
    fields = {"site": "站点", "published": datetime(2024, 3, 1, 2, 0, tzinfo=UTC), **fields}
    article = Article(
        url=url, guid=url, feed="https://news.example/feed", title=title, body_html=body_html, **fields
    )
    article = CleanPipeline().process_item(article)
    return ExtractPipeline(datetime(2024, 3, 1, tzinfo=UTC)).process_item(article)


@HOSTILE
@given(title=nasty_text, body=nasty_html, body_format=st.sampled_from(["html", "markdown"]))
@example(title="x" * 10_000, body="<p>long</p>", body_format="html")
@example(title="---\ntitle: injected\n---", body="---\nlayout: false\n---", body_format="markdown")
@example(title="'; rm -rf / #", body="{{ config }}", body_format="html")
def test_a_post_reads_back_its_own_title_and_runs_nothing(title: str, body: str, body_format: str) -> None:
    assume(clean_title(title))  # an article without a title is dropped before the exporter
    article = exported(title, body, tags=[title, "标签"], categories=["新媒体", title])
    text = render_post(article, PostFormat(body_format=body_format))
    post = frontmatter.loads(text)
    assert post["title"] == clean_title(title) == article.title
    assert post["link"] == article.url and post["comments"] is False
    assert set(post.keys()) <= {"title", "categories", "headimg", "author", "comments", "date", "thumbnail",
                                "tags", "updated", "link", "disableNunjucks"}  # fmt: skip
    if re.search(r"\{[{%#]", post.content):
        assert post["disableNunjucks"] is True
    if body_format == "html":
        assert text.endswith("</div>\n") and post.content.count("\n") <= 2  # one line: Markdown leaves it be
        assert_not_executable(post.content)
    else:
        assert "<script" not in post.content.lower() and "javascript:" not in post.content.lower()


@HOSTILE
@given(body=nasty_html)
def test_the_sanitiser_never_lets_script_through(body: str) -> None:
    cleaned = clean_body_html(body, "https://news.example/a/1.html")
    assert_not_executable(cleaned)
    assert_not_executable(render_body(cleaned, PostFormat()))
    assert clean_body_html(cleaned, "https://news.example/a/1.html") == cleaned  # nothing left to clean


@pytest.mark.parametrize(
    ("body", "cleaned"),
    [
        # nh3 filters the schemes of href and src, not of cite: the lxml pass must.
        ('<blockquote cite="javascript:alert(1)">q</blockquote>', "<blockquote>q</blockquote>"),
        ('<q cite="/source.html">q</q>', '<q cite="https://news.example/source.html">q</q>'),
        # Browsers delete tabs and newlines inside URLs: this is javascript: to them.
        ('<a href="java\tscript:alert(1)">a</a>', '<a rel="noopener noreferrer">a</a>'),
        # An image whose only source is not http(s) is dropped, not left behind without a src.
        ('<p>x<img data-original="javascript:alert(1)" src="/grey.gif"></p>', "<p>x</p>"),
        ('<p>x<img srcset="javascript:alert(1) 1x"></p>', "<p>x</p>"),
        # Control characters are not content (lxml turned NUL into U+FFFD, which then showed in the post).
        ("<p>a\x00b\x01c\x1bd</p>", "<p>abcd</p>"),
    ],
)
def test_sanitiser_fixes(body: str, cleaned: str) -> None:
    assert clean_body_html(body, "https://news.example/a/1.html") == cleaned


@HOSTILE
@given(
    title=nasty_text,
    site=nasty_text,
    path=st.sampled_from(["/a/1.html", "/../../etc/passwd", "/%2e%2e/%2e%2e/x", "/中文/页面?id=1#frag", "/"]),
    pattern=st.sampled_from(["{slug}-{id}", "{site}/{slug}-{id}", "{date:%Y/%m}/{slug}-{id}", "{slug}/{id}"]),
)
@example(title="../../etc/passwd", site="../..", path="/a", pattern="{site}/{slug}-{id}")
@example(title="é" * 10_000, site="x", path="/a", pattern="{slug}-{id}")
def test_a_post_file_stays_inside_output_dir(title: str, site: str, path: str, pattern: str) -> None:
    article = exported(title, "<p>正文</p>", url=f"https://news.example{path}", site=site)
    naming = PostNaming(pattern=pattern, slug_max_length=10_000)
    relative = naming.relative_path(article)
    assert relative.suffix == ".md" and not relative.is_absolute()
    for part in relative.parts:
        assert part not in (".", "..") and not part.startswith(".")
        assert len(part.encode("utf-8")) <= 255 and not re.search(r'[\x00-\x1f\x7f/\\<>:"|?*]', part)
    with tempfile.TemporaryDirectory() as folder:
        output_dir = Path(folder) / "output"
        target = resolve_inside(output_dir, relative)
        assert output_dir.resolve() in target.parents
        assert write_atomic(target, render_post(article, PostFormat()))  # the file system takes the name
        assert [p.relative_to(output_dir) for p in output_dir.rglob("*") if p.is_file()] == [Path(relative)]


def test_a_windows_reserved_name_does_not_hide_the_post_from_hexo() -> None:
    article = exported("CON", "<p>正文</p>", site="NUL")
    relative = PostNaming(pattern="{site}/{slug}/{id}").relative_path(article)
    assert not any(part.startswith(("_", ".")) for part in PurePosixPath(relative).parts), relative


# --- End to end ---------------------------------------------------------------------------------------

HOSTILE_ENTRIES = [
    ("冒号: 引号 'single' \"double\" # 井号", "<p>正文一</p><script>alert(1)</script>"),
    ("---", '<p>正文二 <img src=x onerror="alert(1)"></p>'),
    ("RTL \u202egnp.exe\u202c and \u200f marks 😀", '<p><a href="javascript:alert(1)">链接</a> 正文三</p>'),
    ("{{ site.title }} {% raw %} {# x #}", '<p>正文四 <a href="data:text/html,x">数据</a></p>'),
    ("</div><script>alert('title')</script>", "<svg><script>alert(1)</script></svg><p>正文五</p>"),
    ("../../etc/passwd", '<p>正文六</p><iframe src="https://evil.example"></iframe>'),
    ("标题" * 5_000, "<p>正文七 {{ page.path }}</p>"),
    ("CON", '<p style="x">正文八</p><img src="data:image/svg+xml;base64,PHN2Zz4=">'),
]
"""(title, body) of each entry of the hostile feed; titles and bodies are escaped into the XML properly."""


def xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hostile_feed(server: FixtureServer) -> str:
    items = "".join(
        f"<item><title>{xml_escape(title)}</title><link>{server.url(f'/hostile/{number}.html')}</link>"
        f"<guid>hostile-{number}</guid><description>{xml_escape(body)}</description>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        for number, (title, body) in enumerate(HOSTILE_ENTRIES)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>恶意</title>'
        f"{items}</channel></rss>"
    )


def test_a_hostile_feed_gives_safe_posts_inside_output_dir(server: FixtureServer, tmp_path: Path) -> None:
    feed = server.add("/hostile.xml", hostile_feed(server), content_type="application/rss+xml")
    out = tmp_path / "out"
    result = crawl("feed", out, f"url={feed}", "fetch=never")
    assert result.returncode == 0, result.log[-3000:]
    posts = result.posts()
    assert len(posts) == len(HOSTILE_ENTRIES), result.log[-3000:]
    for number, (title, _) in enumerate(HOSTILE_ENTRIES):
        post = result.post_by_link(server.url(f"/hostile/{number}.html"))
        assert post["title"] == clean_title(title)
        assert f"正文{'一二三四五六七八'[number]}" in post.content
        assert_not_executable(post.content)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert all(out.resolve() in path.resolve().parents for path in files)
    assert "Traceback" not in result.log


def gbk_feed_saying_utf8(link: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>错字</title>'
        f"<item><title>错误的字符集</title><link>{link}</link>"
        "<description>编码</description></item></channel></rss>"
    ).encode("gbk")


def test_malformed_feeds_and_pages_are_one_error_each(server: FixtureServer, tmp_path: Path) -> None:
    gbk_page = (FIXTURES / "feed" / "page_charging_gbk.html").read_bytes()
    good_page = (FIXTURES / "feed" / "page_c919.html").read_text(encoding="utf-8")
    pages = {
        "gbk_labelled_utf8": server.add("/gbk.html", gbk_page, content_type="text/html; charset=utf-8"),
        "broken_html": server.add("/broken.html", good_page.replace("</div>", "</span></td>")[:-300]),
        "binary": server.add("/binary.html", bytes(range(256)) * 40, content_type="text/html"),
        "json": server.add("/json.html", '{"title": "不是网页"', content_type="application/json"),
    }
    items = "".join(
        f"<item><title>第{n}篇</title><link>{url}</link><description>摘要</description></item>"
        for n, url in enumerate(pages.values())
    )
    readable = server.add(
        "/unclosed.xml",
        f'<rss version="2.0"><channel><title>半截</title>{items}<item><title>未闭合',
        content_type="application/rss+xml",
    )
    garbage = server.add("/garbage.xml", bytes(range(256)) * 8, content_type="application/rss+xml")
    jsonp = server.add("/jsonp.xml", 'callback({"rss": [1, 2', content_type="application/javascript")
    latin1 = server.add(
        "/wrong-charset.xml",
        gbk_feed_saying_utf8(server.url("/gbk.html")),
        content_type="application/rss+xml; charset=utf-8",
    )
    result = crawl("feed", tmp_path / "out", f"url={garbage},{jsonp},{latin1},{readable}", "fetch=always")
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log and not result.lines("Spider error processing")
    assert len(result.lines(f"Feed {garbage} is unreadable")) == 1
    assert len(result.lines(f"Feed {jsonp} is unreadable")) == 1
    assert len(result.lines(f"Feed {readable}: feed has markup errors")) == 1
    gbk = result.post_by_link(pages["gbk_labelled_utf8"])
    assert "充电" in gbk.content and "\ufffd" not in gbk.content  # decoded as GBK, its real charset
    for name in ("broken_html", "json"):
        post = result.post_by_link(pages[name])
        assert "\ufffd" not in post.content and "\x00" not in post.content, name
    assert "\x00" not in result.post_by_link(pages["binary"]).content  # and see the binary-bytes test below


def test_a_page_of_binary_bytes_is_not_an_article() -> None:
    text, _ = decode_html(bytes(range(256)) * 40, "text/html")
    with pytest.raises(PageError):
        parse_article(text, "https://news.example/a/1.html")


def test_a_feed_in_the_wrong_charset_is_read_right_or_reported() -> None:
    feed = parse_feed(
        gbk_feed_saying_utf8("http://127.0.0.1:9/gbk.html"),
        "https://news.example/feed.xml",
        "application/rss+xml; charset=utf-8",
    )
    assert feed.entries[0].title == "错误的字符集" or feed.warning
