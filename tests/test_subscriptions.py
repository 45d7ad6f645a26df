"""The subscriptions file: strict validation with file and line, at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.run.subscriptions import SubscriptionError, load_subscriptions

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "subscriptions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(SubscriptionError) as error:
        load_subscriptions(write(tmp_path, text))
    return error.value.problems


def test_the_shipped_example_validates() -> None:
    subscriptions = load_subscriptions(REPO / "subscriptions.example.yaml")
    spiders = {entry.spider for entry in subscriptions.entries}
    assert spiders == {"zaker", "cctv", "feed"}
    xwlb = next(entry for entry in subscriptions.entries if entry.name == "xwlb")
    assert xwlb.arguments == {"category": "xwlb", "limit": "30"} and xwlb.schedule == "30 20 * * *"


def test_zaker_focus_is_the_focusread_list(tmp_path: Path) -> None:
    """``zaker: {focus: true}``: RSSHub's /zaker/focusread, as the replaced blog subscribes it."""
    path = write(tmp_path, "subscriptions:\n  - zaker: {focus: true}\n")
    (entry,) = load_subscriptions(path).entries
    assert (entry.name, entry.spider, entry.arguments) == ("zaker-focusread", "zaker", {"focus": "1"})


def test_entries_become_spider_arguments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """defaults:
  limit: 10
  schedule: "0 * * * *"
subscriptions:
  - zaker: {source: 12291}
    author: 联播+
  - name: china
    cctv: {category: china, pages: 2}
    limit: 5
  - feed: https://rsshub.app/zaker/source/12291
    categories: [新媒体, RSSHub]
    enabled: false
""",
    )
    first, china, feed = load_subscriptions(path).entries
    assert (first.name, first.spider) == ("zaker-source-12291", "zaker")
    assert first.arguments == {"source": "12291", "author": "联播+", "limit": "10"}
    assert (
        china.arguments == {"category": "china", "pages": "2", "limit": "5"} and china.schedule == "0 * * * *"
    )
    assert feed.spider == "feed" and feed.arguments["categories"] == "新媒体,RSSHub" and not feed.enabled
    assert [entry.name for entry in load_subscriptions(path).select(None)] == ["zaker-source-12291", "china"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscriptions:\n  - feed: https://a.example/rss\n    lmit: 3\n", ":3: unknown key 'lmit'"),
        (
            "subscriptions:\n  - feed: ftp://a.example/rss\n",
            ":2: feed 'ftp://a.example/rss' is not an http(s) URL",
        ),
        ("subscriptions:\n  - feed: not a url\n", ":2: feed 'not a url' is not an http(s) URL"),
        ("subscriptions:\n  - zaker: {channel: tech}\n", ":2: ZAKER channel ids are numbers"),
        ("subscriptions:\n  - zaker: {limit: 3}\n", ":2: unknown key 'limit' in zaker"),
        ("subscriptions:\n  - zaker: {}\n", ":2: zaker needs channel or source"),
        ("subscriptions:\n  - cctv: {category: sport}\n", ":2: unknown CCTV category in category: sport"),
        ("subscriptions:\n  - cctv: {category: economy}\n", ":2: unknown CCTV category in category: economy"),
        (
            "subscriptions:\n  - zaker: {}\n",
            ":2: zaker needs channel or source or focus",
        ),
        ("subscriptions:\n  - zaker: {focus: maybe}\n", ":2: focus is true or false, not 'maybe'"),
        ("subscriptions:\n  - zaker: {focus: false}\n", ":2: zaker focus: false leaves nothing to crawl"),
        (
            "subscriptions:\n  - cctv: {category: china,\n      date: 20240101}\n",
            ":3: date= picks a 新闻联播 day",
        ),
        ("subscriptions:\n  - cctv: {category: xwlb, date: 20241301}\n", ":2: date must be a day"),
        (
            "subscriptions:\n  - feed: https://a.example/rss\n    limit: 0\n",
            ":3: limit must be a whole number",
        ),
        (
            "subscriptions:\n  - feed: https://a.example/rss\n    schedule: '61 * * * *'\n",
            ":3: schedule '61 * * * *'",
        ),
        (
            "subscriptions:\n  - feed: https://a.example/rss\n    zaker: {channel: 1}\n",
            "exactly one of feed, zaker or cctv",
        ),
        (
            "subscriptions:\n  - feed: https://a.example/rss\n    categories: [a, 'b,c']\n",
            "cannot contain a comma",
        ),
        ("subscription:\n  - feed: https://a.example/rss\n", ":1: unknown top-level key 'subscription'"),
        ("subscriptions: {feed: x}\n", ":1: subscriptions must be a list"),
        ("subscriptions:\n  - feed: [unclosed\n", "not valid YAML"),
        (
            "subscriptions:\n  - name: a\n    feed: https://a.example/rss\n  - name: a\n    feed: https://b.example/rss\n",
            ":4: duplicate name 'a' (first at line 2)",
        ),
        (
            "subscriptions:\n  - feed: https://a.example/rss\n  - name: again\n    feed: https://a.example/rss\n",
            ":3: 'again' crawls the same thing as",
        ),
    ],
)
def test_every_mistake_names_file_line_and_reason(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(tmp_path, text)
    assert any(expected in problem and "subscriptions.yaml" in problem for problem in found), found


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "subscriptions:\n  - feed: https://a.example/rss\n    bogus: 1\n  - zaker: {channel: x}\n"
        "  - cctv: {category: nope}\n",
    )
    assert [problem.split(":")[1] for problem in found] == ["3", "4", "5"]


def test_unknown_names_in_only(tmp_path: Path) -> None:
    subscriptions = load_subscriptions(write(tmp_path, "subscriptions:\n  - feed: https://a.example/rss\n"))
    with pytest.raises(SubscriptionError, match="no subscription named nope"):
        subscriptions.select(["nope"])
