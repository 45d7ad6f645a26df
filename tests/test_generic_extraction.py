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

from aggregator.extract import extract_article
from aggregator.extraction.box import article_box
from aggregator.extraction.markup import drop_stray_end_tags, read_as_paragraphs
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
