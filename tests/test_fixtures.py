"""Every fixture is in the one layout and says where it came from (``tests/fixture_cases.py``).

A test that passes on a page nobody has seen on the real site proves less than one on a real page; readers
of a failing test need to know which it was. So each case folder holds exactly a page, its expected output
and its provenance, and every loose fixture file has a provenance entry in its folder's ``meta.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixture_cases import (
    CASE_FILES,
    FIXTURES,
    PROVENANCES,
    Case,
    case_sites,
    cases,
    loose_files,
    provenance,
)

ALL_CASES = [found for site in case_sites() for found in cases(site)]


def test_case_sites_are_found() -> None:
    assert {"zaker", "cctv"} <= set(case_sites())
    assert len(ALL_CASES) >= 30


@pytest.mark.parametrize("found", ALL_CASES, ids=lambda c: f"{c.site}/{c.name}")
def test_case_layout(found: Case) -> None:
    names = sorted(path.name for path in found.folder.iterdir())
    pages = [name for name in names if name.startswith("page.")]
    assert len(pages) == 1, f"{found.folder}: one page.<ext>, found {pages}"
    assert sorted(set(names) - set(pages)) == sorted(CASE_FILES), f"{found.folder} holds {names}"
    assert found.expected.get("url", "").startswith("http"), "expected.json names the page's real URL"


@pytest.mark.parametrize("found", ALL_CASES, ids=lambda c: f"{c.site}/{c.name}")
def test_case_provenance(found: Case) -> None:
    assert found.provenance in PROVENANCES, f"{found.folder}/meta.json: provenance {found.provenance!r}"
    notes = {key: value for key, value in found.meta.items() if key != "provenance"}
    assert notes and all(isinstance(v, str) and v for v in notes.values()), (
        f"{found.folder}/meta.json must say what the page is built from"
    )


def test_loose_files_have_provenance() -> None:
    files = loose_files()
    assert files, "no loose fixture files found"
    unlabelled = [str(path.relative_to(FIXTURES)) for path, entry in files.items() if not entry]
    assert not unlabelled, f"add these to their folder's meta.json (files: provenance, origin): {unlabelled}"
    for path, entry in files.items():
        assert entry["provenance"] in PROVENANCES, f"{path}: provenance {entry['provenance']!r}"
        assert entry.get("origin"), f"{path}: say where it comes from (origin)"


def test_meta_lists_only_existing_files() -> None:
    for meta in FIXTURES.glob("*/meta.json"):
        for name in json.loads(meta.read_text(encoding="utf-8"))["files"]:
            assert (meta.parent / name).is_file(), f"{meta} lists {name}, which does not exist"


def test_provenance_of_any_fixture_file() -> None:
    page = next(found for found in ALL_CASES if found.provenance == "captured").page_path
    assert provenance(page) == "captured"
    loose = next(iter(loose_files()))
    assert provenance(loose) in PROVENANCES
    assert provenance(Path(FIXTURES / "zaker" / "challenge" / "page.html")) == "reconstructed"
