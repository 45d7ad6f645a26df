"""Hooks into trafilatura's metadata steps (see :mod:`aggregator.compat`); canaries in
``tests/test_compat.py``.

``trafilatura.extract_metadata`` reads every field it knows, and two of its steps cost more than the article
extraction on a small page: the author search copies the whole page before pruning it, and the site name,
categories and licence are searched for although no post shows them. The generic extractor calls the same
steps for the fields a post has (title, author, date, tags, image, description), in trafilatura's order and
with its rules; the date only when the page declares none in its ``<meta>`` (htmldate copies the page too),
and the author last, on the page itself, once nothing else needs the page.

``body_html`` is ``trafilatura.extract(…, output_format="html")`` less the content fingerprint that
``extract`` computes for every non-text format: a hash over the whole extracted text that nothing here
reads, 5–9% of the generic extractor's time on long web pages (``bench/extraction.py``). Inside it, and
only there, trafilatura's comparison with its readability fork is skipped when the fork cannot win
(``readability_cannot_win``): the same output, a quarter less of trafilatura's time on the article box.
There too, the XPaths that test class and id names with regular expressions (discarding chrome, finding
the article's body and the comments) are read in Python (``ReadInPython``), as is the author search's own
(``author_from_page``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from configparser import ConfigParser
from contextvars import ContextVar
from copy import copy
from html import unescape

import trafilatura.core
from lxml import etree
from lxml.etree import _Element, tostring
from lxml.html import HtmlElement
from trafilatura.core import bare_extraction, determine_returnstring
from trafilatura.external import SANITIZED_XPATH, compare_extraction
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.main_extractor import extract_content
from trafilatura.metadata import (
    examine_meta,
    extract_catstags,
    extract_meta_json,
    extract_metainfo,
    extract_title,
    extract_url,
    find_date,
    normalize_authors,
)
from trafilatura.settings import Document, Extractor, set_date_params
from trafilatura.utils import line_processing, trim
from trafilatura.xpaths import (
    AUTHOR_DISCARD_XPATHS,
    AUTHOR_XPATHS,
    BODY_XPATH,
    COMMENTS_XPATH,
    OVERALL_DISCARD_XPATH,
)

__all__ = [
    "ARTICLE_CONTAINERS",
    "Document",
    "author_from_page",
    "body_html",
    "date_from_page",
    "may_name_author",
    "page_metadata",
    "readability_cannot_win",
    "title_from_page",
]

ARTICLE_CONTAINERS = BODY_XPATH
"""The XPaths by which trafilatura knows an article's container, in the order it tries them
(``xpaths.BODY_XPATH``; three of them read in Python, ``ReadInPython``): its main pass reads the first
element the first of them finds, and no other (canary in ``tests/test_compat.py``)."""


def _trimmed(value: str | None) -> str | None:
    """``Document.clean_and_trim`` for one field."""
    if not value:
        return value
    if len(value) > 10000:
        value = value[:9999] + "…"
    return line_processing(unescape(value))


def page_metadata(tree: HtmlElement, url: str | None, guess_title: bool = True) -> Document:
    """``extract_metadata(tree, url, extensive=False)`` less the site name, categories and licence, the date
    (``date_from_page``) and the author search in the page (``author_from_page``): ``author`` holds only
    what the metadata declare, ``date`` is None. Without ``guess_title``, ``title`` too holds only what the
    metadata declare, not trafilatura's guess from the page's headings (``title_from_page``)."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    with contextlib.suppress(Exception):  # trafilatura guards its JSON-LD reader the same way
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title and guess_title:
        metadata.title = extract_title(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    if not metadata.tags:
        metadata.tags = extract_catstags("tag", tree)
    for field in ("title", "author", "url", "image", "description"):
        setattr(metadata, field, _trimmed(getattr(metadata, field)))
    return metadata


def title_from_page(tree: HtmlElement) -> str | None:
    """trafilatura's title guess for a page whose metadata declare none: its only ``<h1>``, a heading whose
    class names a title, the ``<title>``, the first ``<h1>`` or ``<h2>``."""
    return _trimmed(extract_title(tree))


def date_from_page(tree: HtmlElement, metadata: Document) -> str | None:
    """The date ``extract_metadata(…, extensive=False)`` finds (htmldate, original date): ``YYYY-MM-DD``."""
    date_config = set_date_params(False)
    date_config["url"] = metadata.url
    return _trimmed(find_date(tree, **date_config))


AUTHOR_MARKS = (
    "uthor", "UTHOR", "byl", "Byline", "BBL", "username", "zuozhe", "bianji", "xiaobian", "channel-name",
    "submitted-by", "posted-by", "journalist-name", "screenname", "writer",
)  # fmt: skip
"""A string of each name trafilatura's author search (``AUTHOR_XPATHS``) looks for in an attribute: a page
whose ``AUTHOR_ATTRIBUTES`` hold none of them, and that has no ``AUTHOR_TAGS``, has no author for it to
find."""
AUTHOR_ATTRIBUTES = ("class", "id", "rel", "itemprop", "data-testid", "data-component")
"""The attributes ``AUTHOR_XPATHS`` test."""
AUTHOR_TAGS = ("author", "rel")
"""The elements ``AUTHOR_XPATHS`` look for by name: ``//author``, and ``rel='me'`` (a child ``<rel>``)."""
_AUTHOR_NAMES = etree.XPath(
    " | ".join([*(f"//@{name}" for name in AUTHOR_ATTRIBUTES), *(f"//{tag}" for tag in AUTHOR_TAGS)])
)


def may_name_author(tree: HtmlElement) -> bool:
    """Whether ``author_from_page`` can find anything in ``tree``: a tenth of a millisecond, where the
    search takes two on a small page (a fifth of the generic extractor's time on a manual's chapter, a
    quarter on the kernel's), and most documentation and table pages name no author anywhere the search
    looks. Only the attributes it tests are read: prose that says "writer" or "author" is no mark."""
    return next(_marked(tree), None) is not None


AUTHOR_LENGTH = 120
"""``extract_author``'s ``len_limit``: an element whose text is this long or longer names no author."""
_AUTHOR_MARK = re.compile("|".join(map(re.escape, AUTHOR_MARKS)))


def _marked(tree: HtmlElement) -> Iterator[HtmlElement]:
    """The elements ``AUTHOR_XPATHS`` may find in ``tree``: those with a mark in an attribute they test, each
    ``<author>``, and the parent of each ``<rel>`` (one per mark: an element may come more than once)."""
    for found in _AUTHOR_NAMES(tree):
        if not isinstance(found, str):
            yield found if found.tag == "author" else found.getparent()
        elif _AUTHOR_MARK.search(found):
            yield found.getparent()  # an attribute's value knows its element


def _short_enough(element: HtmlElement) -> bool:
    """Whether ``element``'s text is as long as ``extract_metainfo`` accepts an author's."""
    return 2 < len(trim(" ".join(element.itertext()))) < AUTHOR_LENGTH


def author_from_page(tree: HtmlElement) -> str | None:
    """trafilatura's author search in the page (``extract_author``) without its copy of the page: it prunes
    comments and the like out of ``tree`` itself, so call it when nothing else will read ``tree``.

    Its XPaths test every element's class and id against patterns, which costs as much as a third of
    trafilatura's extraction on a manual's page; when no element they could find has a text short enough
    to be taken (Sphinx names the whole page ``writer-html5``), the answer is known without them."""
    pruned = prune_unwanted_nodes(tree, _AUTHOR_DISCARD)
    if not any(_short_enough(element) for element in _marked(pruned)):
        return None
    author = extract_metainfo(pruned, _AUTHOR_SEARCH, len_limit=AUTHOR_LENGTH)
    return _trimmed(normalize_authors(None, author)) if author else None


def body_html(tree: HtmlElement, url: str, config: ConfigParser) -> str | None:
    """``trafilatura.extract(tree, url=url, output_format="html", include_images=True, include_links=True,
    include_tables=True, include_formatting=True, config=config)`` without its content fingerprint, and with
    its code written as a reader's browser shows it (``_tidy_code``)."""
    options = _page_options(config, url)
    inside = _IN_BODY_HTML.set(True)
    try:
        document = bare_extraction(tree, options=options, as_dict=False)
    finally:
        _IN_BODY_HTML.reset(inside)
    if not isinstance(document, Document):
        return None
    _tidy_code(document.body)
    html = determine_returnstring(document, options)
    return html.replace(f"<{_INLINE_CODE}>", "<code>").replace(f"</{_INLINE_CODE}>", "</code>")


_OPTIONS: dict[int, tuple[ConfigParser, Extractor]] = {}


def _page_options(config: ConfigParser, url: str | None) -> Extractor:
    """``body_html``'s options for a page: ``Extractor(config=config, …, url=url)``. ``Extractor`` reads
    eight values out of the configuration, through ``ConfigParser``'s interpolation, each time it is made (a
    fortieth of the time on a small page), so the options are made once per configuration (kept by
    identity: a ``ConfigParser`` is not hashable) and each page gets a copy with its address, set as
    ``Extractor`` sets it."""
    kept = _OPTIONS.get(id(config))
    if kept is None or kept[0] is not config:
        made = Extractor(
            config=config, output_format="html", formatting=True, links=True, images=True, tables=True
        )
        kept = _OPTIONS[id(config)] = (config, made)
    options = copy(kept[1])
    options.url, options.source = url, (url or None) and url.encode("utf-8", "replace").decode("utf-8")
    return options


_INLINE_CODE = "inline-code"
_IN_RUNNING_TEXT = frozenset({"p", "head", "hi", "ref", "cell", "item"})
"""trafilatura's elements of running text: a paragraph, a heading, emphasis, a link, a table cell, a list
item."""


def _tidy_code(body: _Element) -> None:
    """Code as the page shows it, where trafilatura's HTML writer changes it: it writes every ``<code>`` as a
    ``<pre>``.

    * Code inside running text (one line, in a paragraph, heading, cell, list item …) is renamed so that the
      writer leaves it inline: a ``<pre>`` inside a ``<p>`` ends the paragraph when the HTML is read again.
      A page of Rust by Example came out as scraps ("使用 ", then "cargo doc" as a block, then the rest of
      the sentence loose), was read as a list of headlines and refused; a post showed every inline command
      as a code block of its own.
    * A code block written ``<pre><code>`` (trafilatura's ``<code><code>``) is one block, not a ``<pre>`` in
      a ``<pre>``: a post in Markdown opened a fence inside a fence.
    """
    for block in [code for code in body.iter("code") if code.find("code") is not None]:
        etree.strip_tags(block, "code")
    for code in body.iter("code"):
        parent = code.getparent()
        if parent is not None and parent.tag in _IN_RUNNING_TEXT and "\n" not in "".join(code.itertext()):
            code.tag = _INLINE_CODE
            code.attrib.clear()


def readability_cannot_win(tree: HtmlElement, body: _Element, text: str, options: Extractor) -> bool:
    """Whether trafilatura's ``compare_extraction`` is sure to keep its own ``body``, ``text`` and call no
    other extractor, without running its readability fork on ``tree``.

    The comparison (``external._prefer_readability``, balanced focus) takes the fork's text only when its
    own text is empty, when the fork's is more than twice as long, or when its own body has no paragraph
    text or more tables than paragraphs; it calls justext only on a body that holds one of
    ``SANITIZED_XPATH``'s elements or is shorter than ``min_extracted_size``. The fork's text is the page's
    text less what it removes (it inserts none but "VIDEO" in an iframe: pages with iframes are left to
    the comparison), so it can be no longer than the page's text trimmed the same way: when that is at most
    twice ``text``, the answer is known. On the article box (``body_html``) it is known three times in
    four, and the fork was a quarter of trafilatura's time there.
    """
    if options.focus != "balanced" or len(text) < max(1, options.min_extracted_size):
        return False
    if _SANITIZED(body) or not _PARAGRAPH_TEXT(body):
        return False
    if len(body.findall(".//table")) > len(body.findall(".//p")):
        return False
    if next(tree.iter("iframe"), None) is not None:
        return False
    page_text = tostring(tree, method="text", encoding="unicode")
    return len(page_text) <= 2 * len(text) or len(trim(page_text)) <= 2 * len(text)  # trimming only cuts


_SANITIZED = etree.XPath(SANITIZED_XPATH)
"""trafilatura's test, compiled once (it passes the string, compiled at each call)."""
_PARAGRAPH_TEXT = etree.XPath(".//p//text()")


_IN_BODY_HTML: ContextVar[bool] = ContextVar("in_body_html", default=False)
_library_extract_and_compare = trafilatura.core._extract_and_compare


def _extract_and_compare(
    cleaned_tree: HtmlElement, cleaned_tree_backup: HtmlElement, tree: HtmlElement, options: Extractor
) -> tuple[_Element, str]:
    """trafilatura's stages 1 and 2 (its own extraction, then the comparison), the comparison skipped where
    ``readability_cannot_win``; inside ``body_html`` only, so that ``trafilatura.extract`` elsewhere (the
    benchmark's anchor) runs as shipped."""
    if not _IN_BODY_HTML.get() or options.fast:
        return _library_extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options)
    body, text = extract_content(cleaned_tree, options)
    if readability_cannot_win(tree, body, text, options):
        return body, text
    return compare_extraction(cleaned_tree_backup, copy(tree), body, text, options)


trafilatura.core._extract_and_compare = _extract_and_compare


# --- trafilatura's XPaths that test names with regular expressions, read in Python ------------------------


Attributes = tuple[tuple[str, str], ...]
"""An element's attributes in the order it writes them (``tuple(element.items())``)."""
Reading = Callable[[_Element], list[_Element]]
"""What an XPath finds in a tree, found in Python."""


def _first_of(attributes: Attributes, *names: str) -> str:
    """The string value of ``@a|@b`` for an element: the value of whichever of the attributes it writes
    first (lxml's ``re:test`` and XPath's string functions take a node-set's first node); "" if neither."""
    return next((value for name, value in attributes if name in names), "")


def _regexes(xpath: etree.XPath, template: str) -> list[re.Pattern[str]] | None:
    """The regular expressions of ``xpath``, when its source is ``template`` but for them (``{}`` in the
    template; white space outside quotes aside); None when trafilatura has changed the XPath beyond its word
    lists."""
    shape = "'([^']*)'".join(re.escape(part) for part in _squeezed(template).split("{}"))
    match = re.fullmatch(shape, _squeezed(xpath.path))
    return [re.compile(pattern) for pattern in match.groups()] if match else None


def _squeezed(source: str) -> str:
    """An XPath's source without the white space outside its quoted strings."""
    return re.sub(r"\s+|('[^']*')", lambda match: match.group(1) or "", source)


def _by_attributes(
    tags: tuple[str, ...] | type,
    test: Callable[[Attributes], bool],
    absolute: bool = False,
    first: bool = False,
) -> Reading:
    """A reading of ``.//*[tags][test]``: the descendants of the tree with one of ``tags`` whose attributes
    pass ``test``, in document order; with ``absolute``, of ``//*[tags][test]``: the elements of the whole
    document around the tree, its root element included; with ``first``, of ``(.//*[tags][test])[1]``: the
    first of them alone. Each distinct list of attributes is tested once: every test reads attributes only,
    and a page repeats a few of them on hundreds of elements."""

    def read(tree: _Element) -> list[_Element]:
        verdicts: dict[Attributes, bool] = {}
        found = []
        elements = tree.getroottree().getroot().iter(tags) if absolute else tree.iterdescendants(tags)
        for element in elements:
            key = tuple(element.items())
            verdict = verdicts.get(key)
            if verdict is None:
                verdict = verdicts[key] = test(key)
            if verdict:
                found.append(element)
                if first:
                    break
        return found

    return read


def _first_of_their_parents(read: Reading) -> Reading:
    """A reading of ``.//*[…][1]`` from one of ``.//*[…]``: of the elements found, those that are the first
    found among their siblings (XPath's ``[1]`` counts per parent)."""

    def first_children(tree: _Element) -> list[_Element]:
        parents: set[_Element] = set()
        found = []
        for element in read(tree):
            parent = element.getparent()
            if parent not in parents:
                parents.add(parent)
                found.append(element)
        return found

    return first_children


_CHROME_TEMPLATE = """.//*[self::div or self::item or self::list or self::p or self::section or self::span][
    @data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or
    contains(@data-component, 'MostPopularStories') or re:test(@id|@class, {}) or re:test(@id, {}) or
    re:test(@class, {})]"""
_HIDDEN_TEMPLATE = """.//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or
    re:test(@id|@style, {}) or contains(@style, 'display:none') or contains(@style, 'display: none') or
    re:test(@id, {}) or re:test(@class, {}) or @aria-hidden='true']"""
_AUTHOR_DISCARD_TEMPLATE = """.//*[self::a or self::div or self::section or self::span][
    @id='comments' or @class='comments' or @class='title' or @class='date' or re:test(@id, {}) or
    re:test(@class, {}) or contains(@data-component, 'Figure')]"""


def _chrome_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``OVERALL_DISCARD_XPATH[0]`` (navigation, share, ad, footer … blocks by their names) in Python."""
    cookie, by_id, by_class = regexes

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        return (
            "data-lp-replacement-content" in named
            or "nav" in named.get("role", "").replace("N", "n")
            or "MostPopularStories" in named.get("data-component", "")
            or cookie.search(_first_of(attributes, "id", "class")) is not None
            or by_id.search(named.get("id", "")) is not None
            or by_class.search(named.get("class", "")) is not None
        )

    return _by_attributes(("div", "item", "list", "p", "section", "span"), test)


def _hidden_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``OVERALL_DISCARD_XPATH[1]`` (hidden blocks, comment titles and replies) in Python."""
    hidden, by_id, by_class = regexes

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        style = named.get("style", "")
        return (
            named.get("class") == "comments-title"
            or _first_of(attributes, "id", "class").startswith("reply-")
            or hidden.search(_first_of(attributes, "id", "style")) is not None
            or "display:none" in style
            or "display: none" in style
            or by_id.search(named.get("id", "")) is not None
            or by_class.search(named.get("class", "")) is not None
            or named.get("aria-hidden") == "true"
        )

    return _by_attributes(etree.Element, test)


def _author_discard_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``AUTHOR_DISCARD_XPATHS[0]`` (comments, titles, dates, quotes, print blocks) in Python."""
    by_id, by_class = regexes

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        return (
            named.get("id") == "comments"
            or named.get("class") in ("comments", "title", "date")
            or by_id.search(named.get("id", "")) is not None
            or by_class.search(named.get("class", "")) is not None
            or "Figure" in named.get("data-component", "")
        )

    return _by_attributes(("a", "div", "section", "span"), test)


_AUTHOR_TEMPLATES = (
    """//*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong][
    @rel='author' or @id='author' or @class='author' or @itemprop='author name' or rel='me' or
    @data-testid='AuthorCard' or @data-testid='AuthorURL' or re:test(@class, {})]|//author""",
    """//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][
    @class='byline' or @class='username' or @class='byl' or @class='BBL' or contains(@itemprop, 'author') or
    re:test(@id, {}) or re:test(@class, {})]""",
    """//*[contains(@data-component, 'Byline') or contains(@itemprop, 'author') or re:test(@id, {}) or
    re:test(@class, {})]""",
)


def _author_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``AUTHOR_XPATHS[0]`` (an author link, an author's name by its class, ``<author>``) in Python."""
    (by_class,) = regexes
    tags = frozenset({"a", "address", "div", "link", "p", "span", "strong"})

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        return (
            named.get("rel") == "author"
            or named.get("id") == "author"
            or named.get("class") == "author"
            or named.get("itemprop") == "author name"
            or named.get("data-testid") in ("AuthorCard", "AuthorURL")
            or by_class.search(named.get("class", "")) is not None
        )

    def read(tree: _Element) -> list[_Element]:
        root = tree.getroottree().getroot()
        named_me = {rel.getparent() for rel in root.iter("rel") if rel.xpath("string()") == "me"}
        verdicts: dict[Attributes, bool] = {}
        found = []
        for element in root.iter(etree.Element):
            if element.tag == "author":
                found.append(element)
            elif element.tag in tags:
                key = tuple(element.items())
                verdict = verdicts.get(key)
                if verdict is None:
                    verdict = verdicts[key] = test(key)
                if verdict or element in named_me:
                    found.append(element)
        return found

    return read


def _byline_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``AUTHOR_XPATHS[1]`` (a byline, a user name, an author by its id or class) in Python."""
    by_id, by_class = regexes

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        return (
            named.get("class") in ("byline", "username", "byl", "BBL")
            or "author" in named.get("itemprop", "")
            or by_id.search(named.get("id", "")) is not None
            or by_class.search(named.get("class", "")) is not None
        )

    return _by_attributes(("a", "div", "h3", "h4", "p", "span"), test, absolute=True)


def _writer_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``AUTHOR_XPATHS[2]`` (any element named for a byline, an author, a writer) in Python."""
    by_id, by_class = regexes

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        return (
            "Byline" in named.get("data-component", "")
            or "author" in named.get("itemprop", "")
            or by_id.search(named.get("id", "")) is not None
            or by_class.search(named.get("class", "")) is not None
        )

    return _by_attributes(etree.Element, test, absolute=True)


_ARTICLE_BODY_TEMPLATES = (
    """.//*[self::article or self::div or self::main or self::section][@class='post' or @class='entry' or
    @itemprop='articleBody' or @id='articleContent' or re:test(@id, {}) or re:test(@class, {})][1]""",
    """(.//*[self::article or self::div or self::main or self::section][@role='article' or @id='article' or
    @id='story' or @class='postarea' or @class='art-postcontent' or @class='text' or @class='cell' or
    @class='story' or re:test(@id, {}) or re:test(@class, {}, 'i') or re:test(@class, {})])[1]""",
    """(.//*[self::article or self::div or self::main or self::section][@id='content' or @class='content' or
    re:test(@id, {}) or re:test(@class, {}) or contains(translate(@id, 'CM','cm'), 'main-content') or
    contains(translate(@class, 'CM','cm'), 'main-content') or
    contains(translate(@class, 'CP','cp'), 'page-content')])[1]""",
)
_ARTICLE_BODY_TAGS = ("article", "div", "main", "section")


def _entry_body_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``BODY_XPATH[0]`` (a post's or an article's body by its class or id) in Python."""
    by_id, by_class = regexes

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        return (
            named.get("class") in ("post", "entry")
            or named.get("itemprop") == "articleBody"
            or named.get("id") == "articleContent"
            or by_id.search(named.get("id", "")) is not None
            or by_class.search(named.get("class", "")) is not None
        )

    return _first_of_their_parents(_by_attributes(_ARTICLE_BODY_TAGS, test))


def _story_body_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``BODY_XPATH[2]`` (a story's body by its role, class or id) in Python."""
    by_id, full_text, by_class = regexes
    full_text = re.compile(full_text.pattern, re.IGNORECASE)  # lxml's re:test flag "i"

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        return (
            named.get("role") == "article"
            or named.get("id") in ("article", "story")
            or named.get("class") in ("postarea", "art-postcontent", "text", "cell", "story")
            or by_id.search(named.get("id", "")) is not None
            or full_text.search(named.get("class", "")) is not None
            or by_class.search(named.get("class", "")) is not None
        )

    return _by_attributes(_ARTICLE_BODY_TAGS, test, first=True)


def _content_body_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``BODY_XPATH[3]`` (a page's main content by its class or id) in Python."""
    by_id, by_class = regexes

    def test(attributes: Attributes) -> bool:
        named = dict(attributes)
        element_id, element_class = named.get("id", ""), named.get("class", "")
        return (
            named.get("id") == "content"
            or named.get("class") == "content"
            or by_id.search(element_id) is not None
            or by_class.search(element_class) is not None
            or "main-content" in element_id.replace("C", "c").replace("M", "m")
            or "main-content" in element_class.replace("C", "c").replace("M", "m")
            or "page-content" in element_class.replace("C", "c").replace("P", "p")
        )

    return _by_attributes(_ARTICLE_BODY_TAGS, test, first=True)


_COMMENTS_TEMPLATES = (
    """.//*[self::div or self::list or self::section][re:test(@id|@class, {}) or re:test(@class, {})]""",
    """.//*[self::div or self::section or self::list][re:test(@id|@class, {}) or re:test(@class, {})]""",
    """.//*[self::div or self::section or self::list][re:test(@id, {})]""",
)


def _comments_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``COMMENTS_XPATH[0]`` and ``[1]`` (a block of comments by its id or class) in Python."""
    by_name, by_class = regexes

    def test(attributes: Attributes) -> bool:
        return (
            by_name.search(_first_of(attributes, "id", "class")) is not None
            or by_class.search(dict(attributes).get("class", "")) is not None
        )

    return _by_attributes(("div", "list", "section"), test)


def _comment_thread_reading(regexes: list[re.Pattern[str]]) -> Reading:
    """``COMMENTS_XPATH[2]`` (a comment service's thread by its id) in Python."""
    (by_id,) = regexes
    return _by_attributes(
        ("div", "list", "section"),
        lambda attributes: by_id.search(dict(attributes).get("id", "")) is not None,
    )


class ReadInPython:
    """One of trafilatura's XPaths, read by a Python function that finds the same elements, in the same
    order, in a third of the time or less.

    The discard XPaths, the article-body and comment searches and the author search test class and id names
    with ``re:test``, which lxml answers by calling back into Python once per element and attribute: an
    eighth of the project's time on the benchmark's tuning pages. A reading tests each distinct list of
    attributes once (a manual repeats one class on every paragraph): 10% less time on news and web pages,
    14% on manuals, the same output on every page of ``bench/extraction.py`` (hashes). Inside ``body_html``
    only (``only_in_body_html``) for trafilatura's own lists, so that ``trafilatura.extract`` elsewhere (the
    benchmark's anchor) runs as shipped. Installed only where the XPath's source is the one the reading was
    written for (``_regexes``): an upgrade that changes one runs trafilatura's own, and the canaries in
    ``tests/test_compat.py`` say so.
    """

    def __init__(self, xpath: etree.XPath, reading: Reading, only_in_body_html: bool) -> None:
        self.xpath, self.reading, self.only_in_body_html = xpath, reading, only_in_body_html
        self.path = xpath.path

    def __call__(self, tree: _Element, **variables: object) -> list[_Element]:
        if variables or (self.only_in_body_html and not _IN_BODY_HTML.get()):
            return self.xpath(tree, **variables)
        return self.reading(tree)


def _read_in_python(
    xpath: etree.XPath,
    template: str,
    reading: Callable[[list[re.Pattern[str]]], Reading],
    only_in_body_html: bool = False,
) -> etree.XPath | ReadInPython:
    regexes = _regexes(xpath, template)
    return xpath if regexes is None else ReadInPython(xpath, reading(regexes), only_in_body_html)


READ_IN_PYTHON = (
    (OVERALL_DISCARD_XPATH, 0, _CHROME_TEMPLATE, _chrome_reading),
    (OVERALL_DISCARD_XPATH, 1, _HIDDEN_TEMPLATE, _hidden_reading),
    (BODY_XPATH, 0, _ARTICLE_BODY_TEMPLATES[0], _entry_body_reading),
    (BODY_XPATH, 2, _ARTICLE_BODY_TEMPLATES[1], _story_body_reading),
    (BODY_XPATH, 3, _ARTICLE_BODY_TEMPLATES[2], _content_body_reading),
    (COMMENTS_XPATH, 0, _COMMENTS_TEMPLATES[0], _comments_reading),
    (COMMENTS_XPATH, 1, _COMMENTS_TEMPLATES[1], _comments_reading),
    (COMMENTS_XPATH, 2, _COMMENTS_TEMPLATES[2], _comment_thread_reading),
)
"""trafilatura's own lists whose XPaths are read in Python inside ``body_html`` (the list, the index, the
source the reading was written for, the reading)."""
if not any(isinstance(xpath, ReadInPython) for xpath in OVERALL_DISCARD_XPATH):  # once, on a reload too
    for _xpaths, _index, _template, _reading in READ_IN_PYTHON:
        if _index < len(_xpaths):
            _xpaths[_index] = _read_in_python(_xpaths[_index], _template, _reading, only_in_body_html=True)
_AUTHOR_DISCARD = [
    _read_in_python(AUTHOR_DISCARD_XPATHS[0], _AUTHOR_DISCARD_TEMPLATE, _author_discard_reading),
    *AUTHOR_DISCARD_XPATHS[1:],
]
"""``AUTHOR_DISCARD_XPATHS`` for ``author_from_page``, its first XPath read in Python."""
_AUTHOR_READINGS = (_author_reading, _byline_reading, _writer_reading)
_AUTHOR_SEARCH = (
    [_read_in_python(*each) for each in zip(AUTHOR_XPATHS, _AUTHOR_TEMPLATES, _AUTHOR_READINGS, strict=True)]
    if len(AUTHOR_XPATHS) == len(_AUTHOR_TEMPLATES)
    else list(AUTHOR_XPATHS)
)
"""``AUTHOR_XPATHS`` for ``author_from_page``, read in Python (trafilatura's own if it has more or fewer)."""
