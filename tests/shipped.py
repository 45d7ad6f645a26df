"""The shipped settings (``aggregator/settings.py``), as a crawl loads them, plus a test's overrides.

Components read their settings without fallbacks (each default is declared once, in the settings module),
so a test must start from the shipped settings, never from an empty ``Settings()``.
"""

from __future__ import annotations

from typing import Any

from scrapy.settings import Settings


def shipped_settings(overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    settings.setdict(overrides or {}, priority="cmdline")
    return settings
