"""The embedded state store: what was exported, under which name, with which content."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aggregator.items import Article
from aggregator.state.store import ExportRecord, SQLiteStateStore, content_hash


def record(url: str, guid: str = "", digest: str = "h1") -> ExportRecord:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    return ExportRecord(url, guid, "post.md", digest, now, now, now)


def test_lookup_by_url_or_guid_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state" / "state.sqlite"
    store = SQLiteStateStore(path)
    store.record(record("https://e.com/a", guid="g-a"))
    store.close()
    store = SQLiteStateStore(path)
    assert store.lookup("https://e.com/a").guid == "g-a"
    assert store.lookup("https://e.com/other", "g-a").url == "https://e.com/a"
    assert store.lookup("https://e.com/none", "g-none") is None
    store.record(record("https://e.com/a", guid="g-a", digest="h2"))
    assert store.lookup("https://e.com/a").content_hash == "h2" and store.count() == 1


def test_content_hash_ignores_dates_but_not_text() -> None:
    article = Article(url="https://e.com/a", title="t", body_html="<p>x</p>")
    digest = content_hash(article)
    article.published = datetime.now(UTC)
    assert content_hash(article) == digest
    article.body_html = "<p>y</p>"
    assert content_hash(article) != digest
