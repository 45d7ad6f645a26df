"""``aggregator extract``, the generic path's boilerplate rules, and the benchmark's scoring."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import lxml.html
import pytest

from aggregator.extraction.body import drop_chrome, looks_like_list
from aggregator.extraction.boilerplate import is_noise_image, is_noise_text, is_related_heading
from aggregator.run.cli import main
from aggregator.run.extract import extract_article, site_of
from aggregator.sites.base import EmptyArticle
from aggregator.sites.generic import parse_article
from tests.fixture_server import FixtureServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
PARAGRAPHS = (
    "商务部出台《“互联网+流通”行动计划》，这是今年政府工作报告提出互联网+后，首个落实出台的专项行动计划。",
    "商务部研究院院长认为，促进好互联网+流通的作用，对于提高流通效率，促进消费都有很大的积极意义。",
    "能源互联网行动计划由国家能源局科技装备司牵头，目前正在开展前期调研，相关方案将在年内公布。",
)
PORTAL_PAGE = f"""<html><head><meta charset="utf-8"><title>商务部出台互联网流通行动计划_新闻中心</title>
</head>
<body><div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>
<div class="main"><h1>商务部出台互联网流通行动计划</h1>
<div class="article">
<p>来源：21世纪经济报道</p>
<p>{PARAGRAPHS[0]}</p><p><img src="https://img.example.cn/body.jpg" width="640" height="400"></p>
<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p>
<p>（责任编辑：王晓 NN698）</p>
<p><img src="https://static.example.cn/qrcode_weixin.jpg" alt="二维码"></p><p>扫一扫在手机打开当前页</p>
<p>【<a href="#">纠错</a>】 【<a href="#">打印</a>】 【<a href="#">关闭</a>】</p>
<h3>相关阅读</h3><ul><li><a href="/1">多地出台措施稳定就业</a></li>
<li><a href="/2">暑期旅游市场持续升温</a></li>
<li><a href="/3">全国夏粮收购进度过半</a></li></ul>
<p>Copyright © 1997-2015 版权所有 不得转载</p>
</div></div></body></html>"""


def load_bench() -> object:
    """``bench/extraction.py`` as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench" / "extraction.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- scoring


def test_tokens_count_each_cjk_character_and_each_word_run() -> None:
    bench = load_bench()
    assert bench.tokens("京东618促销 GMV达到50亿") == {
        "京": 1, "东": 1, "618": 1, "促": 1, "销": 1, "gmv": 1, "达": 1, "到": 1, "50": 1, "亿": 1,
    }  # fmt: skip


def test_score_is_multiset_overlap_and_handles_empty_gold() -> None:
    bench = load_bench()
    assert bench.score("新闻新闻", "新闻") == pytest.approx((0.5, 1.0, 2 / 3))
    assert bench.score("新闻", "新闻 正文") == pytest.approx((1.0, 0.5, 2 / 3))
    assert bench.score("", "") == (1.0, 1.0, 1.0)  # a list page correctly refused
    assert bench.score("标题 列表", "") == (0.0, 1.0, 0.0)  # a list page published as an article
    assert bench.score("", "正文")[2] == 0.0


def test_tokens_compare_composed_accents() -> None:
    """A page written with combining accents and an extractor that composes them say the same words."""
    bench = load_bench()
    assert bench.tokens("me\u0301dias") == bench.tokens("médias") == {"médias": 1}


def test_a_page_written_in_character_references_is_not_misdecoded() -> None:
    """A page may write its text as character references (``&#1605;…``): decoded right, it is no
    mis-decoded page; a page whose text is gone from it is."""
    bench = load_bench()
    arabic = "معارضون يسيطرون على مخازن للصواريخ"
    written = "".join(f"&#{ord(char)};" for char in arabic)
    page = bench.Case("x", "langs-held-out", f"<p>{written}</p>", "http://example.com/", arabic, None)
    assert not bench.misdecoded(page)
    mojibake = bench.Case("x", "langs-held-out", "<p>Ù…Ø¹Ø§Ø±Ø¶ÙˆÙ†</p>", "http://example.com/", arabic, None)
    assert bench.misdecoded(mojibake)


def test_every_held_out_page_is_in_a_guarded_set() -> None:
    """Pages split ``held_out`` in any manifest land in a set that ``--worst`` and ``--cases`` refuse to
    list page by page; the names of the benchmark's data sets say which sets those are."""
    bench = load_bench()
    for manifest in (ROOT / "bench" / "extraction_data").glob("*/manifest.json"):
        splits = {entry["split"] for entry in json.loads(manifest.read_text("utf-8"))}
        assert splits <= {"tuning", "held_out", "eval"}, manifest
    held_out = [name for name in bench.DATASETS if name.endswith("-held-out")]
    assert len(held_out) >= 8 and all(bench.is_held_out(name) for name in held_out)
    assert not any(bench.is_held_out(name) for name in bench.DATASETS if name not in held_out)
    with pytest.raises(SystemExit):  # argparse's error: held-out pages are never scored one by one
        bench.main(["--sets", "tables-held-out", "--cases", "yahoo*"])


# ---------------------------------------------------------------- boilerplate rules


@pytest.mark.parametrize(
    "line",
    [
        "（责任编辑：王晓 NN698）",
        "责编：赵红、李青",
        "来源：21世纪经济报道",
        "发布时间：2015-06-14　来源：市发展改革委　浏览次数：2969",
        "分享到：微信 新浪微博 QQ空间",
        "扫一扫在手机打开当前页",
        "长按识别二维码，关注我们",
        "点击查看大图",
        "跟帖 1234 条",
        "阅读 1.2万",
        "【纠错】 【打印】 【关闭】 【责任编辑:刘甲】",
        "（完）",
        "Copyright © 1997-2015 版权所有 不得转载",
        "Share this article: Facebook Twitter Email",
        "（原标题：“黑五”战役打响 亚马逊海外购登陆拼多多）",
        "图片来源：未来科学大奖官网",
        "▲图片来自视频截图。",
        "2015年06月24日　来源：人民网－财经频道",
        "您所在的位置：",
        "证券时报APP",
        "图片来自网络，如有侵权，请联系删除。",
        "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台“网易号”用户上传并发布，本平台仅提供信息存储服务。",
        "声明：证券时报力求信息真实、准确，文章提及内容仅供参考，不构成实质性投资建议，据此操作风险自担。",
    ],
)
def test_portal_chrome_lines_are_noise(line: str) -> None:
    assert is_noise_text(line)


@pytest.mark.parametrize(
    "line",
    [
        *PARAGRAPHS,
        "编辑部门表示，新规将于明年施行，版权保护力度进一步加大，违法者将被依法追究。",
        "2015年06月24日，国家统计局发布数据，来源：各地统计部门的调查显示物价保持平稳。",
        "声明发布后，公司股价当日上涨百分之三，市场普遍认为这一表态释放了积极信号。",
    ],
)
def test_news_sentences_are_not_noise(line: str) -> None:
    assert not is_noise_text(line)


def test_related_headings_and_noise_images() -> None:
    assert (
        is_related_heading("相关阅读")
        and is_related_heading("推荐阅读：")
        and not is_related_heading(PARAGRAPHS[0])
    )
    image = lxml.html.fragment_fromstring
    assert is_noise_image(image('<img src="https://s.example.cn/images/logo.png">'))
    assert is_noise_image(image('<img src="https://s.example.cn/a.jpg" alt="二维码">'))
    assert is_noise_image(image('<img src="https://s.example.cn/a.jpg" width="24" height="24">'))
    assert not is_noise_image(image('<img src="https://img.example.cn/2015/06/photo.jpg" width="640">'))


def test_drop_chrome_keeps_the_story_and_its_image() -> None:
    body = lxml.html.fragment_fromstring(PORTAL_PAGE.split('<div class="article">')[1], create_parent="div")
    drop_chrome(body, ("商务部出台互联网流通行动计划",))
    text = body.text_content()
    assert all(paragraph in text for paragraph in PARAGRAPHS)
    for noise in ("来源", "责任编辑", "扫一扫", "纠错", "相关阅读", "多地出台", "版权所有"):
        assert noise not in text
    assert [img.get("src") for img in body.iter("img")] == ["https://img.example.cn/body.jpg"]


def test_a_list_of_headlines_is_not_an_article() -> None:
    items = "".join(
        f'<li><a href="/n/{n}.html">国家统计局发布第{n}季度数据</a><span>[2015-06-{10 + n}]</span></li>'
        for n in range(12)
    )
    page = f"<html><head><title>滚动新闻</title></head><body><h2>滚动新闻</h2><ul>{items}</ul></body></html>"
    with pytest.raises(EmptyArticle) as error:
        parse_article(page, "https://news.example.cn/roll/")
    assert error.value.reason == "list_page"
    short = lxml.html.fragment_fromstring(f"<div><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div>")
    assert not looks_like_list(short)


def test_generic_path_on_a_portal_page() -> None:
    article = extract_article(PORTAL_PAGE, "https://news.example.cn/2015/06/1.html")
    assert article.body_text.split("\n\n") == list(PARAGRAPHS)
    assert article.image_urls == ["https://img.example.cn/body.jpg"]
    assert article.title == "商务部出台互联网流通行动计划_新闻中心" or article.title.startswith("商务部")


# ---------------------------------------------------------------- the command


def test_site_rules_are_chosen_by_url() -> None:
    assert site_of("https://www.myzaker.com/article/5aad21fa1bc8e04b1c00004b") == "zaker"
    assert site_of("https://news.cctv.com/2022/10/14/ARTIq5yJZw5sQ2kFbnJvK7cP221014.shtml") == "cctv"
    assert site_of("https://news.example.cn/a.html") == "generic"


def test_extract_a_zaker_file_with_its_url(capsys: pytest.CaptureFixture[str]) -> None:
    case = FIXTURES / "zaker" / "article_2018"
    url = json.loads((case / "expected.json").read_text("utf-8"))["url"]
    assert main(["extract", str(case / "page.html"), "--url", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 俄企前高管被吊死在家中 曾是普京的批评者\n")
    assert (
        "（原标题：英国又出命案" in out
        and "zkres1.myzaker.com/201803/5aad21f91bc8e04b1c00004a_640.jpg" in out
    )


def test_extract_a_cctv_file_as_html(capsys: pytest.CaptureFixture[str]) -> None:
    case = FIXTURES / "cctv" / "article_gaiban_anhui_rice"
    url = json.loads((case / "expected.json").read_text("utf-8"))["url"]
    assert main(["extract", str(case / "page.html"), "--url", url, "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<p>") and "高标准农田" in out and "<script" not in out


def test_extract_a_gbk_file_detects_its_charset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    declared = tmp_path / "declared.html"
    declared.write_bytes(PORTAL_PAGE.replace('charset="utf-8"', 'charset="gb2312"').encode("gb18030"))
    undeclared = tmp_path / "undeclared.html"
    undeclared.write_bytes(PORTAL_PAGE.replace('<meta charset="utf-8">', "").encode("gb18030"))
    for path in (declared, undeclared):
        assert main(["extract", str(path), "--url", "https://news.example.cn/1.html"]) == 0
        out = capsys.readouterr().out
        assert PARAGRAPHS[0] in out and PARAGRAPHS[2] in out


def test_extract_a_url_as_a_post(server: FixtureServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = server.add("/news/1.html", PORTAL_PAGE.encode("gb18030"), content_type="text/html; charset=gbk")
    assert main(["extract", url, "--format", "post"]) == 0
    post = capsys.readouterr().out
    assert post.startswith("---\ntitle: '") and f"link: '{url}'" in post
    assert PARAGRAPHS[1] in post and "责任编辑" not in post and 'referrerpolicy="no-referrer"' in post
    assert server.hits("/news/1.html") == 1


def test_extract_markdown_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    page.write_text(PORTAL_PAGE, "utf-8")
    assert (
        main(["extract", str(page), "--url", "https://news.example.cn/1.html", "--format", "markdown"]) == 0
    )
    assert "![](https://img.example.cn/body.jpg)" in capsys.readouterr().out
    assert main(["extract", str(tmp_path / "missing.html")]) == 2
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><div class='nav'><a href='/'>首页</a></div></body></html>", "utf-8")
    assert main(["extract", str(empty)]) == 1
    assert "no article" in capsys.readouterr().err


def test_an_editor_credit_glued_to_the_last_sentence_is_cut() -> None:
    body = lxml.html.fragment_fromstring(
        f"<div><p>{PARAGRAPHS[0]}（责任编辑：李华）</p><p>结果如下（见表）。他说（编辑认为）不对。</p></div>"
    )
    drop_chrome(body)
    assert body.text_content() == f"{PARAGRAPHS[0]}结果如下（见表）。他说（编辑认为）不对。"
