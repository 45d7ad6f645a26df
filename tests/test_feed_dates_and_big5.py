"""Issue 14, item 6: Chinese date forms and Big5 feeds, read end to end through ``parse_feed``.

The feeds are built here (reconstructed): an RSS 2.0 skeleton whose ``pubDate`` carries the forms Chinese
sites really print, and the same Traditional Chinese feed served three ways a misconfigured server does.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from aggregator.sites.feed import parse_feed

SHANGHAI = ZoneInfo("Asia/Shanghai")
FEED_URL = "http://127.0.0.1/feed.xml"


def rss(pub_date: str, title: str = "标题", encoding: str = "utf-8", declare: bool = True) -> bytes:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n' if declare else ""
    text = (
        f'{declaration}<rss version="2.0"><channel><title>論壇</title><link>http://127.0.0.1/</link>'
        f"<item><title>{title}</title><link>http://127.0.0.1/a/1</link><guid>a1</guid>"
        f"<description>正文內容</description><pubDate>{pub_date}</pubDate></item></channel></rss>"
    )
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("2024年3月4日 10:00", datetime(2024, 3, 4, 10, 0, tzinfo=SHANGHAI)),
        ("2024年03月04日 10:00:30", datetime(2024, 3, 4, 10, 0, 30, tzinfo=SHANGHAI)),
        ("1709546400", datetime.fromtimestamp(1709546400, SHANGHAI)),  # epoch seconds: 2024-03-04 18:00
        ("2020/1/10 14:07:00", datetime(2020, 1, 10, 14, 7, tzinfo=SHANGHAI)),
    ],
)
def test_chinese_date_forms_are_read_as_written(written: str, meant: datetime) -> None:
    (entry,) = parse_feed(rss(written), FEED_URL, "application/rss+xml", SHANGHAI).entries
    assert entry.published == meant
    assert not entry.unreadable_date


TRADITIONAL = "臺灣颱風警報發佈，氣象局說明"


@pytest.mark.parametrize(
    ("content_type", "declare"),
    [
        ("application/rss+xml", False),  # undeclared anywhere
        ("application/rss+xml; charset=utf-8", False),  # labelled UTF-8 by the server
        ("text/xml; charset=utf-8", True),  # labelled UTF-8 by the server, big5 in the document
    ],
)
def test_big5_feeds_undeclared_or_labelled_utf8_are_read_as_big5(content_type: str, declare: bool) -> None:
    body = rss("Mon, 04 Mar 2024 10:00:00 +0800", TRADITIONAL, encoding="big5", declare=declare)
    feed = parse_feed(body, FEED_URL, content_type, SHANGHAI)
    (entry,) = feed.entries
    assert entry.title == TRADITIONAL
    assert feed.title == "論壇"
