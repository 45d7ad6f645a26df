"""A folder of posts in the replaced blog's exact form, made from the real seed post.

The seed is ``shared/seeds/000_21cf37f44213cd8f.txt``; the repository keeps a copy of it for the Hexo tests
(``tests/hexo/seed_posts``), which is what is read here, so the tests run from a fresh clone.

The replaced bot wrote posts from RSSHub's ZAKER feeds: single-quoted titles, a categories list, ``headimg``
/ ``thumbnail``, ``author: ZAKER``, ``comments: false``, RFC-822 dates, no ``link``, and a file name that is
the title. :func:`seed_form_post` keeps the seed's text line for line and replaces only its title, date and
body, so the posts under test are in that form exactly.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import feedparser

from tests.crawling import FIXTURES, REPO

SEED = REPO / "tests" / "hexo" / "seed_posts" / "zaker_000_21cf37f44213cd8f.md"
FOLDER = Path("新媒体") / "ZAKER" / "source"


def seed_text() -> str:
    """The seed post, without the blank line its file starts with."""
    return SEED.read_text(encoding="utf-8").lstrip("\n")


def seed_form_post(title: str, date: str, body: str = "") -> str:
    """The seed post with another title (single-quoted, as the seed writes it), date and body."""
    lines = seed_text().split("\n")
    quoted = "'" + title.replace("'", "''") + "'"
    out = []
    for line in lines:
        if line.startswith("title: "):
            line = f"title: {quoted}"
        elif line.startswith("date: "):
            line = f"date: {date}"
        out.append(line)
    text = "\n".join(out)
    if body:
        head, _, _ = text.partition("\n---\n")
        text = f"{head}\n---\n\n<div>{body}</div>\n"
    return text


def title_file_name(title: str) -> str:
    """The replaced bot's file names: the title itself (a ``/`` cannot be part of a file name)."""
    return title.replace("/", "-") + ".md"


def feed_entries(name: str) -> list[feedparser.FeedParserDict]:
    return feedparser.parse((FIXTURES / "feed" / name).read_bytes()).entries


def write_seed_form_blog(output_dir: Path, extra: int = 4) -> dict[str, Path]:
    """The replaced blog's folder: the seed itself, ``extra`` more seed-form posts, and the first two items
    of the RSSHub fixture feed as the bot wrote them (the first with ZAKER's spacing around quotes, as its
    page titles have it). Returns the files by role."""
    folder = output_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    seed_title = seed_text().split("\n")[1].removeprefix("title: ").strip("'")
    files["seed"] = folder / title_file_name(seed_title)
    files["seed"].write_text(seed_text(), encoding="utf-8")
    items = feed_entries("rsshub_zaker_source.xml")
    zaker_spacing = items[0].title.replace('"', ' " ')
    for role, title, entry in (("item0", zaker_spacing, items[0]), ("item1", items[1].title, items[1])):
        files[role] = folder / title_file_name(title)
        files[role].write_text(seed_form_post(title, entry.published, "<p>旧的正文</p>"), encoding="utf-8")
    for n in range(extra):
        title = f"往期文章 {n}：{hashlib.sha1(str(n).encode()).hexdigest()[:6]}"
        files[f"extra{n}"] = folder / title_file_name(title)
        files[f"extra{n}"].write_text(
            seed_form_post(title, f"Mon, 0{n + 1} Jan 2024 08:00:00 GMT"), encoding="utf-8"
        )
    return files
