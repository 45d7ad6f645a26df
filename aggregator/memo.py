"""The results of the last few calls on an article body, remembered.

The same body text is sometimes worked on twice in a crawl: a feed whose summary repeats its content has it
cleaned as body and as summary, and a feed article's clean body is read by the Clean pipeline (does it show
anything?) and again by the Extract pipeline. Each of those is a parse, most of what the call costs. Only
the last :data:`ENTRIES` results are kept, and bodies over :data:`MAX_CHARS` never are, so a crawl's memory
does not grow with what it has read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

MAX_CHARS = 256 * 1024
"""Bodies up to this size are remembered; bigger ones are never kept alive."""
ENTRIES = 32
"""How many results each remembering function keeps (the most recently used)."""

Result = TypeVar("Result")

_MEMOS: list[Any] = []


def remember_recent(function: Callable[..., Result]) -> Callable[..., Result]:
    """``function(body, *more)``, its last results remembered by their arguments (see the module)."""
    remembered = functools.lru_cache(maxsize=ENTRIES)(function)
    _MEMOS.append(remembered)

    @functools.wraps(function)
    def call(body: str, *more: Any) -> Result:
        if len(body) > MAX_CHARS:
            return function(body, *more)
        return remembered(body, *more)

    return call


def forget_recent() -> None:
    """Empty every memo: a benchmark that repeats a page must time the work, not the memo."""
    for memo in _MEMOS:
        memo.cache_clear()
