"""The generic extractor on real portal pages: readability's box, markup repairs, images, list refusal.

The pages are real (GNE's test pages, ``bench/extraction_data/real``) and only from the *tuning* split: the
held-out sites stay out of every test as they stay out of tuning. Each test names the failure it guards
against, as measured before the fix.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from aggregator.extraction.body import looks_like_list
from aggregator.extraction.box import article_box
from aggregator.extraction.markup import drop_stray_end_tags, read_as_paragraphs
from aggregator.run.extract import extract_article
from aggregator.sites.base import EmptyArticle
from aggregator.sites.generic import parse_article
from tests.test_extract import load_bench

REAL = Path(__file__).resolve().parent.parent / "bench" / "extraction_data" / "real"
MANIFEST = {entry["case"]: entry for entry in json.loads((REAL / "manifest.json").read_text("utf-8"))}


def real_page(case: str) -> tuple[str, str, str, list[str]]:
    """A tuning page: its HTML, URL, gold text and gold images."""
    entry = MANIFEST[case]
    assert entry["split"] == "tuning", "tests use tuning pages only"
    html = gzip.decompress((REAL / "pages" / f"{case}.html.gz").read_bytes()).decode("utf-8")
    return html, entry["url"], (REAL / "gold" / f"{case}.txt").read_text("utf-8"), entry["images"]


def f1(text: str, gold: str) -> float:
    return load_bench().score(text, gold)[2]


def test_every_real_page_has_gold_and_a_split() -> None:
    assert len(MANIFEST) == 70
    for case, entry in MANIFEST.items():
        assert entry["split"] in ("tuning", "held_out")
        assert (REAL / "pages" / f"{case}.html.gz").is_file() and (REAL / "gold" / f"{case}.txt").is_file()
        assert entry["url"].startswith(("http://", "https://"))
    held = {entry["split"] for entry in MANIFEST.values()}
    assert held == {"tuning", "held_out"}


@pytest.mark.parametrize("case", ["163_7", "guancha_3", "hexun_1"])
def test_the_article_box_leaves_the_portal_feed_out(case: str) -> None:
    """trafilatura alone kept 163's 推荐 feed and guancha's sidebars (F1 0.21–0.73 on these pages)."""
    html, url, gold, _ = real_page(case)
    article = extract_article(html, url)
    assert f1(article.body_text, gold) >= 0.97
    assert "跟贴" not in article.body_text


def test_the_box_is_taken_from_the_page_itself() -> None:
    html, _, _, _ = real_page("baijiahao_1")
    root = lxml.html.document_fromstring(html)
    box = article_box(root)
    assert box and all(element.getroottree().getroot() is root for element in box)
    assert not any(element.get("data-aggregator-node") for element in root.iter(etree.Element))


def test_content_after_a_stray_end_of_document_is_read() -> None:
    """other_1: a header include closes </html> before the article; libxml2 stopped reading there."""
    html, url, gold, _ = real_page("other_1")
    assert f1(extract_article(html, url).body_text, gold) >= 0.9
    assert drop_stray_end_tags("<p>a</p></body></html><p>b</p></BODY>") == "<p>a</p><p>b</p>"


def test_wechat_sections_are_paragraphs_and_its_images_are_kept() -> None:
    """wechat_1: <section><span> text with no <p>, images at …/640?wx_fmt=jpeg: F1 0.04, no image."""
    html, url, gold, images = real_page("wechat_1")
    article = extract_article(html, url)
    assert f1(article.body_text, gold) >= 0.95
    assert article.image_urls == images


def test_photos_in_center_tags_are_kept() -> None:
    """cjn_1: TRS editor pages wrap each photo in <center>, which trafilatura dropped with the photo."""
    html, url, _, images = real_page("cjn_1")
    assert extract_article(html, url).image_urls == images


def test_markup_read_as_paragraphs() -> None:
    root = lxml.html.fragment_fromstring(
        "<div><section><span>一段文字</span></section><section><p>已是段落</p></section>"
        "<center><img src='a.jpg'></center><font>独占一行的文字</font><br>"
        "<p>句中<font color='red'>强调</font>的文字</p></div>"
    )
    read_as_paragraphs(root)
    assert [child.tag for child in root] == ["p", "section", "p", "p", "br", "p"]
    assert root[-1].find("font") is not None  # a <font> inside running text stays inline


@pytest.mark.parametrize("case", ["list_163_1", "list_163_2", "list_netease_forum_1"])
def test_real_list_pages_are_refused(case: str) -> None:
    html, url, _, _ = real_page(case)
    with pytest.raises(EmptyArticle) as error:
        parse_article(html, url)
    assert error.value.reason == "list_page"


def test_editor_line_written_as_bare_text_is_dropped() -> None:
    """163: 责任编辑 sits as loose text after the last </p>, where no block rule saw it."""
    html, url, _, _ = real_page("163_2")
    text = extract_article(html, url).body_text
    assert "责任编辑" not in text and "原标题" not in text


def test_an_article_split_into_twin_containers_is_read_whole() -> None:
    """wired.com writes the body as several ``div.body__inner-container`` (each in its own wrapper) with
    cards of other stories between them; readability took the largest and lost the rest (recall 0.35)."""
    sentences = [
        f"Paragraph {n} of the story carries enough running text, with commas, to be scored as prose here."
        for n in range(14)
    ]
    related = "<div class='related'><h3>More from us</h3><ul>{}</ul></div>".format(
        "".join(f"<li><a href='/s/{n}'>Another headline {n}</a></li>" for n in range(4))
    )
    parts = [
        '<div class="grid"><div class="wrapper body"><div class="body__inner">'
        + "".join(f"<p>{sentence}</p>" for sentence in sentences[start:end])
        + "</div></div></div>"
        + related
        for start, end in ((0, 5), (5, 7), (7, 11), (11, 14))
    ]
    page = f"<html><head><title>Split</title></head><body><div>{''.join(parts)}</div></body></html>"
    text = extract_article(page, "https://news.example.com/story/split").body_text
    assert all(sentence in text for sentence in sentences)
    assert "Another headline" not in text


@pytest.mark.parametrize(
    ("url", "front"),
    [
        ("https://news.163.com/", True),
        ("https://www.wired.com", True),
        ("https://example.com/index.html", True),
        ("https://example.com/news/index.html", False),
        ("https://example.com/?p=12", False),
        ("https://example.com/2024/03/01/story.html", False),
        ("file:///tmp/saved.html", False),
    ],
)
def test_front_pages_are_not_articles(url: str, front: bool) -> None:
    html, _, _, _ = real_page("guancha_2")
    if front:
        with pytest.raises(EmptyArticle) as error:
            parse_article(html, url)
        assert error.value.reason == "list_page"
    else:
        assert parse_article(html, url).body_html


def test_scores_of_headline_links_are_a_list_despite_teasers() -> None:
    items = "".join(
        f'<li><a href="/2014/07/{n}/story.html">Headline number {n} of the day</a></li>' for n in range(30)
    )
    teaser = "An airliner bound for Algiers with 116 people on board loses radar contact, the operator says."
    container = lxml.html.fragment_fromstring(f"<div><p>{teaser}</p><ul>{items}</ul></div>")
    assert looks_like_list(container)
