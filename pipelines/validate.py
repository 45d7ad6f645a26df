"""Validate: nothing without a title or a body reaches the blog."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from aggregator.drops import ArticleDropped


class ValidatePipeline:
    """Drop an article without a title, or without body text and images, saying which and where."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        if not adapter.get("title"):
            raise ArticleDropped("no_title", "the article has no title")
        if not adapter.get("body_text") and not adapter.get("image_urls"):
            raise ArticleDropped("no_body", "the article has no body text and no image")
        return item
