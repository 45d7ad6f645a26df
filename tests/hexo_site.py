"""Render posts with a real, pinned Hexo 8 site so tests prove what a blog would actually show.

The exporter's contract (date forms, quoting, ``disableNunjucks``, raw-HTML bodies, hidden state files) is
only worth something if the real renderer agrees, and Hexo's behaviour is full of surprises that no Python
re-implementation would reproduce. So tests copy the small site in ``tests/hexo`` into a temporary folder,
drop posts into ``source/_posts``, run ``hexo generate`` and read back what the theme printed.

The theme (``tests/hexo/themes/aggtest``) wraps every field in an element with a stable class, and the content
between two HTML comments, so reading a post back needs no guessing and returns Hexo's bytes unchanged.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from tests.markers import require_marker

HEXO_DIR = Path(__file__).resolve().parent / "hexo"
"""The checked-in site: package.json/package-lock.json, _config.yml, the aggtest theme and an empty source."""

SITE_ENTRIES = ("_config.yml", "package.json", "source", "themes")
"""What a temporary copy needs; node_modules is symlinked because copying 180 packages per test is slow."""

GENERATE_TIMEOUT_S = 120
NPM_CI_TIMEOUT_S = 600

CONTENT_START = "<!-- post-content:start -->\n"
CONTENT_END = "\n<!-- post-content:end -->"

_node_modules_checked = False

LISTING_WITH_CONTENT = """<ul class="post-list">
<% page.posts.each(function(post) { %>
<li class="post-list-item" data-source="<%= post.source %>"><a class="post-list-title" \
href="<%= url_for(post.path) %>"><%= post.title %></a>
<div class="post-list-content"><%- post.content %></div></li>
<% }) %>
</ul>
"""
"""The listing partial :meth:`HexoSite.show_content_in_listings` installs in a test copy of the theme."""


class RenderedPost(TypedDict):
    """One post as the theme printed it: strings exactly as a reader of the blog would see them."""

    source: str
    """Hexo's source path, e.g. ``_posts/foo.md``."""
    slug: str
    url_path: str
    """Folder of the page inside public/, e.g. ``2022/04/28/foo`` (where relative asset URLs resolve)."""
    title: str
    """Title as text (HTML entities decoded)."""
    title_html: str
    """Title exactly as written into the page, to check escaping."""
    date: str
    """``YYYY-MM-DD HH:mm:ss`` in the site's ``timezone``."""
    updated: str
    categories: list[str]
    """Category names root to leaf, chains concatenated (the front-matter list for a single chain)."""
    category_paths: list[list[str]]
    """Each leaf category with its full hierarchy, in the order the theme printed them."""
    tags: list[str]
    link: str
    comments: str
    content: str
    """``page.content`` exactly as Hexo rendered it (markdown + Nunjucks + filters)."""
    html: str
    """The whole generated page."""


def hexo_unavailable_reason() -> str | None:
    """Say loudly why Hexo cannot run here, so a skipped render test is never mistaken for a passing one."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        return (
            f"HEXO RENDER TESTS SKIPPED: {' and '.join(missing)} not found on PATH. These tests prove "
            "exported posts render in a real Hexo 8 site; install Node.js >= 20.19 with npm to run them."
        )
    return None


def _lock_packages(lock_path: Path) -> dict[str, Any]:
    packages: dict[str, Any] = json.loads(lock_path.read_text(encoding="utf-8")).get("packages", {})
    return packages


def node_modules_stale_reason(site_dir: Path = HEXO_DIR) -> str | None:
    """Compare npm's own record of what is installed with the lock, so a changed lock triggers a reinstall.

    npm writes ``node_modules/.package-lock.json`` after every install; packages it skipped as optional for
    this platform (fsevents) are absent there, which is not staleness.
    """
    installed_record = site_dir / "node_modules" / ".package-lock.json"
    if not installed_record.is_file():
        return "node_modules is missing (no node_modules/.package-lock.json)"
    wanted = _lock_packages(site_dir / "package-lock.json")
    installed = _lock_packages(installed_record)
    for name, meta in wanted.items():
        if not name:
            continue
        if name not in installed:
            if meta.get("optional"):
                continue
            return f"{name} is in package-lock.json but not installed"
        if installed[name].get("version") != meta.get("version"):
            return f"{name} is {installed[name].get('version')}, lock wants {meta.get('version')}"
    extra = sorted(set(installed) - set(wanted))
    if extra:
        return f"installed but not in package-lock.json: {', '.join(extra[:5])}"
    return None


@contextlib.contextmanager
def _exclusive_lock(name: str) -> Iterator[None]:
    """Serialise npm ci across pytest workers: two concurrent installs into one node_modules corrupt it."""
    lock_path = Path(tempfile.gettempdir()) / name
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_node_modules() -> None:
    """Install the locked packages once per session when node_modules is missing or differs from the lock.

    A fresh clone has no node_modules (it is gitignored); running ``npm ci`` here means nobody must remember.
    """
    global _node_modules_checked
    require_marker("hexo", "Node.js (the Hexo site's packages)")
    if _node_modules_checked:
        return
    reason = hexo_unavailable_reason()
    if reason:
        raise AssertionError(reason)
    lock_digest = hashlib.sha256((HEXO_DIR / "package-lock.json").read_bytes()).hexdigest()[:16]
    with _exclusive_lock(f"aggregator-hexo-npm-ci-{lock_digest}.lock"):
        stale = node_modules_stale_reason()
        if stale:
            result = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"],
                cwd=HEXO_DIR,
                capture_output=True,
                text=True,
                timeout=NPM_CI_TIMEOUT_S,
                check=False,
            )
            if result.returncode != 0:
                raise AssertionError(
                    f"npm ci in {HEXO_DIR} failed ({stale}), exit {result.returncode}:\n"
                    f"{result.stdout}\n{result.stderr}"
                )
            still_stale = node_modules_stale_reason()
            if still_stale:
                raise AssertionError(
                    f"npm ci in {HEXO_DIR} finished but node_modules is still stale: {still_stale}"
                )
    _node_modules_checked = True


def _set_config_value(config_text: str, key: str, value: str) -> str:
    """Replace one top-level key so the test copy differs from the checked-in config in exactly that key."""
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.MULTILINE)
    updated, count = pattern.subn(f"{key}: {value}", config_text)
    if count != 1:
        raise AssertionError(f"expected exactly one top-level {key!r} in _config.yml, found {count}")
    return updated


def _text(element: Any) -> str:
    return str(element.text_content()) if element is not None else ""


def _first(tree: Any, css_class: str) -> Any:
    found = tree.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {css_class} ')]")
    return found[0] if found else None


def _leaf_paths(paths: list[list[str]]) -> list[list[str]]:
    """Keep only chains that are not a prefix of another: Hexo stores every ancestor as its own category."""
    return [
        path
        for path in paths
        if not any(len(other) > len(path) and other[: len(path)] == path for other in paths)
    ]


def parse_post_page(html: str, url_path: str) -> RenderedPost:
    """Read one aggtest post page back into its fields; raw slices where exact bytes matter."""
    tree = lxml.html.fromstring(html)
    article = tree.xpath("//article[contains(concat(' ', @class, ' '), ' post ')]")[0]
    title_match = re.search(r'<h1 class="post-title">(.*?)</h1>', html, re.DOTALL)
    start = html.index(CONTENT_START) + len(CONTENT_START)
    end = html.rindex(CONTENT_END)
    all_paths = [
        [str(name) for name in json.loads(item.get("data-path"))]
        for item in tree.xpath("//li[@class='post-category']")
    ]
    leaves = _leaf_paths(all_paths)
    link = _first(tree, "post-link")
    return RenderedPost(
        source=str(article.get("data-source")),
        slug=str(article.get("data-slug")),
        url_path=url_path,
        title=_text(_first(tree, "post-title")),
        title_html=title_match.group(1) if title_match else "",
        date=_text(_first(tree, "post-date")),
        updated=_text(_first(tree, "post-updated")),
        categories=[name for path in leaves for name in path],
        category_paths=leaves,
        tags=[_text(tag) for tag in tree.xpath("//li[@class='post-tag']")],
        link=str(link.get("href")) if link is not None else "",
        comments=_text(_first(tree, "post-comments")),
        content=html[start:end],
        html=html,
    )


@dataclass(frozen=True)
class HexoRun:
    """The outcome of one ``hexo generate``: its log plus readers for what it wrote."""

    site_dir: Path
    returncode: int
    log: str

    @property
    def public_dir(self) -> Path:
        return self.site_dir / "public"

    @property
    def errors(self) -> list[str]:
        """Hexo logs some failures without a non-zero exit (e.g. a post that fails to process), so grep."""
        return [line for line in self.log.splitlines() if "ERROR" in line or "FATAL" in line]

    def assert_ok(self) -> None:
        if self.returncode != 0 or self.errors:
            raise AssertionError(
                f"hexo generate in {self.site_dir} failed (exit {self.returncode}, "
                f"{len(self.errors)} ERROR/FATAL lines):\n{self.log}"
            )

    def database(self) -> dict[str, Any]:
        """Hexo's warehouse dump: models (Post, Cache, Category...) as Hexo saw them, for non-HTML facts."""
        data: dict[str, Any] = json.loads((self.site_dir / "db.json").read_text(encoding="utf-8"))
        return data

    def model(self, name: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.database()["models"].get(name, [])
        return rows

    def public_files(self) -> list[str]:
        """Every generated file, relative and sorted, to catch anything leaking into the published site."""
        return sorted(
            path.relative_to(self.public_dir).as_posix()
            for path in self.public_dir.rglob("*")
            if path.is_file()
        )

    def posts(self) -> list[RenderedPost]:
        """All post pages, checked against the Post model so a post loaded but never written is an error."""
        pages: dict[str, RenderedPost] = {}
        for page in sorted(self.public_dir.rglob("index.html")):
            html = page.read_text(encoding="utf-8")
            if '<article class="post"' not in html:
                continue
            post = parse_post_page(html, page.parent.relative_to(self.public_dir).as_posix())
            pages[post["source"]] = post
        loaded = {row["source"] for row in self.model("Post") if row.get("published", True)}
        missing = loaded - set(pages)
        if missing:
            raise AssertionError(f"Hexo loaded posts but wrote no page for: {sorted(missing)}\n{self.log}")
        return [pages[source] for source in sorted(pages)]

    def post(self, slug_or_source: str) -> RenderedPost:
        """Find one post by slug (``foo``), file name (``foo.md``) or source (``_posts/foo.md``)."""
        wanted = slug_or_source.removeprefix("source/")
        matches = [
            post
            for post in self.posts()
            if wanted in (post["slug"], post["source"], post["source"].removeprefix("_posts/"))
        ]
        if len(matches) != 1:
            known = [post["source"] for post in self.posts()]
            raise AssertionError(
                f"expected one post matching {slug_or_source!r}, found {len(matches)}: {known}"
            )
        return matches[0]

    def post_html(self, slug_or_source: str) -> str:
        return self.post(slug_or_source)["html"]

    def page_images(self, page: str) -> dict[str, Path]:
        """Every ``<img src>`` of a generated page (``index.html``, ``2022/04/28/foo/index.html``) and the
        file in public/ a browser would fetch for it, resolved against the page's own URL (as a browser
        does), so a relative src that only works on the post page shows up as missing on the index."""
        page_path = self.public_dir / page
        tree = lxml.html.fromstring(page_path.read_text(encoding="utf-8"))
        page_url = "http://example.com/" + Path(page).as_posix()
        found: dict[str, Path] = {}
        for src in tree.xpath("//img/@src"):
            resolved = urlsplit(urljoin(page_url, str(src)))
            if resolved.netloc != "example.com":
                found[str(src)] = Path("/nonexistent-remote") / resolved.netloc
                continue
            found[str(src)] = self.public_dir / unquote(resolved.path).lstrip("/")
        return found


@dataclass(frozen=True)
class HexoSite:
    """A throwaway copy of tests/hexo whose source/_posts a test fills before calling ``generate``."""

    root: Path

    @classmethod
    def create(
        cls, tmp_path: Path, timezone: str = "Asia/Shanghai", post_asset_folder: bool = False
    ) -> HexoSite:
        """Copy the site (not node_modules: a symlink keeps this instant) and set the two knobs tests vary."""
        root = tmp_path / "hexo-site"
        root.mkdir(parents=True)
        for entry in SITE_ENTRIES:
            source = HEXO_DIR / entry
            if source.is_dir():
                shutil.copytree(source, root / entry)
            else:
                shutil.copy2(source, root / entry)
        (root / "node_modules").symlink_to(HEXO_DIR / "node_modules", target_is_directory=True)
        config_path = root / "_config.yml"
        config = config_path.read_text(encoding="utf-8")
        config = _set_config_value(config, "timezone", timezone)
        config = _set_config_value(config, "post_asset_folder", "true" if post_asset_folder else "false")
        config_path.write_text(config, encoding="utf-8")
        return cls(root)

    @property
    def posts_dir(self) -> Path:
        return self.root / "source" / "_posts"

    def show_content_in_listings(self) -> None:
        """Make the index, archive, category and tag pages print each post's content, as most real themes'
        home pages do: an image must resolve there as well as on the post page."""
        partial = self.root / "themes" / "aggtest" / "layout" / "_partial" / "post_list.ejs"
        partial.write_text(LISTING_WITH_CONTENT, encoding="utf-8")

    def add_post(self, filename: str, text: str) -> Path:
        """Write a post byte-for-byte (no newline translation) so tests control exactly what Hexo reads."""
        path = self.posts_dir / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return path

    def generate(self, extra_env: Mapping[str, str] | None = None, expect_success: bool = True) -> HexoRun:
        """Run a clean ``hexo generate`` with the machine clock zone pinned to UTC.

        TZ=UTC because Hexo mixes the process zone into date handling; pinning it makes results the same on
        every machine, and tests that study that dependence pass another TZ in ``extra_env``. public/ and
        db.json are removed first so every run is a full, uncached build.
        """
        shutil.rmtree(self.root / "public", ignore_errors=True)
        (self.root / "db.json").unlink(missing_ok=True)
        env = {**os.environ, "TZ": "UTC", "NO_COLOR": "1", "FORCE_COLOR": "0"}
        env.update(extra_env or {})
        hexo_bin = self.root / "node_modules" / ".bin" / "hexo"
        try:
            result = subprocess.run(
                [str(hexo_bin), "generate"],
                cwd=self.root,
                env=env,
                capture_output=True,
                text=True,
                timeout=GENERATE_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(
                f"hexo generate in {self.root} timed out after {GENERATE_TIMEOUT_S}s"
            ) from exc
        run = HexoRun(site_dir=self.root, returncode=result.returncode, log=result.stdout + result.stderr)
        if expect_success:
            run.assert_ok()
        return run
