# ruff: noqa: E501  (HTML page templates: one line of markup reads better than a wrapped one)
"""Build the generic-path benchmark pages: real article text inside portal page layouts.

Why generated pages: no complete raw Chinese news page with an open licence and hand-checked body text could
be copied into this repository (see README.md). The body text is real (``sources/``, verbatim excerpts of
published articles); the page around it is written here, modelled on the layouts Chinese portals use and
carrying their typical noise: editor lines, 来源 lines, share bars, 相关阅读/推荐阅读 lists, copyright footers,
QR-code captions, "点击查看" links, comment counts, logos, avatars, tracking pixels, list pages, very short
articles and articles split into many ``<p>`` inside tables.

Held-out pages use *other* layouts and *other* source articles than the tuning pages, and their layouts were
written before the extractor was tuned. Output is deterministic (seeded), so the committed pages are
reproducible: ``python bench/extraction_data/generate.py`` rewrites ``pages/``, ``gold/`` and
``manifest.json``.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = HERE / "sources"

TUNING_SOURCES = ("zh_netease_01", "zh_netease_03", "zh_netease_04")
HELD_OUT_SOURCES = ("zh_netease_02", "zh_netease_05")
ENGLISH_SOURCES = ("en_nytimes", "en_ctpost", "en_venturebeat")
CHUNK_SIZES = (4, 1, 3, 5, 2, 3)


@dataclass
class Body:
    """One article: its paragraphs (the gold text) and the in-body images (the gold images)."""

    title: str
    paragraphs: list[str]
    images: list[str] = field(default_factory=list)
    lazy: bool = False


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def title_of(paragraph: str, english: bool) -> str:
    if english:
        words = paragraph.split()
        return " ".join(words[:9]).rstrip(",.;:")
    return re.sub(r"[，。：；！？、（）“”《》]", "", paragraph)[:20]


def chunks(paragraphs: list[str]) -> list[list[str]]:
    out, index, turn = [], 0, 0
    while index < len(paragraphs):
        size = CHUNK_SIZES[turn % len(CHUNK_SIZES)]
        out.append(paragraphs[index : index + size])
        index += size
        turn += 1
    return out


def img_tag(src: str, lazy: bool) -> str:
    if lazy:
        return f'<img src="/static/loading.gif" data-src="{src}" alt="">'
    return f'<img src="{src}" alt="" width="640" height="400">'


def body_paragraphs(body: Body, tag: str = "p", indent: str = "") -> str:
    """Paragraphs with the images after the first and third paragraph, as portals place them."""
    parts, pending = [], list(body.images)
    for number, paragraph in enumerate(body.paragraphs):
        parts.append(f"<{tag}>{indent}{esc(paragraph)}</{tag}>")
        if number in (0, 2) and pending:
            parts.append(f'<p style="text-align:center">{img_tag(pending.pop(0), body.lazy)}</p>')
    parts.extend(f'<p style="text-align:center">{img_tag(src, body.lazy)}</p>' for src in pending)
    return "\n".join(parts)


def nav(rng: random.Random, items: tuple[str, ...]) -> str:
    links = "".join(f'<li><a href="/{i}/">{esc(name)}</a></li>' for i, name in enumerate(items))
    return f'<div class="nav"><ul>{links}</ul></div>'


def related(rng: random.Random, heading: str, count: int) -> str:
    titles = [
        "国务院常务会议部署进一步扩大内需", "多地出台措施稳定就业", "央行：保持流动性合理充裕",
        "新能源汽车下乡活动启动", "全国夏粮收购进度过半", "暑期旅游市场持续升温", "科创板开市四周年回顾",
        "城市更新行动取得积极进展", "教育部部署高校毕业生就业工作", "长三角一体化发展再提速",
    ]  # fmt: skip
    rng.shuffle(titles)
    links = "".join(
        f'<li><a href="/news/{rng.randint(10000, 99999)}.html">{t}</a><span>0{rng.randint(1, 9)}-1{rng.randint(0, 9)}</span></li>'
        for t in titles[:count]
    )
    return f"<h3>{heading}</h3><ul>{links}</ul>"


NOISE_IMAGES = (
    '<img src="https://static.example.cn/images/logo.png" alt="网站标志" class="logo">',
    '<img src="https://static.example.cn/images/qrcode_weixin.jpg" alt="二维码">',
    '<img src="https://stat.example.cn/count.gif?id=1" width="1" height="1">',
    '<img src="https://static.example.cn/icons/share_wechat.png" width="24" height="24" alt="微信">',
)


def page(title: str, head_extra: str, body: str, charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
        f"<title>{esc(title)}_新闻中心</title>{head_extra}"
        '<script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");})();</script>'
        f"</head>\n<body>\n{body}\n</body></html>\n"
    )


# ---------------------------------------------------------------- tuning layouts


def layout_portal_endtext(body: Body, rng: random.Random) -> str:
    """A portal article: 来源 line, #endText body with an editor line, share bar, 相关阅读, comments, footer."""
    return page(
        body.title,
        '<meta name="keywords" content="新闻">',
        f"""{nav(rng, ("首页", "新闻", "财经", "科技", "体育", "娱乐", "汽车", "房产"))}
<div class="logo-bar">{NOISE_IMAGES[0]}<a href="/">新闻中心</a></div>
<div class="post_content_main" id="epContentLeft">
<h1>{esc(body.title)}</h1>
<div class="post_time_source">2015-06-2{rng.randint(0, 9)} 08:1{rng.randint(0, 9)}:00　来源: <a href="#">21世纪经济报道</a></div>
<div class="post_body"><div class="post_text" id="endText">
{body_paragraphs(body)}
<p>（责任编辑：王晓 NN{rng.randint(100, 999)}）</p>
</div>
<div class="ep-share">分享到：<a href="#">微信</a> <a href="#">新浪微博</a> <a href="#">QQ空间</a> {NOISE_IMAGES[3]}</div>
<div class="related">{related(rng, "相关阅读", 5)}</div>
<div class="tie-info">跟帖 {rng.randint(10, 9999)} 条 <a href="#">参与 {rng.randint(1000, 99999)} 人</a> <a href="#">点击查看全部评论</a></div>
</div></div>
<div class="side">{related(rng, "热门排行", 8)}</div>
<div class="footer">{NOISE_IMAGES[2]}<p>Copyright © 1997-2015 版权所有 不得转载</p><p>京ICP证000000号</p></div>""",
    )


def layout_gov_table(body: Body, rng: random.Random) -> str:
    """A government site: the article split into many <p> inside table cells, print/close links, QR caption."""
    rows = "\n".join(f'<tr><td class="bt_content"><p>　　{esc(p)}</p></td></tr>' for p in body.paragraphs)
    images = "".join(f'<tr><td align="center">{img_tag(src, body.lazy)}</td></tr>' for src in body.images)
    return page(
        body.title,
        "",
        f"""<table width="1000" align="center"><tr><td>{NOISE_IMAGES[0]}</td><td>{nav(rng, ("首页", "政务公开", "政务服务", "互动交流"))}</td></tr></table>
<table width="1000" align="center" class="main"><tr><td>
<table width="100%"><tr><td class="title"><h2>{esc(body.title)}</h2></td></tr>
<tr><td class="info">发布时间：2015-06-1{rng.randint(0, 9)}　来源：市发展改革委　浏览次数：{rng.randint(100, 9999)}</td></tr>
{rows}
{images}
<tr><td align="right">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</td></tr>
</table></td>
<td width="200" valign="top">{NOISE_IMAGES[1]}<p>扫一扫在手机打开当前页</p></td></tr></table>
<table width="1000" align="center" class="footer"><tr><td>主办：市人民政府办公厅　版权所有 © 2015<br>网站标识码 0000000000　ICP备00000000号</td></tr></table>""",
    )


def layout_figure_caption(body: Body, rng: random.Random) -> str:
    """A portal article with 点击查看大图 links, 推荐阅读 inside the article box and a 责任编辑 paragraph."""
    images = "".join(
        f'<div class="img_wrapper">{img_tag(src, body.lazy)}<a href="#" class="zoom">点击查看大图</a></div>'
        for src in body.images
    )
    paragraphs = "\n".join(f"<p>　　{esc(p)}</p>" for p in body.paragraphs)
    return page(
        body.title,
        '<meta property="og:type" content="news">',
        f"""{nav(rng, ("新闻", "体育", "财经", "娱乐", "科技", "博客", "视频"))}
<div class="main-content w1240">
<h1 class="main-title">{esc(body.title)}</h1>
<div class="date-source"><span class="date">2015年06月1{rng.randint(0, 9)}日 10:0{rng.randint(0, 9)}</span> <a class="source">每日经济新闻</a></div>
<div class="article" id="article">
{images}
{paragraphs}
<p class="show_author">责任编辑：张{rng.choice("一二三四五")}</p>
<div class="recommend">{related(rng, "推荐阅读", 4)}</div>
</div>
<div class="article-bottom">{NOISE_IMAGES[3]} 分享到： 微博 微信 <span class="num">评论({rng.randint(0, 500)})</span> <a href="#">点击查看更多评论</a></div>
</div>
<div class="footer">新浪简介 | 广告服务 | 联系我们<br>Copyright © 1996-2015 版权所有</div>""",
    )


def layout_mobile_feed(body: Body, rng: random.Random) -> str:
    """A self-media article: short header with avatar, QR-code caption and a 阅读/点赞/评论 bar."""
    return page(
        body.title,
        '<meta name="viewport" content="width=device-width">',
        f"""<header class="top"><a href="/">{NOISE_IMAGES[0]}</a><a href="/download">打开APP</a></header>
<article class="article-content">
<h1>{esc(body.title)}</h1>
<div class="author-info"><img class="avatar" src="https://p1.example.cn/avatar/{rng.randint(100, 999)}.jpg" width="40" height="40" alt="头像"><span class="name">科技观察</span><span class="time">2015-06-2{rng.randint(0, 9)}</span><a class="follow">+关注</a></div>
<div class="article-body">
{body_paragraphs(body)}
</div>
<div class="qr">{NOISE_IMAGES[1]}<p>长按识别二维码，关注我们</p></div>
<div class="bar">阅读 {rng.randint(1, 9)}.{rng.randint(1, 9)}万 · 点赞 {rng.randint(10, 999)} · 评论 {rng.randint(1, 99)}</div>
</article>
<section class="more">{related(rng, "更多精彩", 6)}</section>""",
    )


def layout_paged_article(body: Body, rng: random.Random) -> str:
    """An article with （完）, an editor span, 【纠错】【打印】 links and a page bar."""
    return page(
        body.title,
        "",
        f"""{nav(rng, ("要闻", "国内", "国际", "财经", "评论"))}
<div id="wrapper"><div class="con_left">
<div class="h-title">{esc(body.title)}</div>
<div class="h-info">2015年06月2{rng.randint(0, 9)}日 来源：经济日报</div>
<div id="p-detail">
{body_paragraphs(body, indent="　　")}
<p>（完）</p>
<div class="page-bar"><a href="#">上一页</a> <a href="#">1</a> <a href="#">2</a> <a href="#">下一页</a></div>
<div class="p-tool">【<a href="#">纠错</a>】 【<a href="#">打印</a>】 【<a href="#">关闭</a>】 <span class="editor">【责任编辑:刘{rng.choice("甲乙丙丁")}】</span></div>
</div>
<div class="related">{related(rng, "相关新闻", 5)}</div></div>
<div class="con_right">{related(rng, "24小时热点", 10)}</div></div>
<div class="foot">{NOISE_IMAGES[2]}版权所有 本站 未经书面授权禁止使用</div>""",
    )


def layout_list_channel(_: Body, rng: random.Random) -> str:
    """A channel list page: headlines with summaries, nothing to publish."""
    items = []
    for number in range(16):
        title = rng.choice(
            ("市场监管总局通报", "多部门联合发布", "新一轮消费券发放", "高温天气持续", "地铁新线开通")
        )
        items.append(
            f'<div class="news-item"><h3><a href="/2015/06/{number}.html">{title}（{number + 1}）</a></h3>'
            f"<p>{title}，记者从有关部门获悉，相关工作正在有序推进中……</p><span>2015-06-{10 + number}</span></div>"
        )
    return page(
        "新闻频道",
        "",
        f"{nav(rng, ('首页', '国内', '国际'))}<div class='list'>{''.join(items)}</div><div class='pages'>1 2 3 下一页</div>",
    )


# ---------------------------------------------------------------- held-out layouts (written before tuning)


def layout_detail_editor(body: Body, rng: random.Random) -> str:
    """Held-out: #detail body, 【纠错】 and editor in a div, 扫码分享 QR, 相关稿件 and a copyright block."""
    return page(
        body.title,
        '<meta name="publishdate" content="2015-06-21">',
        f"""<div class="topBar">{NOISE_IMAGES[0]} <a href="#">English</a> <a href="#">客户端</a></div>
<div class="header"><h1 class="title">{esc(body.title)}</h1><div class="info"><span class="time">2015-06-21 09:3{rng.randint(0, 9)}:12</span> 来源： 新华网</div></div>
<div class="main"><div id="detail">
{body_paragraphs(body)}
<div id="articleEdit"><span class="tiyi1"><a href="#">【纠错】</a></span> <span class="editor">责任编辑: 王{rng.choice("东南西北")}</span></div>
</div>
<div class="share">扫码分享 {NOISE_IMAGES[1]}</div>
<div class="relative">{related(rng, "相关稿件", 6)}</div></div>
<div class="foot">Copyright © 2000 - 2015 All Rights Reserved. 制作单位：新闻中心 版权所有</div>""",
    )


def layout_font_table(body: Body, rng: random.Random) -> str:
    """Held-out: old CMS, body in nested tables with <font> and <br> line breaks, （责编：…） and 分享到."""
    lines = "<br>\n".join(f'<font size="3">　　{esc(p)}</font>' for p in body.paragraphs)
    images = "".join(f"<center>{img_tag(src, body.lazy)}</center>" for src in body.images)
    return page(
        body.title,
        "",
        f"""<table width="980"><tr><td>{NOISE_IMAGES[0]}</td><td>{nav(rng, ("首页", "时政", "观点", "地方", "财经", "图片"))}</td></tr></table>
<table width="980"><tr><td width="660" valign="top">
<table><tr><td><h1>{esc(body.title)}</h1></td></tr><tr><td class="p2j_text">2015年06月2{rng.randint(0, 9)}日　来源：人民网－财经频道</td></tr>
<tr><td><div class="rm_txt_con">{images}
{lines}
<div class="edit">（责编：赵{rng.choice("红蓝")}、李{rng.choice("青白")}）</div></div></td></tr></table>
<div class="share">分享到：<a href="#">人民微博</a> <a href="#">微信</a></div>
<div class="hot">{related(rng, "热点推荐", 6)}</div>
</td><td width="300" valign="top">{related(rng, "排行榜", 10)}</td></tr></table>
<div class="w1000 copyright">人民网版权所有，未经书面授权禁止使用<br>Copyright © 1997-2015 by www.example.cn. all rights reserved</div>""",
    )


def layout_wechat(body: Body, rng: random.Random) -> str:
    """Held-out: an official-account article: nested <section>/<span>, lazy images, 阅读/在看, QR at the end."""
    paragraphs = []
    for number, paragraph in enumerate(body.paragraphs):
        paragraphs.append(f'<section><span style="font-size:15px">{esc(paragraph)}</span></section>')
        if number < len(body.images):
            paragraphs.append(f"<section>{img_tag(body.images[number], True)}</section>")
    for src in body.images[len(body.paragraphs) :]:
        paragraphs.append(f"<section>{img_tag(src, True)}</section>")
    return page(
        body.title,
        '<meta property="og:title" content="' + esc(body.title) + '">',
        f"""<div id="js_article" class="rich_media"><div class="rich_media_inner">
<h1 class="rich_media_title" id="activity-name">{esc(body.title)}</h1>
<div id="meta_content"><span class="rich_media_meta">原创</span> <a id="js_name">财经观察</a> <em id="publish_time">2015-06-2{rng.randint(0, 9)}</em></div>
<div class="rich_media_content" id="js_content">
{"".join(paragraphs)}
<section><span style="color:#888">- END -</span></section>
<section>{NOISE_IMAGES[1]}<span>微信扫一扫关注该公众号</span></section>
</div>
<div class="rich_media_tool"><a id="js_view_source">阅读原文</a> 阅读 {rng.randint(1000, 99999)} <span>在看 {rng.randint(1, 99)}</span></div>
</div></div>
<div class="qr_code_pc">{NOISE_IMAGES[1]}<p>微信扫一扫<br>关注该公众号</p></div>""",
    )


def layout_list_dated(_: Body, rng: random.Random) -> str:
    """Held-out: a dated headline list in <ul>, with a pager."""
    items = "".join(
        f'<li><a href="/c/2015-06-{10 + n}/{rng.randint(1000, 9999)}.shtml">'
        f"{rng.choice(('国家统计局发布数据', '交通运输部部署', '外交部发言人答记者问', '气象台发布预警'))}（{n + 1}）</a>"
        f"<span class='date'>[2015-06-{10 + n}]</span></li>"
        for n in range(20)
    )
    return page(
        "滚动新闻",
        "",
        f"{nav(rng, ('首页', '滚动', '图片'))}<div class='main'><h2>滚动新闻</h2><ul class='list_14'>{items}</ul><div class='page'>首页 上一页 下一页 尾页</div></div>",
    )


# ---------------------------------------------------------------- English layouts


def layout_en_news(body: Body, rng: random.Random) -> str:
    paragraphs = body_paragraphs(body)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(body.title)} | The Daily</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>'
        f'<main><article><h1>{esc(body.title)}</h1><p class="byline">By Staff Reporter · Nov. 19, 2019</p>'
        f'<div class="article-body">{paragraphs}</div>'
        '<div class="share">Share this article: Facebook Twitter Email</div></article>'
        '<aside><h3>More from The Daily</h3><ul><li><a href="/a">Markets close higher</a></li>'
        '<li><a href="/b">Weather: storms expected</a></li><li><a href="/c">Opinion: what comes next</a></li></ul></aside>'
        "<div class='newsletter'>Sign up for our newsletter to get the news every morning.</div></main>"
        "<footer>© 2019 The Daily. All rights reserved. Terms of Service | Privacy Policy</footer></body></html>\n"
    )


def layout_en_blog(body: Body, rng: random.Random) -> str:
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in body.paragraphs)
    images = "".join(f"<figure>{img_tag(src, body.lazy)}</figure>" for src in body.images)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{esc(body.title)}</title><meta property="og:title" content="{esc(body.title)}"></head><body>'
        '<header><img src="https://static.example.com/logo.svg" alt="logo"> <a href="/subscribe">Subscribe</a></header>'
        f'<div class="container"><div class="post"><h1 class="entry-title">{esc(body.title)}</h1>'
        f'<div class="entry-content">{images}{paragraphs}</div>'
        f'<div class="comments"><h3>{rng.randint(2, 80)} Comments</h3><p>Log in to comment.</p></div></div>'
        '<div class="sidebar"><h4>Trending</h4><ul><li><a href="/x">Ten things to know</a></li>'
        '<li><a href="/y">The week in review</a></li></ul></div></div>'
        "<footer>Copyright 2019. Advertise with us. Contact.</footer></body></html>\n"
    )


TUNING_LAYOUTS: dict[str, Callable[[Body, random.Random], str]] = {
    "portal_endtext": layout_portal_endtext,
    "gov_table": layout_gov_table,
    "figure_caption": layout_figure_caption,
    "mobile_feed": layout_mobile_feed,
    "paged_article": layout_paged_article,
}
HELD_OUT_LAYOUTS: dict[str, Callable[[Body, random.Random], str]] = {
    "detail_editor": layout_detail_editor,
    "font_table": layout_font_table,
    "wechat": layout_wechat,
}
ENGLISH_LAYOUTS: dict[str, Callable[[Body, random.Random], str]] = {
    "en_news": layout_en_news,
    "en_blog": layout_en_blog,
}


def build_split(
    split: str,
    sources: tuple[str, ...],
    layouts: dict[str, Callable[[Body, random.Random], str]],
    list_layout: Callable[[Body, random.Random], str] | None,
    rng: random.Random,
    english: bool = False,
) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    names = list(layouts)
    turn = 0
    for source in sources:
        paragraphs = [line.strip() for line in (SOURCES / f"{source}.txt").read_text("utf-8").splitlines()]
        for number, chunk in enumerate(chunks([p for p in paragraphs if p])):
            for copy in range(2):
                layout = names[turn % len(names)]
                turn += 1
                image_count = rng.choice((0, 1, 2)) if len(chunk) > 1 else 0
                case = f"{split}_{source}_{number}_{layout}"
                images = [f"https://img.example.cn/{case}/{i}.jpg" for i in range(image_count)]
                body = Body(title_of(chunk[0], english), chunk, images, lazy=rng.random() < 0.4)
                entries.append(write(case, split, layouts[layout](body, rng), body, source, layout))
                if len(chunk) == 1 and copy == 0:
                    break
    if list_layout is not None:
        for number in range(3):
            case = f"{split}_list_{number}"
            entries.append(
                write(case, split, list_layout(Body("", []), rng), Body("", []), "none", list_layout.__name__)
            )
    return entries


def write(case: str, split: str, markup: str, body: Body, source: str, layout: str) -> dict[str, object]:
    (HERE / "pages" / f"{case}.html").write_text(markup, "utf-8")
    (HERE / "gold" / f"{case}.txt").write_text(
        "\n".join(body.paragraphs) + ("\n" if body.paragraphs else ""), "utf-8"
    )
    return {
        "case": case,
        "set": "english" if split == "en" else "chinese",
        "split": "held_out" if split in ("held", "en") else "tuning",
        "url": f"https://news.example.{'com' if split == 'en' else 'cn'}/{case}.html",
        "layout": layout,
        "source": source,
        "images": body.images,
    }


def main() -> None:
    (HERE / "pages").mkdir(exist_ok=True)
    (HERE / "gold").mkdir(exist_ok=True)
    for old in [*(HERE / "pages").glob("*.html"), *(HERE / "gold").glob("*.txt")]:
        old.unlink()
    rng = random.Random(20240601)
    entries = build_split("tune", TUNING_SOURCES, TUNING_LAYOUTS, layout_list_channel, rng)
    entries += build_split("held", HELD_OUT_SOURCES, HELD_OUT_LAYOUTS, layout_list_dated, rng)
    entries += build_split("en", ENGLISH_SOURCES, ENGLISH_LAYOUTS, None, rng, english=True)
    (HERE / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", "utf-8")
    counts: dict[str, int] = {}
    for entry in entries:
        key = f"{entry['set']}/{entry['split']}"
        counts[key] = counts.get(key, 0) + 1
    print(counts)


if __name__ == "__main__":
    main()
