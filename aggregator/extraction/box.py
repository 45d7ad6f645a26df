"""Where on the page the article is: readability's candidate, found as elements of the page itself.

trafilatura reads a whole page well when the page is mostly article, but on Chinese portals the article is
a small box among feeds of other stories, comment widgets and headline lists, and in recall mode it keeps
much of them (measured on real 163.com, guancha.cn and hexun.com pages: precision 0.1–0.6). readability's
scoring (paragraph text, commas, link density, class and id hints, then the best ancestor and its siblings)
finds *which box* holds the article far more reliably there, but it rewrites what it returns: it drops
images, flattens structure and keeps the tool bars inside the box.

So the two are combined: readability only chooses the box, and trafilatura extracts from that box alone,
keeping its structure, images and its own cleaning. To take the box from the page as it is (not from
readability's rewritten copy), every element is first numbered in an attribute that readability carries
through to its output.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from copy import deepcopy

from lxml import etree

from aggregator.compat.readability_hooks import DISPLAY_NONE, ReadabilityOnTree, Unparseable
from aggregator.web import parser

from .boilerplate import in_page_order, link_share, names, squeeze
from .declared import declared_article
from .document import MAX_BETWEEN, sections_of_a_document, whole_document, whole_layout
from .tables import is_data_table, with_data_tables

_MARK = "data-aggregator-node"
MIN_BOX_TEXT = 50
"""Characters (white space aside) a box needs to be the article; less is readability finding nothing."""

logger = logging.getLogger(__name__)
# readability logs its own failures with a stack trace; we handle them (the whole page is used instead).
logging.getLogger("readability.readability").setLevel(logging.CRITICAL)


class _BoxFinder(ReadabilityOnTree):
    """readability's scoring, on a copy of an already parsed page, without its page-wide rewriting.

    ``Document._parse`` runs lxml's ``Cleaner`` over the whole page and makes every link absolute: on a
    300 KB portal page that is half of readability's time, and nothing of it matters for *choosing* the box
    (the box is taken from the original page, not from readability's output). What does matter is kept:
    hidden elements go, and so do scripts, styles and comments, whose text would count as paragraphs, and
    the page's footers, frames, form controls and vector graphics (``_NEVER_THE_ARTICLE``).
    The copy is made here, per pass, because readability mutates it and may score a second time.
    """

    def __init__(self, tree: etree._Element) -> None:
        super().__init__(tree, negative_keywords=_ONE_OBJECT)

    def prepare(self, tree: etree._Element) -> etree._Element:
        document = deepcopy(tree)
        for hidden in _HIDDEN(document):
            hidden.getparent().drop_tree()
        for style in _STYLES(document):
            if DISPLAY_NONE.search(style):
                style.getparent().drop_tree()
        etree.strip_elements(document, etree.Comment, *_NEVER_THE_ARTICLE, with_tail=False)
        for menu in document.xpath("//nav"):
            if link_share(menu) >= MENU_LINK_SHARE:
                menu.drop_tree()
        return document


_HIDDEN = etree.XPath("//@hidden")
_STYLES = etree.XPath("//@style")
"""Attributes, each knowing its element: a quarter less time than asking each element (``//*[@style]``)."""
MENU_LINK_SHARE = 0.5
"""Share of a ``<nav>``'s text in links from which it is a menu, not a main column a theme misnamed."""

_ONE_OBJECT = re.compile(
    r"\b(?:example|figure|table|equation|procedure|informalexample|informalfigure|informaltable)-contents\b"
)
"""The wrappers DocBook's style sheets (docbook-xsl, Publican) put around one example, figure or table:
readability's "content" in their class scored a three-line code example above the chapter around it, and
the chapter came out as that example (four of eight sections of the Debian Administrator's Handbook, F1
0.02–0.09). Passed to readability as negative keywords, which cancel the bonus."""


_NEVER_THE_ARTICLE = (
    "script", "style", "noscript", "link", "template", "footer", "svg", "select", "button", "iframe",
)  # fmt: skip
"""Elements readability need not score: their text is never the article. ``<nav>`` and ``<aside>`` stay:
themes misuse them for the main column, and without them readability chose another box on two pages."""


def _text_length(elements: list[etree._Element]) -> int:
    return sum(len(squeeze(element.text_content())) for element in elements)


SENTENCE_END = re.compile(r"[。！？；][”’」』）)]?$|[.!?][\"')]?$")
MIN_ITEM_TEXT = 20


def _short_item(box: list[etree._Element]) -> bool:
    """A box shorter than ``MIN_BOX_TEXT`` that is still a whole news item: one or two blocks of running
    text ending a sentence, not links (a one-sentence 本报讯 item). Otherwise the whole page is read, and
    its menus and headline lists come out as the "article"."""
    text = " ".join(element.text_content().strip() for element in box)
    return (
        len(box) <= 2
        and _text_length(box) >= MIN_ITEM_TEXT
        and bool(SENTENCE_END.search(text.strip()))
        and all(link_share(element) < 0.3 for element in box)
    )


def article_box(root: etree._Element) -> list[etree._Element]:
    """The elements of ``root`` that readability takes for the article, in page order ([] when it finds none).

    ``root`` itself is left as it was, less a numbering attribute on each element.
    """
    return article_box_and_text(root)[0]


def article_box_and_text(root: etree._Element) -> tuple[list[etree._Element], etree._Element | None]:
    """``article_box`` and readability's own article (its summary parsed into a ``<div>``, markers removed;
    None if none): the yardstick of ``aggregator.extraction.crosscheck``, from the same scoring run and the
    same parse."""
    elements = list(root.iter(etree.Element))
    for number, element in enumerate(elements):
        element.set(_MARK, str(number))
    try:
        summary = _BoxFinder(root).summary(html_partial=True)
    except (Unparseable, ValueError, TypeError) as error:
        logger.debug("readability found no article box (%s); using the whole page", error)
        summary = ""
    finally:
        etree.strip_attributes(root, _MARK)
    if not summary.strip():
        return [], None
    chosen: list[int] = []
    reference = parser.fragment(summary)
    pending = [reference]
    while pending:  # the outermost numbered elements of readability's output are the box
        for child in pending.pop(0):
            if not isinstance(child.tag, str):
                continue
            number = child.get(_MARK)
            if number is not None and number.isdigit() and int(number) < len(elements):
                chosen.append(int(number))
            else:
                pending.append(child)
    readabilitys = [elements[number] for number in sorted(chosen)]
    declared = declared_article(readabilitys, root)
    if declared is not None:
        # readability's own text is one block of the article the page declares: no yardstick for the rest
        return [declared], None
    whole = _whole_tables(readabilitys)
    twins = _with_twins(whole, elements)
    parts = _with_paragraphs(twins, elements)
    tables = with_data_tables(parts, elements)
    box = _whole_of(tables)
    etree.strip_attributes(reference, _MARK)
    document = whole_document(readabilitys)
    document = document if document is not None else whole_document(box)
    document = document if document is not None else whole_layout(box)
    if document is not None and all(part is document or document in part.iterancestors() for part in box):
        # readability's own text is one section of the document: no yardstick for the others
        return [document], None
    if len(tables) > len(parts):
        # readability's own text holds one of the page's tables: no yardstick for the others
        return box, None
    if sections_of_a_document(twins, whole):
        # readability's own text is one of the document's sections: no yardstick for the others
        return box, None
    fuller = _fuller_copy(box, elements)
    if fuller is not None:
        # readability's own text is the teaser: no yardstick for the fuller text (crosscheck accepts it)
        return [fuller], None
    return (box if _text_length(box) >= MIN_BOX_TEXT or _short_item(box) else []), reference


_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot", "tr"})


def _whole_tables(box: list[etree._Element]) -> list[etree._Element]:
    """The box with each part of a table of data (a row group, a row) as the table it belongs to.

    readability scores the parent of the paragraphs it counts: a table whose cells hold ``<p>`` (Asciidoctor
    writes every cell so) is chosen as its ``<tbody>``, and the table's header row and caption were lost
    (KeePassXC's keyboard shortcuts: "Action", "Keyboard Shortcut"). A row of a layout table stays what it
    is: the whole table is the page, menus and all (a state's campaign finance pages)."""
    if not any(part.tag in _TABLE_PARTS for part in box):
        return box
    whole: list[etree._Element] = []
    for part in box:
        table = next(part.iterancestors("table"), None) if part.tag in _TABLE_PARTS else None
        lifted = table if table is not None and is_data_table(table) else part
        if lifted not in whole:
            whole.append(lifted)
    return whole


MIN_TEASER_TEXT = 80
"""Characters (white space aside) a box needs before a longer copy of it elsewhere is looked for."""
_COPY_BLOCKS = frozenset({"div", "section", "article", "td", "main"})


def _fuller_copy(box: list[etree._Element], elements: list[etree._Element]) -> etree._Element | None:
    """The longer text that repeats the box, when readability chose a teaser.

    A shop's product page prints its description's key paragraph in the buy box by the photo, and a
    magazine its standfirst above the article: readability scores that one dense paragraph highest and the
    rest of the text is lost (recall 0.28 on a product page where the description is four paragraphs). When
    the box is one block whose text the page prints again, word for word, inside another container that
    holds at least twice as much running text (not links, not a quote of a post in a thread), that container
    is the article.
    """
    if len(box) != 1 or _is_post(box[0]):
        return None
    whole = len(squeeze(box[0].text_content()))
    pieces = [piece.strip() for piece in box[0].itertext() if piece.strip()]
    teaser = max(pieces, key=len, default="")  # the box's paragraph; a few tags or a price may stand by it
    flat = squeeze(teaser)
    if len(flat) < MIN_TEASER_TEXT or len(flat) < 0.6 * whole:
        return None
    excluded = set(box[0].iter()) | set(box[0].iterancestors())
    for element in elements:
        if element in excluded or not (element.text or "").strip().startswith(teaser[:40]):
            continue
        for above in element.iterancestors():
            if above in excluded or above.tag in ("blockquote", "body", "html"):
                break
            text = squeeze(above.text_content())
            if len(text) < 2 * whole or above.tag not in _COPY_BLOCKS:
                continue
            if flat in text and link_share(above) < 0.3 and not _QUOTE.search(names(above)):
                return above
            break
    return None


_QUOTE = re.compile(r"quote|cite|引用", re.IGNORECASE)


_TWIN_DEPTH = 3
_TWIN_MIN_TEXT = 100


def _signature(element: etree._Element) -> tuple[tuple[str, str], ...]:
    """Tag and class of an element and of its nearest ancestors: its slot in the page layout."""
    slots = []
    while element is not None and len(slots) <= _TWIN_DEPTH:
        slots.append((str(element.tag), element.get("class") or ""))
        element = element.getparent()
    return tuple(slots)


POST_NAMES = re.compile(r"post|reply|repl|comment|floor|message|answer|thread|楼", re.IGNORECASE)


def _is_post(element: etree._Element) -> bool:
    """Whether the box is one post of a thread (forum, comments, Q&A): its twins are the replies, not the
    rest of the article. Told by the class or id of the box or of its nearest ancestors."""
    for _ in range(_TWIN_DEPTH + 1):
        if element is None:
            return False
        if POST_NAMES.search(names(element)):
            return True
        element = element.getparent()
    return False


def holds_posts(box: list[etree._Element]) -> bool:
    """Whether the box holds the posts of a thread: an element in it named as a post, a reply or a
    comment, with text in it (Discuz's ``div#postlist``, ``td#postmessage_1``; not an empty ``div#comments``
    a script fills). Its text beyond the first post is replies, however many readers find it."""
    return any(
        POST_NAMES.search(names(element)) and len(squeeze(element.text_content())) >= _TWIN_MIN_TEXT
        for part in box
        for element in part.iter(etree.Element)
    )


def _with_twins(box: list[etree._Element], elements: list[etree._Element]) -> list[etree._Element]:
    """The box and its twins: elements in the same layout slot, holding the rest of a split article.

    Sites that put ads or "read more" cards inside the article write its text as several containers of one
    kind between them (wired.com: four ``div.body__inner-container``, each in its own wrapper); readability
    scores each on its own, takes the best, and loses the rest of the article. A twin has the box's tag and
    class and the same tags and classes above it for three levels, and text of its own, not links. A box
    with no class is known by its wrapper's, and its twin must stand in a wrapper of its own (the
    Washington Post's lede is an ``<article>`` in a ``div.article_body`` above a rail of links, the rest a
    second such pair; El Mundo's comments are a classless ``<div>`` beside its article in one wrapper). A post
    of a thread has no twins (``_is_post``): readability's choice of the first post is the article.
    ``elements`` are the page's elements in page order.
    """
    chosen = set(box)
    for element in box:
        kind = (element.tag, element.get("class"))
        signature = _signature(element)
        if not any(name for _, name in signature[:2]) or _is_post(element):
            continue
        wrapped = not kind[1]
        for other in elements:
            if (other.tag, other.get("class")) != kind or other in chosen or _signature(other) != signature:
                continue
            if wrapped and other.getparent() is element.getparent():
                continue
            if len(squeeze(other.text_content())) >= _TWIN_MIN_TEXT and link_share(other) < 0.5:
                chosen.add(other)
    if len(chosen) == len(box):
        return box
    return in_page_order(chosen, elements)


MIN_PARAGRAPH = 80
"""Characters a block beside the box needs to be one of the article's paragraphs (readability's own bar)."""


def _wrapped_paragraph(element: etree._Element) -> bool:
    """A ``<div>`` or ``<section>`` that holds one ``<p>`` and nothing else, of running text (readability's
    own test for the ``<p>`` siblings it adds beside its choice, ``_running_paragraph``)."""
    if element.tag not in ("div", "section") or (element.text or "").strip():
        return False
    children = [child for child in element if isinstance(child.tag, str)]
    if len(children) != 1 or children[0].tag != "p" or (children[0].tail or "").strip():
        return False
    return _running_paragraph(element)


_SENTENCE = re.compile(r"[。！？]|\.( |$)")


def _running_paragraph(element: etree._Element) -> bool:
    """readability's test for a ``<p>`` beside its choice (over 80 characters and under a quarter of it in
    links; or shorter, no link, and a sentence in it), on the paragraph's whole text and with Chinese
    sentence ends. readability reads only the text before the paragraph's first inline tag and looks for
    ". ": a Chinese paragraph that names ``<acronym>GIMP</acronym>`` early, or ends in "。", was left out
    (the three paragraphs that open a chapter of the GIMP manual). No script, whose code would count."""
    if element.find(".//script") is not None or element.find(".//style") is not None:
        return False
    text = squeeze(element.text_content())
    share = link_share(element)
    if len(text) > MIN_PARAGRAPH:
        return share < 0.25
    return bool(text) and share == 0 and bool(_SENTENCE.search(element.text_content()))


def _with_paragraphs(box: list[etree._Element], elements: list[etree._Element]) -> list[etree._Element]:
    """The box and the paragraphs beside it that readability left out.

    readability adds a sibling of its choice when it is a ``<p>`` of running text, but judges it by the text
    before its first inline tag and by English sentence ends (``_running_paragraph``), and only beside the
    element it chose, not beside the blocks that merely wrap it (``_outermost_wrapper``); a site that wraps
    each of its first paragraphs in a ``<div class="firstPar">`` and the rest in a ``<div class="body">``
    lost the first five (recall 0.61). Those siblings join the box, in page order.
    """
    if len(box) != 1:
        return box
    chosen = _outermost_wrapper(box[0])
    if chosen.getparent() is None:
        return box
    siblings = [
        sibling
        for sibling in chosen.getparent()
        if sibling is not chosen
        and (_wrapped_paragraph(sibling) or (sibling.tag == "p" and _running_paragraph(sibling)))
    ]
    if not siblings:
        return box
    return in_page_order({chosen, *siblings}, elements)


def _outermost_wrapper(element: etree._Element) -> etree._Element:
    """``element``, or the outermost of the blocks around it that hold nothing else (no other element, no
    text): the same box, at the level where its siblings are. DocBook wraps a list in a ``<div>`` of its
    own; readability chose the ``<dl>`` and looked for paragraphs beside it inside that ``<div>``, where
    there are none, and the chapter's opening paragraph was lost."""
    while True:
        parent = element.getparent()
        if parent is None or parent.tag in ("body", "html") or (parent.text or "").strip():
            return element
        if any((child.tail or "").strip() for child in parent):
            return element
        others = [child for child in parent if child is not element and isinstance(child.tag, str)]
        if others and not _only_controls(others):
            return element
        element = parent


MAX_CONTROLS = 30
"""Characters (white space aside) of the blocks beside a box that are its controls, not text of their own."""


def _only_controls(blocks: list[etree._Element]) -> bool:
    """Whether the blocks beside a box are only its controls: a "Read more" link that unfolds it, an empty
    ad slot. A paper put its first paragraphs beside ``<div id="read-more">``, which holds the link, an ad
    and the rest of the story; readability took the rest, and the first paragraphs were lost (recall 0.78)."""
    text = sum(len(squeeze(block.text_content())) for block in blocks)
    return text <= MAX_CONTROLS and not any(next(block.iter("p"), None) is not None for block in blocks)


def _whole_of(box: list[etree._Element]) -> list[etree._Element]:
    """A box of several parts as their smallest common container, when it holds little else.

    Page builders (Squarespace, CMS "blocks") write an article as a column of blocks: text blocks with
    image blocks, captions and one-line paragraphs between them. readability (and ``_with_twins``) keep the
    long text blocks only, and every photo, caption and short line between them was lost (recall 0.90 on a
    travel blog, no image of a government page). The container that holds all the parts is the article
    when its text is theirs but for a quarter at most, and not links.
    """
    if len(box) < 2:
        return box
    enclosing = [set(part.iterancestors()) for part in box]
    common = set.intersection(*enclosing)
    container = next((ancestor for ancestor in box[0].iterancestors() if ancestor in common), None)
    if container is None or container.tag in ("body", "html"):
        return box
    if len(squeeze(container.text_content())) > (1 + MAX_BETWEEN) * _text_length(box):
        return box
    return [container] if link_share(container) < 0.3 else box


MIN_TEXT_BLOCK = 200
"""Characters (white space aside) of running text a block needs to be an article on a page of links."""
_TEXT_BLOCKS = ("p", "td", "div", "pre", "article", "section", "blockquote")


def first_text_block(root: etree._Element) -> etree._Element | None:
    """The first block of the page that is running text: at least ``MIN_TEXT_BLOCK`` characters, sentences,
    hardly a link, and no such block inside it (the innermost, so no menus come with it).

    For a page that the box and the whole-page reading both took for a list of links: old BBS pages
    (mitbbs, 未名空间) lay a thread out in nested tables under scores of menu links, and readability scores
    the whole layout row; the first post is the first block of running text, its replies come after it.
    A front page or a channel page has teasers, not a block of this size, and stays refused.
    """
    block = _first_running_text(root.iter(*_TEXT_BLOCKS))
    while block is not None:
        inner = _first_running_text(block.iterdescendants(*_TEXT_BLOCKS))
        if inner is None:
            return block
        block = inner
    return None


_SENTENCE_ENDS = re.compile(r"[。！？!?]|\.(?=\s|$)")


def _first_running_text(elements: Iterable[etree._Element]) -> etree._Element | None:
    for element in elements:
        text = element.text_content()
        if len(squeeze(text)) < MIN_TEXT_BLOCK or link_share(element) >= 0.1:
            continue
        if len(_SENTENCE_ENDS.findall(text)) >= 3:
            return element
    return None
