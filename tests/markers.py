"""What a test needs must show in its markers, or ``make test-fast`` stops being fast (or passing).

The fast subset leaves out the tests marked ``slow``, ``crawl``, ``redis``, ``hexo`` and ``scrapyd``
(``pyproject.toml``). Most are marked from the fixtures they use (``tests/conftest.py``); the helpers that
start something costly call :func:`require_marker`, so a test that reaches one without its marker fails in
every run, naming the marker to add, instead of quietly slowing the fast subset down (or failing in it on a
machine without Node.js).
"""

from __future__ import annotations

import pytest

RUNNING_TEST: pytest.Item | None = None
"""The test being run, set by ``tests/conftest.py`` before each test."""


def require_marker(marker: str, what: str) -> None:
    """Fail the running test unless it is marked ``marker`` (or ``slow``, which the fast subset leaves out
    as well); ``what`` names the costly thing it started, for the message."""
    test = RUNNING_TEST
    if test is None or test.get_closest_marker(marker) or test.get_closest_marker("slow"):
        return
    pytest.fail(f"{test.nodeid} starts {what} but is not marked: add @pytest.mark.{marker}", pytrace=False)
