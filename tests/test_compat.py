"""Canaries for the hooks into dependencies' private APIs (:mod:`aggregator.compat`).

One test per hook. Each checks what the hook relies on in the installed (pinned) version, so that an upgrade
that renames a private method, moves an attribute or changes an overridden signature fails here, with the
hook's name, rather than as a confusing failure somewhere in a crawl (or not at all: the engine wake-up,
for one, would silently degrade to polling every 5 seconds).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import inspect
import logging
import re
from copy import deepcopy
from pathlib import Path

import lxml.html
import pytest
import readability
import scrapy.commands.crawl
import scrapy.core.engine
import scrapy_redis.queue
import scrapy_redis.scheduler
import trafilatura
from scrapy import Request, Spider
from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.images import ImagesPipeline
from scrapy.settings import Settings
from scrapy.utils.reactor import CallLaterOnce
from trafilatura.htmlprocessing import HTML_CONVERSIONS, convert_tags, tree_cleaning
from trafilatura.xpaths import AUTHOR_XPATHS, BODY_XPATH, COMMENTS_XPATH, OVERALL_DISCARD_XPATH

from aggregator.compat import readability_hooks, redis_hooks, scrapy_hooks, trafilatura_hooks
from aggregator.run.commands.crawl import Command as AggregatorCrawlCommand
from aggregator.sites.generic import TRAFILATURA_CONFIG as GENERIC_TRAFILATURA_CONFIG
from pipelines.images import ImageDownloadPipeline
from tests.test_extraction_crosscheck import tuning_page

ROOT = Path(__file__).resolve().parent.parent


def parameters(function: object) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)  # type: ignore[arg-type]


# --- Scrapy ---------------------------------------------------------------------------------------------


class Quiet(Spider):
    name = "quiet"


def test_crawl_command_creates_crawlers_through_the_hook() -> None:
    """``scrapy crawl`` must still build its crawler with ``self._create_crawler(name)`` inside ``run``."""
    assert "self._create_crawler(" in inspect.getsource(scrapy.commands.crawl.Command.run), (
        "Scrapy's crawl command no longer calls _create_crawler: fix CrawlCommandKeepingCrawlers"
    )
    assert parameters(scrapy.commands.crawl.Command._create_crawler) == ("self", "spidercls")
    command = scrapy_hooks.CrawlCommandKeepingCrawlers()
    command.crawler_process = CrawlerRunner(Settings())  # type: ignore[assignment]
    crawler = command._create_crawler(Quiet)
    assert isinstance(crawler, Crawler) and command.crawlers == [crawler]
    assert issubclass(AggregatorCrawlCommand, scrapy_hooks.CrawlCommandKeepingCrawlers)


def test_engine_slot_has_nextcall() -> None:
    """``wake_engine`` schedules ``engine._slot.nextcall``: the engine must keep a ``_slot`` whose
    ``nextcall`` is a ``CallLaterOnce`` (else distributed workers only poll every 5 s)."""
    assert "self._slot" in inspect.getsource(scrapy.core.engine.ExecutionEngine.__init__)
    slot_init = inspect.getsource(scrapy.core.engine._Slot.__init__)
    assert "self.nextcall" in slot_init and "CallLaterOnce" in slot_init
    assert callable(CallLaterOnce.schedule)


def test_image_stores_are_configured_by_update_stores() -> None:
    """``configure_image_stores`` calls ``_update_stores``, which Scrapy's own ``from_crawler`` calls."""
    assert "cls._update_stores(settings)" in inspect.getsource(ImagesPipeline.from_crawler.__func__)
    assert parameters(ImagesPipeline._update_stores) == ("settings",)
    settings = Settings({"IMAGES_STORE_S3_ACL": "canary-acl", "FILES_STORE_S3_ACL": "private"})
    scrapy_hooks.configure_image_stores(ImageDownloadPipeline, settings)
    assert FilesPipeline.STORE_SCHEMES["s3"].POLICY == "canary-acl"


@pytest.mark.parametrize("method", sorted(scrapy_hooks.IMAGES_PIPELINE_OVERRIDES))
def test_images_pipeline_signatures(method: str) -> None:
    """Every ImagesPipeline method our pipeline overrides or calls still takes the parameters it passes."""
    expected = scrapy_hooks.IMAGES_PIPELINE_OVERRIDES[method]
    assert parameters(getattr(ImagesPipeline, method)) == expected, (
        f"ImagesPipeline.{method} changed its signature: check pipelines/images.py and "
        "aggregator/compat/scrapy_hooks.py"
    )


# --- readability-lxml -----------------------------------------------------------------------------------


class WithoutNavigation(readability_hooks.ReadabilityOnTree):
    def prepare(self, tree):
        for element in tree.xpath("//*[@id='nav']"):
            element.drop_tree()
        return tree


def test_readability_scores_what_parse_returns() -> None:
    """``Document`` must pass its input untouched to ``_parse`` and score the tree that comes back."""
    assert "self._parse(self.input)" in inspect.getsource(readability.Document._html)
    text = "".join(
        f"<p>Paragraph {n}, with commas, and enough words to be scored as text.</p>" for n in range(8)
    )
    root = lxml.html.fromstring(
        f"<html><body><div id='nav'><a href='/'>home</a></div><div id='a'>{text}</div>"
    )
    document = WithoutNavigation(root)
    summary = document.summary(html_partial=True)
    assert document.encoding == "utf-8"
    assert "Paragraph 7" in summary and "home" not in summary, "readability did not score the prepared tree"


def test_readability_unlikely_candidates_step_is_the_one_mirrored() -> None:
    """``ReadabilityOnTree.remove_unlikely_candidates`` repeats readability's own step but for how the names
    are matched: if readability changes the step, the copy must be read again."""
    source = inspect.getsource(readability.Document.remove_unlikely_candidates)
    for condition in (
        'REGEXES["unlikelyCandidatesRe"].search(s)',
        'REGEXES["okMaybeItsACandidateRe"].search(s)',
        'elem.tag not in ["html", "body"]',
        "ancestor-or-self::pre | ancestor-or-self::code",
        "descendant-or-self::main",
        "elem.drop_tree()",
    ):
        assert condition in source, condition
    text = "".join(f"<p>Paragraph {n}, with commas, and enough words to be scored.</p>" for n in range(8))
    root = lxml.html.fromstring(
        f"<html><body><div id='comments'><p>{'A comment, a long one, ' * 9}</p></div>"
        f"<div id='artpagination'>{text}</div></body></html>"
    )
    summary = WithoutNavigation(root).summary(html_partial=True)
    assert "Paragraph 7" in summary and "A comment" not in summary


def test_readability_unlikely_names_are_a_plain_list() -> None:
    """The names are read out of readability's pattern by splitting it at ``|``: that holds while it is a
    flat list of words, and then one search at word starts says what a match per word said."""
    pattern = readability.readability.REGEXES["unlikelyCandidatesRe"].pattern
    assert re.fullmatch(r"[a-z0-9|-]+", pattern), pattern
    per_word = re.compile(pattern)
    names_seen = ("comments", "sidebar-left", "artpagination", "main-footer x", "ad-break", "socialmenu")
    for names in names_seen:
        words = re.findall(r"[a-z0-9]+", names)
        expected = any(per_word.match(word) for word in words)
        assert bool(readability_hooks._UNLIKELY_AT_WORD_START.search(names)) == expected, names


def test_readability_clean_is_the_library_s_with_its_passes_skipped_where_they_cannot_match() -> None:
    """``readability_hooks.clean`` stands in for readability's ``clean`` (it measures every text with it):
    the library's three substitutions must still be the ones it skips, and its answer must be the same."""
    source = inspect.getsource(readability_hooks._library_clean)
    for substitution in (r'r"\s{255,}", " " * 255', r'r"\s*\n\s*", "\n"', r'r"\t|[ \t]{2,}", " "'):
        assert substitution in source, substitution
    assert readability.readability.clean is readability_hooks.clean
    assert readability.readability.text_length.__globals__["clean"] is readability_hooks.clean
    pieces = [" ", "  ", "\t", "\n", "\r\n", "\xa0", "\u3000", " \t", "\t ", "a", "词", "b c"]
    texts = ["", " " * 300 + "x", "\t" * 260, "a" + " \n" * 200 + "b", "  lead\t\ttrail  "]
    texts += [  # runs of 127 to 256 white-space characters, alone, between words, at any offset
        f"{left}{run * length}{right}"
        for run in (" ", "\n", " \t", "\u3000", "\xa0\n")
        for length in (127, 128, 254, 255, 256)
        for left, right in (("", ""), ("x", "y"), ("x ", " y"), ("词", "\n" * 300 + "z"), ("x" * 127, "y"))
    ]
    texts += [
        "".join(pieces[(seed * 7 + n * 5) % len(pieces)] for n in range(seed % 23)) for seed in range(999)
    ]
    every_space = [chr(code) for code in range(0x3001) if chr(code).isspace()]  # what \s and strip() know
    texts += [
        "".join(every_space[(seed * 11 + n) % len(every_space)] + "词a"[n % 3 :] for n in range(seed % 40))
        for seed in range(300)
    ]
    for text in texts:
        assert readability_hooks.clean(text) == readability_hooks._library_clean(text), repr(text)


def test_readability_describes_nodes_only_for_debug_lines() -> None:
    """readability formats a description of every node it scores into debug lines, logged or not; the hook
    skips it unless those lines are logged."""
    node = lxml.html.fromstring("<div><p id='x' class='y'>text</p></div>").find("p")
    assert readability.readability.describe is readability_hooks.describe
    assert readability_hooks.describe(node) == ""
    log = logging.getLogger("readability.readability")
    level = log.level
    log.setLevel(logging.DEBUG)
    try:
        described = readability_hooks.describe(node)
        assert described == readability_hooks._library_describe(node) and described.endswith(">p#x.y")
    finally:
        log.setLevel(level)


def test_readability_display_none_pattern() -> None:
    assert readability_hooks.DISPLAY_NONE.search("color: red; display:none")
    assert not readability_hooks.DISPLAY_NONE.search("display: block")
    assert issubclass(readability_hooks.Unparseable, ValueError)


_MISUSED_DIVS = (
    "<html><body><div id='a'>loose text <span>inline <b>bold</b></span> more<br>after break"
    "<div>inner only text</div><div><a href='/x'>a link</a> tail</div><div><p>para</p></div>"
    "<div><span><img src='i.jpg'></span> tail text</div><div><font>old <param name='p'></font></div>"
    "<div>text <em>em <pre>code</pre></em> end</div><div title='&lt;div'>attribute only</div>"
    "<div><o:p>word</o:p> office</div><div><section><dl><dt>t</dt></dl></section></div></div>"
    "</body></html>"
)


class Unprepared(readability_hooks.ReadabilityOnTree):
    def prepare(self, tree):
        return tree


def test_readability_misused_divs_step_is_ours_to_replace() -> None:
    """``ReadabilityOnTree.transform_misused_divs_into_paragraphs`` replaces readability's step of that name
    (called by ``summary``) and must turn the same divs into the same paragraphs as readability's own."""
    assert "self.transform_misused_divs_into_paragraphs()" in inspect.getsource(readability.Document.summary)
    theirs = Unprepared(lxml.html.fromstring(_MISUSED_DIVS))
    theirs.html = lxml.html.fromstring(_MISUSED_DIVS)
    readability.Document.transform_misused_divs_into_paragraphs(theirs)
    ours = Unprepared(lxml.html.fromstring(_MISUSED_DIVS))
    ours.html = lxml.html.fromstring(_MISUSED_DIVS)
    ours.transform_misused_divs_into_paragraphs()
    assert lxml.html.tostring(ours.html) == lxml.html.tostring(theirs.html), (
        "readability changed transform_misused_divs_into_paragraphs: update ReadabilityOnTree"
    )
    assert lxml.html.tostring(ours.html) != lxml.html.tostring(lxml.html.fromstring(_MISUSED_DIVS))


# --- trafilatura ----------------------------------------------------------------------------------------

_META_PAGE = (
    "<html><head><title>Floods close the valley road - Daily Example</title>"
    "<meta property='og:image' content='https://example.org/flood.jpg'>"
    "<meta name='description' content='The road stays shut until Friday.'>"
    "<meta name='keywords' content='floods, roads'><link rel='canonical' href='https://example.org/a/1'>"
    "</head><body><header><a href='/'>Daily Example</a></header><article><h1>Floods close the valley road"
    "</h1><p class='byline'>By <span class='author'>Jane Roe</span></p><p>Published 2024-03-05</p>"
    "<p>The valley road was closed on Tuesday after the river rose over its banks.</p></article>"
    "<div class='comments'><p class='author'>Troll Name</p><p>first!</p></div></body></html>"
)


def test_trafilatura_metadata_steps_read_what_extract_metadata_reads() -> None:
    """``page_metadata``, ``date_from_page`` and ``author_from_page`` call the steps of
    ``trafilatura.extract_metadata`` one by one: their fields must be the ones it returns."""
    expected = trafilatura.extract_metadata(
        lxml.html.fromstring(_META_PAGE), "https://example.org/a/1", extensive=False
    )
    tree = lxml.html.fromstring(_META_PAGE)
    metadata = trafilatura_hooks.page_metadata(tree, "https://example.org/a/1")
    date = trafilatura_hooks.date_from_page(tree, metadata)
    author = metadata.author or trafilatura_hooks.author_from_page(tree)
    got = (metadata.title, author, date, metadata.tags, metadata.image, metadata.description, metadata.url)
    want = (expected.title, expected.author, expected.date, expected.tags, expected.image,
            expected.description, expected.url)  # fmt: skip
    assert got == want, "trafilatura's metadata steps changed: update aggregator/compat/trafilatura_hooks.py"
    assert author == "Jane Roe" and date == "2024-03-05"


def test_the_author_marks_cover_every_name_trafilaturas_author_search_tests() -> None:
    """``may_name_author`` skips the author search on a page whose ``AUTHOR_ATTRIBUTES`` hold none of
    ``AUTHOR_MARKS`` and that has none of ``AUTHOR_TAGS``: every attribute ``AUTHOR_XPATHS`` test must be
    read, and each name they compare an attribute with (quoted strings, regex alternatives split) must hold
    one of the marks, or a page with that name would lose its author."""
    paths = [xpath.path for xpath in AUTHOR_XPATHS]
    attributes = {name for path in paths for name in re.findall(r"@([\w-]+)", path)}
    assert attributes == set(trafilatura_hooks.AUTHOR_ATTRIBUTES), "update AUTHOR_ATTRIBUTES"
    tags = {tag for path in paths for tag in re.findall(r"//(\w+)(?![\w(:])", path)}
    tags |= set(re.findall(r"\bor (\w+)='", " ".join(paths)))  # rel='me': a child element <rel>
    assert tags == set(trafilatura_hooks.AUTHOR_TAGS), "update AUTHOR_TAGS"
    names = {
        alternative.replace("-?", "-").replace("[Aa]", "a").replace("[Bb]", "b")
        for path in paths
        for literal in re.findall(r"'([^']*)'", path)
        for alternative in literal.split("|")
    }
    names.discard("me")  # ``rel='me'``: the text of a <rel>, found by its tag
    marks = trafilatura_hooks.AUTHOR_MARKS
    assert names, "trafilatura's author XPaths changed: update AUTHOR_MARKS in compat/trafilatura_hooks.py"
    assert all(any(mark in name for mark in marks) for name in names), "update AUTHOR_MARKS"
    byline = lxml.html.fromstring("<html><body><p>Text.</p><span class=byline>Jane Roe</span></body></html>")
    assert trafilatura_hooks.may_name_author(byline)
    assert trafilatura_hooks.author_from_page(byline) == "Jane Roe"
    tagged = lxml.html.fromstring("<html><body><p>Text.</p><author>Jane Roe</author></body></html>")
    assert trafilatura_hooks.may_name_author(tagged)
    prose = lxml.html.fromstring(
        "<html><body><p>第一章 简介</p><p>A driver writer asks the author of the code.</p></body></html>"
    )
    assert not trafilatura_hooks.may_name_author(prose)
    assert trafilatura_hooks.author_from_page(prose) is None


def test_the_author_search_is_skipped_only_where_it_finds_nothing(monkeypatch) -> None:
    """``author_from_page`` runs ``extract_author``'s steps (prune, then ``extract_metainfo`` with its
    length limit) and skips the XPaths where no element they could find has a text short enough: a page
    whose only mark names its whole body (Sphinx's ``writer-html5``) has no author, and a byline is still
    found."""
    source = inspect.getsource(trafilatura.metadata.extract_author)
    assert "prune_unwanted_nodes(deepcopy(tree), AUTHOR_DISCARD_XPATHS)" in source
    assert f"extract_metainfo(subtree, AUTHOR_XPATHS, len_limit={trafilatura_hooks.AUTHOR_LENGTH})" in source
    searches = []
    library_search = trafilatura_hooks.extract_metainfo

    def counted_search(*args, **kwargs):
        searches.append(args)
        return library_search(*args, **kwargs)

    monkeypatch.setattr(trafilatura_hooks, "extract_metainfo", counted_search)
    prose = "<p>" + "说明文字，很长的一段话。" * 20 + "</p>"
    sphinx = f"<html><body><div class='body writer-html5'><h1>标题</h1>{prose}</div></body></html>"
    assert trafilatura.metadata.extract_author(lxml.html.fromstring(sphinx)) is None
    assert trafilatura_hooks.author_from_page(lxml.html.fromstring(sphinx)) is None and not searches
    for page in (
        "<html><body><div class='writer-html5'><p class='byline'>Jane Roe</p>"
        + prose
        + "</div></body></html>",
        f"<html><body><a href='/me'>Jane Roe<rel>me</rel></a>{prose}</body></html>",
        f"<html><body><author>Jane Roe</author>{prose}</body></html>",
    ):
        expected = trafilatura.metadata.extract_author(lxml.html.fromstring(page))
        assert trafilatura_hooks.author_from_page(lxml.html.fromstring(page)) == expected, page
        assert expected and "Jane Roe" in expected


def test_trafilatura_body_html_is_extract_without_the_fingerprint(monkeypatch) -> None:
    """``body_html`` runs ``extract``'s two steps (``bare_extraction``, ``determine_returnstring``) itself:
    on real pages its HTML, but for its own tidying of code, must be exactly what ``trafilatura.extract``
    returns."""
    monkeypatch.setattr(trafilatura_hooks, "_tidy_code", lambda body: None)
    for folder, case in (("real_web3", "pluralsight_com_python"), ("real", "guancha_3")):
        html, url, _gold = tuning_page(folder, case)
        tree = lxml.html.document_fromstring(html)
        expected = trafilatura.extract(
            deepcopy(tree), url=url, output_format="html", include_images=True, include_links=True,
            include_tables=True, include_formatting=True, config=GENERIC_TRAFILATURA_CONFIG,
        )  # fmt: skip
        got = trafilatura_hooks.body_html(deepcopy(tree), url, GENERIC_TRAFILATURA_CONFIG)
        assert got == expected, "trafilatura.extract changed: update body_html in compat/trafilatura_hooks.py"
        assert got and "<p>" in got


@pytest.mark.parametrize("url", ["https://example.com/a/b.html", "https://例子.中国/新闻?id=1", "", None])
def test_trafilatura_body_html_options_are_what_extractor_makes_for_the_page(url: str | None) -> None:
    """``body_html`` copies options made once per configuration and sets the page's address on the copy:
    every field must be what ``Extractor(…, url=url)`` sets (if ``Extractor`` derives more from the
    address, ``_page_options`` must follow), and the copy must not be the kept options themselves."""
    made = trafilatura.settings.Extractor(
        config=GENERIC_TRAFILATURA_CONFIG, output_format="html", formatting=True, links=True, images=True,
        tables=True, url=url,
    )  # fmt: skip
    got = trafilatura_hooks._page_options(GENERIC_TRAFILATURA_CONFIG, url)
    for field in trafilatura.settings.Extractor.__slots__:
        assert getattr(got, field) == getattr(made, field), field
    assert got is not trafilatura_hooks._page_options(GENERIC_TRAFILATURA_CONFIG, url)


_CODE_PAGE = (
    "<html><body><article><p>Use <code>cargo doc</code> to build the documentation in the target directory, "
    "then open it in a browser.</p><pre><code>fn main() {\n    run();\n}</code></pre><p>Another paragraph "
    "with enough text to be kept, and <code>cargo test</code> too, for the tests.</p></article></body></html>"
)


def test_trafilatura_writes_every_code_as_pre_and_body_html_as_the_page_shows_it() -> None:
    """trafilatura's HTML writer turns every ``<code>`` into ``<pre>`` (inline code too, which ends a ``<p>``
    when read again) and a ``<pre><code>`` into a ``<pre>`` in a ``<pre>``; ``body_html`` writes inline code
    as ``<code>`` and a code block as one ``<pre>``. If trafilatura stops doing so, ``_tidy_code`` can go."""
    assert HTML_CONVERSIONS["code"] == "pre"
    plain = trafilatura.extract(_CODE_PAGE, output_format="html", include_formatting=True)
    assert "<pre>cargo doc</pre>" in plain and plain.count("<pre>") == 4
    tree = lxml.html.document_fromstring(_CODE_PAGE)
    got = trafilatura_hooks.body_html(tree, "", GENERIC_TRAFILATURA_CONFIG)
    assert "<p>Use <code>cargo doc</code> to build" in got and "<code>cargo test</code> too" in got
    assert got.count("<pre>") == 1 and "<pre>fn main() {\n    run();\n}</pre>" in got


def test_trafilatura_comparison_steps_are_the_ones_mirrored() -> None:
    """``trafilatura_hooks._extract_and_compare`` stands in for trafilatura's stages 1 and 2 and skips the
    comparison where ``readability_cannot_win``: the stages and the comparison's conditions must be the ones
    that function reads. If trafilatura changes them, read ``readability_cannot_win`` again."""
    assert trafilatura.core._extract_and_compare is trafilatura_hooks._extract_and_compare
    sequence = inspect.getsource(trafilatura.core.trafilatura_sequence)
    assert "_extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options)" in sequence
    read = {
        trafilatura_hooks._library_extract_and_compare: (
            "extract_content(cleaned_tree, options)",
            "if not options.fast:",
            "compare_extraction(cleaned_tree_backup, copy(tree), postbody, temp_text, options)",
        ),
        trafilatura.external.compare_extraction: (
            "try_readability(raw_tree)",
            "_prefer_readability(body, temppost_algo, algo_text, len_text, len_algo, options)",
            "unclean = bool(body.xpath(SANITIZED_XPATH))",
            "if unclean or len_text < options.min_extracted_size:",
            "if use_readability:",
        ),
        trafilatura.external._prefer_readability: (
            "if len_algo in (0, len_text):",
            "if len_text > 2 * len_algo:",
            "len_text == 0",
            "len_algo > 2 * len_text",
            'not body.xpath(".//p//text()") or len(body.findall(".//table")) > len(body.findall(".//p"))',
            'options.focus == "recall"',
        ),
    }
    for function, conditions in read.items():
        source = inspect.getsource(function)
        missing = [condition for condition in conditions if condition not in source]
        assert not missing, f"trafilatura's {function.__name__} changed: {missing}"
    fork = inspect.getsource(trafilatura.readability_lxml)
    writes = re.findall(r"^\s*(\S[^=\n]*\.(?:text|tail) = [^#\n]*?)\s*(?:#.*)?$", fork, re.MULTILINE)
    assert writes == [  # text moved into new paragraphs, and the one text the fork writes itself
        "p_elem.text, elem.text = elem.text, None",
        "p_elem.text, child.tail = child.tail, None",
        'elem.text = "VIDEO"',
    ], "trafilatura's readability fork writes text in new places: read readability_cannot_win again"


def test_trafilatura_readability_fork_text_is_never_longer_than_the_page() -> None:
    """The bound ``readability_cannot_win`` relies on, on real pages: the fork's text, trimmed as
    trafilatura trims it, is never longer than the page's."""
    pages = (("real_web3", "pluralsight_com_python"), ("real", "guancha_3"), ("real_docs", "gitdoc_gitfaq"))
    for folder, case in pages:
        html, _url, _gold = tuning_page(folder, case)
        tree = lxml.html.document_fromstring(html)
        page = trafilatura.utils.trim(lxml.html.tostring(tree, method="text", encoding="unicode"))
        summary = trafilatura.external.try_readability(deepcopy(tree))
        text = trafilatura.utils.trim(lxml.html.tostring(summary, method="text", encoding="unicode"))
        assert 0 < len(text) <= len(page), case


def test_trafilatura_body_html_skips_only_a_comparison_it_knows_the_answer_of(monkeypatch) -> None:
    """On a page whose article is most of it, ``body_html`` never runs the readability fork and returns
    what ``trafilatura.extract`` (which still runs it) returns; outside ``body_html`` the fork runs."""
    html, url, _gold = tuning_page("real_docs", "gitdoc_gitfaq")
    tree = lxml.html.document_fromstring(html)
    options = dict(
        url=url, output_format="html", include_images=True, include_links=True, include_tables=True,
        include_formatting=True, config=GENERIC_TRAFILATURA_CONFIG,
    )  # fmt: skip
    forks = []
    library_fork = trafilatura.external.try_readability

    def counted_fork(tree):
        forks.append(tree)
        return library_fork(tree)

    monkeypatch.setattr(trafilatura.external, "try_readability", counted_fork)
    monkeypatch.setattr(trafilatura_hooks, "_tidy_code", lambda body: None)
    expected = trafilatura.extract(deepcopy(tree), **options)
    assert forks, "trafilatura.extract no longer compares with its readability fork"
    forks.clear()
    got = trafilatura_hooks.body_html(deepcopy(tree), url, GENERIC_TRAFILATURA_CONFIG)
    assert got == expected and not forks


def test_trafilatura_reads_only_the_first_article_container_it_knows() -> None:
    """``ARTICLE_CONTAINERS`` are trafilatura's ``BODY_XPATH``, and its main pass reads the first container
    they find and no other: an article written as two ``div.entry-content`` keeps its first part only. When
    trafilatura reads them all, ``box_page._split_article_unnamed`` is no longer needed."""
    assert trafilatura_hooks.ARTICLE_CONTAINERS is BODY_XPATH is trafilatura.main_extractor.BODY_XPATH
    prose = " ".join(["A sentence of the story with words enough to count as its prose."] * 4)
    page = (
        f"<html><body><div id='x'><div class='entry-content'><p>First part. {prose}</p></div>"
        f"<div class='entry-content'><p>Second part. {prose}</p></div></div></body></html>"
    )
    text = trafilatura.extract(page, fast=True) or ""
    assert "First part." in text and "Second part." not in text


def _xpaths_read_in_python() -> list[trafilatura_hooks.ReadInPython]:
    return [
        *OVERALL_DISCARD_XPATH, BODY_XPATH[0], *BODY_XPATH[2:4], *COMMENTS_XPATH[:3],
        trafilatura_hooks._AUTHOR_DISCARD[0], *trafilatura_hooks._AUTHOR_SEARCH,
    ]  # fmt: skip


def test_trafilatura_xpaths_are_read_in_python_as_trafilatura_writes_them() -> None:
    """Each XPath ``ReadInPython`` stands in for is the one its reading was written for (its source matches
    the template but for the word lists), and the reading finds the same elements, in the same order, on real
    pages (each page, its body and the tree trafilatura makes of it) and on names written in either order
    (``re:test(@id|@class, …)`` reads the attribute the element writes first), an ``<author>`` and a link
    marked by a child ``<rel>me</rel>`` (the author searches read the whole document, from any element of
    it), a flag (``re:test(…, 'i')``), and twins (``[1]`` counts per parent, ``(…)[1]`` in the page)."""
    readings = _xpaths_read_in_python()
    assert all(isinstance(xpath, trafilatura_hooks.ReadInPython) for xpath in readings), (
        "trafilatura changed a discard XPath: update its template and reading in compat/trafilatura_hooks.py"
    )
    pages = [
        lxml.html.document_fromstring(tuning_page(folder, case)[0])
        for folder, case in (
            ("real_web3", "pluralsight_com_python"), ("real", "guancha_3"), ("real_docs", "gitdoc_gitfaq"),
            ("real_news4", "medicalnewstoday_3"), ("real_web6", "wapo_tunisia"), ("real_web5", "carta_info"),
        )
    ]  # fmt: skip
    pages.append(
        lxml.html.fromstring(
            "<html><body><div class='cookie' id='x'>a</div><div id='x' class='cookie'>b</div>"
            "<p id='reply-1' class='x'>c</p><p class='x' id='reply-1'>d</p>"
            "<span style='display:none'>e</span>"
            "<div role='Navigation'>f</div><div data-lp-replacement-content=''>g</div><a class='title'>h</a>"
            "<section aria-hidden='true'><div class='print-only'>i</div></section><author>Jane Roe</author>"
            "<a href='/me'>Jane<rel>me</rel></a><span class='author-name'>J. R.</span><p id='Author'>j</p>"
            "<h4 class='byl'>k</h4><div><div class='post'>l</div><div class='post'>m</div></div>"
            "<div class='FullText'>n</div><main id='Main-Content'>o</main><section class='comment-list'>p"
            "</section><div id='disqus_thread'>q</div></body></html>"
        )
    )
    options = trafilatura.settings.Extractor()
    for page in pages:
        converted = convert_tags(tree_cleaning(deepcopy(page), options), options)
        for tree in (page, page.find("body"), converted):
            for xpath in readings:
                assert xpath.reading(tree) == xpath.xpath(tree), xpath.path
                assert xpath.reading(tree) or tree is not pages[-1]


def test_trafilatura_reads_its_discard_xpaths_in_python_only_inside_body_html(monkeypatch) -> None:
    """Outside ``body_html`` (``trafilatura.extract``: the benchmark's anchor) trafilatura's own XPaths run;
    inside it, the readings."""
    read = []
    for xpath in OVERALL_DISCARD_XPATH:
        monkeypatch.setattr(
            xpath, "reading", lambda tree, reading=xpath.reading: read.append(tree) or reading(tree)
        )
    html, url, _gold = tuning_page("real_docs", "gitdoc_gitfaq")
    assert trafilatura.extract(lxml.html.document_fromstring(html), url=url) and not read
    assert trafilatura_hooks.body_html(lxml.html.document_fromstring(html), url, GENERIC_TRAFILATURA_CONFIG)
    assert read


# --- scrapy-redis ---------------------------------------------------------------------------------------


def test_redis_queue_decodes_what_it_encodes() -> None:
    """``decode_request`` is the queue's ``_decode_request``, the inverse of its ``_encode_request``."""
    spider = Quiet()
    queue = scrapy_redis.queue.PriorityQueue(None, spider, "canary:%%:%(spider)s")
    assert queue.key == "canary:%:quiet", "scrapy-redis no longer formats queue keys with %(spider)s"
    request = Request("http://127.0.0.1/a", meta={"k": "v"}, priority=3)
    decoded = redis_hooks.decode_request(queue, queue._encode_request(request))
    assert (decoded.url, decoded.meta["k"], decoded.priority) == (request.url, "v", 3)
    assert parameters(scrapy_redis.queue.PriorityQueue.__init__) == (
        "self",
        "server",
        "spider",
        "key",
        "serializer",
    )


def test_redis_scheduler_attributes() -> None:
    """``SharedScheduler`` sets these attributes itself; the inherited methods must still read them."""
    init = parameters(scrapy_redis.scheduler.Scheduler.__init__)
    assert {"server", "persist", "dupefilter_cls", "serializer"} <= set(init)
    source = inspect.getsource(scrapy_redis.scheduler.Scheduler)
    missing = [name for name in redis_hooks.SCHEDULER_ATTRIBUTES if f"self.{name}" not in source]
    assert not missing, f"scrapy-redis's Scheduler no longer uses {missing}: check SharedScheduler"


# --- nothing outside aggregator/compat reaches into a dependency ----------------------------------------

PROJECT = ("aggregator", "spiders", "pipelines")
PUBLIC_BY_CONVENTION = {"_Element", "_ElementTree"}
"""lxml's documented element types: named with an underscore, but what lxml's own docs annotate with."""


def project_modules() -> list[Path]:
    return [
        path
        for folder in PROJECT
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "compat" not in path.relative_to(ROOT).parts and path.name != "__main__.py"
    ]


def private_accesses(path: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{hit}" for hit in private_accesses_at(path)]


def private_accesses_at(path: Path) -> list[str]:
    """``thing._name`` (not ``self``/``cls``) and ``getattr(thing, "_name")`` in one module's source."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            if node.attr not in PUBLIC_BY_CONVENTION:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and str(node.args[1].value).startswith("_")
        ):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def dependency_names(cls: type) -> set[str]:
    """``_x`` names that the classes ``cls`` inherits from dependencies define or set on ``self``."""
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if base.__module__.startswith(PROJECT) or base.__module__ == "builtins":
            continue
        names |= {name for name in vars(base) if name.startswith("_") and not name.startswith("__")}
        with contextlib.suppress(OSError, TypeError):  # no source (a C type): its names are in vars()
            names |= set(re.findall(r"self\.(_[A-Za-z]\w*)", inspect.getsource(base)))
    return names - {"_abc_impl", "_is_protocol", "_is_runtime_protocol"}


def private_overrides(path: Path) -> list[str]:
    """In a class body: a ``_x`` method or attribute that a dependency's base class defines (an override), or
    a use of ``self._x`` that only a dependency's base class sets (a reach into its state)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    module = importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        cls = getattr(module, node.name, None) if isinstance(node, ast.ClassDef) else None
        if not isinstance(cls, type):
            continue
        inherited = dependency_names(cls)
        if not inherited:
            continue
        defined = {
            item.name for item in node.body if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        defined |= {
            t.id
            for item in node.body
            if isinstance(item, ast.Assign)
            for t in item.targets
            if isinstance(t, ast.Name)
        }
        assigned = {
            target.attr
            for item in ast.walk(node)
            if isinstance(item, ast.Assign | ast.AnnAssign)
            for target in (item.targets if isinstance(item, ast.Assign) else [item.target])
            if isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        }
        used = {
            item.attr
            for item in ast.walk(node)
            if isinstance(item, ast.Attribute)
            and isinstance(item.value, ast.Name)
            and item.value.id == "self"
        }
        for name in sorted(n for n in defined if n in inherited):
            found.append(
                f"{path.relative_to(ROOT)}: {node.name}.{name} overrides a dependency's private name"
            )
        for name in sorted(n for n in used - defined - assigned if n in inherited):
            found.append(
                f"{path.relative_to(ROOT)}: {node.name} uses self.{name}, a dependency's private name"
            )
    return found


def test_private_api_is_used_only_through_compat() -> None:
    """A new reach into a dependency's insides goes into aggregator/compat/, with its canary."""
    found = [hit for path in project_modules() for hit in (*private_accesses(path), *private_overrides(path))]
    assert not found, "private API used outside aggregator/compat/:\n" + "\n".join(found)


def test_the_guard_sees_private_access(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("x = engine._slot\ny = getattr(engine, '_slot')\nz = self._mine\nt: etree._Element\n")
    assert [hit.split(": ", 1)[1] for hit in private_accesses_at(sample)] == [
        "engine._slot",
        "getattr(engine, '_slot')",
    ]
