"""OPML import and export: real OPML files (listparser's own, a reader-shaped export), the shipped
subscriptions file as the one edited, real ``aggregator`` processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import listparser
import pytest

from aggregator.run.opml import export_opml, import_opml, read_opml
from aggregator.run.subscriptions import load_subscriptions
from tests.crawling import FIXTURES, REPO

OPML = FIXTURES / "opml"
LISTPARSER = sorted((OPML / "listparser-0.18").iterdir())


def aggregator(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


@pytest.mark.slow
def test_import_appends_new_feeds_and_keeps_everything_else(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    shutil.copy(REPO / "subscriptions.example.yaml", path)
    original = path.read_text(encoding="utf-8")

    result = aggregator("import-opml", str(OPML / "reader_export.opml"), "--subscriptions", str(path))
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original), "the file's comments, entries or layout changed"
    added = text[len(original) :]
    assert added.count("- name: ") == 3 and "  - name: yang-shi-xin-wen  # 央视新闻\n" in added
    assert "3 feeds added, 3 skipped" in result.stdout
    assert (
        "skipped  https://rsshub.app/zaker/source/12291/: already subscribed as rsshub-lianbo"
        in result.stdout
    )
    assert "skipped  ftp://example.org/feed.xml: not an http(s) feed URL" in result.stdout

    entries = {entry.name: entry for entry in load_subscriptions(path).entries}
    assert entries["yang-shi-xin-wen"].arguments["url"] == "https://rsshub.app/cctv/china"
    assert entries["yang-shi-xin-wen"].arguments["categories"] == "新闻"
    assert entries["python-insider"].arguments["categories"] == "Tech Science & Code"
    assert "categories" not in entries["shao-shu-pai"].arguments
    assert entries["shao-shu-pai"].schedule == "*/30 * * * *"  # defaults apply to imported entries

    again = aggregator("import-opml", str(OPML / "reader_export.opml"), "--subscriptions", str(path))
    assert again.returncode == 0 and "0 feeds added, 6 skipped" in again.stdout
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("opml", LISTPARSER, ids=[path.name for path in LISTPARSER])
def test_listparsers_own_files_import_into_a_new_file(opml: Path, tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    report = import_opml(opml, path)
    feeds = read_opml(opml.read_bytes())
    assert len(report.added) == len({feed.url for feed in feeds}) >= 1
    entries = load_subscriptions(path).entries
    assert [entry.arguments["url"] for entry in entries] == [url for _, url in report.added]
    for entry, feed in zip(entries, feeds, strict=False):
        assert entry.arguments.get("categories", "") == ",".join(feed.categories)


def test_duplicate_outlines_in_one_file_are_added_once(tmp_path: Path) -> None:
    report = import_opml(OPML / "listparser-0.18" / "outline-duplication-1.xml", tmp_path / "s.yaml")
    assert report.added == [("feedname", "http://domain/feed")]
    assert len(load_subscriptions(tmp_path / "s.yaml").entries) == 1


def test_an_indented_file_keeps_its_indentation(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    original = (
        "# my feeds\ndefaults:\n    limit: 5   # keep it small\nsubscriptions:\n"
        "    -   name: tech\n        zaker: {channel: 13}\n"
    )
    path.write_text(original, encoding="utf-8")
    import_opml(OPML / "listparser-0.18" / "project.opml", path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)
    assert "    -   name: listparser-blog  # listparser blog\n        feed: http://kurtmckee" in text


@pytest.mark.slow
def test_a_file_that_is_not_opml_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    shutil.copy(REPO / "subscriptions.example.yaml", path)
    result = aggregator("import-opml", str(FIXTURES / "feed" / "atom.xml"), "--subscriptions", str(path))
    assert result.returncode == 2 and "not an OPML subscription list" in result.stderr
    assert path.read_bytes() == (REPO / "subscriptions.example.yaml").read_bytes()


@pytest.mark.slow
def test_export_then_import_gives_the_same_feeds(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    shutil.copy(REPO / "subscriptions.example.yaml", path)
    import_opml(OPML / "reader_export.opml", path)
    exported = tmp_path / "feeds.opml"
    result = aggregator("export-opml", "--subscriptions", str(path), "-o", str(exported))
    assert result.returncode == 0 and "not feeds, left out: zaker-hot" in result.stderr
    parsed = listparser.parse(exported.read_bytes())
    assert not parsed.bozo
    feeds = {entry.name: entry for entry in load_subscriptions(path).entries if entry.spider == "feed"}
    assert sorted(feed.url for feed in parsed.feeds) == sorted(e.arguments["url"] for e in feeds.values())
    assert {feed.title for feed in parsed.feeds} >= {"央视新闻", "少数派", "Python Insider"}
    assert ["新媒体", "RSSHub", "联播+"] in next(f for f in parsed.feeds if "12291" in f.url).categories

    fresh = tmp_path / "fresh.yaml"
    import_opml(exported, fresh)
    back = {
        entry.arguments["url"]: entry.arguments.get("categories")
        for entry in load_subscriptions(fresh).entries
    }
    assert back == {e.arguments["url"]: e.arguments.get("categories") for e in feeds.values()}


def test_export_of_no_feeds_is_an_empty_outline_list() -> None:
    assert "<body />" in export_opml([])
