"""Facts about real Hexo 8 rendering that the exporter relies on, proved with the pinned site in tests/hexo.

Each test states one behaviour of Hexo 8.1.2 + hexo-renderer-marked 7.0.1 that decides how posts are written:
which date forms are read as wall-clock in Hexo's ``timezone``, why ``disableNunjucks`` is needed, how titles
survive quoting, which raw-HTML layouts marked leaves alone, which files in source/_posts Hexo ignores, and
where post-asset images land. Posts are grouped into a few ``hexo generate`` runs to keep the file fast.
"""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest

from tests.hexo_site import (
    HEXO_DIR,
    HexoRun,
    HexoSite,
    _leaf_paths,
    ensure_node_modules,
    hexo_unavailable_reason,
    node_modules_stale_reason,
)

# Byte-exact copy of a real post from the blog this project feeds (seeds/000_21cf37f44213cd8f.txt).
SEED = HEXO_DIR / "seed_posts" / "zaker_000_21cf37f44213cd8f.md"

# A title that needs every kind of protection: YAML quoting, HTML escaping, front-matter fence lookalikes.
NASTY_TITLE = "It's a \"quote\": #1 🎉 --- <script>alert('x')</script> & done"
NASTY_TITLE_YAML = "'It''s a \"quote\": #1 🎉 --- <script>alert(''x'')</script> & done'"
# Strings YAML would turn into null/bool/number/date unless quoted, and a double-quoted one with escapes.
QUOTED_TITLES = {
    "title-null": ("'null'", "null"),
    "title-true": ("'true'", "true"),
    "title-number": ("'0123'", "0123"),
    "title-date": ("'2022-04-28'", "2022-04-28"),
    "title-double": ('"Tab\\there, \\u00e9t\\u00e9 \\"q\\" \\\\ end"', 'Tab\there, été "q" \\ end'),
}

ONE_LINE_BODY = (
    "<p>Stars *not em* and _not em_ and `not code` and **not bold** 2*3*4 a_b_c [x](y)</p>"
    '<p><img src="https://example.com/a_b.jpg" alt="a &amp; b" referrerpolicy="no-referrer"></p>'
    "<table><thead><tr><th>h1</th><th>h2</th></tr></thead>"
    "<tbody><tr><td>a|b</td><td>- c</td></tr></tbody></table>"
    "<pre><code>line1&#10;line2&#10;    indented &lt;tag&gt; *x*</code></pre>"
    '<p>"quotes" -- dashes ... (c) http://example.com/x_y_z # not a heading</p>'
)

# Blank lines inside the HTML: each marks a different way marked takes over (see the blank-lines test).
BLANK_LINES_BODY = (
    "<p>first *a*</p>\n\nplain *b* _c_\n<p>x</p><pre>a\n\n    b *c*</pre><p>y</p>\n\n"
    "<pre>d\n\n    e *f*</pre>\n<p>after *g*</p>\n\n    <p>four after blank</p>"
)

NUNJUCKS_BODY = "<p>A {{ page.title }} B {% raw %}R{% endraw %} C {# note #} D {% if %} E {{ open</p>"


def post_text(front_matter: str, body: str) -> str:
    """Lay a post out the way the exporter does: fenced front matter, blank line, body in a div."""
    return f"---\n{front_matter.strip()}\n---\n\n<div>\n{body}\n</div>\n"


@pytest.fixture(scope="module")
def hexo_ready() -> None:
    reason = hexo_unavailable_reason()
    if reason:
        pytest.skip(reason)
    ensure_node_modules()


@pytest.fixture(scope="module")
def main_run(hexo_ready: None, tmp_path_factory: pytest.TempPathFactory) -> HexoRun:
    """One Asia/Shanghai site, built with TZ=UTC, holding every post that must render cleanly together."""
    site = HexoSite.create(tmp_path_factory.mktemp("main"))
    site.add_post("seed.md", SEED.read_text(encoding="utf-8"))
    site.add_post("wall-clock.md", post_text("title: wall clock\ndate: 2022-04-28 13:30:54", "<p>w</p>"))
    site.add_post("quoted-date.md", post_text("title: quoted\ndate: '2022-04-28 13:30:54'", "<p>q</p>"))
    site.add_post("iso-offset.md", post_text("title: iso\ndate: 2022-04-28T13:30:54+08:00", "<p>i</p>"))
    site.add_post("early-morning.md", post_text("title: early\ndate: 2022-04-28 07:00:00", "<p>e</p>"))
    site.add_post(
        "extras.md",
        post_text(
            "title: extras\ndate: 2022-04-28 13:30:54\nupdated: 2022-04-29 08:15:00\n"
            "categories:\n - 新媒体\n - CCTV\ntags:\n - 科技\n - 'C++'\n"
            "link: 'https://news.cctv.com/2022/04/28/ARTI.shtml?a=1&b=2'\ncomments: false",
            "<p>x</p>",
        ),
    )
    site.add_post(
        "nasty-title.md", post_text(f"title: {NASTY_TITLE_YAML}\ndate: 2022-04-28 13:30:54", "<p>t</p>")
    )
    for name, (yaml_title, _) in QUOTED_TITLES.items():
        site.add_post(f"{name}.md", post_text(f"title: {yaml_title}\ndate: 2022-04-28 13:30:54", "<p>t</p>"))
    site.add_post("one-line.md", post_text("title: one line\ndate: 2022-04-28 13:30:54", ONE_LINE_BODY))
    site.add_post(
        "blank-lines.md",
        post_text(
            "title: blank lines\ndate: 2022-04-28 13:30:54",
            BLANK_LINES_BODY,
        ),
    )
    site.add_post(
        "indented.md",
        post_text("title: indented\ndate: 2022-04-28 13:30:54", "<p>first</p>\n    <p>indented *four*</p>"),
    )
    site.add_post(
        "nunjucks-off.md",
        post_text(
            "title: nunjucks disabled\ndate: 2022-04-28 13:30:54\ndisableNunjucks: true", NUNJUCKS_BODY
        ),
    )
    site.add_post(
        "nunjucks-evaluated.md",
        post_text(
            "title: nunjucks on\ndate: 2022-04-28 13:30:54",
            "<p>A {{ title }} B {{ page.title }} C {# note #} D {% raw %}{{ kept }}{% endraw %} E</p>",
        ),
    )
    hidden_post = post_text("title: SHOULD NOT RENDER\ndate: 2022-04-28 13:30:54", "<p>hidden</p>")
    (site.posts_dir / ".aggregator").mkdir()
    (site.posts_dir / ".aggregator" / "state.sqlite").write_bytes(
        b"SQLite format 3\x00" + bytes(range(256)) * 16
    )
    site.add_post(".aggregator/fake-post.md", hidden_post)
    site.add_post(".tmp-xyz.md.part", hidden_post)
    site.add_post(".name.md.tmp", hidden_post)
    site.add_post("_underscore.md", hidden_post)
    return site.generate()


# --- helper self-checks -------------------------------------------------------------------------------------


def test_lock_pins_the_requested_versions() -> None:
    lock = json.loads((HEXO_DIR / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    pinned = json.loads((HEXO_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert pinned == {
        "hexo": "8.1.2",
        "hexo-generator-archive": "2.0.0",
        "hexo-generator-category": "2.0.0",
        "hexo-generator-index": "4.0.0",
        "hexo-generator-tag": "2.0.0",
        "hexo-renderer-ejs": "2.0.0",
        "hexo-renderer-marked": "7.0.1",
    }
    for name, version in pinned.items():
        assert lock[f"node_modules/{name}"]["version"] == version


def test_node_modules_matches_lock_after_ensure(hexo_ready: None) -> None:
    assert node_modules_stale_reason() is None


def test_missing_node_gives_a_loud_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = hexo_unavailable_reason()
    assert reason is not None
    assert "SKIPPED" in reason
    assert "node and npm not found" in reason


def test_stale_node_modules_is_detected(tmp_path: Path) -> None:
    shutil.copy2(HEXO_DIR / "package-lock.json", tmp_path / "package-lock.json")
    assert "node_modules is missing" in str(node_modules_stale_reason(tmp_path))
    record = json.loads((HEXO_DIR / "package-lock.json").read_text(encoding="utf-8"))
    del record["packages"][""]
    record["packages"]["node_modules/hexo"]["version"] = "7.3.0"
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / ".package-lock.json").write_text(json.dumps(record), encoding="utf-8")
    assert node_modules_stale_reason(tmp_path) == "node_modules/hexo is 7.3.0, lock wants 8.1.2"


def test_leaf_paths_keep_only_full_hierarchies() -> None:
    paths = [["a"], ["a", "b"], ["c"], ["a", "b", "d"]]
    assert _leaf_paths(paths) == [["c"], ["a", "b", "d"]]


def test_site_copy_changes_only_the_requested_knobs(hexo_ready: None, tmp_path: Path) -> None:
    site = HexoSite.create(tmp_path, timezone="Europe/Paris", post_asset_folder=True)
    config = (site.root / "_config.yml").read_text(encoding="utf-8")
    assert "\ntimezone: Europe/Paris\n" in config
    assert "\npost_asset_folder: true\n" in config
    assert (site.root / "node_modules").is_symlink()
    assert site.posts_dir.is_dir()


def test_generate_failure_is_reported_with_the_log(hexo_ready: None, tmp_path: Path) -> None:
    site = HexoSite.create(tmp_path)
    site.add_post("broken.md", post_text("title: broken\ndate: 2022-04-28 13:30:54", "<p>{% if %}</p>"))
    with pytest.raises(AssertionError, match=r"(?s)hexo generate .* failed .*FATAL"):
        site.generate()


# --- 1. the seed post ---------------------------------------------------------------------------------------


def test_seed_post_renders_title_categories_and_images(main_run: HexoRun) -> None:
    """The seed even starts with a blank line before '---'; Hexo still finds the front matter (see report)."""
    assert SEED.read_bytes().startswith(b"\n---\n")
    seed = main_run.post("seed.md")
    assert seed["title"] == "培养大国工匠、弘扬工匠精神 习近平这样要求"
    assert seed["category_paths"] == [["新媒体", "ZAKER", "source"]]
    assert seed["categories"] == ["新媒体", "ZAKER", "source"]
    assert seed["comments"] == "false"
    body = SEED.read_text(encoding="utf-8").split("\n---\n", 2)[2]
    assert seed["content"] == body.lstrip("\n")
    assert seed["content"].count('<img class="lazy opacity_0 "') == 7
    assert "categories/新媒体/ZAKER/source/index.html" in main_run.public_files()


def test_seed_rfc822_gmt_date_is_read_as_wall_clock_in_the_process_zone(main_run: HexoRun) -> None:
    """FINDING: Hexo drops the 'GMT': 05:30:54 is taken as Shanghai wall-clock when the build runs in UTC."""
    seed = main_run.post("seed.md")
    assert seed["date"] == "2022-04-28 05:30:54"
    assert seed["url_path"] == "2022/04/27/seed"


def test_seed_rfc822_date_is_right_only_when_process_zone_equals_hexo_timezone(
    hexo_ready: None, tmp_path: Path
) -> None:
    site = HexoSite.create(tmp_path)
    site.add_post("seed.md", SEED.read_text(encoding="utf-8"))
    site.add_post("wall-clock.md", post_text("title: wall clock\ndate: 2022-04-28 13:30:54", "<p>w</p>"))
    run = site.generate(extra_env={"TZ": "Asia/Shanghai"})
    assert run.post("seed.md")["date"] == "2022-04-28 13:30:54"
    assert run.post("wall-clock.md")["date"] == "2022-04-28 13:30:54"


# --- 2. the date contract -----------------------------------------------------------------------------------


def test_plain_timestamp_is_wall_clock_in_hexo_timezone(main_run: HexoRun) -> None:
    assert main_run.post("wall-clock.md")["date"] == "2022-04-28 13:30:54"
    assert main_run.post("quoted-date.md")["date"] == "2022-04-28 13:30:54"
    extras = main_run.post("extras.md")
    assert extras["updated"] == "2022-04-29 08:15:00"


def test_iso_offset_is_ignored_like_rfc822(main_run: HexoRun) -> None:
    """FINDING: an explicit +08:00 does not help; only zone-less wall-clock is safe."""
    assert main_run.post("iso-offset.md")["date"] == "2022-04-28 05:30:54"


def test_permalink_date_parts_use_the_process_zone(main_run: HexoRun) -> None:
    """FINDING: 07:00 Shanghai is 23:00 UTC the day before, and :year/:month/:day follow the process TZ."""
    early = main_run.post("early-morning.md")
    assert early["date"] == "2022-04-28 07:00:00"
    assert early["url_path"] == "2022/04/27/early-morning"


def test_wall_clock_in_new_york_site(hexo_ready: None, tmp_path: Path) -> None:
    site = HexoSite.create(tmp_path, timezone="America/New_York")
    site.add_post("summer.md", post_text("title: summer\ndate: 2022-04-28 13:30:54", "<p>s</p>"))
    site.add_post("winter.md", post_text("title: winter\ndate: 2022-01-15 23:30:00", "<p>w</p>"))
    run = site.generate()
    assert run.post("summer.md")["date"] == "2022-04-28 13:30:54"
    assert run.post("winter.md")["date"] == "2022-01-15 23:30:00"


def test_tags_link_and_categories_round_trip(main_run: HexoRun) -> None:
    extras = main_run.post("extras.md")
    assert extras["category_paths"] == [["新媒体", "CCTV"]]
    assert sorted(extras["tags"]) == sorted(["科技", "C++"])
    assert extras["link"] == "https://news.cctv.com/2022/04/28/ARTI.shtml?a=1&b=2"
    assert extras["comments"] == "false"


# --- 3. disableNunjucks -------------------------------------------------------------------------------------


def test_disable_nunjucks_shows_template_syntax_literally(main_run: HexoRun) -> None:
    assert main_run.post("nunjucks-off.md")["content"] == f"<div>\n{NUNJUCKS_BODY}\n</div>\n"


def test_without_flag_template_syntax_is_evaluated(main_run: HexoRun) -> None:
    """FINDING: {{ title }} is substituted, {{ page.title }} becomes empty and {# ... #} silently vanishes."""
    content = main_run.post("nunjucks-evaluated.md")["content"]
    assert content == "<div>\n<p>A nunjucks on B  C  D {{ kept }} E</p>\n</div>\n"


def test_without_flag_one_bad_post_fails_the_whole_site(hexo_ready: None, tmp_path: Path) -> None:
    """FINDING: a single body containing '{% if %}' is FATAL: exit 2 and NO page is generated for any post."""
    site = HexoSite.create(tmp_path)
    site.add_post("good.md", post_text("title: good\ndate: 2022-04-28 13:30:54", "<p>fine</p>"))
    site.add_post("bad.md", post_text("title: bad\ndate: 2022-04-28 13:30:54", NUNJUCKS_BODY))
    run = site.generate(expect_success=False)
    assert run.returncode != 0
    assert any("FATAL" in line for line in run.errors)
    assert "Nunjucks Error: _posts/bad.md" in run.log
    assert not (run.public_dir / "index.html").exists()


# --- 4. titles ----------------------------------------------------------------------------------------------


def test_nasty_title_renders_exactly_and_escaped(main_run: HexoRun) -> None:
    post = main_run.post("nasty-title.md")
    assert post["title"] == NASTY_TITLE
    assert html.unescape(post["title_html"]) == NASTY_TITLE
    assert "<script>" not in post["title_html"]
    assert "&lt;script&gt;" in post["title_html"]
    assert "<script>" not in post["html"]


@pytest.mark.parametrize("name", sorted(QUOTED_TITLES))
def test_yaml_quoted_titles_stay_strings(main_run: HexoRun, name: str) -> None:
    assert main_run.post(f"{name}.md")["title"] == QUOTED_TITLES[name][1]


# --- 5. raw HTML bodies through marked ----------------------------------------------------------------------


def test_one_line_html_body_passes_marked_unchanged(main_run: HexoRun) -> None:
    assert main_run.post("one-line.md")["content"] == f"<div>\n{ONE_LINE_BODY}\n</div>\n"


def test_blank_lines_end_the_html_block(main_run: HexoRun) -> None:
    """FINDING: a blank line ends marked's HTML block, so what follows is Markdown again.

    Text after it gets <p>/<em>; a 4-space line after it becomes an escaped code block, even inside a <pre>
    that did not start its line (the </pre> and following tags are escaped, leaving an unclosed <pre>). A
    <pre> that starts its own line is safe: CommonMark keeps it open until </pre>.
    """
    content = main_run.post("blank-lines.md")["content"]
    assert "<p>first *a*</p>\n\n" in content
    assert "<p>plain <em>b</em> <em>c</em></p>" in content
    assert "<p>x</p><pre>a\n\n<pre><code>b *c*&lt;/pre&gt;&lt;p&gt;y&lt;/p&gt;\n</code></pre>" in content
    assert "<pre>d\n\n    e *f*</pre>\n<p>after *g*</p>" in content
    assert "<pre><code>&lt;p&gt;four after blank&lt;/p&gt;\n</code></pre>" in content


def test_four_space_indent_inside_html_block_is_harmless(main_run: HexoRun) -> None:
    content = main_run.post("indented.md")["content"]
    assert content == "<div>\n<p>first</p>\n    <p>indented *four*</p>\n</div>\n"


# --- 6. hidden files in source/_posts -----------------------------------------------------------------------


def test_hidden_and_underscore_files_are_not_posts(main_run: HexoRun) -> None:
    titles = [post["title"] for post in main_run.posts()]
    assert "SHOULD NOT RENDER" not in titles
    assert all(".aggregator" not in post["source"] for post in main_run.posts())
    leaked = [
        path for path in main_run.public_files() if "aggregator" in path or "tmp" in path or "sqlite" in path
    ]
    assert leaked == []
    assert not any(
        "SHOULD NOT RENDER" in path.read_text("utf-8") for path in main_run.public_dir.rglob("*.html")
    )


def test_hidden_files_are_still_read_and_hashed(main_run: HexoRun) -> None:
    """FINDING: Hexo walks hidden folders and hashes files into its Cache, reading the SQLite every build."""
    cached = {row["_id"] for row in main_run.model("Cache")}
    assert "source/_posts/.aggregator/state.sqlite" in cached


# --- 7. post asset folders ----------------------------------------------------------------------------------


def test_post_asset_folder_image(hexo_ready: None, tmp_path: Path) -> None:
    site = HexoSite.create(tmp_path, post_asset_folder=True)
    site.add_post(
        "my-post.md",
        post_text(
            "title: asset post\ndate: 2022-04-28 13:30:54",
            '<p><img src="img.jpg" referrerpolicy="no-referrer"></p>',
        )
        + "\n![md](img.jpg)\n",
    )
    image = b"\xff\xd8\xff\xe0 not really a jpeg"
    (site.posts_dir / "my-post").mkdir()
    (site.posts_dir / "my-post" / "img.jpg").write_bytes(image)
    (site.posts_dir / "my-post" / ".img2.jpg.part").write_bytes(image)
    (site.posts_dir / ".aggregator").mkdir()
    (site.posts_dir / ".aggregator" / "state.sqlite").write_bytes(image)
    run = site.generate()
    post = run.post("my-post.md")
    assert post["url_path"] == "2022/04/28/my-post"
    assert '<img src="img.jpg" referrerpolicy="no-referrer">' in post["content"]
    assert '<img src="/img.jpg" alt="md">' in post["content"]
    assert (run.public_dir / "2022/04/28/my-post/img.jpg").read_bytes() == image
    assert [path for path in run.public_files() if not path.endswith(".html")] == [
        "2022/04/28/my-post/img.jpg"
    ]
