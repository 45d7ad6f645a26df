"""A post's YAML front matter as text, in the seed's style, and quickly.

The style (single-quoted titles and image URLs, list items indented under their key, strings that another
YAML reader would take for a number, boolean, null or date always quoted) is defined once, by
:class:`PostDumper`, PyYAML's pure-Python emitter. That emitter costs about a quarter of a millisecond per
post, a few percent of a whole crawl's CPU per article, so when PyYAML has its libyaml binding the same
mapping goes through libyaml's emitter instead (five times faster). The two emitters implement the same
scalar-style rules (PyYAML's is a port of libyaml's); the one difference in our shape is that libyaml
writes a list under a key without indenting its ``- `` items, which :func:`front_matter_yaml` puts back.
Only front matter whose every string is on one line takes that path (no line break inside a scalar, so every
line of the output is a key, a ``key: value`` or a list item) and stays in the Basic Multilingual Plane
(libyaml escapes emoji, PyYAML does not); anything else, and any install without libyaml, uses
:class:`PostDumper` itself. ``tests/test_front_matter.py`` compares the two on hostile values.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


class QuotedStr(str):
    """A string written in single quotes, as the seed writes titles and image URLs."""


class PostDumper(yaml.SafeDumper):
    """YAML in the seed's style: keys in the given order, quoted strings, indented list items."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_READ_AS_ANOTHER_TYPE = re.compile(
    r"""[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)
    |[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL|<<
    |true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N
    |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?""",
    re.VERBOSE,
)
"""Plain scalars some YAML reader takes for a number, boolean, null, date or merge key: YAML 1.2's core
schema (js-yaml, which Hexo uses: ``0o17``, ``1e3``, ``6.02e23``) and YAML 1.1's (PyYAML: ``yes``, ``1:30``)
disagree, and PyYAML only quotes what *it* would misread. Such strings are always written quoted."""


def _represent_str(dumper: yaml.BaseDumper, value: str) -> yaml.ScalarNode:
    style = "'" if _READ_AS_ANOTHER_TYPE.fullmatch(value) else None
    # str(): libyaml's binding accepts only exact ``str`` values, not subclasses.
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=style)


def _represent_quoted(dumper: yaml.BaseDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="'")


PostDumper.add_representer(str, _represent_str)
PostDumper.add_representer(QuotedStr, _represent_quoted)

FastPostDumper: type | None = None
""":class:`PostDumper`'s representers on libyaml's emitter; None when PyYAML was built without libyaml."""
_CSafeDumper = getattr(yaml, "CSafeDumper", None)  # PyYAML defines it only when built with libyaml
if _CSafeDumper is not None:

    class _FastPostDumper(_CSafeDumper):
        """The same representers as :class:`PostDumper`, emitted by libyaml."""

    _FastPostDumper.add_representer(str, _represent_str)
    _FastPostDumper.add_representer(QuotedStr, _represent_quoted)
    FastPostDumper = _FastPostDumper

_NOT_FOR_LIBYAML = re.compile("[\r\n\x85\u2028\u2029\U00010000-\U0010ffff]")
"""Line breaks (a scalar over several lines), and characters outside the Basic Multilingual Plane, which
libyaml escapes (``"\\U0001F600"``) where PyYAML writes them as they are (emoji in titles are common)."""
_INDENTLESS_ITEM = re.compile(r"^- ", re.MULTILINE)
DUMP_OPTIONS: dict[str, Any] = {
    "default_flow_style": False,
    "allow_unicode": True,
    "sort_keys": False,
    "width": 2**31 - 1,
}
"""As python-frontmatter dumps (block style, Unicode as is), keys in our order, never a folded line."""


def _libyaml_writes_the_same(metadata: dict[str, Any]) -> bool:
    for key, value in metadata.items():
        values = value if isinstance(value, list) else [value]
        for text in (key, *values):
            if not isinstance(text, (str, bool)) and not hasattr(text, "isoformat"):
                return False  # a type the fast path was not compared on
            if isinstance(text, str) and _NOT_FOR_LIBYAML.search(text):
                return False
    return True


def front_matter_yaml(metadata: dict[str, Any]) -> str:
    """The front matter's YAML, without the ``---`` lines, exactly as :class:`PostDumper` writes it."""
    if FastPostDumper is not None and _libyaml_writes_the_same(metadata):
        text = yaml.dump(metadata, Dumper=FastPostDumper, **DUMP_OPTIONS)
        return _INDENTLESS_ITEM.sub("  - ", text).strip()
    return yaml.dump(metadata, Dumper=PostDumper, **DUMP_OPTIONS).strip()
