"""Dropping an article with a reason an operator can count."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class ArticleDropped(DropItem):
    """``DropItem`` with a short, stable ``reason`` key.

    The run summary counts drops by this key (``aggregator/dropped/<reason>``) and the log formatter prints
    it with the article URL, one line per dropped article.
    """

    def __init__(self, reason: str, message: str, log_level: str | None = None) -> None:
        super().__init__(message, log_level=log_level)
        self.reason = reason
