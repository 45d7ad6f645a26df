"""Passing Chaitin SafeLine's JavaScript challenge without a browser (off unless ``ZAKER_SOLVE_CHALLENGE``).

SafeLine (长亭雷池) answers the first request of a client it does not know with a challenge page carrying
``window.captcha = {once_id: "…"}`` and an ``sl-session`` cookie. Its script then talks to Chaitin's
service; this module does the same steps, as RSSHub's ZAKER route does (``lib/routes/zaker/utils.ts``,
studied, not copied):

1. ``GET <challenge>/captcha/api/seed?once_id=…&v=1.0.0&hints=…`` → ``{"req_id", "seed"}`` (the
   ``/recaptcha/api/`` path when the page names it or ``/captcha/api/`` answers 404: one public crawler of
   a SafeLine-guarded site meets that variant, with a JSON-quoted ``"once_id":"…"`` on the page). The
   Referer is the challenged page's origin, as a browser sends it cross-origin
   (``strict-origin-when-cross-origin``), and what RSSHub sends.
2. Proof of work: the smallest ``nonce`` for which ``sha256(seed + str(nonce))`` starts with 16 zero bits.
3. A browser fingerprint (screen, ``languages`` ``['en-US']`` as RSSHub sends it, user agents, the nonce
   as ``salt``, a plausible solving time) as
   JSON, AES-128-CBC encrypted with the seed (padded with ``0`` to 16 bytes) as key and the fixed IV
   ``1234567890123456``, PKCS#7, hex encoded.
4. ``POST <challenge>/captcha/api/inspect?seed=…`` with that hex as ``text/plain`` → ``{"jwt"}`` or
   ``{"reason"}``.
5. The page again with the cookies ``sl-session`` (already in Scrapy's cookie jar) and ``sl_waf_recap=<jwt>``.

Anything unexpected on the way (no ``once_id``, a seed that is not ASCII, a service answering HTML, a key
the cipher refuses) is a :class:`ChallengeFailed` with the reason: the page then goes on to the refusal
middleware, which reports it like an unsolved challenge. Only the v1 forms are answered; SafeLine's v2
challenge (``SafeLineChallenge``, HTTP 468) needs its WebAssembly and is only recognised.

**Why off by default.** This imitates a browser to get past a defence the site chose to deploy; whether that
is acceptable is the operator's call, not the crawler's. It is also tested only against a local stand-in
that follows the protocol as RSSHub implements it: when Chaitin changes the protocol, the solver fails, the
challenge page reaches the spider, and the spider reports it and stops as it does without the solver.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
from typing import Any, Self
from urllib.parse import urlencode, urlsplit

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import DeferredLock
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.web.client import ResponseFailed, ResponseNeverReceived

from aggregator.web.challenge import MAX_CHALLENGE_BYTES, SOLVABLE, challenge_form
from aggregator.web.encoding import decode_html
from aggregator.web.urls import on_domain
from aggregator.web.waf import as_cookie_list


def closed_unanswered(error: BaseException | None) -> bool:
    """Whether a download failed only because the server closed the connection without answering.

    That is what a kept-alive connection the server had already dropped looks like (Scrapy wraps Twisted's
    ``ResponseNeverReceived``/``ResponseFailed`` in its own ``DownloadFailedError``): the call may be sent
    again on a new connection, as browsers do.
    """
    while error is not None:
        if isinstance(error, ResponseNeverReceived | ResponseFailed):
            return all(reason.check(ConnectionDone, ConnectionLost) for reason in error.reasons)
        if isinstance(error, ConnectionDone | ConnectionLost):
            return True
        error = error.__cause__
    return False


logger = logging.getLogger(__name__)

PROOF_OF_WORK_BITS = 16
SEND_ATTEMPTS = 3
"""How often one challenge call is sent when the server closes the connection without answering. Twisted
retries only GET and HEAD on a stale kept-alive connection; the solver's POST must do it itself, and the
connection pool may hold more than one connection the server has already closed."""
IV = b"1234567890123456"
LANGUAGES = ["en-US"]
"""``navigator.languages`` as RSSHub reports it (whatever Accept-Language the page requests carry)."""
API_PATHS = ("/captcha/api", "/recaptcha/api")
HINTS = ["globalThis", "headless", "languages", "permHook", "vendor", "webDriverValue", "webdriver"]
"""What the SDK reports having probed; sent in random order, as the SDK does."""

_CAPTCHA = re.compile(r"window\.captcha\s*=")
_ONCE_ID = re.compile(r"""["']?once_id["']?\s*:\s*["']([\w-]+)["']""")


class ChallengeFailed(Exception):
    """The challenge service did not give a token; the message says what it answered."""


class ChallengeNotHere(ChallengeFailed):
    """The service has no such API path (HTTP 404): the other path may be the one."""


def once_id(html: str) -> str | None:
    """The challenge's one-time id, from ``window.captcha = {once_id: "…"}`` or a JSON-quoted
    ``"once_id":"…"`` (after ``window.captcha`` when there is one, so not from comments before it)."""
    html = html or ""
    assignment = _CAPTCHA.search(html)
    found = _ONCE_ID.search(html, assignment.end() if assignment else 0)
    return found.group(1) if found else None


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte:
            return bits + 8 - byte.bit_length()
        bits += 8
    return bits


def proof_of_work(seed: str, zero_bits: int = PROOF_OF_WORK_BITS, limit: int = 100_000_000) -> int:
    """The smallest nonce whose ``sha256(seed + nonce)`` starts with ``zero_bits`` zero bits.

    About 65 000 hashes for 16 bits, a few tens of milliseconds: the cost is meant for browsers, not servers.
    """
    for nonce in range(limit):
        if leading_zero_bits(hashlib.sha256(f"{seed}{nonce}".encode()).digest()) >= zero_bits:
            return nonce
    raise ChallengeFailed(f"no proof of work for seed {seed!r} within {limit} tries")


def seed_key(seed: str) -> bytes:
    """The AES-128 key: the seed's first 16 characters, right-padded with ``0``.

    Seeds are hex; one that is not ASCII would give a key longer than 16 bytes, which AES refuses.
    """
    if not seed.isascii():
        raise ChallengeFailed(f"the seed {seed[:40]!r} is not ASCII: no 16-byte key can be made from it")
    return (seed + "0" * 16)[:16].encode("ascii")


def encrypt_fingerprint(fingerprint: dict[str, Any], seed: str) -> str:
    """The fingerprint as the challenge script sends it: AES-128-CBC(JSON), PKCS#7, hex."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(json.dumps(fingerprint, separators=(",", ":")).encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(seed_key(seed)), modes.CBC(IV)).encryptor()
    return (encryptor.update(data) + encryptor.finalize()).hex()


def decrypt_fingerprint(payload: str, seed: str) -> dict[str, Any]:
    """The inverse of :func:`encrypt_fingerprint` (for stand-in servers and tests)."""
    decryptor = Cipher(algorithms.AES(seed_key(seed)), modes.CBC(IV)).decryptor()
    data = decryptor.update(bytes.fromhex(payload)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return json.loads(unpadder.update(data) + unpadder.finalize())


def fingerprint(seed: str, user_agent: str, languages: list[str] = LANGUAGES) -> dict[str, Any]:
    """A desktop browser's answer to the challenge, with the proof of work as ``salt``."""
    return {
        "resolution": "1920x1080",
        "languages": languages,
        "useragents": [user_agent] * 3,
        "hint": 0,
        "salt": str(proof_of_work(seed)),
        "taketime": random.randint(1000, 3000),  # a human's solving time, not a secret
    }


class SafeLineChallengeMiddleware:
    """Solve SafeLine's challenge when a page of a protected site answers with it, then fetch the page again.

    One solve at a time: requests that meet the challenge while another solves wait and reuse its token.
    A request is retried once; a second challenge goes to the spider, which reports it.
    """

    SITES = ("myzaker.com",)

    def __init__(self, crawler: Crawler, service: str) -> None:
        self.crawler = crawler
        self.service = service.rstrip("/")
        self.lock = DeferredLock()
        self.token: str | None = None
        self.solved = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("ZAKER_SOLVE_CHALLENGE"):
            raise NotConfigured("ZAKER_SOLVE_CHALLENGE is off")
        return cls(crawler, crawler.settings["SAFELINE_CHALLENGE_URL"])

    def protects(self, request: Request) -> bool:
        host = urlsplit(request.meta.get("canonical_url") or request.url).hostname or ""
        return any(on_domain(host, site) for site in self.SITES)

    async def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if request.meta.get("safeline_retried") or not self.protects(request):
            return response
        if response.status == 200 and len(response.body) > MAX_CHALLENGE_BYTES:
            return response
        html = decode_html(response.body, response.headers.get("Content-Type"))[0]
        refusal = challenge_form(html, response.status)
        if refusal is None or refusal.form not in SOLVABLE:
            return response
        solved_before = self.solved
        await maybe_deferred_to_future(self.lock.acquire())
        try:
            if self.solved == solved_before:  # nobody solved it while this request waited
                try:
                    self.token = await self.solve(html, request)
                except ChallengeFailed as error:
                    self.crawler.stats.inc_value("aggregator/safeline/failed")
                    logger.warning("SafeLine challenge at %s not solved: %s", request.url, error)
                    return response
                self.solved += 1
                self.crawler.stats.inc_value("aggregator/safeline/solved")
                logger.info("SafeLine challenge solved for %s; fetching it again", request.url)
        finally:
            self.lock.release()
        return request.replace(
            cookies=[
                *as_cookie_list(request.cookies),
                {"name": "sl_waf_recap", "value": self.token, "path": "/"},
            ],
            meta={**request.meta, "safeline_retried": True},
            dont_filter=True,
        )

    async def solve(self, html: str, request: Request) -> str:
        """Steps 1-4 of the protocol; the token for ``sl_waf_recap``."""
        challenge_id = once_id(html)
        if not challenge_id:
            raise ChallengeFailed("the challenge page has no once_id")
        page = urlsplit(request.meta.get("canonical_url") or request.url)
        referer = f"{page.scheme}://{page.netloc}/"  # a browser sends only the origin to another site
        meta = {key: request.meta[key] for key in ("impersonate", "proxy") if key in request.meta}
        named = "/recaptcha/api/" in re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)  # not in comments
        paths = API_PATHS[::-1] if named else API_PATHS
        seed_answer: dict[str, Any] = {}
        for number, path in enumerate(paths):
            hints = random.sample(HINTS, len(HINTS))
            try:
                seed_answer = await self.fetch(
                    f"{self.service}{path}/seed?"
                    + urlencode({"once_id": challenge_id, "v": "1.0.0", "hints": ",".join(hints)}),
                    meta,
                    headers={"Referer": referer},
                )
                break
            except ChallengeNotHere:
                if number == len(paths) - 1:
                    raise ChallengeFailed(f"neither {' nor '.join(paths)} knows the seed API") from None
        seed = seed_answer.get("seed")
        if not isinstance(seed, str) or not seed:
            raise ChallengeFailed(f"no seed in {seed_answer!r}")
        user_agent = request.headers.get("User-Agent", b"").decode("latin-1")
        try:
            payload = encrypt_fingerprint(fingerprint(seed, user_agent), seed)
        except (ValueError, TypeError) as error:  # what the cipher or JSON refuse
            raise ChallengeFailed(
                f"the fingerprint could not be encrypted with seed {seed[:40]!r}: {error}"
            ) from None
        verdict = await self.fetch(
            f"{self.service}{path}/inspect?" + urlencode({"seed": seed}),
            meta,
            method="POST",
            body=payload,
            headers={"Referer": referer, "Content-Type": "text/plain"},
        )
        token = verdict.get("jwt")
        if verdict.get("reason") or not isinstance(token, str) or not token:
            reason = verdict.get("reason") or repr(verdict)
            raise ChallengeFailed(f"the challenge service refused: {reason}")
        return token

    async def fetch(self, url: str, meta: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """One JSON call to the challenge service, through the downloader (proxies, timeouts, stats)."""
        meta = {**meta, "dont_retry": True, "dont_classify": True}
        for attempt in range(1, SEND_ATTEMPTS + 1):
            request = Request(url, dont_filter=True, meta=meta, **kwargs)
            try:
                response = await self.crawler.engine.download_async(request)
                break
            except Exception as error:  # a network failure is a failed solve, not a crashed middleware
                if closed_unanswered(error) and attempt < SEND_ATTEMPTS:
                    continue  # a stale kept-alive connection: again, on the next one the pool gives
                raise ChallengeFailed(
                    f"{url} could not be reached: {type(error).__name__}: {error}"
                ) from None
        if response.status == 404:
            raise ChallengeNotHere(f"{url} answered HTTP 404")
        if response.status != 200:
            raise ChallengeFailed(f"{url} answered HTTP {response.status}")
        try:
            answer = json.loads(response.body)
        except (ValueError, RecursionError):
            raise ChallengeFailed(f"{url} did not answer JSON: {response.body[:80]!r}") from None
        if not isinstance(answer, dict):
            raise ChallengeFailed(f"{url} answered {answer!r}")
        return answer
