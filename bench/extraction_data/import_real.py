"""Import the real pages of the extraction benchmark from the packages that ship them.

    python bench/extraction_data/import_real.py gne [SDIST_DIR]          # Chinese pages → real/
    python bench/extraction_data/import_real.py newspaper4k [SDIST_DIR]  # English pages → real_en/

Both are source distributions on PyPI, fetched with ``pip download`` when no folder is given:

* ``gne`` 0.4.3 (GeneralNewsExtractor, MIT): its ``tests/``, ``visiable_test/`` and ``test_list_page/`` hold
  complete pages of Chinese portals as a browser saved them;
* ``newspaper4k`` 0.9.6 (MIT): its ``tests/data/html`` holds English news pages and home pages.

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

import gzip
import hashlib
import json
import random
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
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
    split: Callable[[list[str]], dict[str, str]]


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


ENGLISH = (
    "article_with_br", "article_with_divs", "cleveland.com1", "cnn_001", "cnn_002", "cnn_article",
    "cnn_test_nlp", "fox13now_001", "time_001", "video_article_02", "wired_001",
    "cnn_main_site", "wired_main_site", "yahoo_main_site", "ap_meta_refresh",
)  # fmt: skip

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
}


def fetch_sdist(source: Source) -> Path:
    target = Path(tempfile.mkdtemp(prefix=f"{source.package}-sdist-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "--dest", str(target), f"{source.package}=={source.version}"],
        check=True,
    )  # fmt: skip
    archive = next(target.glob("*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / f"{source.package}-{source.version}"


def import_pages(source: Source, root: Path) -> list[dict[str, object]]:
    found = {
        source.name(path.relative_to(root)): path
        for pattern in source.pages
        for path in sorted(root.glob(pattern))
    }
    cases = sorted(case for case in found if case not in source.duplicates)
    splits = source.split(cases)
    here = HERE / source.folder
    manifest_path = here / "manifest.json"
    old = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else []
    manifest = {entry["case"]: entry for entry in old}
    (here / "pages").mkdir(parents=True, exist_ok=True)
    for case in cases:
        data = found[case].read_bytes()
        (here / "pages" / f"{case}.html.gz").write_bytes(gzip.compress(data, mtime=0))
        entry = manifest.setdefault(case, {"case": case})
        written = here / "meta" / f"{case}.json"
        if written.exists():
            entry.update(json.loads(written.read_text("utf-8")))
        entry["split"] = splits[case]
        entry["origin"] = f"{source.package}-{source.version}/{found[case].relative_to(root).as_posix()}"
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    ordered = [manifest[case] for case in cases]
    manifest_path.write_text(json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return ordered


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
