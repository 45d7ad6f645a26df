"""The ``cctv`` spider's parameters: which 央视网 categories, how deep, which 新闻联播 day."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from aggregator.sites.params import ParameterError, RunParameters, day, parameter, positive, split_list

XWLB = "xwlb"
"""新闻联播, read from tv.cctv.com's day pages rather than a JSONP list."""

LIST_CATEGORIES = (
    "news", "china", "world", "society", "law", "ent", "tech", "life", "edu", "health", "economy_zixun",
)  # fmt: skip
"""Categories with a JSONP list under ``/2019/07/gaiban/cmsdatainterface/page/`` (SITES.md §2.1): the ones
RSSHub's ``category.ts`` and the public Scrapy crawlers of news.cctv.com read."""

RETIRED = {
    "sports": "no public crawler reads a sports JSONP list (CCTV sport is on sports.cctv.com, another site)",
    "military": "no public crawler reads a military JSONP list; the one crawler of CCTV military news reads "
    "military.cctv.com/data/index.json, which this spider does not",
}
"""Names once listed here whose JSONP list is used by nobody: skipped with one WARNING, not an ERROR on
every scheduled run (a subscription may still name them)."""

CATEGORIES = (*LIST_CATEGORIES, XWLB)


def read_categories(value: str, name: str) -> list[str]:
    """A comma list of :data:`CATEGORIES` (retired names accepted, to be skipped); unknown names refused,
    naming the ones that exist."""
    found = split_list(value)
    unknown = [item for item in found if item not in CATEGORIES and item not in RETIRED]
    if unknown or not found:
        word = "categories" if len(unknown) > 1 else "category"
        named = ", ".join(unknown) or repr(value)
        raise ValueError(f"unknown CCTV {word} in {name}: {named}; known: {', '.join(CATEGORIES)}")
    return found


def check_not_all_retired(categories: list[str], name: str) -> None:
    """Refuse a list of only retired names: it would crawl nothing."""
    if categories and all(item in RETIRED for item in categories):
        raise ParameterError(
            "category", f"no CCTV category left to crawl in {name}: {', '.join(categories)} are retired"
        )


@dataclass(frozen=True)
class CctvParameters(RunParameters):
    """``scrapy crawl cctv -a category=china,world -a pages=2``, ``-a category=xwlb -a date=20221014``."""

    spider: ClassVar[str] = "cctv"
    entry_key: ClassVar[str] = "cctv"
    required: ClassVar[tuple[str, ...]] = ("category",)
    identity: ClassVar[tuple[str, ...]] = ("category", "date")
    example: ClassVar[dict[str, str]] = {"category": XWLB}

    category: list[str] = parameter(
        read_categories,
        default=(),
        help=f"categories, comma-separated: {', '.join(CATEGORIES)} (default: CCTV_CATEGORIES)",
        valid=(*CATEGORIES, "china,world", "news,xwlb", "china,sports"),
        invalid=("economy", "sport", "china,finance", "News", "sports", "military,sports"),
    )
    pages: int = parameter(
        positive,
        default=1,
        help="list pages read per category (each a JSONP file of the newest items)",
        valid=("1", "2", "10"),
        invalid=("0", "two", "1.5"),
    )
    date: str | None = parameter(
        day,
        help="the 新闻联播 day, YYYYMMDD (default: the latest); only with category xwlb",
        valid=("20221014", "2022-10-14"),
        invalid=("20221332", "yesterday", "2022101"),
    )

    def check(self) -> None:
        check_not_all_retired(self.category, "category")
        if self.date is not None and self.category and XWLB not in self.category:
            raise ParameterError("date", "date= picks a 新闻联播 day: use it with -a category=xwlb")
