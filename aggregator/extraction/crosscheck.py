"""Which candidate body to trust on a page: the project's against readability's own text, and trafilatura's.

The project narrows trafilatura to the box readability chose (``box``) and then cuts portal chrome
(``body``). That is best on most pages, but when it goes wrong it goes far wrong, in two directions:

* it keeps far *less* than readability (trafilatura dropped most of a box of short blocks: an "about" page,
  a page of lists); or
* it keeps far *more* (a thread of forum posts taken as twins of the first one, a box that grew around
  the article).

Readability's own text is the yardstick: its choice of box is the most reliable single signal on these
pages (``bench/extraction.py``). Where the project agrees with it (covers most of its text and adds
little), the project's body stands. Where they disagree, a third opinion is asked only then (trafilatura on
the whole page, so the median page costs nothing more): if trafilatura agrees with readability, its body is
used (it keeps structure and images); if it agrees with the project's body, which holds all of
readability's text and more, that body stands (``confirmed_by_third``); otherwise readability's own text,
cut of chrome in the same way. So a page can never end up much worse than readability alone unless two
other readers agree, and keeps the project's gains where the two agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from lxml import etree

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")  # a CJK character, or a run of other word characters
MIN_REFERENCE = 30
"""Tokens readability's text needs to serve as a yardstick; less is readability finding nothing."""
MIN_COVER = 0.6
"""Share of readability's text the project must keep; less means it lost most of the article."""
MIN_PURITY = 0.5
"""Share of the project's text readability must also have; less means the project kept far more."""
THIRD_COVER, THIRD_PURITY = 0.9, 0.7
"""How closely trafilatura on the whole page must agree with readability to be used instead."""
HOLDS_COVER = 0.95
"""Share of readability's text the project's body must keep to be confirmed by the third opinion."""
CONFIRM_AGREEMENT = 0.8
"""Purity and cover, each way, at which trafilatura on the whole page confirms the project's body."""


def tokens(text: str) -> Counter[str]:
    """Words (one per CJK character, one per run of other word characters), lower-cased, with counts, in
    Unicode's composed form: trafilatura composes accents (NFC) and readability keeps them as the page has
    them, and a page written with combining accents must not look like two texts."""
    return Counter(map(str.lower, _TOKEN.findall(unicodedata.normalize("NFC", text or ""))))


def agreement(candidate: Counter[str], reference: Counter[str]) -> tuple[float, float]:
    """``(purity, cover)``: the share of the candidate's words the reference has too, and the share of the
    reference's words the candidate kept."""
    shared = sum((candidate & reference).values())
    return shared / max(1, sum(candidate.values())), shared / max(1, sum(reference.values()))


def agrees(candidate: Counter[str], reference: Counter[str]) -> bool:
    purity, cover = agreement(candidate, reference)
    return purity >= MIN_PURITY and cover >= MIN_COVER


def trust_third(third: Counter[str], reference: Counter[str]) -> bool:
    purity, cover = agreement(third, reference)
    return purity >= THIRD_PURITY and cover >= THIRD_COVER


def confirmed_by_third(ours: Counter[str], reference: Counter[str], third: Counter[str]) -> bool:
    """Whether the project's body, far longer than readability's text, is the article all the same: it holds
    all of readability's text (``HOLDS_COVER``), and trafilatura on the whole page found the same text
    (``CONFIRM_AGREEMENT`` both ways). Two readers found the same article around readability's part: a
    slideshow's slides after the introduction readability took for the article (eweek's BlackBerry Live
    slides: 0.373 → 0.994)."""
    purity, cover = agreement(ours, third)
    return (
        agreement(ours, reference)[1] >= HOLDS_COVER
        and purity >= CONFIRM_AGREEMENT
        and cover >= CONFIRM_AGREEMENT
    )


def text_of(container: etree._Element | None) -> str:
    return " ".join(container.itertext()) if container is not None else ""
