"""The ``zaker`` spider's parameters: which ZAKER lists to read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from aggregator.sites.params import RunParameters, flag, ids, parameter

LIST_KINDS = ("channel", "source")
"""ZAKER's two kinds of list: an editorial channel (``/channel/13``) or one media account (``/source/N``)."""


@dataclass(frozen=True)
class ZakerParameters(RunParameters):
    """``scrapy crawl zaker -a channel=13,660 -a source=12291``; without either, ``ZAKER_SUBSCRIPTIONS``."""

    spider: ClassVar[str] = "zaker"
    entry_key: ClassVar[str] = "zaker"
    required: ClassVar[tuple[str, ...]] = (*LIST_KINDS, "focus")
    identity: ClassVar[tuple[str, ...]] = ("channel", "source", "focus")
    example: ClassVar[dict[str, str]] = {"channel": "660"}

    channel: list[str] = parameter(
        ids("ZAKER"),
        default=(),
        help="channel ids, comma-separated (https://www.myzaker.com/channel/<id>)",
        valid=("13", "660", "13,660", " 13 , 660 "),
        invalid=("tech", "13,x", "-1", ","),
    )
    source: list[str] = parameter(
        ids("ZAKER", "12291"),
        default=(),
        help="source (media account) ids, comma-separated (https://www.myzaker.com/source/<id>)",
        valid=("12291", "12291,10530"),
        invalid=("lianbo", "12291;1"),
    )
    focus: bool = parameter(
        flag,
        default=False,
        help="the 精读 list (home page's selected articles, RSSHub's focusread); posts categorised focusread",
        valid=("1", "true", "0", "no"),
        invalid=("maybe", "2"),
    )
