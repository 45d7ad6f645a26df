"""Spider parameters as typed models: one model per spider, read the same way wherever a value comes from.

A value reaches a spider by three roads: ``scrapy crawl zaker -a channel=13,660``, an entry of the
subscriptions file (``zaker: {channel: "13,660"}``, which ``aggregator crawl`` turns into ``-a`` arguments),
and scrapyd's ``schedule.json``. Each road used to check values its own way, and they drifted apart. Now every
value, whatever its road, is a string read by the :class:`Parameter` the spider's model declares, so a value
that validates is a value the spider runs, by construction.

A model is a frozen dataclass whose fields are declared with :func:`parameter`::

    @dataclass(frozen=True)
    class ZakerParameters(SpiderParameters):
        spider: ClassVar[str] = "zaker"
        channel: list[str] = parameter(ids("ZAKER", "channel"), default=(), valid=("13", "13,660"), ...)

``valid`` and ``invalid`` are sample values: the agreement test walks every one of them through both
``aggregator validate`` and the spider, so a new parameter is checked on both roads as soon as it exists.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal, Self
from urllib.parse import urlsplit

Reader = Callable[[str, str], Any]
"""Turns one argument's text into its typed value (``name`` for messages); raises ``ValueError``."""

Place = Literal["site", "entry"]
"""Where a parameter is written in a subscriptions entry: under the site key (``zaker: {channel: 13}``)
or as a key of the entry itself (``limit``, ``categories``, ``author``, common to every spider)."""


class ParameterError(ValueError):
    """One bad spider argument; ``name`` says which, so the subscriptions file can point at its line."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


@dataclasses.dataclass(frozen=True)
class Parameter:
    """What a model field means as a spider argument (kept in the dataclass field's metadata)."""

    read: Reader
    help: str
    valid: tuple[str, ...]
    """Sample values that must be accepted (every allowed value when the set is small)."""
    invalid: tuple[str, ...]
    """Sample values that must be refused."""
    place: Place


def parameter(
    read: Reader,
    *,
    help: str,
    default: Any = None,
    valid: Iterable[str] = (),
    invalid: Iterable[str] = (),
    place: Place = "site",
) -> Any:
    """A model field that is a spider argument (``-a NAME=VALUE``)."""
    meta = Parameter(read, help, tuple(valid), tuple(invalid), place)
    if isinstance(default, (list, tuple)):
        items = tuple(default)
        return dataclasses.field(default_factory=lambda: list(items), metadata={"parameter": meta})
    return dataclasses.field(default=default, metadata={"parameter": meta})


@dataclasses.dataclass(frozen=True)
class SpiderParameters:
    """Base of the per-spider models. Subclasses set ``spider`` and may override :meth:`check`."""

    spider: ClassVar[str] = ""
    entry_key: ClassVar[str] = ""
    """The key of a subscriptions entry that names this spider (``zaker:``, ``cctv:``, ``feed:``)."""
    scalar: ClassVar[str] = ""
    """The parameter a bare value under the site key stands for (``feed: URL`` is ``url``), if any."""
    required: ClassVar[tuple[str, ...]] = ()
    """A subscription must give at least one of these: it names what to crawl (a run without them falls
    back to the settings' defaults, which a subscription must not do silently)."""
    identity: ClassVar[tuple[str, ...]] = ()
    """The arguments that say what is crawled: two subscriptions equal in these crawl the same thing."""
    example: ClassVar[Mapping[str, str]] = {}
    """The least a run needs; the agreement test adds each sample value to it."""

    @classmethod
    def parameters(cls) -> dict[str, Parameter]:
        """Each argument name with its meaning, in declaration order."""
        return {field.name: field.metadata["parameter"] for field in dataclasses.fields(cls)}

    @classmethod
    def read_one(cls, name: str, value: Any, label: str | None = None) -> Any:
        """One argument's typed value; ``ParameterError`` naming it if the value is refused.

        ``label`` is how messages call the value when it is not written under its own name (the
        subscriptions file's ``feed: URL`` is the ``url`` argument)."""
        text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
        try:
            return cls.parameters()[name].read(text, label or name)
        except ValueError as error:
            raise ParameterError(name, str(error)) from None

    @classmethod
    def from_arguments(cls, arguments: Mapping[str, Any]) -> Self:
        """The model of a run's arguments; raises the first ``ParameterError`` (the spider stops on it).

        Names the model does not know are ignored here: Scrapy and scrapyd pass their own (``_job``), and
        the subscriptions file refuses unknown keys itself.
        """
        known = cls.parameters()
        values = {
            name: cls.read_one(name, value)
            for name, value in arguments.items()
            if name in known and value is not None
        }
        model = cls(**values)
        model.check()
        return model

    def check(self) -> None:
        """Rules between parameters (e.g. ``date`` only with ``category=xwlb``); raise ``ParameterError``."""


def own_arguments(model: type[SpiderParameters], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments that are not the model's: what a spider passes on to Scrapy's ``Spider``."""
    known = model.parameters()
    return {name: value for name, value in arguments.items() if name not in known}


# --- readers: one per kind of value -------------------------------------------------------------------


def split_list(text: str) -> list[str]:
    """``a, b,,c`` as ``["a", "b", "c"]``: a comma list, blanks dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def text(value: str, name: str) -> str:
    """Any non-blank text, stripped."""
    stripped = value.strip()
    if not stripped:
        raise ValueError(f"{name} must be a non-empty text")
    return stripped


def labels(value: str, name: str) -> list[str]:
    """A comma list of labels (post categories): at least one."""
    found = split_list(value)
    if not found:
        raise ValueError(f"{name} must name at least one label, e.g. {name}=新媒体,Blogs")
    return found


TRUE, FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def flag(value: str, name: str) -> bool:
    """A yes/no: ``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``."""
    text = value.strip().lower()
    if text not in TRUE and text not in FALSE:
        raise ValueError(f"{name} is true or false, not {value!r}")
    return text in TRUE


def positive(value: str, name: str) -> int:
    """A whole number of at least 1."""
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, not {value!r}")
    return number


def ids(site: str, example: str = "13,660") -> Reader:
    """A comma list of numeric ids (ZAKER's channels and sources)."""

    def read(value: str, name: str) -> list[str]:
        found = split_list(value)
        if not found:
            raise ValueError(f"{site} {name} needs at least one id, e.g. {name}={example}")
        for item in found:
            if not item.isdigit():
                raise ValueError(f"{site} {name} ids are numbers (e.g. {name}={example}), not {item!r}")
        return found

    return read


def choices(allowed: Iterable[str], what: str, many: bool = True) -> Reader:
    """One of ``allowed`` or, with ``many``, a comma list of them."""
    known = tuple(allowed)

    def read(value: str, name: str) -> list[str] | str:
        if not many:
            if value.strip() not in known:
                raise ValueError(f"{name} must be one of {', '.join(known)}, not {value!r}")
            return value.strip()
        found = split_list(value)
        unknown = [item for item in found if item not in known]
        if unknown or not found:
            plural = "" if len(unknown) < 2 else "s"
            named = ", ".join(unknown) or repr(value)
            raise ValueError(f"unknown {what}{plural} in {name}: {named}; known: {', '.join(known)}")
        return found

    return read


_DAY = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")


def day(value: str, name: str) -> str:
    """A calendar day as ``YYYYMMDD`` (``YYYY-MM-DD`` accepted too)."""
    match = _DAY.match(value.strip())
    try:
        if not match:
            raise ValueError
        parsed = datetime(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"{name} must be a day like 20221014, not {value!r}") from None
    return f"{parsed:%Y%m%d}"


def http_urls(value: str, name: str) -> list[str]:
    """A comma list of http(s) URLs."""
    found = split_list(value)
    if not found:
        raise ValueError(f"{name} needs at least one http(s) URL")
    for url in found:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
            raise ValueError(f"{name} {url!r} is not an http(s) URL")
    return found


@dataclasses.dataclass(frozen=True)
class RunParameters(SpiderParameters):
    """The arguments every spider takes, written as keys of a subscriptions entry."""

    limit: int | None = parameter(
        positive,
        help="articles taken per list (per feed, per category) in this run",
        valid=("1", "30"),
        invalid=("0", "-3", "ten"),
        place="entry",
    )
    categories: list[str] = parameter(
        labels,
        default=(),
        help="post categories of every post of this run, replacing the spider's own",
        valid=("新媒体", "新媒体,Blogs"),
        invalid=(",",),
        place="entry",
    )
    author: str = parameter(
        text,
        default="",
        help="the author of every post of this run, replacing the page's",
        valid=("联播+",),
        invalid=(" ",),
        place="entry",
    )
