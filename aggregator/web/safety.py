"""Which URLs may be fetched or written into a post: http(s) only, and optionally public addresses only.

Every URL the crawler sees comes from someone else's page or feed, which is hostile input: an entry linking
``file:///etc/passwd`` must not be read from the crawler's disk and published, a cover of
``JavaScript:alert(1)`` must not reach a theme's ``<img src>``, and (on a server, with
``REFUSE_PRIVATE_ADDRESSES``) a link to ``http://localhost:6800/`` or a cloud metadata address must not be
fetched from inside the network.

* :func:`safe_url` here is the one allow-list of schemes for every URL written anywhere (body, cover,
  ``link``), case-insensitive, after removing what browsers ignore (control characters, white space); the
  page parsers' ``aggregator.web.urls.absolute_url`` resolves links through it;
* ``aggregator.web.refuse`` drops requests to anything but http(s) before they are scheduled (Scrapy's other
  download handlers are off in the settings as well), and with ``REFUSE_PRIVATE_ADDRESSES`` refuses
  loopback, private, link-local and other non-public addresses after DNS resolution, on every redirect hop.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urljoin, urlsplit

FETCHED_SCHEMES = frozenset({"http", "https"})
"""Schemes the crawler ever requests, and that a post may use for images, covers and its ``link``."""
LINK_SCHEMES = FETCHED_SCHEMES | {"mailto"}
"""Schemes a link (``<a href>``) in an article body may use."""

_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff]")
"""Control characters, white space and invisible format characters: browsers drop tabs and newlines
anywhere in a URL and control characters and spaces around it, so ``java\\tscript:`` and ``\\x01javascript:``
are ``javascript:`` to them. A real URL never needs them (a space inside a path is ``%20``)."""


def clean_url(value: str | None) -> str:
    """``value`` without the characters browsers ignore in a URL (see :data:`_IGNORED_IN_URLS`)."""
    return _IGNORED_IN_URLS.sub("", value or "")


def safe_url(value: str | None, base: str = "", schemes: frozenset[str] = FETCHED_SCHEMES) -> str:
    """``value`` made absolute against ``base``, or ``""`` when its scheme is not one of ``schemes``.

    The scheme is compared lower-cased, after :func:`clean_url`: ``JavaScript:``, ``java\\tscript:`` and
    ``\\x01javascript:`` are all refused, and a relative URL takes the scheme of ``base``.
    """
    url = clean_url(value)
    if not url:
        return ""
    try:
        url = urljoin(base, url) if base else url
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. "http://[oops/": not a URL at all
        return ""
    if scheme not in schemes:
        return ""
    if scheme in FETCHED_SCHEMES and not urlsplit(url).netloc:
        return ""  # "http:/etc/passwd" has no host: nothing a browser or crawler could fetch
    return url


def is_fetchable(url: str) -> bool:
    """Whether the crawler may request ``url`` at all (http or https, with a host)."""
    return bool(safe_url(url)) and safe_url(url) == clean_url(url)


def is_public_address(address: str) -> bool:
    """Whether an IP address is on the public Internet: not loopback, private, link-local (cloud metadata
    services live at 169.254.169.254), multicast, reserved or unspecified."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
