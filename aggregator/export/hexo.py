"""An article as a Hexo post: YAML front matter in the seed's shape, then the body.

The target is the real post in ``shared/seeds``: single-quoted ``title``, a ``categories`` list
(group / site / feed), ``headimg`` and ``thumbnail`` (the cover), ``author``, ``comments: false`` and
``date``, then the article HTML inside ``<div>…</div>``.

Decisions that are not obvious:

* Dates are written as ``YYYY-MM-DD HH:mm:ss`` wall-clock time in ``TIMEZONE`` because Hexo reads a
  zone-less front-matter date as wall-clock time in its own ``timezone`` setting. Set both to the same zone.
  ``POST_DATE_FORMAT = "rfc822"`` writes the seed's ``Thu, 28 Apr 2022 05:30:54 GMT`` instead.
* The HTML body is written on a single line. Markdown (marked) passes an HTML block through untouched only
  until the first blank line; after it, text would be read as Markdown (``*`` as emphasis, indented lines
  as code). Newlines inside ``<pre>`` become ``&#10;`` so that code keeps its lines.
* Hexo runs every post through Nunjucks, so a body containing ``{{``, ``{%`` or ``{#`` would be evaluated or
  break the build. Such posts get ``disableNunjucks: true``, which makes Hexo skip that step for them.
* Images follow ``IMAGES_MODE`` (see ``aggregator.export.images``). Remote images keep
  ``referrerpolicy="no-referrer"`` (``IMAGE_REFERRER_POLICY``) because ZAKER's hosts refuse a foreign
  ``Referer``; in ``proxy`` mode ``IMAGE_PROXY`` (the seed's CORS worker) is put before every image URL, the
  cover included; in ``download`` mode the exporter passes the local copies (:class:`LocalImages`).
* A post-asset body refers to its images with ``{% asset_path %}`` tags, which need Nunjucks: such a body
  cannot use ``disableNunjucks``, so its own ``{{``, ``{%`` and ``{#`` are written as ``&#123;…`` instead —
  HTML shows the same character, and Nunjucks no longer sees a template.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import frontmatter
import lxml.html
from itemadapter import ItemAdapter
from lxml import etree

from aggregator import settings as project_defaults
from aggregator.export.front_matter import QuotedStr, front_matter_yaml
from aggregator.export.images import ImageSettings, LocalImages, asset_tag
from aggregator.export.sanitize import parse_fragment
from aggregator.web.safety import safe_url

DEFAULT_FRONT_MATTER: dict[str, str] = {
    "title": "title",
    "categories": "categories",
    "headimg": "cover",
    "author": "author",
    "comments": "comments",
    "date": "published",
    "thumbnail": "cover",
    "tags": "tags",
    "updated": "updated",
    "link": "url",
}
"""Front-matter key → article field, in the order written. The seed's keys first, then ours."""

ARTICLE_FIELDS = frozenset(
    {"title", "categories", "cover", "author", "comments", "published", "updated", "tags", "url",
     "summary", "site", "feed", "guid", "cover_thumbnail"}
)  # fmt: skip
"""Fields a front-matter key may take its value from (``comments`` is the ``POST_COMMENTS`` setting;
``cover_thumbnail`` is the downloaded cover's ``IMAGES_COVER_THUMB`` thumbnail, else the cover)."""

_NUNJUCKS_MARKERS = re.compile(r"\{[{%#]")


@dataclass(frozen=True)
class PostFormat:
    """How posts are written; built from settings by :meth:`from_settings`."""

    # Without from_settings (tests, aggregator extract), the project's defaults: declared in settings.py only.
    timezone: tzinfo = field(default_factory=lambda: ZoneInfo(project_defaults.TIMEZONE))
    front_matter: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_FRONT_MATTER))
    date_format: str = project_defaults.POST_DATE_FORMAT
    body_format: str = project_defaults.POST_BODY_FORMAT
    comments: bool = project_defaults.POST_COMMENTS
    images_mode: str = project_defaults.IMAGES_MODE
    image_proxy: str = project_defaults.IMAGE_PROXY
    referrer_policy: str = project_defaults.IMAGE_REFERRER_POLICY

    @classmethod
    def from_settings(cls, settings: Any) -> PostFormat:
        front_matter = settings.getdict("POST_FRONT_MATTER") or dict(DEFAULT_FRONT_MATTER)
        unknown = sorted(set(front_matter.values()) - ARTICLE_FIELDS)
        if unknown:
            raise ValueError(
                f"POST_FRONT_MATTER names unknown article fields {unknown}; use {sorted(ARTICLE_FIELDS)}"
            )
        date_format = settings["POST_DATE_FORMAT"]
        if date_format not in ("hexo", "rfc822"):
            raise ValueError(f"POST_DATE_FORMAT must be 'hexo' or 'rfc822', not {date_format!r}")
        body_format = settings["POST_BODY_FORMAT"]
        if body_format not in ("html", "markdown"):
            raise ValueError(f"POST_BODY_FORMAT must be 'html' or 'markdown', not {body_format!r}")
        images = ImageSettings.from_settings(settings)
        return cls(
            timezone=load_timezone(settings["TIMEZONE"]),
            front_matter=front_matter,
            date_format=date_format,
            body_format=body_format,
            comments=settings.getbool("POST_COMMENTS"),
            images_mode=images.mode,
            image_proxy=images.proxy,
            referrer_policy=settings["IMAGE_REFERRER_POLICY"],
        )


def load_timezone(name: str) -> ZoneInfo:
    """The IANA zone named by ``TIMEZONE``, with an error that says which setting is wrong."""
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError) as error:
        raise ValueError(f"TIMEZONE={name!r} is not an IANA time zone name (e.g. Asia/Shanghai)") from error


def format_date(value: datetime, fmt: PostFormat) -> datetime | str:
    """A date as Hexo should read it (see the module docstring)."""
    if value.tzinfo is None:
        raise ValueError("article dates must be timezone-aware")
    if fmt.date_format == "rfc822":
        return value.astimezone(ZoneInfo("UTC")).strftime("%a, %d %b %Y %H:%M:%S GMT")
    try:
        return value.astimezone(fmt.timezone).replace(tzinfo=None, microsecond=0)
    except OverflowError:  # 9999-12-31 23:00 UTC is past datetime's range in UTC+8: keep the UTC wall clock
        return value.astimezone(ZoneInfo("UTC")).replace(tzinfo=None, microsecond=0)


def proxied(url: str, fmt: PostFormat) -> str:
    """``url`` behind ``IMAGE_PROXY`` in ``proxy`` mode, unless it is behind it already."""
    if fmt.images_mode != "proxy" or not url or not fmt.image_proxy or url.startswith(fmt.image_proxy):
        return url
    return fmt.image_proxy + url


def front_matter(article: Any, fmt: PostFormat, local: LocalImages | None = None) -> dict[str, Any]:
    """The front-matter mapping of an article, empty values left out (``comments`` is always written)."""
    adapter = ItemAdapter(article)
    values: dict[str, Any] = {}
    for key, source in fmt.front_matter.items():
        if source == "comments":
            values[key] = fmt.comments
            continue
        if source in ("cover", "cover_thumbnail"):
            local_url = (local.cover if source == "cover" else local.cover_thumbnail) if local else ""
            cover = local_url or proxied(safe_url(adapter.get("cover")), fmt)
            if cover:
                values[key] = QuotedStr(cover)
            continue
        value = adapter.get(source)
        if source == "url":
            value = safe_url(value)  # themes link a post's title to it: never javascript: or data:
        if value in (None, "", []):
            continue
        if isinstance(value, datetime):
            value = format_date(value, fmt)
        elif source in ("title", "url"):
            value = QuotedStr(value)
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        values[key] = value
    return values


_PRE_BLOCK = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_SPACE_AROUND_BLOCKS = re.compile(
    r" ?(</?(?:p|div|section|article|h[1-6]|ul|ol|li|dl|dt|dd|figure|figcaption|table|caption|thead|tbody"
    r"|tfoot|tr|td|th|blockquote|hr|br|details|summary)\b[^>]*>) ?",
    re.IGNORECASE,
)


def _collapse(markup: str) -> str:
    return _SPACE_AROUND_BLOCKS.sub(r"\1", _WHITESPACE.sub(" ", markup))


def _html_on_one_line(root: etree._Element) -> str:
    """Serialise without literal newlines: ``&#10;`` inside ``<pre>``; outside it, white space runs (which
    HTML collapses anyway) become one space, and none is kept around block tags."""
    markup = lxml.html.tostring(root, encoding="unicode")
    pieces: list[str] = []
    position = 0
    for match in _PRE_BLOCK.finditer(markup):
        pieces.append(_collapse(markup[position : match.start()]))
        pieces.append(match.group(0).replace("\r", "").replace("\n", "&#10;"))
        position = match.end()
    pieces.append(_collapse(markup[position:]))
    markup = "".join(pieces).strip()
    return markup[5:-6] if markup.startswith("<div>") and markup.endswith("</div>") else markup


_ASSET_PLACEHOLDER = 'src="aggregator-asset-{nonce}:([^"\\s<>]+)"'
"""Where an asset tag goes, marked with a random nonce per post: article text that happens to read
``src="aggregator-asset:…"`` (hostile or not) can never guess it and become a live ``{% asset_path %}``."""


def escape_template_markers(markup: str) -> str:
    """Template delimiters with their brace as a character reference (``{%`` → ``&#123;%``, ``#}`` →
    ``#&#125;``): HTML shows the same text, Nunjucks sees no template. Closers count too: once a body holds a
    tag, Nunjucks parses all of it, and a lone ``#}`` is a fatal "unexpected end of comment"."""
    return re.sub(r"(?<=[}%#])\}", "&#125;", re.sub(r"\{(?=[{%#])", "&#123;", markup))


def render_body(body_html: str, fmt: PostFormat, local: LocalImages | None = None) -> str:
    """The post body: the clean HTML in a ``<div>`` block (default) or Markdown.

    Downloaded images (``local``) get their local ``src`` and no ``referrerpolicy`` (it is our own file);
    every other image stays remote, behind the proxy in ``proxy`` mode.
    """
    if not body_html.strip():
        return "<div>\n</div>\n" if fmt.body_format == "html" else ""
    root = parse_fragment(body_html)
    asset_tags = bool(local and local.asset_tags and fmt.body_format == "html")
    nonce = secrets.token_hex(8)
    for img in root.iter("img"):
        src = img.get("src", "")
        if local and src in local.body:
            # A placeholder, because lxml would percent-escape the tag's braces and spaces inside src.
            img.set("src", f"aggregator-asset-{nonce}:{local.body[src]}" if asset_tags else local.body[src])
            img.attrib.pop("referrerpolicy", None)
            continue
        img.set("src", proxied(src, fmt))
        if fmt.referrer_policy:
            img.set("referrerpolicy", fmt.referrer_policy)
    if fmt.body_format == "markdown":
        # Imported here: markdownify (and BeautifulSoup) cost every crawl's start-up, and few blogs use it.
        from aggregator.export.markdown import to_markdown

        return to_markdown(lxml.html.tostring(root, encoding="unicode"))
    markup = _html_on_one_line(root).strip()
    if asset_tags:
        markup = re.sub(
            _ASSET_PLACEHOLDER.format(nonce=nonce),
            lambda match: f'src="{asset_tag(match.group(1))}"',
            escape_template_markers(markup),
        )
    return f"<div>\n{markup}\n</div>\n"


def render_post(article: Any, fmt: PostFormat, local: LocalImages | None = None) -> str:
    """The whole text of the post file; ``local`` says where downloaded images are (``download`` mode)."""
    body_html = ItemAdapter(article).get("body_html") or ""
    body = render_body(body_html, fmt, local)
    metadata = front_matter(article, fmt, local)
    uses_asset_tags = bool(local and local.asset_tags and fmt.body_format == "html")
    if not uses_asset_tags and _NUNJUCKS_MARKERS.search(body):
        metadata["disableNunjucks"] = True
    post = frontmatter.Post(body, **metadata)
    return frontmatter.dumps(post, handler=_POST_YAML) + "\n"


class _PostYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter's layout (``---`` lines, a blank line, the body) around our front matter YAML."""

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return front_matter_yaml(metadata)


_POST_YAML = _PostYAMLHandler()
