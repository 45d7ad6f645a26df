"""Site-agnostic rules for what Chinese (and English) portals put *inside* the article box but is not article.

trafilatura finds the article box well, but on Chinese portals it keeps what the CMS prints in the same box:
the desk editor (``责任编辑：…``), the 来源/发布时间/浏览次数 line, share bars (分享到 微信 微博), "扫一扫"
QR-code captions, "点击查看大图" links, comment and read counters (跟帖 123, 阅读 1.2万), tool links
(【纠错】【打印】【关闭】), pagers, ``（完）``, 相关阅读/推荐阅读 lists and copyright footers. None of it is
what a reader subscribed to, and at the end of a post it reads as clutter.

Every rule matches a *whole, short* block: the patterns name things a sentence of news never consists of,
and the length limits keep a real paragraph that merely mentions 版权 or 编辑 safe. Images are judged by what
they are for (logo, icon, avatar, QR code, spinner), from their address, alt text, class and declared size.
"""

from __future__ import annotations

import re

from lxml import etree

BLOCKS = ("p", "div", "section", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption",
          "td", "span", "center", "font", "em", "strong", "a", "table", "ul", "ol", "dl")  # fmt: skip
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
"""The heading tags, largest first."""
_BRACKETS = "【】[]〔〕「」『』（）()<>《》|·•・:：,，、 \u3000\xa0\t\r\n-—_"

_EDITOR = re.compile(
    r"^[（(【\[]?\s*(责任编辑|责编|编辑|值班编辑|文字编辑|网络编辑|审核|审校|校对|监制|编审|终审|美编)\s*[:：]?[^。！？]{0,30}"
    r"[)）】\]]?$"
)
_META = re.compile(r"(发布时间|发布日期|时间|来源|浏览次数|阅读次数|点击数|访问量|字号|作者)\s*[:：]")
_SOURCE_LINE = re.compile(
    r"^[（(▲△]?\s*(来源|稿源|转自|本文来源|文章来源|新闻来源|信息来源|消息来源|资料来源|内容来源|图片来源|图源|图片来自"
    r"|视频来源)\s*[:：]?[^。！？]{0,30}[)）]?[。.]?$"
)
# The header and footer a BBS (水木, 未名空间, 北大未名, other Firebird-style boards) writes around each post:
# 发信人/标 题/发信站 lines, the "--" that opens the signature, the ※ 来源/※ 修改 line.
_BBS_LINE = re.compile(r"^(发信人|寄信人|标题|发信站|转信站)[:：]|^※(来源|修改|转载|转寄)|^--$")
_ORIGINAL_TITLE = re.compile(r"^[（(【\[]?\s*(原标题|原题|本文原标题)\s*[:：为]")
_DISCLAIMER = re.compile(
    r"^[【\[（(]?\s*(特别声明|免责声明|声明|版权声明|Disclaimer|Notice)\s*[】\]）)]?\s*[:：]", re.IGNORECASE
)
_BREADCRUMB = re.compile(r"^(您所在的位置|您现在的位置|您的位置|当前位置|所在位置)\s*[:：]?")
_SHARE = re.compile(
    r"^(分享到|分享至|分享|扫一扫|扫码|微信扫一扫|长按|打开APP|下载客户端|下载APP|关注我们|点击关注|\+?关注)"
    r"|二维码|公众号$|(APP|App|客户端)$|(发送|推荐|转发)给(朋友|好友)|打印(本文|此文|本页)"
)
# Promotion a CMS prints inside the article box: "…邀您看新闻", "火爆招商信息", "招商加盟热线".
_PROMOTION = re.compile(r"邀您|诚邀|火爆招商|招商信息|招商加盟|加盟热线|广告位|赞助商|广告合作")
_UI_WORDS = frozenset(
    """
    点击查看 点击查看大图 查看大图 点击查看全文 查看全文 展开全文 阅读全文 阅读原文 查看原文
    返回顶部 打印本页 打印本文 打印 关闭窗口 关闭本页 关闭 纠错 收藏 上一页 下一页 上一篇 下一篇 首页 尾页
    看新闻 读新闻 评新闻 发送给朋友 推荐给朋友 复制本文链接 保存本文
    完 END 微信 新浪微博 微博 QQ空间 QQ 豆瓣 朋友圈 复制链接 举报 字号 大 中 小
    点击查看更多评论 点击查看全部评论 查看评论 发表评论 我要评论 进入讨论区
    """.split()  # noqa: SIM905 (a word list reads best as words)
)
DATE_ONLY = re.compile(
    r"^[\[\(（【]?\d{2,4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?(\s*\d{1,2}:\d{2}(:\d{2})?)?[\]\)）】]?$"
)
_SENTENCE = re.compile(r"[，。！？；]")
# "14.06.2019 (ch)": a date and the editor's initials, the German desk's signature under a short item.
_DATE_INITIALS = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}\s*\(\w{1,4}\)$")
_DATED = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}")
_COUNTER = re.compile(
    r"^(跟帖|评论|阅读|点赞|在看|收藏|转发|浏览|参与|赞)\s*[(（]?\s*[\d.,]+\s*(万|千|条|人|次)?[)）]?"
)
_COPYRIGHT = re.compile(
    r"版权所有|^\s*Copyright\b|\bCopyright\s*(?:©|\(c\)|\d{4})|©|ICP[备证]|All Rights Reserved"
    r"|未经.{0,8}(?:授权|许可|同意).{0,16}(?:转载|复制|摘编|镜像|使用|引用|传播)"
    r"|违法和不良信息举报|网站标识码|如有侵权|仅提供信息存储服务",
    re.IGNORECASE,
)
"""A copyright notice: the word opens the line or stands before ``©`` or a year; in a sentence ("Images may
be subject to additional copyrights") it is the text of terms of use, not a footer. "未经…授权" is one when
copying is what it forbids (未经授权不得转载), not in a law that speaks of authorisation."""
_RELATED = re.compile(
    r"^(相关阅读|相关新闻|相关稿件|相关文章|相关链接|相关报道|推荐阅读|延伸阅读|热点推荐|热门推荐|热门文章|更多精彩|猜你喜欢"
    r"|热门排行|排行榜|24小时热点|你可能感兴趣|为您推荐|精彩推荐|Related|More from|Read more|Recommended)",
    re.IGNORECASE,
)
_ENGLISH_UI = re.compile(
    r"^(share (this|on)|sign up for|subscribe|advertisement|\d+ comments?$|log in to comment|follow us)",
    re.IGNORECASE,
)
_ENGLISH_TOOLBAR = re.compile(
    r"(?:(?:e-?mail(?: this| to a friend)?|print(?:er[- ]friendly|able| this)?|share|tweet|save|bookmark"
    r"|opinions?|comments?)(?:\s+(?:article|story|page|version))?[\s|·•/]*){2,}",
    re.IGNORECASE,
)
"""A line of nothing but an article's tools, two or more: "email to a friend   printer friendly   opinions",
"Print this article | Share", the English of 【打印】【关闭】. One word alone may be a term ("Comments:" in a
manual)."""
_PHOTO_CREDIT = re.compile(
    r"^[(\[]?\s*(?:(?:photo|image|picture|illustration|foto|bild)(?:\s*\(cc\))?\s*(?:credits?)?|credits?"
    r"|crédits?(?:\s+photo)?)\s*:"
    r"|^[(\[]?\s*(?:reuters|ap|afp|epa|dpa|getty images|shutterstock(?:\.com)?|ap photo(?:/[^)\]]*)?)"
    r"\s*[)\]]?$"
    r"|^\([^()]{1,50}\bphotography\)$"
    r"|^(?:photo(?:graph)?|portrait|illustration|image|picture)s?\s+(?:by|courtesy of)\s+[^.!?]{1,50}\.?$",
    re.IGNORECASE,
)
"""A photo credit on a line of its own: "(Credit: X / Grist)", "Photo Credit: X", "Bild: X /
Shutterstock.com", "Image: YouTube", "Portrait by X", an agency alone ("Reuters", "(AP Photo/X)"), a
studio "(X Photography)". A caption that says what the picture shows is no credit ("Image shows the 50
states by area.")."""
PHOTO_CREDIT_MAX = 60
"""Characters (white space aside) above which a line is a caption, not a credit alone."""


def is_photo_credit(text: str) -> bool:
    """Whether a whole block is a photo credit (``_PHOTO_CREDIT``). Unlike the other rules, not for a word
    of running text: "The details come to us from <a>Reuters</a>:" keeps its agency."""
    return len(squeeze(text)) <= PHOTO_CREDIT_MAX and bool(_PHOTO_CREDIT.search(text.strip()))


_DATELINE = re.compile(
    r"^(?:(?:First|Last) (?:published|updated|modified)|Published|Updated|Posted|Modified|Veröffentlicht"
    r"|Aktualisiert|Zuletzt aktualisiert|Publié|Mis à jour)\b"
)
_DATE_WORDS = frozenset(
    """
    on at am pm um uhr le à by von par jan feb mar apr may jun jul aug sep sept oct nov dec january february
    march april june july august september october november december januar februar märz mai juni juli
    oktober dezember janvier février mars avril juin juillet août septembre octobre novembre décembre
    """.split()  # noqa: SIM905 (a word list reads best as words)
)


def _is_dateline(text: str) -> bool:
    """A date line (``Published: 10:00am, 20 Jan, 2020``, ``Veröffentlicht am 14.06.2019``, ``Posted on
    March 3, 2021 by admin``): capitalised, with a date, and besides date words at most two others (an
    author's name). "… a commentary published on Nov. 1." ends a sentence: no date line."""
    line = " ".join(text.split())
    start = _DATELINE.match(line)
    if start is None or line.endswith(".") or not any(char.isdigit() for char in line):
        return False
    words = re.findall(r"[^\W\d_]+", line[start.end() :])
    return sum(1 for word in words if word.lower() not in _DATE_WORDS) <= 2


_NOISE_IMAGE = re.compile(
    r"logo|icon|avatar|head_?img|头像|qr_?code|qrcode|erweima|二维码|weixin|wechat|share|loading|spinner|sprite"
    r"|blank\.gif|placeholder|/ads?/|banner|/emoji|count\.gif|pixel|ewm\d*\.|/css\d*/|/templates?/|/skins?/"
    r"|(^|[/_-])(ic|ico|icn|btn|bt|but|button)[_-]\w*\.(gif|png|svg)\b",
    re.IGNORECASE,
)
_STYLE_SIZE = re.compile(r"(?:^|;)\s*(?:width|height)\s*:\s*(\d+)px", re.IGNORECASE)


def squeeze(text: str) -> str:
    """Text without white space, for comparing blocks with patterns and titles."""
    return "".join((text or "").split())


NOISE_TEXT_MAX = 300
"""Characters (white space aside) above which no block is noise text: every rule below is for less."""


def is_noise_text(text: str) -> bool:
    """Whether a whole block's text is portal chrome rather than article (see the module docstring)."""
    flat = squeeze(text)
    if not flat or len(flat) > NOISE_TEXT_MAX:
        return False
    if len(flat) <= 40 and (_EDITOR.match(flat) or _SOURCE_LINE.match(flat)):
        return True
    if (len(flat) <= 100 and _ORIGINAL_TITLE.match(flat)) or (len(flat) <= 40 and _BREADCRUMB.match(flat)):
        return True
    if len(flat) <= 120 and _BBS_LINE.match(flat):
        return True
    if len(flat) <= 300 and _DISCLAIMER.match(text.strip()):
        return True
    if len(flat) <= 100 and len(_META.findall(text)) >= 2:
        return True
    if len(flat) <= 60 and _DATED.match(flat) and _META.search(text) and not _SENTENCE.search(flat):
        return True
    if len(flat) <= 30 and (_SHARE.search(flat) or _COUNTER.match(flat) or _PROMOTION.search(flat)):
        return True
    if len(flat) <= 160 and _COPYRIGHT.search(text):
        return True
    if len(flat) <= 60:
        stripped = text.strip()
        if _ENGLISH_UI.match(stripped) or _ENGLISH_TOOLBAR.fullmatch(stripped) or _is_dateline(text):
            return True
    if len(flat) <= 24 and _DATE_INITIALS.match(flat):
        return True
    if len(flat) > 60:
        return False
    pieces = [piece for piece in re.split(r"[【】\[\]〔〕|·•\s\u3000\xa0]+", text) if piece.strip("（）()")]
    return bool(pieces) and all(_is_noise_piece(piece) for piece in pieces)


def _is_noise_piece(piece: str) -> bool:
    """One bracketed or spaced piece of a tool bar: 【纠错】, 【打印】, 【责任编辑:刘甲】, 3."""
    core = piece.strip(_BRACKETS)
    return (
        not core
        or core in _UI_WORDS
        or core.isdigit()
        or bool(_EDITOR.match(piece))
        or bool(_COUNTER.match(core))
    )


_TRAILING_CREDIT = re.compile(
    r"(?<=[。！？”’」』…!?.])\s*[（(【\[]\s*(责任编辑|责编|编辑|完)\s*[:：]?\s*[^（）()【】\[\]。]{0,20}[)）】\]]\s*$"
)


def strip_trailing_credit(text: str) -> str:
    """A sentence without the editor credit or end mark a CMS glued to it: ``…增加。（责任编辑：李华）``.

    Only text that ends in a closing bracket can hold one; the pattern (a look-behind tried at every
    position) is not run on the rest, which is nearly every text of a page.
    """
    end = text.rstrip()[-1:]
    return _TRAILING_CREDIT.sub("", text) if end and end in ")）】]" else text


_CALL_TO_READ = re.compile(
    r"^\[?\s*(?:read|learn|see|find out|discover)\s+more\b|^\[\s*(?:read|see|watch|related|more)\s*:",
    re.IGNORECASE,
)
CALL_TO_READ_MAX = 160
"""Characters (white space aside) of a "[Read: …]" line: a headline's length, not a paragraph's."""


def is_call_to_read(text: str, element: etree._Element) -> bool:
    """Whether a whole block (``element``, whose text is ``text``) is a link that sends the reader elsewhere:
    "Learn more about Web Console", "Read more", "[Read: Why Tunisia … suffers from Islamist violence]"
    (another article of the site), mostly a link. Such a line in the middle of a story names another page;
    it says nothing itself. A line that opens with such a link is one too, whatever follows ("<a>Read more
    about IT Leadership</a> in Computerworld's IT Leadership Topic Center.")."""
    text = text.strip()
    return (
        bool(_CALL_TO_READ.match(text))
        and len(squeeze(text)) <= CALL_TO_READ_MAX
        and (link_share(element) >= 0.5 or _opens_with_call_to_read(element))
    )


def _opens_with_call_to_read(element: etree._Element) -> bool:
    """Whether ``element`` begins with a link (no text before it) whose own text is a call to read."""
    first = next(element.iter("a"), None)
    if first is None or first is element:
        return False
    for node in element.iter():
        if node is first:
            return bool(_CALL_TO_READ.match(first.text_content().strip()))
        opens_before = isinstance(node.tag, str) and (node.text or "").strip()
        closes_before = (
            node is not element and (node.tail or "").strip() and first not in node.iterdescendants()
        )
        if opens_before or closes_before:
            return False
    return False


def is_related_heading(text: str) -> bool:
    """A heading that opens a list of other articles (相关阅读, 推荐阅读, Related …)."""
    flat = squeeze(text)
    return 0 < len(flat) <= 24 and bool(_RELATED.match(flat if not flat.isascii() else text.strip()))


def is_noise_image(img: etree._Element) -> bool:
    """Logos, icons, avatars, QR codes, spinners and pixels: images that belong to the page, not the story."""
    described = " ".join(img.get(name) or "" for name in ("src", "alt", "class", "id", "title"))
    if _NOISE_IMAGE.search(described):
        return True
    for size in ("width", "height"):
        value = (img.get(size) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 80:
            return True
    return any(int(size) < 80 for size in _STYLE_SIZE.findall(img.get("style") or ""))


def names(element: etree._Element) -> str:
    """An element's class and id, for the rules that go by what a page calls its blocks."""
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def in_page_order(chosen: set[etree._Element], elements: list[etree._Element]) -> list[etree._Element]:
    """The chosen elements in the order of ``elements`` (a page's elements, in page order)."""
    return [element for element in elements if element in chosen]


def link_share(element: etree._Element) -> float:
    """The share of an element's text that sits inside links (1.0: a list of headlines)."""
    if element.tag != "a" and element.find(".//a") is None:
        return 0.0  # asked of every cell of a table: most hold no link, and their text need not be read
    total = len(squeeze(element.text_content()))
    if not total:
        return 0.0
    linked = sum(len(squeeze(a.text_content())) for a in element.iter("a"))
    return min(1.0, linked / total)
