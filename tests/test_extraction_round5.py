"""Generic extraction rules of round 5 (issue 15): pages whose main content is a table.

Pages come from ``bench/extraction_data/real_tables2`` and ``real_tables3`` (all of it tuning: real table
pages of the test data of pandas, trafilatura, eppy, unicorner, secedgar and html-text), never from a held-out
set; the parser test is markup of its own. Each test names the failure it guards against, as measured
before the fix.
"""

from __future__ import annotations

import lxml.html
import pytest
from lxml import etree

from aggregator.extraction.body import is_date_line
from aggregator.extraction.tables import is_data_table, with_data_tables
from aggregator.extraction.text import html_to_text
from aggregator.run.extract import extract_article
from aggregator.sites import generic
from aggregator.web import parser
from tests.test_extraction_crosscheck import score, tuning_page


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("2024-05-01", True),
        ("05-01 14:30", True),
        ("2024年5月1日", True),
        ("[11-03]", True),
        ("1999.12.31", True),
        ("13.90", False),  # a share price: month 90
        ("28.88", False),
        ("2024-13-01", False),
        ("Bank of America", False),
    ],
)
def test_a_date_line_has_a_calendar_month_and_day(line: str, is_date: bool) -> None:
    assert is_date_line(line) is is_date


def test_a_table_of_prices_is_no_dated_list() -> None:
    """The Wall Street Journal's 100 most active stocks: prices such as ``24.05`` and ``17.07`` have the shape
    of a date, ten of them among 605 cells, and the page was refused as a list of dated headlines (F1 0.0
    where readability and trafilatura had 1.0). A dated list has a date on a good share of its lines."""
    html, url, gold = tuning_page("real_tables2", "wsj_most_active")
    page = generic.parse_article(html, url)
    text = html_to_text(page.body_html)
    assert "J.C. Penney (JCP)" in text and "250,697,455" in text
    assert score(text, gold)[2] >= 0.98


def test_the_lines_of_a_definition_list_are_kept() -> None:
    """An Apache status page states its server version, uptime and load in a ``<dl>`` of ``<dt>`` lines:
    trafilatura's fallback on the box drops them (recall 0.85). A definition list with links (a teaser list,
    a back link) is left to trafilatura as before."""
    html, url, gold = tuning_page("real_tables2", "apache_server_status")
    page = generic.parse_article(html, url)
    text = html_to_text(page.body_html)
    assert "Server uptime: 18 minutes 33 seconds" in " ".join(text.split())
    assert score(text, gold)[2] >= 0.98


def test_a_number_in_a_table_cell_is_data_even_inside_a_paragraph() -> None:
    """A league table links each team's position (``<td><p><a>1</a></p>…``): the chrome rules took the
    ``<p>1</p>`` for a counter and dropped every position and every points total of the table."""
    html, url, _ = tuning_page("real_tables3", "gomammoth_standings")
    text = " ".join(extract_article(html, url).body_text.split())
    assert "Pts 1 Burritos 10 8 2 0 0 0 487 342 145 0 26" in text and "2 Lost Angels 10 8 2" in text


def test_the_generic_parser_gives_html_elements_without_asking_python() -> None:
    """Every element of a page parsed for the generic path is an ``HtmlElement`` (``text_content``,
    ``drop_tree``), forms included: the class is chosen in C, not by lxml.html's Python lookup."""
    root = parser.document("<html><body><form><input name=q><label>Q</label></form><!-- c --><p>x</p></body>")
    assert all(type(element) is lxml.html.HtmlElement for element in root.iter(etree.Element))
    assert isinstance(next(root.iter(etree.Comment)), lxml.html.HtmlComment)
    fragment = parser.fragment("<p>a <b>b</b></p>")
    assert fragment.tag == "div" and fragment.text_content() == "a b"


def test_the_other_tables_of_a_page_of_tables_join_the_box() -> None:
    """A league's page: readability keeps the standings, the table it scores best, and the ten tables of
    results below them were lost (recall 0.24). Its own text then holds one table of several, so it is no
    yardstick for the cross-check."""
    html, url, gold = tuning_page("real_tables3", "gomammoth_standings")
    text = " ".join(extract_article(html, url).body_text.split())
    assert "Pts 1 Burritos" in text and "Backslashes" in text
    _, recall, f1 = score(text, gold)
    assert recall >= 0.99 and f1 >= 0.7  # the mobile copy of each table, hidden by CSS, comes along


def test_a_calendar_or_a_sidebar_table_is_not_a_table_of_the_article() -> None:
    """Markup of its own (no tuning page has a blog calendar): a table of data in the box brings the
    page's other data tables, but never one in a sidebar, a widget or a footer."""
    rows = "".join(f"<tr><td>{day}</td><td>{day + 1}</td><td>{day + 2}</td></tr>" for day in range(1, 20, 3))
    results = "".join(f"<tr><td>Team {n}</td><td>{n}</td><td>{n * 3}</td></tr>" for n in range(5))
    page = (
        f"<html><body><div id=main><table>{results}</table><p>Round two:</p><table>{results}</table></div>"
        f"<aside><table id=wp-calendar>{rows}</table></aside>"
        f"<div class=footer-widget><table class=t>{rows}</table></div></body></html>"
    )
    root = parser.document(page)
    tables = list(root.iter("table"))
    assert all(is_data_table(table) for table in tables)
    box = with_data_tables([tables[0]], list(root.iter(etree.Element)))
    assert box == tables[:2]


def test_the_cells_of_a_table_of_data_are_never_chrome() -> None:
    """The chrome rules asked about every cell of a table and took a worker's mode ``_`` in an Apache status
    table for a stray tool-bar piece (eight cells lost); in a table of data they are not asked (which also
    saves most of their time on a table page: 29% of the project's time there, 7% now)."""
    html, url, _ = tuning_page("real_tables2", "apache_server_status")
    text = " ".join(html_to_text(generic.parse_article(html, url).body_html).split())
    assert "Request 0-0 1365 0/15/93 _ 0.10 1 0 0.0 0.22 1.53 127.0.0.1" in text


def test_a_class_that_only_contains_a_pager_word_does_not_hide_the_article() -> None:
    """A Gannett paper wraps its article in ``<div id="artpagination">``: readability dropped it as a pager
    (its names match anywhere in a class or id) and took a log-in box for the article (F1 0.20)."""
    html, url, gold = tuning_page("real_news", "greatfalls")
    text = extract_article(html, url).body_text
    assert text.startswith("The American Red Cross is looking for volunteers")
    assert score(text, gold)[2] >= 0.98


def test_a_font_that_fills_a_paragraph_is_not_made_a_paragraph_inside_it() -> None:
    """A tabloid writes every paragraph as ``<p><font>…</font></p>``: reading each ``<font>`` as a paragraph
    of its own nested a ``<p>`` in every ``<p>``, which halved the article's score, and readability took the
    fact box inside the story for the whole of it (recall 0.61)."""
    html, url, gold = tuning_page("real_news", "dailymail_co_uk")
    text = extract_article(html, url).body_text
    assert "A Texas banker is upping the ante to $1 million" in text
    assert score(text, gold)[1] >= 0.99


def test_paragraphs_each_in_a_block_of_their_own_beside_the_box_join_it() -> None:
    """A broadsheet prints its first five paragraphs each in a ``<div class="firstPar">`` and the rest in a
    ``<div class="body">``: readability takes the body and adds bare ``<p>`` siblings only, and the first five
    were lost (recall 0.61)."""
    html, url, gold = tuning_page("real_news", "telegraph_co_uk")
    text = extract_article(html, url).body_text
    assert "A new study has shown that levels of key white blood cells" in text
    assert score(text, gold)[2] >= 0.97
