"""The fast front-matter path (libyaml) writes exactly what the reference emitter (PyYAML's own) writes."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
import yaml

from aggregator.export.front_matter import (
    DUMP_OPTIONS,
    FastPostDumper,
    PostDumper,
    QuotedStr,
    front_matter_yaml,
)

PIECES = [
    *"abcXYZ019 ",
    *":#-?&*!|>'\"%@`,[]{}~=\\/.",
    "新闻", "　", "\xa0", "\ufeff", "\u200b", "😀", "\x07", "\x1b", "\t", "\x7f", "\ue000", "\U0010fffe",
    "\U0001f600x",
    "yes", "No", "null", "0o17", "1e3", "12:30", "2024-05-01", "http://a.b/c?d=e&f=g#h", ": ", " #", "- ",
    "---", "...", "<<", "%YAML", "{{", "{%",
]  # fmt: skip
"""Characters and words each emitter must quote, escape or leave plain: YAML indicators, spaces at either
end, non-printable and astral characters, strings read as other types, document markers."""


def hostile_values(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6))) for _ in range(count)]


def reference(metadata: dict[str, object]) -> str:
    return yaml.dump(metadata, Dumper=PostDumper, **DUMP_OPTIONS).strip()


@pytest.mark.skipif(FastPostDumper is None, reason="PyYAML without libyaml has only the reference path")
def test_fast_path_is_taken_for_one_line_front_matter() -> None:
    metadata = {"title": QuotedStr("标题"), "categories": ["新媒体", "ZAKER"], "comments": False}
    assert front_matter_yaml(metadata) == reference(metadata)
    assert "\n  - 新媒体\n  - ZAKER\n" in front_matter_yaml(metadata)


@pytest.mark.parametrize("seed", range(4))
def test_every_hostile_value_is_written_as_the_reference_writes_it(seed: int) -> None:
    values = hostile_values(500, seed)
    for index, value in enumerate(values):
        other = values[index - 1]
        metadata: dict[str, object] = {
            "title": QuotedStr(value),
            "categories": [value, other, "新媒体"],
            "author": value,
            "comments": bool(index % 2),
            "date": datetime(2024, 5, 1, 12, index % 60, 7),
            "tags": [other, value],
            value or "key": other,
            "link": QuotedStr(other),
        }
        assert front_matter_yaml(metadata) == reference(metadata), repr(value)


def test_line_breaks_emoji_and_long_keys_are_written_as_the_reference_writes_them() -> None:
    for value in ("two\nlines", "a\r\nb", "x\u2028y", "- item\n- item", "k" * 200, "标题😀"):
        metadata = {"title": QuotedStr(value), "tags": [value, "b"], value: value}
        assert front_matter_yaml(metadata) == reference(metadata)
