"""Posts as files: front matter in the seed's shape, safe names, atomic writes."""

from __future__ import annotations

import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

import frontmatter
import pytest

from aggregator.export.files import (
    PostNaming,
    UnsafePath,
    remove_stale_temp_files,
    resolve_inside,
    write_atomic,
)
from aggregator.export.hexo import PostFormat, render_post
from aggregator.items import Article
from tests.shipped import shipped_settings

SEED_COPY = Path(__file__).parent / "hexo" / "seed_posts" / "zaker_000_21cf37f44213cd8f.md"


def seed_article() -> Article:
    """The seed post's article, as the ZAKER spider would hand it over."""
    seed = frontmatter.load(SEED_COPY)
    body = seed.content.strip().removeprefix("<div>").removesuffix("</div>").strip()
    return Article(
        url="https://www.myzaker.com/article/626a9274b15ec0282c0bc6cc",
        title=seed["title"],
        categories=list(seed["categories"]),
        author=seed["author"],
        cover="http://zkres1.myzaker.com/202204/626a9274b15ec0282c0bc6cc_1024.jpg",
        published=datetime(2022, 4, 28, 5, 30, 54, tzinfo=UTC),
        body_html=body,
    )


def test_seed_shape_reproduced_with_rfc822_and_proxy() -> None:
    seed = frontmatter.load(SEED_COPY)
    fmt = PostFormat(
        date_format="rfc822", images_mode="proxy", image_proxy="https://cors.zfour.workers.dev/?"
    )
    post = frontmatter.loads(render_post(seed_article(), fmt))
    for key in ("title", "categories", "headimg", "author", "comments", "date", "thumbnail"):
        assert post[key] == seed[key], key
    assert list(post.keys())[:7] == [
        "title",
        "categories",
        "headimg",
        "author",
        "comments",
        "date",
        "thumbnail",
    ]
    assert post["link"] == "https://www.myzaker.com/article/626a9274b15ec0282c0bc6cc"


def test_default_date_is_wall_clock_in_timezone() -> None:
    text = render_post(seed_article(), PostFormat())
    assert "\ndate: 2022-04-28 13:30:54\n" in text
    settings = shipped_settings({"TIMEZONE": "America/New_York"})
    assert "\ndate: 2022-04-28 01:30:54\n" in render_post(seed_article(), PostFormat.from_settings(settings))


def test_title_and_urls_single_quoted_like_the_seed() -> None:
    text = render_post(seed_article(), PostFormat())
    assert text.startswith("---\ntitle: '培养大国工匠、弘扬工匠精神 习近平这样要求'\n")
    assert "headimg: 'http://zkres1.myzaker.com/202204/626a9274b15ec0282c0bc6cc_1024.jpg'" in text


def test_body_is_one_line_in_a_div_with_no_referrer_images() -> None:
    article = seed_article()
    article.body_html = "<p>a\n\nb</p>\n\n<pre>x\n\n    y</pre><img src='http://zkres1.myzaker.com/x.jpg'>"
    body = frontmatter.loads(render_post(article, PostFormat())).content
    lines = body.splitlines()
    assert lines[0] == "<div>" and lines[-1] == "</div>" and len(lines) == 3
    assert "<pre>x&#10;&#10;    y</pre>" in body
    assert '<img src="http://zkres1.myzaker.com/x.jpg" referrerpolicy="no-referrer">' in body


@pytest.mark.parametrize("marker", ["{{ page.title }}", "{% if x %}", "{# c #}"])
def test_nunjucks_in_body_disables_nunjucks(marker: str) -> None:
    article = seed_article()
    article.body_html = f"<p>{marker}</p>"
    assert frontmatter.loads(render_post(article, PostFormat()))["disableNunjucks"] is True


def test_no_nunjucks_flag_when_not_needed() -> None:
    assert "disableNunjucks" not in frontmatter.loads(render_post(seed_article(), PostFormat())).metadata


@pytest.mark.parametrize(
    "title",
    [
        'He said: "it\'s #1"',
        "--- a --- b ---",
        "😀 emoji 🚀",
        "</div><script>alert(1)</script>",
        "{{ x }} {% y %}",
        "'single' 'quotes'",
        "key: value # comment",
        "null",
        "true",
        "2022-04-28",
        "- list item",
        "[a, b]",
        "& *ref",
    ],
)
def test_hostile_titles_read_back_exactly(title: str) -> None:
    article = seed_article()
    article.title = title
    assert frontmatter.loads(render_post(article, PostFormat()))["title"] == title


def test_markdown_body_format() -> None:
    article = seed_article()
    article.body_html = (
        "<h2>小标题</h2><p>段落 <a href='https://a.example/'>链接</a></p><img src='http://i/x.jpg'>"
    )
    body = frontmatter.loads(render_post(article, PostFormat(body_format="markdown"))).content
    assert "## 小标题" in body and "[链接](https://a.example/)" in body and "![](http://i/x.jpg)" in body


def test_front_matter_keys_are_a_setting() -> None:
    settings = shipped_settings(
        {
            "POST_FRONT_MATTER": {
                "title": "title",
                "cover": "cover",
                "top_img": "cover",
                "date": "published",
                "source": "url",
            }
        }
    )
    post = frontmatter.loads(render_post(seed_article(), PostFormat.from_settings(settings)))
    assert list(post.keys()) == ["title", "cover", "top_img", "date", "source"]


def test_wrong_settings_are_explained() -> None:
    with pytest.raises(ValueError, match="TIMEZONE"):
        PostFormat.from_settings(shipped_settings({"TIMEZONE": "Mars/Olympus"}))
    with pytest.raises(ValueError, match="POST_DATE_FORMAT"):
        PostFormat.from_settings(shipped_settings({"POST_DATE_FORMAT": "iso"}))
    with pytest.raises(ValueError, match="unknown article fields"):
        PostFormat.from_settings(shipped_settings({"POST_FRONT_MATTER": {"x": "nonsense"}}))
    with pytest.raises(ValueError, match=r"\{id\}"):
        PostNaming.from_settings(shipped_settings({"POST_FILENAME": "{slug}"}))


@pytest.mark.parametrize(
    "title",
    [
        "../../etc/passwd",
        "/absolute/path",
        "..",
        "CON",
        "_hidden",
        ".hidden",
        "a/b\\c:d*e?f",
        "x" * 10000,
        "😀",
        "",
        "\x00\x1f",
    ],
)
def test_file_names_are_safe_and_inside(tmp_path: Path, title: str) -> None:
    relative = PostNaming().relative_path(Article(url="https://example.com/a", title=title))
    path = resolve_inside(tmp_path, relative)
    assert path.parent == tmp_path.resolve()
    assert len(path.name.encode()) <= 255
    assert not path.name.startswith((".", "_"))
    assert path.name.endswith(".md")


def test_file_names_stable_and_distinct() -> None:
    naming = PostNaming()
    a = naming.relative_path(Article(url="https://example.com/a?utm_source=x", title="同一个标题"))
    assert a == naming.relative_path(Article(url="https://example.com/a", title="同一个标题"))
    assert a != naming.relative_path(Article(url="https://example.com/b", title="同一个标题"))


def test_subfolder_pattern_cannot_escape(tmp_path: Path) -> None:
    naming = PostNaming(pattern="{site}/{date:%Y}/{slug}-{id}")
    article = Article(
        url="https://e.com/1", title="t", site="../../..", published=datetime(2024, 1, 2, tzinfo=UTC)
    )
    path = resolve_inside(tmp_path, naming.relative_path(article))
    assert tmp_path.resolve() in path.parents
    with pytest.raises(UnsafePath):
        resolve_inside(tmp_path, "../outside.md")


def test_atomic_write_leaves_no_temp_and_skips_identical(tmp_path: Path) -> None:
    target = tmp_path / "post.md"
    assert write_atomic(target, "one") is True
    mtime = target.stat().st_mtime_ns
    assert write_atomic(target, "one") is False
    assert target.stat().st_mtime_ns == mtime
    assert write_atomic(target, "two") is True and target.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_failed_write_keeps_the_old_post(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "post.md"
    write_atomic(target, "old")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_stale_temp_files_are_removed(tmp_path: Path) -> None:
    host = socket.gethostname()
    killed = tmp_path / f".aggregator-tmp-{host}-999999-abc.part"  # no such process
    killed.write_text("half a post from a killed run")
    alive = tmp_path / f".aggregator-tmp-{host}-{os.getpid()}-def.part"  # this process: a live writer
    alive.write_text("being written right now")
    remote_old = tmp_path / ".aggregator-tmp-otherhost-123-ghi.part"
    remote_old.write_text("another machine's leftover")
    old = time.time() - 3600
    os.utime(remote_old, (old, old))
    remote_new = tmp_path / ".aggregator-tmp-otherhost-456-jkl.part"
    remote_new.write_text("another machine is writing this one now")
    (tmp_path / "keep.md").write_text("a post")
    assert sorted(p.name for p in remove_stale_temp_files(tmp_path)) == sorted([killed.name, remote_old.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, remote_new.name, "keep.md"])


def test_temp_files_name_their_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: str, target: object) -> None:
        seen.append(Path(source).name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / "post.md", "text")
    assert seen[0].startswith(f".aggregator-tmp-{socket.gethostname()}-{os.getpid()}-")
