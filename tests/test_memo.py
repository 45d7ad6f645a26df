"""The memo of recent body results (``aggregator.memo``): remembered up to a size, forgotten on demand."""

from __future__ import annotations

from aggregator.memo import MAX_CHARS, forget_recent, remember_recent


def test_recent_bodies_are_remembered_and_huge_ones_never() -> None:
    calls: list[str] = []

    @remember_recent
    def length(body: str, base: str) -> int:
        calls.append(body)
        return len(body) + len(base)

    small, huge = "<p>body</p>", "x" * (MAX_CHARS + 1)
    assert [length(small, "u"), length(small, "u"), length(small, "v")] == [12, 12, 12]
    assert calls == [small, small]  # the same arguments once; another base is another call
    assert length(huge, "") == length(huge, "") == MAX_CHARS + 1
    assert calls[2:] == [huge, huge]  # never kept alive
    forget_recent()
    length(small, "u")
    assert calls[-1] == small and len(calls) == 5
