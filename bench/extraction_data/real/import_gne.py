"""Import the real Chinese news pages of GNE's test suite into the extraction benchmark.

    python bench/extraction_data/real/import_gne.py [GNE_SDIST_DIR]

The pages come from the source distribution of ``gne`` 0.4.3 on PyPI (GeneralNewsExtractor, MIT licence):
its ``tests/``, ``visiable_test/`` and ``test_list_page/`` folders hold complete pages of Chinese portals as a
browser saved them. Without an argument the sdist is fetched with ``pip download`` (PyPI only).

GNE ships no hand-made body text for them (its ``result.txt`` is its own output), so the gold text is ours:
``gold/<case>.txt`` was written by hand, block by block, from each page (rules in ``README.md``), never from
an extractor's output; so were the ``url``, ``title``, gold ``images``, ``kind`` and ``notes`` of each page
(merged into ``manifest.json`` from ``meta/<case>.json`` when present). This script only (re)builds what is
derived: ``pages/<case>.html.gz`` (the page bytes
as shipped, gzipped) and the ``split`` of each case in ``manifest.json``.

The split is by *site*, fixed by a seeded shuffle before any extractor was run on these pages: about half of
the sites (and of the pages) are held out of all tuning. Pages that are byte-level copies of one article
(GNE saved some twice) are listed in ``DUPLICATES`` and left out, so no article counts twice.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
GNE_VERSION = "0.4.3"
SPLIT_SEED = 20261129
DUPLICATES = {
    "thepaper_4": "thepaper_2",  # the same article (newsDetail_forward_4150096), saved twice
    "thepaper_v1": "thepaper_2",  # the same again, with GNE's visibility attributes added
}


def case_name(relative: Path) -> str:
    """``tests/163/1.html`` → ``163_1``; ``visiable_test/163/1.html`` → ``163_v1``; lists get ``list_``."""
    folder, site, stem = relative.parts[0], relative.parent.name, relative.stem
    if folder == "test_list_page":
        return f"list_{site}_{stem}"
    if folder == "visiable_test":
        return f"{site}_v{stem}"
    return f"{site}_{'0' if stem == site else stem}"


def site_of(case: str) -> str:
    return case.removeprefix("list_").rsplit("_", 1)[0]


def held_out_sites(cases: list[str]) -> set[str]:
    """Sites in a seeded random order, taken until they hold half of the pages."""
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
    return held


def fetch_sdist() -> Path:
    target = Path(tempfile.mkdtemp(prefix="gne-sdist-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "--dest", str(target), f"gne=={GNE_VERSION}"],
        check=True,
    )  # fmt: skip
    archive = next(target.glob("gne-*.tar.gz"))
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target / f"gne-{GNE_VERSION}"


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else fetch_sdist()
    pages = sorted(
        path
        for folder in ("tests", "visiable_test", "test_list_page")
        for path in (root / folder).glob("*/*.html")
    )
    found = {case_name(path.relative_to(root)): path for path in pages}
    cases = [case for case in found if case not in DUPLICATES]
    held = held_out_sites(cases)
    manifest_path = HERE / "manifest.json"
    manifest = {entry["case"]: entry for entry in json.loads(manifest_path.read_text("utf-8"))}
    (HERE / "pages").mkdir(exist_ok=True)
    for case in sorted(cases):
        data = found[case].read_bytes()
        (HERE / "pages" / f"{case}.html.gz").write_bytes(gzip.compress(data, mtime=0))
        entry = manifest.setdefault(case, {"case": case})
        written = HERE / "meta" / f"{case}.json"  # a hand-written record: url, title, images, kind, notes
        if written.exists():
            entry.update(json.loads(written.read_text("utf-8")))
        entry["split"] = "held_out" if site_of(case) in held else "tuning"
        entry["origin"] = f"gne-{GNE_VERSION}/{found[case].relative_to(root).as_posix()}"
        entry["sha256"] = hashlib.sha256(data).hexdigest()
    ordered = [manifest[case] for case in sorted(cases)]
    manifest_path.write_text(json.dumps(ordered, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(cases)} pages ({sum(e['split'] == 'held_out' for e in ordered)} held out) from {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
