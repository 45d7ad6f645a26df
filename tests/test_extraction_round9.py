"""Generic extraction rules of round 9 (issue 15): code listings written one ``<div class="line">`` per line
read as code, and Chinese manuals of generators the earlier rounds had no page of (Sphinx, mdBook, DocBook,
Doxygen) read whole.

Pages come from ``bench/extraction_data/real_zh5``, its tuning pages only, never a held-out set; the markup
tests are markup of their own (after tuning pages). Each test names the failure it guards against, as
measured before the fix.
"""

from __future__ import annotations

import pytest

from aggregator.extraction.markup import read_code_lines
from aggregator.run.extract import extract_article
from aggregator.web import parser
from tests.test_extraction_crosscheck import score, tuning_page

_FRAGMENT = (
    '<div class="fragment">'
    '<div class="line"><span class="keyword">namespace </span><a href="n.html">rapidjson</a> {</div>\n'
    '<div class="line"> </div>\n'
    '<div class="line"><span class="keyword">struct </span>UTF8;</div>\n'
    '<div class="line">}</div>\n'
    '<div class="ttc" id="a1"><div class="ttname">rapidjson::UTF8</div></div>\n'
    "</div>"
)


def test_lines_written_as_divs_are_read_as_code() -> None:
    """Doxygen writes a code example as a ``div.fragment`` of one ``div.line`` per line, and tooltips after
    them: trafilatura dropped the listing, and RapidJSON's guide lost its code examples (recall 0.92)."""
    root = parser.document(f"<html><body><p>Before.</p>{_FRAGMENT}<p>After.</p></body></html>")
    read_code_lines(root)
    pre = root.find(".//pre")
    assert pre is not None and pre.text == "namespace rapidjson {\n\nstruct UTF8;\n}"
    assert pre.getparent().get("class") == "fragment"
    assert root.find(".//div[@class='ttc']") is not None  # what else the block holds stays beside it
    assert root.find(".//div[@class='line']") is None


@pytest.mark.parametrize(
    "markup",
    [
        '<div><div class="line">one line alone</div></div>',  # a single line is no listing
        '<div><div class="line">a</div>text between<div class="line">b</div></div>',  # text between lines
        '<div><div class="headline">a</div><div class="headline">b</div></div>',  # another class
    ],
)
def test_other_blocks_of_divs_are_left_alone(markup: str) -> None:
    root = parser.document(f"<html><body>{markup}</body></html>")
    read_code_lines(root)
    assert root.find(".//pre") is None


def test_a_doxygen_guide_keeps_its_code() -> None:
    html, url, gold = tuning_page("real_zh5", "rapidjson_encoding")
    text = extract_article(html, url).body_text
    assert "template<typename CharType = wchar_t>\nstruct UTF16LE;" in text
    assert score(text, gold)[2] >= 0.99


@pytest.mark.parametrize(
    ("case", "least"),
    [
        ("kernel_usage_model", 0.97),  # Sphinx (Read the Docs theme)
        ("rustbyexample_tuples", 0.99),  # mdBook
        ("harden_ch12", 0.99),  # DocBook
    ],
)
def test_chinese_manuals_of_other_generators_are_read_whole(case: str, least: float) -> None:
    html, url, gold = tuning_page("real_zh5", case)
    assert score(extract_article(html, url).body_text, gold)[2] >= least
