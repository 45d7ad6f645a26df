"""The documentation cannot drift: links resolve, every docs page is listed, the settings table matches.

The README is the entry and ``docs/`` the reference; both are read by people who cannot tell a stale page
from a true one, so the checks that can be mechanical are: every relative link (file and ``#anchor``) in
the README, ``docs/*.md`` and the READMEs of the benchmarks and fixture folders resolves; ``docs/index.md``
lists every page; the README stays short; ``docs/settings.md`` has exactly one row per setting of
``aggregator/settings.py``, with the module's default wherever the row writes it as a literal; and
``docs/architecture.md`` has a line for every folder of code and fixtures, and none for a folder that is gone.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import aggregator.settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
MARKDOWN = sorted([README, ROOT / "bench" / "README.md", *DOCS.glob("*.md")])
LINKED = sorted({*MARKDOWN, *ROOT.glob("bench/**/README.md"), *ROOT.glob("tests/fixtures/**/README.md")})
"""Every page whose relative links must resolve: the documentation and the READMEs of data folders (which
also name other projects' files, so only MARKDOWN is checked for names of this project's code)."""
README_MAX_BYTES = 12 * 1024

LINK = re.compile(r"\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"`[^`]*`")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|")


def prose_lines(path: Path) -> list[str]:
    """The lines outside fenced code blocks, with inline code removed: links and headings live there."""
    lines, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup dropped, lower case, punctuation out, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for line in prose_lines(path):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def links(path: Path) -> list[str]:
    return [
        target
        for line in prose_lines(path)
        for target in LINK.findall(CODE_SPAN.sub("", line))
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target)  # http:, https:, mailto: are not checked offline
    ]


def test_markdown_files_found() -> None:
    assert README in MARKDOWN and len(MARKDOWN) >= 10


def test_readme_is_an_entry_not_the_reference() -> None:
    size = len(README.read_bytes())
    assert size <= README_MAX_BYTES, f"README.md is {size} bytes; move reference material into docs/"


@pytest.mark.parametrize("path", LINKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    broken = []
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.exists():
            broken.append(f"{target}: no file {resolved}")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no heading with anchor #{anchor} in {resolved.relative_to(ROOT)}")
    assert not broken, f"{path.relative_to(ROOT)} has broken links:\n" + "\n".join(broken)


def test_every_docs_page_is_listed_in_the_index() -> None:
    index = DOCS / "index.md"
    listed = {(DOCS / target.partition("#")[0]).resolve() for target in links(index)}
    missing = [p.name for p in DOCS.glob("*.md") if p != index and p.resolve() not in listed]
    assert not missing, f"docs/index.md does not list: {', '.join(sorted(missing))}"


CODE_PATH = re.compile(r"`((?:aggregator|pipelines|spiders|tests|bench)/[\w/]+\.py)`")
CODE_OBJECT = re.compile(r"`((?:aggregator|pipelines|spiders)(?:\.\w+)+\.[A-Z]\w+)`")


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_the_docs_name_exists(path: Path) -> None:
    """A file (`aggregator/x.py`) or class (`pipelines.images.ImageDownloadPipeline`) the docs name exists."""
    text = path.read_text(encoding="utf-8")
    missing = [name for name in CODE_PATH.findall(text) if not (ROOT / name).is_file()]
    for dotted in CODE_OBJECT.findall(text):
        module, _, name = dotted.rpartition(".")
        try:
            getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            missing.append(dotted)
    assert not missing, f"{path.relative_to(ROOT)} names code that does not exist: {missing}"


def test_slug_follows_github() -> None:
    assert slug("The `aggregator` command") == "the-aggregator-command"
    assert slug("cron, or systemd") == "cron-or-systemd"
    images = "images-link-proxy-or-download-images_mode"
    assert slug("Images: link, proxy or download (`IMAGES_MODE`)") == images


# --- docs/settings.md against aggregator/settings.py ----------------------------------------------------


def declared_settings() -> list[str]:
    """Names assigned at the top level of the settings module, in order (what Scrapy loads from it)."""
    tree = ast.parse(Path(aggregator.settings.__file__).read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
    return names


def documented_settings() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in (DOCS / "settings.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            name, default = match.group(1), match.group(2).strip()
            assert name not in rows, f"docs/settings.md documents {name} twice"
            rows[name] = default
    return rows


UNITS = {"KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


def default_mismatch(value: Any, cell: str) -> str | None:
    """Why the documented default ``cell`` contradicts ``value``; None when it agrees or is only prose."""
    empty = value in ("", None) or (isinstance(value, dict | list | tuple) and not value)
    if empty != cell.startswith("empty"):
        return f"the module's value is {value!r}, the table says {cell!r}"
    if empty:
        return None
    sized = re.fullmatch(r"(\d+(?:\.\d+)?) (KiB|MiB|GiB)", cell)
    if sized:
        written = float(sized.group(1)) * UNITS[sized.group(2)]
        return None if written == value else f"{cell} is {written:g}, the module's value is {value!r}"
    literal = re.match(r"`([^`]*)`", cell)
    if not literal:
        return None  # prose ("clean, extract, …"): a description, not a value
    token = literal.group(1)
    if isinstance(value, bool):
        agrees = token == str(value)
    elif isinstance(value, int | float):
        agrees = re.fullmatch(r"-?\d+(\.\d+)?", token) is not None and float(token) == value
    elif isinstance(value, str):
        agrees = token == value
    else:
        try:
            agrees = json.loads(token) == json.loads(json.dumps(value))
        except ValueError:
            agrees = False
    return None if agrees else f"the table says {token!r}, the module's value is {value!r}"


def test_every_setting_is_documented() -> None:
    missing = [name for name in declared_settings() if name not in documented_settings()]
    assert not missing, (
        f"aggregator/settings.py declares {', '.join(missing)} but docs/settings.md has no row for it: "
        "add `| `NAME` | default | meaning |` to the table it belongs to"
    )


def test_every_documented_setting_exists() -> None:
    declared = set(declared_settings())
    unknown = [name for name in documented_settings() if name not in declared]
    assert not unknown, f"docs/settings.md documents {', '.join(unknown)}, which aggregator/settings.py lacks"


def test_documented_defaults_are_the_modules() -> None:
    wrong = [
        f"{name}: {why}"
        for name, cell in documented_settings().items()
        if hasattr(aggregator.settings, name)
        and (why := default_mismatch(getattr(aggregator.settings, name), cell))
    ]
    assert not wrong, "docs/settings.md disagrees with aggregator/settings.py:\n" + "\n".join(wrong)


def test_default_check_catches_drift() -> None:
    assert default_mismatch(60, "`60`") is None
    assert default_mismatch(60.0, "`60`") is None
    assert default_mismatch(60, "`30`")
    assert default_mismatch(True, "`False`")
    assert default_mismatch("link", "`proxy`")
    assert default_mismatch(5 * 1024 * 1024, "5 MiB") is None
    assert default_mismatch(5 * 1024 * 1024, "4 MiB")
    assert default_mismatch(["news"], '`["news"]`') is None
    assert default_mismatch(["news"], '`["china"]`')
    assert default_mismatch("", "empty") is None
    assert default_mismatch("x", "empty")
    assert default_mismatch("", "`x`")


# --- docs/architecture.md against the repository's tree --------------------------------------------------

ARCHITECTURE = DOCS / "architecture.md"
TREE_LINE = re.compile(r"^(\S+/)\s{2,}\S")


def tracked_folders() -> set[str]:
    """Every folder of the repository that git tracks a file in (``a/b/`` for ``a/b/c.py``), ancestors too."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    folders: set[str] = set()
    for name in filter(None, listed):
        parts = name.split("/")[:-1]
        folders.update("/".join(parts[:depth]) + "/" for depth in range(1, len(parts) + 1))
    return folders


def architecture_tree() -> list[str]:
    """The folders ``docs/architecture.md`` describes: the first column of its tree block."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = text.split("```\n", 2)[1]
    return [match.group(1) for line in block.splitlines() if (match := TREE_LINE.match(line))]


def test_architecture_tree_names_every_code_and_fixture_folder() -> None:
    """A newcomer reads the tree to place a module: a package folder (or fixture folder) missing from it
    is a room nobody explained; a line for a folder that is gone sends them looking for nothing."""
    folders = tracked_folders()
    described = architecture_tree()
    assert len(described) == len(set(described)), "docs/architecture.md lists a folder twice"
    python_folders = {
        name.rsplit("/", 1)[0] + "/"
        for name in subprocess.run(
            ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, check=True, text=True
        ).stdout.split()
        if "/" in name
    }
    wanted = python_folders | {f for f in folders if f.count("/") == 1}
    wanted |= {f for f in folders if f.startswith("tests/fixtures/") and f.count("/") == 3}
    wanted -= {f for f in wanted if f.startswith("tests/hexo/")}  # one line for the Hexo site
    missing = sorted(wanted - set(described))
    assert not missing, f"docs/architecture.md has no line for {missing}: add `folder/   what lives there`"
    gone = sorted(set(described) - folders)
    assert not gone, f"docs/architecture.md describes folders that do not exist: {gone}"


def readme_layout() -> list[str]:
    """The folders the README's Layout block names, nested ones with their parent (``aggregator/sites/``)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Layout", 1)[1].split("```", 2)[1]
    folders, parent = [], ""
    for line in block.splitlines():
        name = line.split(maxsplit=1)[0] if line.strip() else ""
        if not name.endswith("/"):
            continue
        if line.startswith(" "):
            folders.append(parent + name)
        else:
            parent = name
            folders.append(name)
    return folders


def test_readme_layout_names_real_folders() -> None:
    """The README's short tree is the first map a newcomer reads: each folder it names must exist."""
    named = readme_layout()
    assert "aggregator/sites/" in named and len(named) >= 10, named
    gone = [name for name in named if not (ROOT / name).is_dir()]
    assert not gone, f"README.md's Layout names folders that do not exist: {gone}"
