"""The Clean step's rules: nothing executable survives, structure and real images do."""

from __future__ import annotations

import pytest

from aggregator.export.sanitize import clean_body_html, clean_title
from aggregator.extraction.text import html_to_text, image_urls

BASE = "https://news.example.com/2024/03/article.html"


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert(1)</script>",
        '<img src="x.jpg" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<iframe src="https://evil.example.com"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="https://evil.example.com"><input name="q"></form>',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        '<body onload="alert(1)">x</body>',
        '<img src="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+">',
    ],
)
def test_nothing_executable_survives(dangerous: str) -> None:
    cleaned = clean_body_html(f"<p>正文</p>{dangerous}", BASE).lower()
    for marker in (
        "<script",
        "javascript:",
        "onerror",
        "onload",
        "onclick",
        "<iframe",
        "<svg",
        "style=",
        "data:",
        "<object",
        "<embed",
        "<form",
        "<math",
    ):
        assert marker not in cleaned, (marker, cleaned)
    assert "正文" in cleaned


def test_structure_is_kept() -> None:
    html = (
        "<h2>小标题</h2><p>段落 <strong>强调</strong> <a href='/x'>链接</a></p><ul><li>一</li></ul>"
        "<figure><img src='/a.jpg' alt='图'><figcaption>说明</figcaption></figure>"
        "<table><tr><th>甲</th></tr><tr><td>1</td></tr></table><blockquote>引用</blockquote><pre>a\nb</pre>"
    )
    cleaned = clean_body_html(html, BASE)
    for tag in (
        "<h2>",
        "<strong>",
        "<ul>",
        "<li>",
        "<figure>",
        "<figcaption>",
        "<table>",
        "<th>",
        "<td>",
        "<blockquote>",
        "<pre>",
    ):
        assert tag in cleaned
    assert 'href="https://news.example.com/x"' in cleaned
    assert 'src="https://news.example.com/a.jpg"' in cleaned
    assert "a\nb" in cleaned


@pytest.mark.parametrize(
    ("img", "expected"),
    [
        (
            '<img class="lazy" data-original="//zkres1.myzaker.com/202107/a_1024.jpg" src="">',
            "https://zkres1.myzaker.com/202107/a_1024.jpg",
        ),
        ('<img src="/static/loading.gif" data-src="/img/b.png">', "https://news.example.com/img/b.png"),
        (
            '<img src="data:image/gif;base64,R0lGOD" data-lazy-src="c.jpg">',
            "https://news.example.com/2024/03/c.jpg",
        ),
        ('<img srcset="/d-640.jpg 640w, /d-1280.jpg 1280w">', "https://news.example.com/d-640.jpg"),
        ('<img src="http://zkres2.myzaker.com/e.jpg">', "http://zkres2.myzaker.com/e.jpg"),
    ],
)
def test_lazy_and_relative_images_resolve(img: str, expected: str) -> None:
    assert image_urls(clean_body_html(f"<p>{img}</p>", BASE)) == [expected]


def test_lazy_image_sizes_are_kept() -> None:
    cleaned = clean_body_html('<img data-original="http://a/b.jpg" data-width="800" data-height="600">', BASE)
    assert 'width="800"' in cleaned and 'height="600"' in cleaned


def test_tracking_pixels_and_spinners_are_dropped() -> None:
    html = (
        '<p>x</p><img src="https://stats.example.com/pixel.gif?id=1" width="1" height="1">'
        '<img src="/static/blank.gif"><img src="https://hm.baidu.com/hm.gif?x=1" width="0">'
    )
    assert image_urls(clean_body_html(html, BASE)) == []


@pytest.mark.parametrize(
    "name", ["blank.gif", "pixel.gif", "grey-pixel.png", "loading.svg", "lazy_placeholder.png", "spacer.gif"]
)
def test_placeholder_images_are_replaced_by_nothing(name: str) -> None:
    assert image_urls(clean_body_html(f'<p>x</p><img src="/static/{name}">', BASE)) == []


@pytest.mark.parametrize(
    "name",
    [
        "pixel-8-review.png",
        "gray-whale.png",
        "lazy-sunday.gif",
        "loading-dock.png",
        "transparent-solar-cell.svg",
    ],
)
def test_real_images_named_like_placeholders_are_kept(name: str) -> None:
    assert image_urls(clean_body_html(f'<p>x</p><img src="/photos/{name}">', BASE)) == [
        f"https://news.example.com/photos/{name}"
    ]


def test_empty_paragraphs_go() -> None:
    cleaned = clean_body_html("<p></p><p>&nbsp;</p><p>　　</p><p>字</p>", BASE)
    assert cleaned.count("<p>") == 1


@pytest.mark.parametrize(
    "broken", ["", "   ", "<p>unclosed <b>bold", "</div></div>text", "<<<>>>", "\x00\x01"]
)
def test_malformed_html_never_raises(broken: str) -> None:
    assert isinstance(clean_body_html(broken, BASE), str)


def test_titles_become_one_clean_line() -> None:
    assert clean_title("  第一行\n第二行\t\x00尾  ") == "第一行 第二行 尾"
    assert clean_title('He said: "it\'s #1" --- 😀 </div>') == 'He said: "it\'s #1" --- 😀 </div>'
    assert clean_title(None) == ""


def test_text_keeps_paragraphs_and_trims_full_width_indent() -> None:
    text = html_to_text("<p>　　第一段。</p><p>第二段<br>换行</p><ul><li>一</li><li>二</li></ul>")
    assert text == "第一段。\n\n第二段\n换行\n\n一\n\n二"


def test_image_urls_in_order_each_once() -> None:
    html = '<img src="http://a/1.jpg"><p><img src="http://a/2.jpg"></p><img src="http://a/1.jpg">'
    assert image_urls(html) == ["http://a/1.jpg", "http://a/2.jpg"]
