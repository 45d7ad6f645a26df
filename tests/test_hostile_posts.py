"""Hostile input reaching the post (issue 14): Markdown bodies, file names, nesting, labels, YAML scalars and
asset tags. Markdown and YAML are checked with the libraries Hexo itself runs (marked, js-yaml)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import frontmatter
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aggregator.export.hexo import PostFormat, render_body, render_post
from aggregator.export.sanitize import clean_body_html
from aggregator.items import Article
from tests.node_tools import marked
from tests.test_hostile import HOSTILE, NASTY_HTML, assert_not_executable, exported

MARKDOWN = PostFormat(body_format="markdown")

TEXT_THAT_LOOKS_LIKE_MARKUP = [
    "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "<p>[x](javascript:alert(1))</p>",
    "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
    "<p>![x](javascript:alert(1)) and <javascript:alert(1)></p>",
    '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>',
    "<p>&lt;iframe src=//evil.example&gt;&lt;/iframe&gt;</p>",
    "<p>[x]: javascript:alert(1)</p><p>[x]</p>",
    "<ul><li>&lt;svg onload=alert(1)&gt;</li></ul>",
    "<blockquote>&lt;style&gt;*{}&lt;/style&gt;</blockquote>",
    '<p><a href="https://a.example/x) [y](javascript:alert(1)">t</a></p>',
    '<p><img src="https://a.example/i.jpg" alt="a](x) [y](javascript:alert(1)"></p>',
    '<p><a href="https://a.example/" title="t&quot; onmouseover=&quot;alert(1)">t</a></p>',
]


def visible_text(html: str) -> str:
    import lxml.html

    return re.sub(r"\s+", "", lxml.html.fragment_fromstring(html, create_parent="div").text_content())


@pytest.mark.hexo
def test_markdown_mode_keeps_escaped_text_as_text() -> None:
    bodies = [clean_body_html(body, "https://news.example/a.html") for body in TEXT_THAT_LOOKS_LIKE_MARKUP]
    markdown = [render_body(body, MARKDOWN) for body in bodies]
    for text in markdown:
        assert not re.search(r"(?<!\\)<[a-zA-Z/!?]", text), text  # no raw HTML tag, comment or autolink
    rendered = marked(markdown)
    for body, html in zip(bodies, rendered, strict=True):
        assert_not_executable(html)
        assert visible_text(html) == visible_text(body), (body, html)  # the reader sees the same text


@HOSTILE
@given(body=st.lists(st.one_of(st.sampled_from(NASTY_HTML + TEXT_THAT_LOOKS_LIKE_MARKUP),
                               st.text(max_size=12)), max_size=6).map("".join))  # fmt: skip
def test_markdown_of_any_body_has_no_raw_html_and_no_unsafe_link(body: str) -> None:
    cleaned = clean_body_html(body, "https://news.example/a.html")
    text = render_body(cleaned, MARKDOWN)
    assert not re.search(r"(?<!\\)<[a-zA-Z/!?]", text), text
    for url in re.findall(r"(?<!\\)\]\(([^)\s]*)", text):
        assert url.startswith(("https://", "http://", "mailto:")) or not re.match(
            r"[a-zA-Z][\w+.-]*:", url
        ), text


@pytest.mark.hexo
def test_markdown_bodies_render_safely_in_marked_in_bulk() -> None:
    """The property above, checked by marked itself on every nasty piece at once (one node process)."""
    bodies = [clean_body_html(body, "https://news.example/a.html") for body in NASTY_HTML]
    for html in marked([render_body(body, MARKDOWN) for body in bodies]):
        assert_not_executable(html)


# --- Post ids are never cut ---------------------------------------------------------------------------------


def naming_article(title: str, url: str) -> Article:
    return exported(title, "<p>正文</p>", url=url)


@pytest.mark.parametrize(
    ("titles", "slug_max_length"),
    [
        (["𠀀" * 60, "𠁀" * 60], 60),  # four-byte letters: 240 bytes of slug
        (["中" * 66 + "甲" * 14, "中" * 66 + "乙" * 14], 80),  # first 66 characters shared
        (["中" * 200, "中" * 200], 10_000),
    ],
)
def test_the_post_id_survives_the_file_name_byte_cap(titles: list[str], slug_max_length: int) -> None:
    from aggregator.export.files import PostNaming
    from aggregator.web.urls import url_id

    naming = PostNaming(slug_max_length=slug_max_length)
    urls = [f"https://news.example/a/{n}.html" for n in range(len(titles))]
    paths = [
        naming.relative_path(naming_article(title, url)) for title, url in zip(titles, urls, strict=True)
    ]
    assert len(set(paths)) == len(paths)
    for path, url in zip(paths, urls, strict=True):
        assert path.name.endswith(f"-{url_id(url)}.md") and len(path.name.encode()) <= 255, path


@HOSTILE
@given(
    title=st.text(min_size=1, max_size=300),
    site=st.text(max_size=300),
    pattern=st.sampled_from(["{slug}-{id}", "{site}-{slug}-{id}", "{slug}{site}{id}", "{site}/{slug}-{id}"]),
)
@example(title="中" * 300, site="站" * 300, pattern="{site}-{slug}-{id}")
def test_the_id_is_always_in_the_file_name(title: str, site: str, pattern: str) -> None:
    from aggregator.export.files import PostNaming
    from aggregator.web.urls import url_id

    url = "https://news.example/a/1.html"
    article = exported(title or "t", "<p>正文</p>", url=url, site=site)
    path = PostNaming(pattern=pattern, slug_max_length=10_000).relative_path(article)
    assert url_id(url) in path.name and all(len(part.encode()) <= 255 for part in path.parts), path


# --- Deep nesting -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [300, 400, 1000])
def test_deep_nesting_is_not_silently_truncated(depth: int, caplog: pytest.LogCaptureFixture) -> None:
    lines = "".join(f"<font>line {n}<br>" for n in range(depth))
    body = f"<p>{lines}</p><p>the end</p>"
    cleaned = clean_body_html(body, "https://news.example/a.html")
    text = visible_text(cleaned)
    for fmt in (PostFormat(), MARKDOWN):
        rendered = render_body(cleaned, fmt)
        assert f"line{depth - 1}" in re.sub(r"\s+", "", rendered) and "theend" in re.sub(r"\s+", "", rendered)
    assert f"line{depth - 1}" in text and "theend" in text


# --- Front matter: YAML numbers, labels, unescaping ---------------------------------------------------------

LOOKS_LIKE_OTHER_TYPES = ["0o17", "1e3", "6.02e23", "0x1F", "0b101", "1_000", "+12", ".5", "-.inf", ".NaN",
                          "0017", "12:30:00", "2024-01-01", "true", "False", "yes", "No", "on", "~", "null",
                          "1.0", "-1E-3", "٣"]  # fmt: skip


@pytest.mark.hexo
def test_front_matter_scalars_stay_strings_for_js_yaml() -> None:
    from tests.node_tools import yaml_load

    posts = [
        render_post(
            Article(url="https://news.example/a.html", title=value, author=value, tags=[value],
                    categories=[value], body_html="<p>x</p>", published=datetime(2024, 3, 1, tzinfo=UTC)),
            PostFormat(),
        )
        for value in LOOKS_LIKE_OTHER_TYPES
    ]  # fmt: skip
    loaded = yaml_load([post.split("---\n")[1] for post in posts])
    for value, metadata in zip(LOOKS_LIKE_OTHER_TYPES, loaded, strict=True):
        assert metadata["title"] == metadata["author"] == value, metadata
        assert metadata["tags"] == metadata["categories"] == [value], metadata


def _metadata(article: Any) -> dict[str, Any]:
    return frontmatter.loads(render_post(article, PostFormat())).metadata


def test_asset_placeholder_text_in_an_article_is_not_an_asset_tag() -> None:
    from aggregator.export.images import LocalImages

    body = """<p>src="aggregator-asset:a'b" and src="aggregator-asset:x.jpg"</p>"""
    local = LocalImages(body={}, cover="", cover_thumbnail="", asset_tags=True, placements=[])
    rendered = render_body(clean_body_html(body, "https://news.example/a.html"), PostFormat(), local)
    assert "asset_path" not in rendered and "{%" not in rendered, rendered


def test_a_year_9999_date_does_not_lose_the_article() -> None:
    article = exported("标题", "<p>正文</p>", published=datetime(9999, 12, 31, 23, 0, tzinfo=UTC))
    assert str(_metadata(article)["date"]).startswith("9999-12-31")


@pytest.mark.hexo
def test_long_labels_are_bounded_so_hexo_builds_the_site(tmp_path: Path) -> None:
    from tests.hexo_site import HexoSite, ensure_node_modules

    ensure_node_modules()
    site = HexoSite.create(tmp_path)
    feed_title = "订阅源" * 30  # a 90-character feed title, used as a category
    article = exported(
        "标题",
        "<p>正文</p>",
        tags=["标" * 90, "𝒜" * 70, "短标签"],
        categories=["新媒体", feed_title, "类" * 86],
    )
    site.add_post("post.md", render_post(article, PostFormat()))
    run = site.generate()  # fails with ENAMETOOLONG (exit 2) when a label's folder name is too long
    assert run.returncode == 0
    assert any("短标签" in name for name in run.public_files())
    for name in run.public_files():
        assert all(len(part.encode("utf-8")) <= 255 for part in Path(name).parts), name


def test_loose_parse_unescapes_authors_and_tags_once() -> None:
    from aggregator.sites.feed import parse_feed

    broken = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>R&amp;D</title>'
        "<link>https://news.example/1</link><author>R&amp;D Team</author><category>R&amp;D</category>"
        "<category>&amp;lt;b&amp;gt;</category></item><item><title>x & y</title></item></channel>"
    )
    feed = parse_feed(broken.encode("utf-8"), "https://news.example/feed.xml")
    assert feed.warning  # read loosely
    assert feed.entries[0].author == "R&D Team" and feed.entries[0].tags == ["R&D", "&lt;b&gt;"]


@pytest.mark.parametrize("reference", ["&#55296;", "&#xD83D;&#xDE00;", "&#55357;&#56832;", "&#xdfff;"])
def test_a_surrogate_reference_does_not_lose_the_feed(reference: str) -> None:
    from aggregator.sites.feed import parse_feed

    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>a{reference}b</title><link>https://news.example/1</link>"
        f"<description>x{reference}y</description></item>"
        "<item><title>ok</title><link>https://news.example/2</link></item></channel></rss>"
    )
    entries = parse_feed(feed.encode("utf-8"), "https://news.example/feed.xml").entries
    assert [entry.url for entry in entries] == ["https://news.example/1", "https://news.example/2"]
    assert entries[0].title in ("a\ufffdb", "a😀b") and "\ud800" not in entries[0].summary_html
