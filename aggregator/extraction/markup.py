"""Markup that browsers show as an article but lxml, trafilatura and readability do not read as one.

* A stray ``</html>`` or ``</body>`` in the middle of a page (a header include that closes the document,
  common on government CMS pages): a browser ignores it and shows the rest, libxml2 stops reading there and
  the article is lost. End tags of ``body`` and ``html`` are implied at the end of the document anyway, so
  removing them changes nothing else.
* ``<center>`` (TRS and other CMS editors wrap every photo in one): trafilatura does not know the tag and
  drops it with the image inside; it is a block, so it is read as a paragraph (or a division when it holds
  blocks).
* Old CMS pages (人民网 and its many imitators) write each paragraph as ``<font>`` text ended by ``<br>``:
  no ``<p>`` again, so readability takes the copyright footer, the only paragraph it sees, for the
  article. A ``<font>`` alone on its line inside a block is read as the paragraph it is.
* Text written loose between blocks (``<div class="img_box">…</div>死者是 68 岁的……<p>…</p>``, ZAKER and many
  CMS editors open articles that way): trafilatura drops text that is no element's own, so the lead
  paragraph vanished. A run of loose text and inline elements between blocks is a paragraph.
* Articles written in WeChat-style editors (秀米, 135编辑器, 新媒体管家), on WeChat and on many portals that
  repost from it, are ``<section>`` blocks of ``<span>`` text with no ``<p>`` at all: trafilatura and
  readability both score paragraphs, find none and return page chrome or nothing. A section holding only
  inline content *is* a paragraph, so it is read as one.
* ``overflow: hidden`` in a ``style`` (a box that clips what overflows it, or scrolls it: a stock page's
  report table in a 430-pixel frame): trafilatura drops every element whose style mentions "hidden", so the
  table of quarterly reports was lost. The element is shown, so the declaration is removed.
  ``visibility: hidden`` and ``display: none`` do hide, and stay; so does the clip of a one-line label cut
  with an ellipsis (``text-overflow``: an embed's caption, a teaser's title), which is chrome, not text.
* Named anchors (``<a id="apps"></a>`` inside a heading: DocBook, Sphinx and many CMS mark every section
  that way): a browser shows nothing of them, but trafilatura reads a heading block whose one link is
  empty as a block of links and drops it, so every section heading of a DocBook manual was lost. An
  anchor with no address and nothing inside it is removed (the text after it stays).
* Code listings laid out as a table of two cells, the line numbers and the code (SyntaxHighlighter on
  blogs and Chinese tech sites, Pygments' and Rouge's ``linenos="table"``, Crayon): read as cells, the
  line numbers come out as a paragraph of "1 2 3 4 5" and every line of code as a paragraph of its own,
  its indentation lost. The table is read as the ``<pre>`` it stands for, without the numbers.
* A ``<span>`` that holds blocks (PCMag wraps a story's paragraphs and its list of other news in
  ``<span id="intellitxt">``): a browser shows the blocks as blocks, trafilatura wrote the list's items
  into the paragraphs before it, out of order, and the list was lost. It is read as a ``<div>``.
* Blocks a page marks ``class="robots-nocontent"`` (Yahoo's mark for what is not the page's content, kept by
  WordPress's share bars, tracking pixels and older CMS templates): they are never the article, but a page
  that writes its article as loose text beside them (Medical News Today, 2013: comment form, editors'
  contacts and disclaimer in the article's own ``<div>``) had them read into the article. They go.
* Code listings written one ``<div class="line">`` per line and no ``<pre>`` (Doxygen's ``div.fragment``,
  SyntaxHighlighter without its gutter): trafilatura drops most of such a block of short divs, and a manual's
  code examples were lost (RapidJSON's guide). A block of nothing but such lines is read as a ``<pre>``.
"""

from __future__ import annotations

import re

from lxml import etree

from .boilerplate import HEADINGS
from .tables import is_data_table
from .text import as_shown

_STRAY_END_TAGS = re.compile(r"</\s*(?:body|html)\s*>", re.IGNORECASE)
_SELF_CLOSED_ROOT = re.compile(r"(<html\b[^<>]*?)\s*/>", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt", "figure", "footer", "form",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
     "table", "td", "th", "ul"}
)  # fmt: skip


_HIDING_STYLES = etree.XPath("//@style[contains(., 'hidden')]")
"""Attributes, each knowing its element: two fifths less time than asking each element for its style."""
_OVERFLOW_HIDDEN = re.compile(r"overflow(?:-[xy])?\s*:\s*hidden\s*(?:!important\s*)?;?", re.IGNORECASE)


def unclip(root: etree._Element) -> None:
    """Remove ``overflow: hidden`` from every ``style`` but a one-line label's: it clips a box, it does not
    hide it."""
    for style in _HIDING_STYLES(root):
        if "text-overflow" in style:
            continue
        unclipped = _OVERFLOW_HIDDEN.sub("", style)
        if unclipped != style:
            style.getparent().set("style", unclipped)


_LINE_BLOCKS = ("div", "p", "li")


def _lines(cell: etree._Element) -> list[str]:
    """The lines a cell shows: a ``<pre>``'s lines, or one per innermost block (SyntaxHighlighter writes a
    ``<div class="line">`` per line), or its text split at ``<br>``."""
    pre = cell.find(".//pre")
    if pre is not None:
        return pre.text_content().splitlines()
    leaves = [
        element
        for element in cell.iter(*_LINE_BLOCKS)
        if not any(
            isinstance(inner.tag, str) and inner.tag in _LINE_BLOCKS for inner in element.iterdescendants()
        )
    ]
    if leaves:
        return [leaf.text_content() for leaf in leaves]
    lines = [cell.text or ""]

    def read(element: etree._Element) -> None:
        for child in element:
            if child.tag == "br":
                lines.append("")
            elif isinstance(child.tag, str):  # an element, not a comment
                lines[-1] += child.text or ""
                read(child)
            lines[-1] += child.tail or ""

    read(cell)
    return [piece for line in lines for piece in line.splitlines() or [""]]


def _numbered_code(table: etree._Element) -> list[str] | None:
    """The code lines of a table of one row of two cells, line numbers 1, 2, 3… (or from any start) beside
    the code; None for any other table (a ranking's table has a row per rank)."""
    rows = table.findall(".//tr")
    if len(rows) != 1 or table.find(".//table") is not None:
        return None
    cells = [cell for cell in rows[0] if cell.tag in ("td", "th")]
    if len(cells) != 2:
        return None
    numbers = [line.strip() for line in _lines(cells[0]) if line.strip()]
    if len(numbers) < 2 or not all(number.isdigit() for number in numbers):
        return None
    first = int(numbers[0])
    if [int(number) for number in numbers] != list(range(first, first + len(numbers))):
        return None
    code = [line.replace("\xa0", " ").rstrip() for line in _lines(cells[1])]
    return code if sum(1 for line in code if line.strip()) >= 2 else None


def read_code_tables(root: etree._Element) -> None:
    """Read each code listing laid out as line numbers beside code as the ``<pre>`` it stands for."""
    for table in list(root.iter("table")):
        code = _numbered_code(table)
        if code is not None:
            pre = table.makeelement("pre", {})
            pre.text, pre.tail = "\n".join(code).strip("\n"), table.tail
            table.getparent().replace(table, pre)


MIN_CODE_LINES = 2
"""Lines a block of ``<div class="line">`` needs to be a code listing."""


def _is_line(element: etree._Element) -> bool:
    return element.tag == "div" and "line" in (element.get("class") or "").split()


def read_code_lines(root: etree._Element) -> None:
    """Read each run of sibling ``<div class="line">`` lines (white space between them, nothing else) as the
    ``<pre>`` it stands for; what else their block holds stays beside it (Doxygen's tooltips)."""
    parents = {line.getparent() for line in root.iter("div") if _is_line(line)}
    for parent in parents:
        if parent is None:
            continue
        run: list[etree._Element] = []
        for child in [*parent, None]:
            if child is not None and _is_line(child) and not (run and (run[-1].tail or "").strip()):
                run.append(child)
                continue
            if len(run) >= MIN_CODE_LINES:
                _replace_with_code(run)
            run = [child] if child is not None and _is_line(child) else []


def _replace_with_code(lines: list[etree._Element]) -> None:
    code = [line.text_content().replace("\xa0", " ").rstrip() for line in lines]
    pre = lines[0].makeelement("pre", {})
    pre.text, pre.tail = "\n".join(code).strip("\n"), lines[-1].tail
    lines[0].getparent().replace(lines[0], pre)
    for line in lines[1:]:
        line.getparent().remove(line)


def drop_empty_anchors(root: etree._Element) -> None:
    """Remove every ``<a>`` with no ``href`` and nothing in it: a named anchor marks a place, it shows
    nothing."""
    for anchor in list(root.iter("a")):
        if anchor.get("href") is None and len(anchor) == 0 and not (anchor.text or "").strip():
            anchor.drop_tree()  # lxml.html keeps the tail: the heading's text after the anchor


_NAVIGATION_RELS = frozenset(
    {"next", "prev", "previous", "up", "start", "first", "last", "contents", "index"}
)
_NAVIGATION_KEYS = frozenset({"n", "p", "u", "h"})
_LINK_DECORATION = re.compile(r"^[\s\[\]()|·•:：<>«»‹›/\\\-–—]*$")


def _is_navigation_link(anchor: etree._Element) -> bool:
    """A link to the document's next, previous, parent, first page, contents or index: HTML's link types
    (``rel="next"``) or the access keys documentation generators give them (``accesskey="n"``)."""
    rels = set((anchor.get("rel") or "").lower().split())
    return bool(rels & _NAVIGATION_RELS) or (anchor.get("accesskey") or "").lower() in _NAVIGATION_KEYS


def _only_links(element: etree._Element) -> bool:
    """Whether every word of ``element`` is in a link: brackets, bars and arrows around links aside. Stops at
    the first word outside a link: the blocks asked about grow up to the whole page."""
    if element.tag == "a":
        return True
    if element.text and not _LINK_DECORATION.match(element.text):
        return False
    for child in element:
        if isinstance(child.tag, str) and not _only_links(child):
            return False
        if child.tail and not _LINK_DECORATION.match(child.tail):
            return False
    return True


def drop_document_navigation(root: etree._Element) -> None:
    """Remove the navigation bars of documentation pages: the largest block around a link to the next,
    previous or parent page (``_is_navigation_link``) that holds nothing but links.

    Texinfo prints a bar of "[ < previous ] [ up ] [ next > ] [ contents ][ index ]" above every section of a
    page, DocBook one above and below every chapter: trafilatura kept the Texinfo bars in the article (eight
    on a page of the LilyPond manual), and scores of links made the page read as a list of headlines.
    """
    bars: list[etree._Element] = []
    in_bars: set[etree._Element] = set()
    for anchor in root.iter("a"):
        if anchor in in_bars or not _is_navigation_link(anchor):
            continue
        bar = None
        for above in anchor.iterancestors():
            if above.tag in ("body", "html", "main", "article") or not _only_links(above):
                break
            bar = above
        if bar is not None and bar.tag in _BAR_BLOCKS:
            bars.append(bar)
            in_bars.update(bar.iter("a"))
    for bar in bars:
        if bar.getparent() is not None:
            bar.drop_tree()


_BAR_BLOCKS = frozenset({"table", "tbody", "tr", "td", "th", "div", "nav", "p", "ul", "ol", "li", "span"})


_PERMALINK_SIGNS = frozenset({"¶", "#", "§", "🔗", "\uf0c1"})


def drop_permalinks(root: etree._Element) -> None:
    """Remove the permalink signs documentation generators print in every heading: Sphinx's
    ``<a class="headerlink" href="#…">¶</a>``, MkDocs' and Hugo's "#" or "§". A link to the heading itself
    whose whole text is one sign, or nothing; without this every heading of a post, and its title, ends in
    "¶" ("8. Internationalization and Translations¶")."""
    for heading in root.iter(*HEADINGS):
        for anchor in list(heading.iter("a")):
            sign = anchor.text_content().strip()
            to_itself = (anchor.get("href") or "").startswith("#") and anchor.find(".//img") is None
            if to_itself and (sign in _PERMALINK_SIGNS or not sign):
                anchor.drop_tree()


_NOT_CONTENT = etree.XPath("//@class[contains(., 'robots-nocontent')]")
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def drop_not_content(root: etree._Element) -> None:
    """Remove the blocks the page itself marks as not its content (``class="robots-nocontent"``), keeping
    the text that follows each. The class attributes that hold the name are found first (half the time of
    testing every element's class word by word) and their words read after."""
    for names in _NOT_CONTENT(root):
        element = names.getparent()
        if "robots-nocontent" not in _XML_SPACE.split(names):
            continue
        if element.getparent() is not None and element.tag not in ("html", "body"):
            element.drop_tree()


def repair(root: etree._Element) -> None:
    """Every repair of a parsed page above, in order: comments out, the text after each kept (a reader never
    sees them, and trafilatura, handed a tree rather than text, lost the text after every comment: a
    paragraph that opens with one, ``<p><!--StartFragment-->…`` as pasted from Word, a lede after
    ``<!-- /KINDLE EXCLUDE -->``, the figures of a table React wrote as ``<!-- react-text -->1,234.56``);
    bold and italics out of code (``plain_code``) and line breaks out of bold and italics
    (``hoist_line_breaks``); code listings read as code (their line cells would otherwise be read as
    paragraphs), then the paragraphs, the clipped boxes, the named anchors and permalink signs, the
    navigation bars of manuals and the blocks the page marks as not content. ``drop_stray_end_tags`` works
    on the text, before the page is parsed."""
    etree.strip_tags(root, etree.Comment)
    quotes_as_marks(root)
    plain_code(root)
    hoist_line_breaks(root)
    read_code_tables(root)
    read_code_lines(root)
    read_as_paragraphs(root)
    unclip(root)
    drop_empty_anchors(root)
    drop_permalinks(root)
    drop_document_navigation(root)
    drop_not_content(root)


_FORMATTING = frozenset(
    {"b", "strong", "em", "i", "u", "s", "strike", "del", "ins", "mark", "small", "big", "sub", "sup", "font",
     "span", "cite", "abbr", "dfn", "kbd", "var", "samp", "tt"}
)  # fmt: skip
"""Inline elements that only style their text (links, code and quotations aside)."""
_FORMATTING_IN_CODE = tuple(_FORMATTING - {"span"})


def quotes_as_marks(root: etree._Element) -> None:
    """Each inline quotation (``<q>``) as the quotation marks a browser shows around it: trafilatura reads
    ``<q>`` as a block quotation, which ended the paragraph there, and put the quotation's bold words after
    the rest of the sentence."""
    for quotation in list(root.iter("q")):
        quotation.text = "“" + (quotation.text or "")
        last = quotation[-1] if len(quotation) else None
        if last is None:
            quotation.text += "”"
        else:
            last.tail = (last.tail or "") + "”"
    etree.strip_tags(root, "q")


def plain_code(root: etree._Element) -> None:
    """Code without bold, italics, links or code inside it, its text kept: DocBook writes a command's
    placeholder in italics (``<code>-U <em>user</em></code>``) or as code in bold, Doxygen links a name in
    code, and trafilatura's formatting moved them after the sentence's next words ("接受 -U 选项，用于…
    usersmbclient //", "determine with blkid ) prefixed with deviceUUID=", the Debian Administrator's
    Handbook). Code is shown verbatim in a post anyway; highlighting ``<span>``s are left to the code rules.
    Inline code's source line breaks are spaces (``_wrap_as_shown``), and a ``<br>`` in code is the line
    break it shows (trafilatura put the line after it behind the sentence's next words)."""
    for code in list(root.iter("code")):
        etree.strip_tags(code, "code", "a", *_FORMATTING_IN_CODE)
        if next(code.iterancestors("pre"), None) is None:
            _wrap_as_shown(code)
        for line_break in code.iter("br"):
            line_break.tail = "\n" + (line_break.tail or "")
        etree.strip_tags(code, "br")


def _wrap_as_shown(code: etree._Element) -> None:
    """The line breaks of the page's source inside inline code (outside ``<pre>``) as the spaces a browser
    shows (``as_shown``): ``<code>git\n        repack --cruft</code>``, wrapped by the page's author, is one
    line of code in its sentence, not a block of two lines (``body_html`` writes code holding a line break
    as a block)."""
    if code.text:
        code.text = as_shown(code.text)
    for inner in code.iterdescendants():
        if inner.text:
            inner.text = as_shown(inner.text)
        if inner.tail:
            inner.tail = as_shown(inner.tail)


def hoist_line_breaks(root: etree._Element) -> None:
    """Each ``<br>`` inside an inline formatting element moved out of it, as it is shown: after the element
    when it ends it (``<strong>Title<br></strong>`` is ``<strong>Title</strong><br>``), before it when it
    opens it, and between the two halves of the element when it stands in the middle.

    trafilatura splits a paragraph at such a break and then glues the words on either side of the next
    bold or italic word together: "denSmooth Operator" on a German blog, "Baden-Württembergzu" on a
    conference page, a government resolution's whole first paragraph lost. Links are left whole."""
    for br in list(root.iter("br")):
        while (parent := br.getparent()) is not None and parent.tag in _FORMATTING:
            if br.getnext() is None and not (br.tail or "").strip():
                br.tail, parent.tail = parent.tail, None
                parent.addnext(br)
            elif br.getprevious() is None and not (parent.text or "").strip():
                parent.text, br.tail = br.tail, None
                parent.addprevious(br)
            else:  # in the middle: the element is split in two around it
                rest = parent.makeelement(parent.tag, dict(parent.attrib))
                rest.text, rest.tail, br.tail, parent.tail = br.tail, parent.tail, None, None
                for following in list(br.itersiblings()):
                    rest.append(following)
                parent.addnext(br)
                br.addnext(rest)


def drop_stray_end_tags(html: str) -> str:
    """The page without ``</body>``/``</html>`` end tags, which only ever end the document early, and without
    the slash of an ``<html … />`` that closes itself: browsers ignore it, libxml2 ends the document there
    and reads nothing of the page (a club's home page of 2010, XHTML written by hand)."""
    return _STRAY_END_TAGS.sub("", open_self_closed_root(html))


def open_self_closed_root(html: str) -> str:
    """The page with an ``<html … />`` that closes itself opened (``<html …>``), as browsers read it."""
    return _SELF_CLOSED_ROOT.sub(r"\1>", html, count=1)


def holds_blocks(element: etree._Element) -> bool:
    """Whether a block (``<div>``, ``<p>``, a list, a table, a heading …) stands anywhere in ``element``."""
    return any(isinstance(node.tag, str) and node.tag in _BLOCK_TAGS for node in element.iterdescendants())


def _alone_on_its_line(element: etree._Element) -> bool:
    """Whether nothing but white space, a ``<br>`` or a block stands right before and after ``element``."""
    parent = element.getparent()
    if parent is None or parent.tag not in _BLOCK_TAGS or parent.tag in _PARAGRAPHS:
        return False  # a <font> that fills a <p> is in its paragraph already: a <p> in it splits the score
    before = element.getprevious()
    text_before = (before.tail if before is not None else parent.text) or ""
    after = element.getnext()
    return (
        not text_before.strip()
        and not (element.tail or "").strip()
        and (before is None or before.tag == "br" or before.tag in _BLOCK_TAGS)
        and (after is None or after.tag == "br" or after.tag in _BLOCK_TAGS)
    )


_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = ("div", "td", "section", "article", "main", "body", "blockquote")


def _is_block(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and node.tag in _BLOCK_TAGS


def wrap_loose_text(block: etree._Element) -> None:
    """Put each run of loose text and inline elements between the block's block children into a ``<p>``."""
    if not any(_is_block(child) for child in block):
        return  # the block is itself a paragraph
    paragraph = None
    if (block.text or "").strip():
        paragraph = block.makeelement("p", {})
        paragraph.text, block.text = block.text, None
        block.insert(0, paragraph)
    for child in list(block):
        if child is paragraph:
            continue
        if _is_block(child):
            paragraph = None
            if (child.tail or "").strip():
                paragraph = block.makeelement("p", {})
                paragraph.text, child.tail = child.tail, None
                child.addnext(paragraph)
        elif paragraph is not None:
            paragraph.append(child)  # an inline element inside the running text, with its own tail
        elif (child.tail or "").strip() or (isinstance(child.tag, str) and child.text_content().strip()):
            # text starts a paragraph; a lone image or an empty element does not (teaser thumbnails)
            paragraph = block.makeelement("p", {})
            child.addprevious(paragraph)
            paragraph.append(child)


def read_as_paragraphs(root: etree._Element) -> None:
    """Read inline-only ``<section>``s, ``<center>``s, lone ``<font>`` lines and loose text as paragraphs,
    a ``<span>`` that holds blocks as the division it is shown as, and the boxes of a list item that holds
    paragraphs as paragraphs (``_read_step``)."""
    for span in list(root.iter("span")):
        if any(isinstance(child.tag, str) and child.tag in _BLOCK_TAGS for child in span):
            span.tag = "div"
    for element in list(root.iter("section", "center", "font")):
        if element.tag == "font":
            if not holds_blocks(element) and _alone_on_its_line(element):
                element.tag = "p"
        elif not holds_blocks(element):
            element.tag = "p"
        elif element.tag == "center":
            element.tag = "div"
    for block in list(root.iter(*_CONTAINERS)):
        wrap_loose_text(block)
    for item in list(root.iter("li")):
        if any(child.tag == "p" for child in item):
            _read_step(item)


def _read_step(item: etree._Element) -> None:
    """A list item that holds paragraphs (a step of a manual) with its boxes read as paragraphs too: a
    layout table (an admonition: an icon cell beside the note) as divisions, and each division of running
    text as a paragraph. trafilatura writes the rest of such an item as one run of text after its first
    paragraph, each division's text glued to the next ("Figure 31. Database credentialsConsider creating a
    backup", KeePassXC's guide) and a table's cell put loose in the item."""
    for table in list(item.iter("table")):
        if table.find(".//table") is None and not is_data_table(table):
            for cell in table.iter("td", "th"):
                cell.tag = "div"
            etree.strip_tags(table, "tbody", "thead", "tfoot", "tr")
            table.tag = "div"
    for division in item.iter("div"):
        if not holds_blocks(division) and division.text_content().strip():
            division.tag = "p"
