"""OPML: ``aggregator import-opml FILE`` and ``aggregator export-opml``, the feed reader's subscription list.

Reading is listparser's (it knows OPML 1.0/1.1/2.0 as readers really write them: ``text`` or ``title``,
folders as nested outlines or a ``category`` attribute, duplicates). It is handed the file's bytes, never a
URL, so importing fetches nothing.

Importing edits the subscriptions file with ruamel.yaml's round-trip mode, which keeps the owner's comments,
key order, flow lists (``zaker: {channel: 13}``) and quotes; the new entries are appended to
``subscriptions:`` in the file's own indentation, each with the outline's title as a comment (the ``name``
must be ASCII, the title need not be). A feed already subscribed (same URL once normalised) is skipped and
reported; so is anything that is not an http(s) feed. The result is validated like any subscriptions file
before it replaces the old one, so an import never leaves a file ``aggregator`` refuses.

Exporting writes every feed subscription (ZAKER and CCTV entries have no feed URL and are left out) as OPML
2.0, in folders by their categories.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.etree import ElementTree

import listparser
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent
from scrapy.settings import Settings
from slugify import slugify

from aggregator.run.subscriptions import Subscription, SubscriptionError, load_subscriptions
from aggregator.web.urls import canonical_url

NEW_FILE = "# Subscriptions of `aggregator crawl` / `aggregator schedule` (see subscriptions.example.yaml).\n"


@dataclass
class ImportReport:
    added: list[tuple[str, str]] = field(default_factory=list)
    """(name, url) of the new entries."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(url or title, why)."""


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str
    categories: tuple[str, ...]


def read_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML document, each with its first folder path (listparser's ``categories``)."""
    result = listparser.parse(data)
    if not result.feeds and (result.bozo or not result.get("version")):
        why = result.get("bozo_exception") or "no subscription list in it"
        raise ValueError(f"not an OPML subscription list: {why}")
    feeds = []
    for feed in result.feeds:
        paths = [tuple(label for label in path if label.strip()) for path in feed.get("categories") or []]
        paths = [path for path in paths if path]
        # the longest folder path: a reader that writes both a folder and its parent lists both
        folder = max(paths, key=len, default=())
        feeds.append(OpmlFeed(str(feed.url).strip(), str(feed.get("title") or "").strip(), folder))
    return feeds


def _name(title: str, url: str, taken: set[str]) -> str:
    """A subscription name (ASCII letters, digits, ``.-_``, at most 64) from the title, else from the URL."""
    base = slugify(title, max_length=50, word_boundary=True) or slugify(
        re.sub(r"^https?://", "", url), max_length=50
    )
    base = base.strip("-_.") or "feed"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name


def _feed_key(url: str) -> str:
    return canonical_url(url).removeprefix("https://").removeprefix("http://").rstrip("/")


def import_opml(opml: Path, subscriptions_path: Path) -> ImportReport:
    """Append the OPML file's new feeds to the subscriptions file (created if missing); see the docstring."""
    feeds = read_opml(opml.read_bytes())
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the owner's long lines
    text = subscriptions_path.read_text(encoding="utf-8") if subscriptions_path.exists() else NEW_FILE
    _, indent, block_seq_indent = load_yaml_guess_indent(text) if text.strip() else (None, 2, 2)
    document = yaml.load(text) or CommentedMap()
    if not isinstance(document, CommentedMap):
        raise ValueError(f"{subscriptions_path}: not a mapping with a 'subscriptions' list")
    entries = document.get("subscriptions")
    if entries is None:
        entries = document["subscriptions"] = CommentedSeq()
    existing = load_subscriptions(subscriptions_path).entries if subscriptions_path.exists() else []
    subscribed = {_feed_key(e.arguments["url"]): e.name for e in existing if e.spider == "feed"}
    taken = {entry.name for entry in existing}
    report = ImportReport()
    for feed in feeds:
        if not feed.url.startswith(("http://", "https://")):
            report.skipped.append((feed.url or feed.title, "not an http(s) feed URL"))
            continue
        key = _feed_key(feed.url)
        if key in subscribed:
            report.skipped.append((feed.url, f"already subscribed as {subscribed[key]}"))
            continue
        entry = CommentedMap()
        entry["name"] = _name(feed.title, feed.url, taken)
        entry["feed"] = feed.url
        if feed.categories:
            labels = CommentedSeq(re.sub(r"\s*,\s*", " ", label).strip() for label in feed.categories)
            labels.fa.set_flow_style()
            entry["categories"] = labels
        if feed.title:
            entry.yaml_add_eol_comment(f"# {feed.title}", "name")
        entries.append(entry)
        subscribed[key] = entry["name"]
        report.added.append((entry["name"], feed.url))
    if report.added:
        yaml.indent(mapping=_mapping_indent(text), sequence=indent or 2, offset=block_seq_indent or 0)
        buffer = io.StringIO()
        yaml.dump(document, buffer)
        _replace_checked(subscriptions_path, buffer.getvalue())
    return report


def _mapping_indent(text: str) -> int:
    """How far the file indents a mapping inside a mapping (ruamel guesses only its lists' indentation)."""
    match = re.search(
        r"^[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( +)[^\s#-]", text, re.MULTILINE
    )
    return len(match.group(1)) if match else 2


def _replace_checked(path: Path, text: str) -> None:
    """Write ``text`` beside ``path``, validate it as a subscriptions file, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        load_subscriptions(Path(temp))
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def feed_titles(path: Path) -> dict[str, str]:
    """Subscription name -> the title in its ``name`` line's comment (as ``import-opml`` writes it)."""
    document = YAML().load(path.read_text(encoding="utf-8"))
    titles = {}
    for entry in (document or {}).get("subscriptions") or []:
        comment = entry.ca.items.get("name") if isinstance(entry, CommentedMap) else None
        token = comment[2] if comment and len(comment) > 2 else None
        if token is not None and str(token.value).strip().startswith("#"):
            titles[str(entry["name"])] = str(token.value).strip().removeprefix("#").strip()
    return titles


def export_opml(
    entries: list[Subscription], titles: dict[str, str] | None = None, title: str = "aggregator subscriptions"
) -> str:
    """OPML 2.0 of the feed subscriptions, nested in folders by their categories; an outline's title is the
    one its entry's comment keeps, else the subscription's name."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(datetime.now().astimezone())
    body = ElementTree.SubElement(root, "body")
    folders: dict[tuple[str, ...], ElementTree.Element] = {(): body}
    for entry in entries:
        if entry.spider != "feed":
            continue
        path = tuple(label for label in entry.arguments.get("categories", "").split(",") if label)
        for depth in range(1, len(path) + 1):
            if path[:depth] not in folders:
                label = path[depth - 1]
                folders[path[:depth]] = ElementTree.SubElement(
                    folders[path[: depth - 1]], "outline", text=label, title=label
                )
        text = (titles or {}).get(entry.name) or entry.name
        attributes = {"type": "rss", "text": text, "title": text, "xmlUrl": entry.arguments["url"]}
        if path:
            attributes["category"] = "/" + "/".join(path)
        ElementTree.SubElement(folders[path], "outline", attributes)
    ElementTree.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def subscriptions_file(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.subscriptions or settings.get("SUBSCRIPTIONS_FILE"))


def command_import_opml(args: argparse.Namespace, settings: Settings) -> int:
    path = subscriptions_file(args, settings)
    try:
        report = import_opml(Path(args.file), path)
    except (OSError, ValueError) as error:
        if isinstance(error, SubscriptionError):
            raise
        print(f"aggregator import-opml: {error}", file=sys.stderr)
        return 2
    for name, url in report.added:
        print(f"added    {name}: {url}")
    for what, why in report.skipped:
        print(f"skipped  {what}: {why}")
    print(f"{path}: {len(report.added)} feeds added, {len(report.skipped)} skipped")
    return 0


def command_export_opml(args: argparse.Namespace, settings: Settings) -> int:
    subscriptions = load_subscriptions(subscriptions_file(args, settings))
    left_out = [entry.name for entry in subscriptions.entries if entry.spider != "feed"]
    text = export_opml(subscriptions.entries, feed_titles(subscriptions.path))
    if args.output and args.output != "-":
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if left_out:
        print(f"aggregator export-opml: not feeds, left out: {', '.join(left_out)}", file=sys.stderr)
    return 0
