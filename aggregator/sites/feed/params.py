"""The ``feed`` spider's parameters: which feeds, and when to fetch an entry's own page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from aggregator.sites.params import ParameterError, RunParameters, choices, http_urls, parameter, text

FETCH_MODES = ("auto", "always", "never")
"""``auto``: fetch an entry's page when the feed carries no full text; ``always``; ``never``."""


@dataclass(frozen=True)
class FeedParameters(RunParameters):
    """``scrapy crawl feed -a url=URL[,URL…] [-a fetch=always|never|auto]``."""

    spider: ClassVar[str] = "feed"
    entry_key: ClassVar[str] = "feed"
    scalar: ClassVar[str] = "url"
    required: ClassVar[tuple[str, ...]] = ("url",)
    identity: ClassVar[tuple[str, ...]] = ("url",)
    example: ClassVar[dict[str, str]] = {"url": "https://a.example/rss"}

    url: list[str] = parameter(
        http_urls,
        default=(),
        help="feed URLs (RSS or Atom), comma-separated",
        valid=("https://a.example/rss", "http://b.example/feed.xml,https://c.example/atom"),
        invalid=("ftp://a.example/rss", "not a url", "https://"),
    )
    fetch: str | None = parameter(
        choices(FETCH_MODES, "fetch mode", many=False),
        help="when to fetch an entry's own page: auto, always, never (default: FEED_FETCH_PAGES)",
        valid=FETCH_MODES,
        invalid=("sometimes", "ALWAYS"),
    )
    site: str = parameter(
        text,
        default="",
        help="the site name posts carry (default: the feed's title)",
        valid=("Example Blog",),
        invalid=("  ",),
    )

    def check(self) -> None:
        if not self.url:
            raise ParameterError(
                "url", "the feed spider needs a feed: scrapy crawl feed -a url=https://example.com/feed.xml"
            )
