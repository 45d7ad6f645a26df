"""What kind of refusal a response is: every firewall answer this project knows, by one classifier.

A site behind a web application firewall does not answer "no" in one way. What public clients of
SafeLine-guarded sites (ZAKER's among them) have met, and what :func:`classify` recognises:

``safeline-v1``
    The JavaScript challenge RSSHub's ZAKER route solves: ``window.captcha = {once_id: "…"}``, Chaitin's
    ``challenge.rivers.chaitin.cn`` script, an ``sl-session`` cookie.
``safeline-v1-quoted``
    The same challenge with a JSON-quoted ``"once_id":"…"`` key; one public crawler of a SafeLine-guarded
    site reads it that way and talks to ``/recaptcha/api/`` instead of ``/captcha/api/``.
``anti-cc-redirect``
    SafeLine's anti-CC page: ``<html id='anticc_redirect'>`` whose script assembles ``cbk_var`` piece by
    piece and sends the browser on with ``window.location``. No content; the next stop is a challenge.
``safeline-v2``
    The newer challenge (2025–26): HTTP **468** (or 200) and a page calling
    ``SafeLineChallenge("<client_id>", {level})``, answered through an ``issue``/``verify`` API and
    ``calc.wasm``. Not solved here: only recognised.
``http-403`` / ``http-429``
    A plain wall: the host refuses (403) or keeps rate-limiting (429) after the back-off's retries.

Every form ends the same way in the spiders: one ERROR naming the form with :func:`advice`, the crawl
stopped as ``blocked_by_waf`` (site spiders) or the host no longer asked (``aggregator.web.walls``).

Markers of the challenge pages are looked for only in pages that could be one: an article *about*
SafeLine that quotes ``SafeLineChallenge("…")`` has far more text than a challenge page and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

FORMS: dict[str, str] = {
    "safeline-v1": "SafeLine JavaScript challenge (window.captcha with once_id)",
    "safeline-v1-quoted": 'SafeLine JavaScript challenge (JSON "once_id", /recaptcha/api/)',
    "anti-cc-redirect": "SafeLine anti-CC redirect page (cbk_var + window.location)",
    "safeline-v2": "SafeLine v2 challenge (SafeLineChallenge, HTTP 468)",
    "http-403": "HTTP 403 Forbidden wall",
    "http-429": "HTTP 429 Too Many Requests wall (still refused after back-off)",
}
"""Stable key → what an operator reads in the log."""

SOLVABLE = frozenset({"safeline-v1", "safeline-v1-quoted"})
"""Forms ``aggregator.web.safeline`` can answer (only with ``ZAKER_SOLVE_CHALLENGE``)."""

MAX_CHALLENGE_BYTES = 64 * 1024
"""Challenge pages are a few KiB of script; a bigger 200 page is content and is not searched at all."""
MAX_CHALLENGE_TEXT = 600
"""Visible characters a challenge page may have (a notice, a "checking your browser" line)."""

_V2_CALL = re.compile(r"""SafeLineChallenge\(\s*["']([\w-]+)["']""")
_ONCE_ID = re.compile(r"""(?<!["'\w])once_id\s*:\s*["']([\w-]+)["']""")
_ONCE_ID_QUOTED = re.compile(r"""["']once_id["']\s*:\s*["']([\w-]+)["']""")
_V1_COMPANIONS = (
    re.compile(r"window\.captcha\b"),
    re.compile(r"challenge\.rivers\.chaitin\.cn"),
    re.compile(r"/(?:re)?captcha/api/"),
    re.compile(r"sl-session"),
)
_ANTI_CC = re.compile(r"""id\s*=\s*["']anticc_redirect["']""")
_CBK_VAR = re.compile(r"\bcbk_var\b")
_LOCATION = re.compile(r"window\.location\b")
_INVISIBLE = re.compile(r"<(script|style|svg)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A response that is a firewall's answer, not the page: which form, and what the page named."""

    form: str
    status: int
    detail: str = ""
    """What identifies this instance, e.g. ``once_id=…`` or ``client_id=…``; empty if nothing."""

    @property
    def label(self) -> str:
        return FORMS[self.form]

    def __str__(self) -> str:
        return f"{self.label} [HTTP {self.status}]"


def visible_text_length(html: str) -> int:
    """Characters a reader would see: scripts, styles, comments and tags removed, whitespace ignored."""
    return len(re.sub(r"\s+", "", _INVISIBLE.sub(" ", html)))


def _could_be_challenge(status: int, html: str) -> bool:
    return status == 468 or (
        len(html) <= MAX_CHALLENGE_BYTES and visible_text_length(html) <= MAX_CHALLENGE_TEXT
    )


def challenge_form(html: str, status: int = 200, set_cookies: Iterable[str] = ()) -> Refusal | None:
    """The SafeLine challenge form of a page, or None: the page-only part of :func:`classify`.

    ``set_cookies`` are the names of the cookies the response sets (SafeLine's first answer sets
    ``sl-session``), which count as a marker like the page's own text.
    """
    html = html or ""
    found = _V2_CALL.search(html)
    if status == 468 or (found and _could_be_challenge(status, html)):
        return Refusal("safeline-v2", status, f"client_id={found.group(1)}" if found else "")
    # Markers first, the visible text only if one is there: every page of a crawl comes through here, and
    # counting its visible text costs ten times what looking for the markers does. Same answers either way:
    # without a marker no form below can match.
    if len(html) > MAX_CHALLENGE_BYTES:  # status is not 468 here
        return None
    anti_cc = bool(
        "cbk_var" in html  # a plain search first: the regex's leading \b makes it scan ten times slower
        and _CBK_VAR.search(html)
        and _LOCATION.search(html)
        and (_ANTI_CC.search(html) or "<script" in html)
    )
    companions = sum(1 for marker in _V1_COMPANIONS if marker.search(html))
    companions += any(name == "sl-session" for name in set_cookies)
    if not (anti_cc or companions) or not _could_be_challenge(status, html):
        return None
    if anti_cc:
        return Refusal("anti-cc-redirect", status)
    if (found := _ONCE_ID_QUOTED.search(html)) and companions >= 1:
        return Refusal("safeline-v1-quoted", status, f"once_id={found.group(1)}")
    if (found := _ONCE_ID.search(html)) and companions >= 1:
        return Refusal("safeline-v1", status, f"once_id={found.group(1)}")
    if companions >= 2:  # two independent markers, as the challenge always has
        return Refusal("safeline-v1", status)
    return None


def classify(status: int, html: str, set_cookies: Iterable[str] = ()) -> Refusal | None:
    """Which refusal this response is, or None when it is a page (or an ordinary error such as a 404).

    Challenge pages are recognised whatever their status (SafeLine serves them with 200, 403 or 468);
    a 403 or 429 that is no challenge is a plain wall.
    """
    found = challenge_form(html, status, set_cookies)
    if found is not None:
        return found
    if status in (403, 429):
        return Refusal(f"http-{status}", status)
    return None


def advice(refusal: Refusal, prefix: str = "ZAKER") -> str:
    """What to do about it, in one sentence per remedy, for the setting names of the site (``prefix``)."""
    steps = [
        "Open the site in a browser, pass its check, and give the crawl that browser's cookies: "
        f"-s {prefix}_COOKIES='name=value; …' or a cookies.txt export with -s {prefix}_COOKIES_FILE=PATH",
        "crawl slower (-s DOWNLOAD_DELAY=5 -s CONCURRENT_REQUESTS_PER_DOMAIN=1) and try again later",
        f"send browser-grade TLS with -s {prefix}_IMPERSONATE=chrome",
    ]
    if refusal.form in SOLVABLE:
        steps.append(f"or let the crawl answer this challenge itself: -s {prefix}_SOLVE_CHALLENGE=True")
    elif refusal.form == "safeline-v2":
        steps.append("this challenge version cannot be answered by the crawler: cookies are the way")
    return "; ".join(steps) + " (see docs/waf.md)."
