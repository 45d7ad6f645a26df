"""Every entry of every real feed of the project's set becomes the post it should be.

The set (``tests/fixtures/feeds_real``, provenance in its ``meta.json``) holds real sites' feeds that
feed-reader and feed-parser projects ship in their packages: news sites, blogs, podcasts, bookmarks,
classifieds, a forum front page, release notes, in English, French, German, Portuguese and Russian
(ISO-8859-1 and windows-1251), RSS 0.9x/1.0/2.0 and Atom 0.3/1.0. Each is served on 127.0.0.1 with a real
``Content-Type`` and crawled by the feed spider; ``tests/feed_corpus.py`` says what each entry should
become, read from feedparser independently of the spider.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crawling import FIXTURES
from tests.feed_corpus import crawl_feed, load_manifest
from tests.fixture_server import FixtureServer

MANIFEST = FIXTURES / "feeds_real" / "meta.json"
PERMISSIVE = {"MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "CC0-1.0", "Unlicense"}
FEEDS = load_manifest(MANIFEST)


def test_the_set_is_broad_and_its_provenance_recorded() -> None:
    import gzip
    import hashlib
    import json

    records = list(json.loads(MANIFEST.read_text(encoding="utf-8"))["files"].values())
    assert len(records) >= 50 and len({r["site"] for r in records}) >= 30
    for record, feed in zip(records, FEEDS, strict=True):
        assert record["origin"] and record["licence"] and record["path"] and record["provenance"] == "real"
        # Test files travel with the project: a copyleft licence (AGPL, GPL) would bind it, so only
        # permissive ones.
        assert record["licence"] in PERMISSIVE, (feed.name, record["licence"])
        stored = feed.path.read_bytes()
        shipped = gzip.decompress(stored) if record["gzipped_here"] else stored  # as its origin ships it
        assert hashlib.sha256(shipped).hexdigest() == record["sha256"], feed.name
        assert len(stored) <= 2 * 1024 * 1024


@pytest.mark.parametrize("feed", FEEDS, ids=[feed.name for feed in FEEDS])
def test_every_entry_is_its_post(feed, server: FixtureServer, tmp_path: Path) -> None:
    result = crawl_feed(feed, server, tmp_path / "out", in_process=True)
    assert result.returncode == 0, result.log[-3000:]
    assert result.entries > 0
    assert result.posts == result.entries - result.duplicates, (result.dropped, result.problems[:10])
    assert result.problems == []
    assert result.markup_titles == result.wrong_dates == result.feed_relative_urls == 0
    assert "Traceback" not in result.log
