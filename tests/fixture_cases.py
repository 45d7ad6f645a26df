"""The one loader of test fixtures, and what every fixture file must say about where it came from.

Layout (``docs/development.md`` explains it to people):

* ``tests/fixtures/<site>/<case>/`` is one page-object case: exactly one ``page.<ext>`` (the page as the
  site serves it: ``.html`` in any charset, ``.json``, ``.jsonp``), ``expected.json`` (the canonical
  ``url``, a fixed ``now`` where dates are relative, and the expected fields or ``error``) and
  ``meta.json`` (``provenance`` plus the case's origin notes).
* Any other folder of ``tests/fixtures/`` holds loose files served by a test site (feeds, navigation pages);
  its ``meta.json`` gives each file's provenance under ``files``. ``README.md`` files are documentation.

Provenance is one of :data:`PROVENANCES`:

* ``real``: a real page (or a verbatim excerpt of one) saved by someone else, unchanged;
* ``captured``: real content from such a page (a fragment, an article body, a list item) kept verbatim,
  with the rest of the page completed by hand; the notes say which part is which;
* ``reconstructed``: no real page behind it; built from what public crawlers and documentation say about
  the markup, with invented content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROVENANCES = ("real", "captured", "reconstructed")
CASE_FILES = ("expected.json", "meta.json")
DOCUMENTATION = ("README.md", "meta.json")


@dataclass(frozen=True)
class Case:
    """One page-object case: its page, what parsing it must give, and where the page came from."""

    site: str
    name: str

    @property
    def folder(self) -> Path:
        return FIXTURES / self.site / self.name

    @property
    def page_path(self) -> Path:
        pages = sorted(self.folder.glob("page.*"))
        assert len(pages) == 1, f"{self.folder} must hold exactly one page.<ext>, not {len(pages)}"
        return pages[0]

    def page_bytes(self) -> bytes:
        return self.page_path.read_bytes()

    def page_text(self) -> str:
        """The page as UTF-8 text (a page in another charset: decode :meth:`page_bytes` as a crawl does)."""
        return self.page_path.read_text(encoding="utf-8")

    @cached_property
    def expected(self) -> dict[str, Any]:
        return _json(self.folder / "expected.json")

    @cached_property
    def meta(self) -> dict[str, Any]:
        return _json(self.folder / "meta.json")

    @property
    def provenance(self) -> str:
        return self.meta["provenance"]


def _json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def case_sites() -> list[str]:
    """Folders of ``tests/fixtures`` made of case folders: each subfolder holds an ``expected.json``."""
    sites = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        subfolders = [sub for sub in folder.iterdir() if sub.is_dir()]
        if subfolders and all((sub / "expected.json").is_file() for sub in subfolders):
            sites.append(folder.name)
    return sites


def cases(site: str) -> list[Case]:
    """Every case of a site, by name: adding a case is adding a folder."""
    return [Case(site, folder.name) for folder in sorted((FIXTURES / site).iterdir()) if folder.is_dir()]


def case(site: str, name: str) -> Case:
    found = Case(site, name)
    assert found.folder.is_dir(), f"no fixture case {site}/{name}"
    return found


def loose_files() -> dict[Path, dict[str, Any]]:
    """Each fixture file outside case folders, with its entry in its folder's ``meta.json`` ({} if none)."""
    result: dict[Path, dict[str, Any]] = {}
    sites = set(case_sites())
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name not in sites):
        listed = _json(folder / "meta.json")["files"] if (folder / "meta.json").is_file() else {}
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name not in DOCUMENTATION:
                result[path] = listed.get(str(path.relative_to(folder)), {})
    return result


def provenance(path: Path) -> str:
    """The provenance of any fixture file: its case's, or its entry's in the folder's ``meta.json``."""
    path = path.resolve()
    relative = path.relative_to(FIXTURES)
    if relative.parts[0] in case_sites():
        return case(relative.parts[0], relative.parts[1]).provenance
    return loose_files()[path]["provenance"]
