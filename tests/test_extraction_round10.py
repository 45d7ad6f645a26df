"""Generic extraction of round 10 (issue 15): a list item's own text beside the sub-list it holds, and a
whole manual on one page.

The pages come from ``bench/extraction_data/real_zh5`` and ``real_zh6``, their tuning pages only, never a
held-out set; the markup tests are markup of their own (after a tuning page). Each test names the failure it
guards against, as measured before the fix.
"""

from __future__ import annotations

from aggregator.extraction.box_page import box_document
from aggregator.run.extract import extract_article
from aggregator.web import parser
from tests.test_extraction_crosscheck import score, tuning_page


def _items(markup: str) -> list:
    root = parser.document(f"<html><body>{markup}</body></html>")
    return list(box_document([root.find(".//ul")]).find(".//body/ul"))


def test_an_items_own_text_beside_its_sub_list_is_a_paragraph() -> None:
    """``<li>跨平台<ul>…</ul></li>``: trafilatura's fallback drops loose text beside blocks, and RapidJSON's
    list of features lost every point over its sub-points (recall 0.79)."""
    (point,) = _items("<ul><li>跨平台 <code>x86</code><ul><li>编译器：gcc、clang 等</li></ul>然后</li></ul>")
    first, sub_list, last = point
    assert (first.tag, first.text_content()) == ("p", "跨平台 x86")
    assert sub_list.tag == "ul" and sub_list.find("li/p").text == "编译器：gcc、clang 等"
    assert (last.tag, last.text) == ("p", "然后")


def test_a_menus_section_link_over_its_pages_stays_loose() -> None:
    """A menu's section over its pages is no paragraph: trafilatura may drop it as it stands."""
    (section,) = _items('<ul><li><a href="/a">Section</a><ul><li><a href="/b">Page</a></li></ul></li></ul>')
    assert section[0].tag == "a"
    assert section.find("p") is None


def test_a_doxygen_list_of_features_keeps_its_points() -> None:
    html, url, gold = tuning_page("real_zh5", "rapidjson_features")
    text = extract_article(html, url).body_text
    for point in ("跨平台", "容易安装", "独立、最小依赖", "高性能", "支持可选的放宽语法"):
        assert point in text.splitlines()
    assert score(text, gold)[2] >= 0.96


def test_a_whole_manual_on_one_page_is_read_whole() -> None:
    """Wesnoth's manual, the whole book on one page after its table of contents (AsciiDoc through DocBook,
    the nearest kin of KiCad's manuals): readability takes one section (recall 0.15) and trafilatura half
    the book (0.53); every chapter must come out."""
    html, url, gold = tuning_page("real_zh6", "wesnoth_manual")
    text = extract_article(html, url).body_text
    chapters = [" ".join(line.split()) for line in text.splitlines() if line.startswith("第")]
    assert chapters == ["第 1 章 让我们开始吧", "第 2 章 进行游戏", "第 3 章 战略与技巧"]
    assert text.rstrip().endswith(gold.rstrip().splitlines()[-1])  # the book's last line
    assert score(text, gold)[2] >= 0.99
