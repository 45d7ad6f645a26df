"""``aggregator adopt [DIR]``: make the state know the posts an existing blog already has.

Without it, the first crawl into an existing blog's ``source/_posts`` writes a second copy of every article
the blog has: the state is empty, and the replaced bot's posts carry no ``link`` to recognise them by. Adopt
reads every post under ``DIR`` (any YAML front matter; nothing is written to a post file) and records it:

* by its ``link`` (or ``url``/``permalink``) and ``guid`` when the front matter has them: the crawl then
  knows the article by URL, as if it had written the post itself;
* else by its title and date (``aggregator.state.adopted``): the crawl recognises the article when it meets
  it, and from then on knows it by URL.

A post with neither a link nor a title and a readable date cannot be recognised; it is reported as unmatched
with the reason, and left alone. Adopted posts are never rewritten, unless adopted with ``--take-over``:
then the next crawl that meets the article rewrites its post in place, under the post's existing file name.
Running adopt again is harmless: it records the same posts again.
"""

from __future__ import annotations

import argparse
import email.utils
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from scrapy.settings import Settings

from aggregator.export.hexo import load_timezone
from aggregator.state import open_state_store
from aggregator.state.adopted import ADOPTED, TAKE_OVER, AdoptedPost, AdoptedPosts, title_key
from aggregator.state.store import ExportRecord, state_path
from aggregator.web.urls import canonical_url

LINK_KEYS = ("link", "url", "permalink", "source_url")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")


@dataclass
class AdoptReport:
    """What adopt did with each post."""

    by_link: list[str] = field(default_factory=list)
    by_title: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    """Already in the state with this path (adopted or written before)."""
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    """(path, why) of posts that cannot be recognised."""

    @property
    def matched(self) -> int:
        return len(self.by_link) + len(self.by_title) + len(self.known)


def parse_date(value: Any, zone: tzinfo) -> datetime | None:
    """A front-matter date: RFC 822 (the replaced blog's ``Thu, 28 Apr 2022 05:30:54 GMT``), ISO 8601, or
    Hexo's ``2022-04-28 13:30:54`` (wall-clock time in ``TIMEZONE``, as Hexo reads it)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        moment = _parse_text_date(value.strip())
        if moment is None:
            return None
    else:
        return None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment


def _parse_text_date(text: str) -> datetime | None:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def post_files(folder: Path) -> list[Path]:
    """Every post under ``folder``: ``.md`` files, leaving out hidden folders (``.aggregator``) and files."""
    return sorted(
        path
        for path in folder.rglob("*.md")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def adopt(folder: Path, output_dir: Path, settings: Settings, take_over: bool = False) -> AdoptReport:
    """Record every post under ``folder`` (inside ``output_dir``) in the state; see the module docstring."""
    zone = load_timezone(settings.get("TIMEZONE"))
    report = AdoptReport()
    marker = TAKE_OVER if take_over else ADOPTED
    store = open_state_store(settings)
    adopted = AdoptedPosts(state_path(settings))
    now = datetime.now(UTC)
    try:
        for path in post_files(folder):
            relative = path.relative_to(output_dir).as_posix()
            try:
                post = frontmatter.load(path)
            except (yaml.YAMLError, UnicodeDecodeError, ValueError) as error:
                report.unmatched.append((relative, f"unreadable front matter: {str(error).splitlines()[0]}"))
                continue
            published = parse_date(post.get("date"), zone)
            link = next((str(post[key]) for key in LINK_KEYS if post.get(key)), "")
            guid = str(post.get("guid") or "")
            if link.startswith(("http://", "https://")) or guid:
                # a post with only a guid is kept under a stand-in URL; the state finds it by guid
                url = canonical_url(link) if link.startswith(("http://", "https://")) else f"guid:{guid}"
                earlier = store.lookup(url, guid)
                upgrade = take_over and earlier is not None and earlier.content_hash == ADOPTED
                if earlier is not None and earlier.path == relative and not upgrade:
                    report.known.append(relative)
                    continue
                store.record(ExportRecord(url, guid or url, relative, marker, published, now, now))
                report.by_link.append(relative)
                continue
            title = str(post.get("title") or "")
            if not title_key(title):
                report.unmatched.append((relative, "no link and no title"))
            elif published is None:
                report.unmatched.append((relative, f"no link and no readable date ({post.get('date')!r})"))
            else:
                adopted.add(AdoptedPost(relative, title_key(title), published, take_over))
                report.by_title.append(relative)
    finally:
        store.close()
        adopted.close()
    return report


def format_report(report: AdoptReport, folder: Path, state: Path) -> str:
    """What ``aggregator adopt`` prints: the counts, then every unmatched post with its reason."""
    lines = [
        f"Adopted posts under {folder} into {state}:",
        f"  matched    {report.matched}  (by link/guid {len(report.by_link)}, by title and date "
        f"{len(report.by_title)}, already known {len(report.known)})",
        f"  unmatched  {len(report.unmatched)}  (left alone: a crawl may write these articles again)",
    ]
    reasons = Counter(why.split(":")[0].split(" (")[0] for _, why in report.unmatched)
    lines += [f"    {why}: {count}" for why, count in reasons.most_common()]
    lines += [f"  {path}: {why}" for path, why in report.unmatched]
    return "\n".join(lines)


def command_adopt(args: argparse.Namespace, settings: Settings) -> int:
    """``aggregator adopt [DIR] [--take-over]``: exit status 0, or 2 when DIR is not inside OUTPUT_DIR."""
    output_dir = Path(settings.get("OUTPUT_DIR")).resolve()
    folder = Path(args.folder).resolve() if args.folder else output_dir
    if folder != output_dir and output_dir not in folder.parents:
        print(
            f"aggregator adopt: {folder} is not inside OUTPUT_DIR ({output_dir}); the crawl that should know "
            f"these posts writes there. Run: aggregator adopt {args.folder} -s OUTPUT_DIR={args.folder}",
        )
        return 2
    if not folder.is_dir():
        print(f"aggregator adopt: {folder} is not a folder")
        return 2
    report = adopt(folder, output_dir, settings, take_over=args.take_over)
    print(format_report(report, folder, state_path(settings)))
    if args.take_over:
        print(
            "With --take-over, the next crawl rewrites each matched post in place when it meets its article."
        )
    return 0
