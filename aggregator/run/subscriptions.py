"""The subscriptions file: what to crawl, how to label it, and when.

It is YAML rather than TOML because YAML's node tree keeps the line of every key, so a mistake is reported
as ``subscriptions.yaml:12: unknown key 'lmit'`` — at start, for every mistake at once, and never halfway
through a run. Example (``subscriptions.example.yaml`` has the full tour)::

    defaults:
      schedule: "*/30 * * * *"
      limit: 30
    subscriptions:
      - name: zaker-tech
        zaker: {channel: 13}
      - name: lianbo-plus
        zaker: {source: 12291}
        author: 联播+
      - name: cctv-china
        cctv: {category: china, pages: 2}
      - name: xwlb
        cctv: {category: xwlb}
      - name: rsshub-lianbo
        feed: https://rsshub.app/zaker/source/12291
        categories: [新媒体, RSSHub, 联播+]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from aggregator.run.cron import cron_trigger

CCTV_CATEGORIES = (
    "news", "china", "world", "society", "law", "ent", "tech", "life", "edu", "health", "economy",
    "economy_zixun", "sports", "military", "xwlb",
)  # fmt: skip
SOURCE_KINDS = ("feed", "zaker", "cctv")
COMMON_KEYS = {"name", "categories", "author", "limit", "schedule", "enabled"}
SOURCE_KEYS = {"zaker": {"channel", "source", "focus"}, "cctv": {"category", "pages", "date"}}
DEFAULT_KEYS = {"schedule", "limit", "categories", "author"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_DATE = re.compile(r"^\d{8}$")


class SubscriptionError(ValueError):
    """Every problem of a subscriptions file, one ``file:line: reason`` per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Subscription:
    """One thing to crawl: which spider with which arguments, plus how its posts are labelled and when."""

    name: str
    spider: str
    arguments: dict[str, str]
    """Spider arguments, as ``-a name=value`` would pass them."""
    schedule: str = ""
    line: int = 0
    enabled: bool = True

    @property
    def identity(self) -> tuple[str, ...]:
        """What makes two entries the same subscription, whatever they are called."""
        keys = ("url",) if self.spider == "feed" else ("channel", "source", "category", "date")
        return (self.spider, *(str(self.arguments.get(key, "")) for key in keys))


@dataclass
class Subscriptions:
    path: Path
    entries: list[Subscription] = field(default_factory=list)

    def select(self, names: list[str] | None) -> list[Subscription]:
        """The enabled subscriptions, or exactly the named ones (an unknown name is an error)."""
        if not names:
            return [entry for entry in self.entries if entry.enabled]
        known = {entry.name: entry for entry in self.entries}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise SubscriptionError([f"{self.path}: no subscription named {', '.join(unknown)}"])
        return [known[name] for name in names]


class _Reader:
    """Walks the YAML node tree, collecting every problem with its line instead of stopping at the first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(f"{self.path}:{line}: {message}")

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return {}
        result: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                self.problem(key_node, f"{key!r} is given twice in {what}")
            result[key] = (key_node, value_node)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        return yaml.safe_load(yaml.serialize(node)) if isinstance(node, yaml.ScalarNode) else None

    def text(self, node: yaml.Node, key: str) -> str | None:
        value = self.scalar(node)
        if value is None or isinstance(value, bool) or str(value).strip() == "":
            self.problem(node, f"{key} must be a non-empty text or number")
            return None
        return str(value).strip()

    def positive(self, node: yaml.Node, key: str) -> int | None:
        value = self.scalar(node)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.problem(node, f"{key} must be a whole number of at least 1, not {value!r}")
            return None
        return value

    def labels(self, node: yaml.Node, key: str) -> list[str] | None:
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node, f"{key} must be a non-empty list, e.g. [新媒体, ZAKER, channel]")
            return None
        values = [self.text(item, f"each of {key}") for item in node.value]
        for item, value in zip(node.value, values, strict=True):
            if value and "," in value:
                self.problem(item, f"a label in {key} cannot contain a comma: {value!r}")
                return None
        return None if None in values else values  # type: ignore[return-value]

    def cron(self, node: yaml.Node) -> str | None:
        expression = self.text(node, "schedule")
        if expression is None:
            return None
        try:
            cron_trigger(expression, "UTC")
        except ValueError as error:
            self.problem(node, f"schedule {expression!r} is not a valid cron expression: {error}")
            return None
        return expression


def _check_url(reader: _Reader, node: yaml.Node) -> str | None:
    url = reader.text(node, "feed")
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
        reader.problem(node, f"feed {url!r} is not an http(s) URL")
        return None
    return url


def _source_arguments(reader: _Reader, kind: str, node: yaml.Node) -> dict[str, str] | None:
    if kind == "feed":
        url = _check_url(reader, node)
        return {"url": url} if url else None
    fields = reader.mapping(node, kind)
    problems_before = len(reader.problems)
    arguments: dict[str, str] = {}
    for key, (key_node, value_node) in fields.items():
        if key not in SOURCE_KEYS[kind]:
            reader.problem(
                key_node, f"unknown key {key!r} in {kind}; known: {', '.join(sorted(SOURCE_KEYS[kind]))}"
            )
            continue
        if key == "pages":
            pages = reader.positive(value_node, "pages")
            if pages:
                arguments[key] = str(pages)
            continue
        if key == "focus":
            if value_node.value.lower() in ("true", "yes", "on", "1"):
                arguments[key] = "1"
            elif value_node.value.lower() not in ("false", "no", "off", "0"):
                reader.problem(value_node, f"focus is true or false, not {value_node.value!r}")
            continue
        value = reader.text(value_node, key)
        if value is None:
            continue
        if kind == "zaker" and not value.isdigit():
            reader.problem(value_node, f"ZAKER {key} ids are numbers, not {value!r}")
        elif key == "category" and value not in CCTV_CATEGORIES:
            reader.problem(
                value_node, f"unknown CCTV category {value!r}; known: {', '.join(CCTV_CATEGORIES)}"
            )
        elif key == "date" and not _DATE.match(value):
            reader.problem(value_node, f"date must be YYYYMMDD, not {value!r}")
        else:
            arguments[key] = value
    if kind == "zaker" and len({"channel", "source", "focus"} & fields.keys()) != 1:
        reader.problem(node, "zaker needs exactly one of channel, source or focus")
        return None
    if kind == "zaker" and "focus" in fields and "focus" not in arguments:
        reader.problem(
            node, "zaker focus: false leaves nothing to crawl; use focus: true, a channel or a source"
        )
        return None
    if kind == "cctv" and "category" not in fields:
        reader.problem(node, "cctv needs a category")
        return None
    if "date" in arguments and arguments.get("category") != "xwlb":
        reader.problem(node, "date only applies to the xwlb (新闻联播) category")
    return arguments if len(reader.problems) == problems_before else None


def _subscription(reader: _Reader, node: yaml.Node, defaults: dict[str, Any]) -> Subscription | None:
    fields = reader.mapping(node, "a subscription")
    if not fields:
        return None
    kinds = [kind for kind in SOURCE_KINDS if kind in fields]
    for key, (key_node, _) in fields.items():
        if key not in COMMON_KEYS and key not in SOURCE_KINDS:
            known = ", ".join(sorted(COMMON_KEYS | set(SOURCE_KINDS)))
            reader.problem(key_node, f"unknown key {key!r}; known: {known}")
    if len(kinds) != 1:
        reader.problem(node, "a subscription needs exactly one of feed, zaker or cctv")
        return None
    kind = kinds[0]
    arguments = _source_arguments(reader, kind, fields[kind][1])
    values = dict(defaults)
    if "name" in fields:
        values["name"] = reader.text(fields["name"][1], "name")
        if values["name"] and not _NAME.match(values["name"]):
            reader.problem(
                fields["name"][1], f"name {values['name']!r} may use letters, digits, '.', '_', '-'"
            )
    if "categories" in fields:
        values["categories"] = reader.labels(fields["categories"][1], "categories")
    if "author" in fields:
        values["author"] = reader.text(fields["author"][1], "author")
    if "limit" in fields:
        values["limit"] = reader.positive(fields["limit"][1], "limit")
    if "schedule" in fields:
        values["schedule"] = reader.cron(fields["schedule"][1])
    enabled = True
    if "enabled" in fields:
        enabled = reader.scalar(fields["enabled"][1])
        if not isinstance(enabled, bool):
            reader.problem(fields["enabled"][1], "enabled must be true or false")
    if arguments is None:
        return None
    if values.get("categories"):
        arguments["categories"] = ",".join(values["categories"])
    if values.get("author"):
        arguments["author"] = values["author"]
    if values.get("limit"):
        arguments["limit"] = str(values["limit"])
    name = values.get("name") or _default_name(kind, arguments)
    return Subscription(
        name, kind, arguments, values.get("schedule") or "", node.start_mark.line + 1, enabled
    )


def _default_name(kind: str, arguments: dict[str, str]) -> str:
    if kind == "feed":
        parts = urlsplit(arguments["url"])
        return "feed-" + re.sub(r"[^A-Za-z0-9]+", "-", parts.netloc + parts.path).strip("-")[:50]
    if kind == "zaker" and "focus" in arguments:
        return "zaker-focusread"
    key = next(key for key in ("channel", "source", "category") if key in arguments)
    return f"{kind}-{key}-{arguments[key]}" if kind == "zaker" else f"{kind}-{arguments[key]}"


def load_subscriptions(path: Path | str) -> Subscriptions:
    """Read and validate a subscriptions file; raise :class:`SubscriptionError` listing every problem."""
    path = Path(path)
    reader = _Reader(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SubscriptionError([f"{path}: cannot read the subscriptions file: {error.strerror}"]) from error
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise SubscriptionError(
            [f"{path}:{line}: not valid YAML: {getattr(error, 'problem', error)}"]
        ) from error
    top = reader.mapping(root, "the file") if root is not None else {}
    for key, (key_node, _) in top.items():
        if key not in ("defaults", "subscriptions"):
            reader.problem(key_node, f"unknown top-level key {key!r}; known: defaults, subscriptions")
    defaults: dict[str, Any] = {}
    if "defaults" in top:
        for key, (key_node, value_node) in reader.mapping(top["defaults"][1], "defaults").items():
            if key not in DEFAULT_KEYS:
                reader.problem(
                    key_node, f"unknown key {key!r} in defaults; known: {', '.join(sorted(DEFAULT_KEYS))}"
                )
            elif key == "schedule":
                defaults[key] = reader.cron(value_node)
            elif key == "limit":
                defaults[key] = reader.positive(value_node, key)
            elif key == "categories":
                defaults[key] = reader.labels(value_node, key)
            else:
                defaults[key] = reader.text(value_node, key)
    entries: list[Subscription] = []
    listed = top.get("subscriptions")
    if listed is None:
        reader.problem(root, "the file needs a 'subscriptions:' list")
    elif not isinstance(listed[1], yaml.SequenceNode):
        reader.problem(listed[1], "subscriptions must be a list (each entry starts with '- ')")
    else:
        for node in listed[1].value:
            entry = _subscription(reader, node, defaults)
            if entry is not None:
                entries.append(entry)
    _check_duplicates(reader, entries)
    if reader.problems:
        raise SubscriptionError(reader.problems)
    return Subscriptions(path, entries)


def _check_duplicates(reader: _Reader, entries: list[Subscription]) -> None:
    by_name: dict[str, Subscription] = {}
    by_identity: dict[tuple[str, ...], Subscription] = {}
    for entry in entries:
        where = f"{reader.path}:{entry.line}"
        if entry.name in by_name:
            first = by_name[entry.name]
            reader.problems.append(f"{where}: duplicate name {entry.name!r} (first at line {first.line})")
        by_name.setdefault(entry.name, entry)
        if entry.identity in by_identity:
            first = by_identity[entry.identity]
            reader.problems.append(
                f"{where}: {entry.name!r} crawls the same thing as {first.name!r} (line {first.line})"
            )
        by_identity.setdefault(entry.identity, entry)
