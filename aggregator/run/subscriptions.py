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
from aggregator.sites.params import ParameterError, RunParameters, SpiderParameters
from aggregator.sites.registry import SPIDERS

SITE_KEYS: dict[str, type[SpiderParameters]] = {model.entry_key: model for model in SPIDERS.values()}
"""The key that names the spider of an entry (``zaker:``, ``cctv:``, ``feed:``) → its parameter model."""
SOURCE_KINDS = tuple(SITE_KEYS)
ENTRY_PARAMETERS = {name for name, meaning in RunParameters.parameters().items() if meaning.place == "entry"}
"""Spider arguments written as keys of the entry itself: ``limit``, ``categories``, ``author``."""
COMMON_KEYS = {"name", "schedule", "enabled"} | ENTRY_PARAMETERS
DEFAULT_KEYS = {"schedule"} | ENTRY_PARAMETERS
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


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
        keys = SPIDERS[self.spider].identity
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


def _argument(
    reader: _Reader, model: type[SpiderParameters], name: str, node: yaml.Node, label: str | None = None
) -> str | None:
    """One spider argument from the file, read by the spider's own parameter model: the text ``-a`` would
    pass (a YAML list becomes a comma list), or None after a problem naming the node's line."""
    if isinstance(node, yaml.SequenceNode) and node.value:
        items = [reader.text(item, f"each of {label or name}") for item in node.value]
        if None in items:
            return None
        for item, value in zip(node.value, items, strict=True):
            if value and "," in value:
                reader.problem(item, f"an item of {label or name} cannot contain a comma: {value!r}")
                return None
        value = ",".join(items)  # type: ignore[arg-type]
    elif isinstance(reader.scalar(node), bool):
        value = "1" if reader.scalar(node) else "0"  # as -a would pass a yes/no
    else:
        value = reader.text(node, label or name)
        if value is None:
            return None
    try:
        model.read_one(name, value, label)
    except ParameterError as error:
        reader.problem(node, str(error))
        return None
    return value


def _source_arguments(
    reader: _Reader, model: type[SpiderParameters], node: yaml.Node
) -> tuple[dict[str, str], dict[str, yaml.Node]] | None:
    """The arguments under the site key (``zaker: {channel: 13}``, or ``feed: URL`` for the model's
    ``scalar`` parameter), with the node of each for later problems."""
    kind = model.entry_key
    if model.scalar and isinstance(node, yaml.ScalarNode):
        value = _argument(reader, model, model.scalar, node, label=kind)
        return ({model.scalar: value}, {model.scalar: node}) if value is not None else None
    fields = reader.mapping(node, kind)
    problems_before = len(reader.problems)
    known = sorted(name for name, meaning in model.parameters().items() if meaning.place == "site")
    arguments: dict[str, str] = {}
    nodes: dict[str, yaml.Node] = {}
    for key, (key_node, value_node) in fields.items():
        if key not in known:
            reader.problem(key_node, f"unknown key {key!r} in {kind}; known: {', '.join(known)}")
            continue
        value = _argument(reader, model, key, value_node)
        if value is not None:
            arguments[key] = value
            nodes[key] = value_node
    if isinstance(node, yaml.MappingNode) and not set(model.required) & fields.keys():
        reader.problem(node, f"{kind} needs {' or '.join(model.required)}: what to crawl")
    elif arguments and not any(
        model.read_one(key, arguments[key]) for key in model.required if key in arguments
    ):
        key = next(key for key in model.required if key in fields)
        given = fields[key][1].value if isinstance(fields[key][1], yaml.ScalarNode) else arguments.get(key)
        reader.problem(node, f"{kind} {key}: {given} leaves nothing to crawl")
    return (arguments, nodes) if len(reader.problems) == problems_before else None


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
    model = SITE_KEYS[kind]
    source = _source_arguments(reader, model, fields[kind][1])
    values = dict(defaults)
    if "name" in fields:
        values["name"] = reader.text(fields["name"][1], "name")
        if values["name"] and not _NAME.match(values["name"]):
            reader.problem(
                fields["name"][1], f"name {values['name']!r} may use letters, digits, '.', '_', '-'"
            )
    for key in sorted(ENTRY_PARAMETERS & fields.keys()):
        values[key] = _argument(reader, model, key, fields[key][1])
    if "schedule" in fields:
        values["schedule"] = reader.cron(fields["schedule"][1])
    enabled = True
    if "enabled" in fields:
        enabled = reader.scalar(fields["enabled"][1])
        if not isinstance(enabled, bool):
            reader.problem(fields["enabled"][1], "enabled must be true or false")
    if source is None:
        return None
    arguments, nodes = source
    for key in sorted(ENTRY_PARAMETERS):
        if values.get(key):
            arguments[key] = values[key]
            nodes[key] = fields[key][1] if key in fields else node
    try:
        model.from_arguments(arguments)  # the rules between parameters, as the spider applies them
    except ParameterError as error:
        reader.problem(nodes.get(error.name, node), str(error))
        return None
    name = values.get("name") or _default_name(kind, model, arguments)
    return Subscription(
        name, model.spider, arguments, values.get("schedule") or "", node.start_mark.line + 1, enabled
    )


def _default_name(kind: str, model: type[SpiderParameters], arguments: dict[str, str]) -> str:
    """``zaker-channel-13``, ``cctv-china``, ``feed-rsshub-app-zaker-source-12291``."""
    if kind == "feed":
        parts = urlsplit(arguments["url"])
        return "feed-" + re.sub(r"[^A-Za-z0-9]+", "-", parts.netloc + parts.path).strip("-")[:50]
    if kind == "zaker" and arguments.get("focus") == "1":
        return "zaker-focusread"
    key = next(key for key in model.required if key in arguments)
    value = re.sub(r"[^A-Za-z0-9._-]+", "-", arguments[key])
    return f"{kind}-{key}-{value}" if len(model.required) > 1 else f"{kind}-{value}"


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
            else:
                defaults[key] = _argument(reader, RunParameters, key, value_node)
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
