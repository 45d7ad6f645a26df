"""Tables of data: what tells them from tables of layout, and the page of tables readability reads as one.

readability scores paragraphs and counts no table cell shorter than 25 characters, so on a page whose
content is tables it keeps the one block it scores best; the chrome rules, made for short lines of portal
chrome, would ask about every cell. Both go by ``is_data_table``.
"""

from __future__ import annotations

import re

from lxml import etree

from .boilerplate import in_page_order, link_share, names, squeeze

MIN_TABLE_ROWS = 3
MAX_CELL_TEXT = 40
_SIDE_BLOCKS = ("aside", "footer")
_SIDE = re.compile(r"calendar|sidebar|widget", re.IGNORECASE)


def is_data_table(table: etree._Element) -> bool:
    """A table of data, not of layout: no table inside it, at least ``MIN_TABLE_ROWS`` rows of two filled
    cells or more, short cells (the median at most ``MAX_CELL_TEXT`` characters), and not mostly links."""
    if table.tag != "table" or table.find(".//table") is not None:
        return False
    lengths: list[int] = []
    rows = 0
    for row in table.iter("tr"):
        cells = [len(squeeze(cell.text_content())) for cell in row if cell.tag in ("td", "th")]
        if sum(1 for length in cells if length) >= 2:
            rows += 1
            lengths += cells
    if rows < MIN_TABLE_ROWS:
        return False
    lengths.sort()
    return lengths[len(lengths) // 2] <= MAX_CELL_TEXT and link_share(table) < 0.5


def _beside_the_page(table: etree._Element) -> bool:
    """A table in a sidebar, a widget or a footer (a blog's calendar): never part of the article."""
    return any(
        element.tag in _SIDE_BLOCKS or _SIDE.search(names(element))
        for element in (table, *table.iterancestors())
    )


MAX_LEAD_TEXT = 1000
"""Characters (white space aside) a box may hold and still be only the lead-in of the tables around it."""
TABLES_OVER_LEAD = 3
"""How many times the box's text the tables around it must hold for the page to be its tables."""


def with_data_tables(box: list[etree._Element], elements: list[etree._Element]) -> list[etree._Element]:
    """The box and the page's other tables of data, when the page is its tables.

    readability keeps the one block it scored best, and on a page of tables that is one of them: a league's
    page kept its standings and lost the ten tables of results below them (recall 0.24). Or it is no table
    at all: readability counts no cell shorter than 25 characters, so on a stock's page it keeps the line
    of text above the price tables. Tables of data elsewhere on the page (``is_data_table``; none in a
    sidebar, a widget or a footer) join the box, in page order, when the box holds one too, or when the box
    is short (``MAX_LEAD_TEXT``) and the tables hold ``TABLES_OVER_LEAD`` times its text: the box is then
    their lead-in. A longer box, an article, is left as it is, whatever tables stand beside it.
    """
    inside = {element for part in box for element in part.iter()}
    around = {ancestor for part in box for ancestor in part.iterancestors()}
    tables = [
        element
        for element in elements
        if element.tag == "table"
        and element not in inside
        and element not in around
        and is_data_table(element)
        and not _beside_the_page(element)
    ]
    if not tables:
        return box
    if not any(is_data_table(element) for element in inside if element.tag == "table"):
        lead = sum(len(squeeze(part.text_content())) for part in box)
        held = sum(len(squeeze(table.text_content())) for table in tables)
        if lead > MAX_LEAD_TEXT or held < TABLES_OVER_LEAD * lead:
            return box
    chosen = {*box, *tables}
    return in_page_order(chosen, elements)
