"""What keeps a 25,000-post blog fast: the incremental skipping reads the SQLite state in one query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from aggregator.state.store import ExportRecord, SQLiteStateStore


def test_exported_lists_every_post_as_lookup_sees_it(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "state.sqlite")
    first = datetime(2024, 1, 1, 8, tzinfo=UTC)
    for number in range(3):
        when = first + timedelta(hours=number)
        store.record(ExportRecord(f"https://e.com/{number}", "", f"p{number}.md", "h", None, first, when))
    store.record(
        ExportRecord("https://e.com/1", "", "moved.md", "h2", None, first, first + timedelta(days=1))
    )
    exported = store.exported()
    assert set(exported) == {f"https://e.com/{number}" for number in range(3)}
    for url, (path, last, digest) in exported.items():
        record = store.lookup(url)
        assert record is not None
        assert path == record.path and datetime.fromisoformat(last) == record.last_exported
        assert digest == record.content_hash
    assert exported["https://e.com/1"][0] == "moved.md"
    assert SQLiteStateStore(tmp_path / "empty.sqlite").exported() == {}
