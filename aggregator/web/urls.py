"""URL identity and resolution: when are two links the same article, what a page's link points at, and
where a request really goes. Which URLs are allowed at all is ``aggregator.web.safety``'s one job."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

from aggregator.web.safety import clean_url, safe_url

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "spm", "scm",
        "from", "isappinstalled", "share_token", "share_source", "sharer", "ref", "ref_src", "_hsenc",
        "_hsmi", "wt.mc_id", "cmpid", "ncid", "sr_share", "timestamp", "tt_from", "wxshare_count",
    }
)  # fmt: skip
"""Query parameters that say how a reader arrived, not which article it is."""
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The article's identity: tracking parameters and fragment removed, host lower-cased, rest kept.

    Parameter order is kept (not sorted) so that the link written into a post still looks like the site's.
    """
    url = safe_url_string(url.strip())
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    netloc = parts.netloc.lower()
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query, doseq=True), ""))


def url_id(url: str, length: int = 10) -> str:
    """A short, stable hex id of a canonical URL (for file names that must not collide)."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:length]


def rebase(url: str, bases: Mapping[str, str]) -> str:
    """Where to *fetch* a real site URL: its origin swapped for a configured base, if one is set.

    ``bases`` maps a real origin (``https://www.myzaker.com``) to where it is served from (the real origin
    itself in production; ``http://127.0.0.1:8123/zaker`` in tests). Posts always keep the real URL.
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    for real, served in bases.items():
        real_parts = urlsplit(real)
        if origin == f"{real_parts.scheme}://{real_parts.netloc}".lower() or (
            parts.netloc.lower() == real_parts.netloc.lower()
        ):
            tail = url[len(f"{parts.scheme}://{parts.netloc}") :]
            return served.rstrip("/") + tail
    return url


def secure_urls(text: str, hosts: Iterable[str]) -> str:
    """Every ``http://`` URL on one of ``hosts`` (or a subdomain) in ``text`` upgraded to ``https://``.

    Some image hosts serve the same files on both schemes while old pages hard-code ``http://`` (CCTV's
    ``pN.img.cctvpic.com``); a post on an https blog with plain-http images gets them blocked or flagged as
    mixed content. Only hosts known to serve https are listed (``IMAGES_HTTPS_HOSTS``): nothing says others
    do. ``text`` is an HTML body or a single URL.
    """
    names = [re.escape(host.strip().lower().strip(".")) for host in hosts if host.strip()]
    if not text or not names:
        return text
    pattern = rf"""(?<![\w/])http://((?:[\w-]+\.)*(?:{"|".join(names)}))(?=[/"'\s?:]|$)"""
    return re.sub(pattern, r"https://\1", text, flags=re.IGNORECASE)


def on_domain(url_or_host: str | None, domain: str) -> bool:
    """Whether a URL's host (or a bare host) is ``domain`` or one of its subdomains: ``www.myzaker.com``
    is on ``myzaker.com``, ``myzaker.com.example.net`` is not."""
    if not url_or_host:
        return False
    host = urlsplit(url_or_host).hostname if "/" in url_or_host else url_or_host
    host = (host or "").lower().rstrip(".")
    domain = domain.lower().strip(".")
    return bool(host) and (host == domain or host.endswith("." + domain))


def absolute_url(href: str | None, base: str) -> str | None:
    """A link of a page, as the page means it: ``href`` made absolute against the page URL; None unless it is
    an http(s) URL with a host (what is allowed is :func:`aggregator.web.safety.safe_url`'s rule, not a
    second one here).

    Protocol-relative links (``//pN.img.cctvpic.com/…``) become https rather than taking the page's scheme:
    browsers load them over the blog's https, and the hosts that use them serve both.
    """
    href = clean_url(href)
    return safe_url("https:" + href if href.startswith("//") else href, base) or None
