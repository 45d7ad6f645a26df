"""Second pass over the body trafilatura found: cut the portal chrome it kept, and refuse list pages.

Why a pass *after* trafilatura rather than instead of it: trafilatura's choice of the article box is right on
most pages (and well tested on English); what it gets wrong on Chinese portals is what lives inside that box
(see ``boilerplate``) and pages that are not articles at all. Cutting whole blocks keeps its good choices.
"""

from __future__ import annotations

import re

from lxml import etree

from .boilerplate import (
    BLOCKS,
    DATE_ONLY,
    NOISE_TEXT_MAX,
    is_call_to_read,
    is_noise_image,
    is_noise_text,
    is_photo_credit,
    is_related_heading,
    link_share,
    squeeze,
    strip_trailing_credit,
)
from .tables import is_data_table

_FIGURE = re.compile(r"^[\d.,:%/+\-]+$")
_WORD = re.compile(r"\w")
_LEAF_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "blockquote", "dd", "dt", "figcaption")
_LISTS = ("ul", "ol", "table", "div", "dl")


def _attached(element: etree._Element, root: etree._Element) -> bool:
    while element is not None:
        if element is root:
            return True
        element = element.getparent()
    return False


def _text(element: etree._Element) -> str:
    return element.text_content() if isinstance(element.tag, str) else ""


def drop_chrome(container: etree._Element, titles: tuple[str, ...] = ()) -> None:
    """Remove editor/source/share/counter/copyright blocks, related lists, title repeats and noise images.

    Noise images go first, so that a tool bar or editor line with an icon in it is judged by its text. Then
    two passes, because removing the links of a tool bar (【纠错】【打印】) can leave its remaining text
    (【责任编辑:刘甲】) a whole noise block only afterwards. Code (``<pre>``) is verbatim: the rules are not
    asked there (a highlighted listing lost every comma, each a ``<span>`` the tool-bar rule took for an
    empty piece, and every word that repeated the module's name).
    """
    for img in list(container.iter("img")):
        if is_noise_image(img):
            img.drop_tree()
    flat_titles = {squeeze(title) for title in titles if len(squeeze(title)) >= 6}
    verbatim = {element for listing in container.iter("pre") for element in listing.iter()}
    data = {element for table in container.iter("table") if is_data_table(table) for element in table.iter()}
    unasked = data | verbatim
    changed = _drop_pass(container, flat_titles, unasked)
    if changed:  # nothing dropped: a second pass would see the same blocks
        _drop_pass(container, flat_titles, unasked, only=changed)
    _drop_loose_noise(container, verbatim)


def _drop_loose_noise(container: etree._Element, verbatim: set[etree._Element]) -> None:
    """Noise no block rule sees: bare text between blocks (``…</p>责任编辑：杜硕``) and an editor credit
    glued to the end of the last paragraph (``…明显增加。（责任编辑：李华）``).

    Bare punctuation is a separator, never noise: ``<strong>Gastgeber</strong>: <a>Xing AG</a>`` keeps its
    ": " (without it the words run together, "GastgeberXing"), unless it is a line of its own. A noise line
    that opens a paragraph of ``<br>`` lines goes too.
    """
    if container.text and _is_loose_noise(container.text):
        container.text = None
    for element in container.iter():
        if isinstance(element.tag, str) and element.text and element not in verbatim:
            first = element[0] if len(element) else None
            if first is not None and first.tag == "br" and _is_loose_noise(element.text):
                element.text = None  # a noise line that opens a paragraph of <br> lines (发信人: … <br>)
            else:
                element.text = strip_trailing_credit(element.text)
        if element is not container and element.tail and element.getparent() not in verbatim:
            if _is_loose_noise(element.tail) or (_line_of_its_own(element) and is_noise_text(element.tail)):
                element.tail = None
            else:
                element.tail = strip_trailing_credit(element.tail)


def _line_of_its_own(element: etree._Element) -> bool:
    """Whether ``element``'s tail is a whole line: it follows a ``<br>`` and a ``<br>`` (or nothing) follows.
    Such a line is judged even when it is only punctuation: a BBS signature's "--" is no separator."""
    following = element.getnext()
    return element.tag == "br" and (following is None or following.tag == "br")


def _is_loose_noise(text: str) -> bool:
    return bool(_WORD.search(text)) and is_noise_text(text)


def _repeats_title(text: str, flat_titles: set[str]) -> bool:
    flat = squeeze(text)
    return len(flat) >= 6 and any(flat == title or (title.startswith(flat) and len(flat) * 2 >= len(title))
                                  for title in flat_titles)  # fmt: skip


def _drop(element: etree._Element, container: etree._Element, changed: set[etree._Element]) -> None:
    """Remove ``element``, noting the blocks whose verdict its removal may change: the blocks around it
    (their text loses its text) and the one before it (the related-list rule reads the block after)."""
    for ancestor in element.iterancestors():
        if ancestor is container:
            break
        changed.add(ancestor)
    before = element.getprevious()
    if before is not None:
        changed.add(before)
    element.drop_tree()


def _drop_pass(
    container: etree._Element,
    flat_titles: set[str],
    data: set[etree._Element],
    only: set[etree._Element] | None = None,
) -> set[etree._Element]:
    """One pass of the block rules; the blocks whose verdict its drops may have changed (none: nothing
    dropped).

    A block longer than ``NOISE_TEXT_MAX`` (and than any title) can only go as a headline list: every
    other rule is about short text, so on long blocks they are not asked (they were most of the time). A
    table of data (``data``: its elements) is data, cell by cell: the rules are not asked there either. A
    second pass asks ``only`` the blocks the first one changed: every rule reads a block's own content and
    the block after it, so the verdict on any other block stands.
    """
    changed: set[etree._Element] = set()
    longest = max([NOISE_TEXT_MAX, *map(len, flat_titles)])
    for element in list(container.iter(*BLOCKS)):
        if only is not None and element not in only:
            continue
        if element is container or element in data or not _attached(element, container):
            continue
        text = _text(element)
        if len(squeeze(text)) > longest:
            if element.tag in _LISTS and _is_headline_list(element):
                _drop(element, container, changed)
            continue
        if _FIGURE.match(squeeze(text)) and _in_cell(element, container):
            continue  # a number in a table (序号, 分数, 人数) is data, not a pager or a counter
        if element.find(".//img") is None and (
            (is_noise_text(text) and not _a_reference_in_running_text(element, text))
            or ((is_photo_credit(text) or is_call_to_read(text, element)) and not _in_running_text(element))
        ):
            _drop(element, container, changed)
            continue
        if is_related_heading(text) and element.tag not in ("a", "li"):
            following = element.getnext()
            if following is not None and link_share(following) >= 0.5:
                _drop(following, container, changed)
            _drop(element, container, changed)
            continue
        if (
            element.find(".//img") is None
            and _repeats_title(text, flat_titles)
            and not _in_running_text(element)
        ):
            _drop(element, container, changed)
            continue
        if element.tag in _LISTS and _is_headline_list(element):
            _drop(element, container, changed)
    return changed


_INLINE = frozenset({"a", "span", "em", "strong", "font", "b", "i", "code"})


def _in_running_text(element: etree._Element) -> bool:
    """Whether an inline element is a word of its paragraph (text stands beside it), not a line of its own:
    a manual names its module in a sentence ("The module is called <a>bisect</a> because …"), and that
    word is no repeat of the title."""
    parent = element.getparent()
    if element.tag not in _INLINE or parent is None:
        return False
    beside = [parent.text or "", *(child.tail or "" for child in parent)]
    return bool(_WORD.search("".join(beside)))


_REFERENCE = re.compile(r"^[\[(（]?\d{1,3}[\])）]?$")


def _a_reference_in_running_text(element: etree._Element, text: str) -> bool:
    """Whether an inline number is a reference inside its sentence: a footnote's ``<a>4</a>`` ("Les auteurs
    français [4] accèdent…"), a callout to a figure's mark ("on the left-hand side <strong>(1)</strong>").
    Alone on its line such a number is a pager or a counter, and goes."""
    if not _REFERENCE.match(squeeze(text)):
        return False
    while element is not None and element.tag in _INLINE:  # ``<span>[<a>4</a>]</span>``: the span is the word
        parent = element.getparent()
        if parent is None:
            return False
        if _WORD.search(_text_beside(element, parent)):  # words beside it, loose or in italics of their own
            return True
        element = parent
    return False


def _text_beside(element: etree._Element, parent: etree._Element) -> str:
    """The text of ``parent`` but for ``element``'s own: the loose text and the other children's."""
    return (parent.text or "") + "".join(
        ("" if child is element else _text(child)) + (child.tail or "") for child in parent
    )


def _in_cell(element: etree._Element, container: etree._Element) -> bool:
    """Whether ``element`` is a table cell or sits in one (a league table's position ``<a>1</a>`` in a
    ``<p>``)."""
    while element is not None and element is not container:
        if element.tag in ("td", "th"):
            return True
        element = element.getparent()
    return False


MAX_HEADLINE = 40
"""Characters (white space aside) of a link that reads as a headline in a list of them."""


def _is_headline_list(element: etree._Element) -> bool:
    """A block of three or more short links and little else: other articles, not this one. A longer link
    cut off with an ellipsis is a headline too (a "most read" box: "Man suing top cosmetic surgeon after he
    awoke from...")."""
    links = [a for a in element.iter("a") if squeeze(a.text_content())]
    if len(links) < 3 or link_share(element) < 0.7:
        return False
    return all(_is_headline(a.text_content()) for a in links)


def _is_headline(text: str) -> bool:
    flat = squeeze(text)
    cut_off = len(flat) <= 3 * MAX_HEADLINE and bool(_CUT_OFF.search(text.strip()))
    return len(flat) <= MAX_HEADLINE or cut_off


_NUMBER = re.compile(r"\d+")


def is_date_line(line: str) -> bool:
    """Whether a line is a date alone (``2024-05-01``, ``05-01 14:30``, ``2024年5月1日``), the date beside a
    teaser in a list. Its month and day must be a calendar's: a price in a table (``13.90``, ``28.88``) has
    the shape of one, and a table of prices is no dated list."""
    if not DATE_ONLY.match(line):
        return False
    numbers = [int(number) for number in _NUMBER.findall(line.split(" ")[0].split(":")[0])][:3]
    if len(numbers) == 3:  # year, month, day
        return 1 <= numbers[1] <= 12 and 1 <= numbers[2] <= 31
    first, second = numbers[0], numbers[1]
    month_day = 1 <= first <= 12 and 1 <= second <= 31
    return month_day or 1 <= second <= 12  # 05-01, or a year and its month (2024-05, 24.05)


_FRONT_PAGE_LINKS = 20
"""Blocks mostly of links from which a body of them is a front page, whatever else it holds."""


def _blocks_with_links(container: etree._Element) -> int:
    """How many blocks of ``container`` (``_LEAF_BLOCKS``) hold a link: no more of them can be mostly links.
    Counted from the links up, which on an article is far less than reading every block's text."""
    holding = set()
    for link in container.iter("a"):
        for above in link.iterancestors():
            if above is container:
                break
            if above.tag in _LEAF_BLOCKS:
                holding.add(above)
    if container.tag in _LEAF_BLOCKS and next(container.iter("a"), None) is not None:
        holding.add(container)  # the body itself is a block (``container.iter`` reads it too)
    return len(holding)


def looks_like_list(container: etree._Element) -> bool:
    """Whether the extracted "article" is really a list of headlines (a channel or rolling-news page).

    An article has at least one paragraph of running text that is not a link; a list page is many short
    blocks, a good part of them links (or, when trafilatura dropped the headline links, each teaser with its
    own date beside it, or list items that each link somewhere, even by an empty link beside the headline).
    Short articles (fewer than six blocks) are never taken for lists; scores of headline links are a list
    even with a teaser sentence among them.
    """
    lines = [line.strip() for piece in container.itertext() for line in piece.splitlines() if line.strip()]
    if any(len(squeeze(line)) >= 60 for line in lines) and _blocks_with_links(container) < _FRONT_PAGE_LINKS:
        return False  # a line of running text, and too few links for a front page: read no block's text
    texts = {element: _text(element) for element in container.iter(*_LEAF_BLOCKS)}
    blocks = [element for element, text in texts.items() if text and not text.isspace()]
    if max(len(blocks), len(lines)) < 6:
        return False
    shares = {block: link_share(block) for block in blocks}
    linked = sum(1 for share in shares.values() if share >= 0.5)
    if linked >= _FRONT_PAGE_LINKS and linked >= len(blocks) * 0.6:
        return True  # a front page: scores of headline links, a teaser sentence here and there
    if any(len(squeeze(texts[block])) >= 60 and shares[block] < 0.3 and "\n" not in texts[block].strip()
           for block in blocks) or any(len(squeeze(line)) >= 60 for line in lines):  # fmt: skip
        return False
    dated = sum(1 for line in lines if is_date_line(line))
    items = [item for item in container.iter("li") if squeeze(texts[item])]
    items_with_links = sum(1 for item in items if any((a.get("href") or "").strip() for a in item.iter("a")))
    return (
        (len(blocks) >= 6 and linked / len(blocks) >= 0.3)
        or (dated >= 5 and dated * 10 >= len(lines))
        or (len(items) >= 5 and items_with_links >= len(items) * 0.6)
    )


MAX_TEASER_TEXT = 200
"""Characters (white space aside) under which a body cut off with an ellipsis is a teaser, not an article."""
_CUT_OFF = re.compile(r"(?:[^.]\.{3}|[^…]…)$")  # "..." or "…", not a Chinese "……" that ends a thought


def looks_like_teaser(container: etree._Element) -> bool:
    """Whether the extracted "article" is one short block cut off with an ellipsis, and no picture: the
    teaser a front page prints of a story published elsewhere (a portal's 新闻头条 box: a linked headline,
    then 93 characters ending in "..."). An article ends with its last sentence, not mid-word."""
    raw = "".join(container.itertext())
    if len(squeeze(raw[: 4 * MAX_TEASER_TEXT])) >= MAX_TEASER_TEXT:
        return False  # its start alone is longer than a teaser: the whole text need not be read
    text = " ".join(raw.split())
    return (
        len(squeeze(text)) < MAX_TEASER_TEXT
        and bool(_CUT_OFF.search(text))
        and container.find(".//img") is None
    )
