"""``POST_FILENAME = "{categories}/{slug}-{id}"``: posts in category folders, as the old blog had them."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from hypothesis import given
from hypothesis import strategies as st

from aggregator.export.files import PostNaming, resolve_inside, write_atomic
from aggregator.items import Article
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer

NAMING = PostNaming(pattern="{categories}/{slug}-{id}")


def test_the_replaced_blogs_layout() -> None:
    article = Article(
        url="https://www.myzaker.com/article/1", title="标题", categories=["新媒体", "ZAKER", "channel"]
    )
    path = NAMING.relative_path(article)
    assert path.parts[:3] == ("新媒体", "ZAKER", "channel")
    assert path.name.startswith("标题-") and path.suffix == ".md"


def test_hostile_categories_stay_inside_the_output_folder(tmp_path: Path) -> None:
    hostile = ["..", "../../etc", "/etc/passwd", "C:\\Windows", "CON", "nul.txt", ".hidden", "_drafts",
               "a" * 400, "", "   ", "新媒体/ZAKER", "\x00\x1f", "~", "$HOME"]  # fmt: skip
    for category in hostile:
        article = Article(url=f"https://example.com/{len(category)}", title="t", categories=[category, "x"])
        relative = NAMING.relative_path(article)
        target = resolve_inside(tmp_path, relative)
        assert write_atomic(target, "post")
        for part in relative.parts:
            assert part not in ("..", ".") and not part.startswith((".", "_"))
            assert len(part.encode()) <= 255 and "\\" not in part
            assert part.lower().split(".")[0] not in ("con", "nul")
        assert len(relative.parts) <= 3  # one folder per category, a "/" inside one is not a deeper folder


def test_no_categories_means_no_folder() -> None:
    assert len(NAMING.relative_path(Article(url="https://example.com/a", title="t")).parts) == 1


def test_deep_category_lists_are_capped() -> None:
    article = Article(url="https://example.com/a", title="t", categories=[str(n) for n in range(50)])
    assert len(NAMING.relative_path(article).parts) == 9  # 8 folders and the post


@given(st.lists(st.text(max_size=80), max_size=12), st.text(max_size=100))
def test_any_category_strings_give_a_path_inside(categories: list[str], title: str) -> None:
    relative = NAMING.relative_path(Article(url="https://example.com/a", title=title, categories=categories))
    root = Path("/srv/blog/source/_posts")
    assert root in resolve_inside(root, relative).parents
    assert all(part and part not in ("..", ".") for part in PurePosixPath(relative).parts)


def test_a_crawl_lays_posts_out_in_category_folders(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    urls = serve_feed_site(server)
    result = run_crawl(
        "feed",
        f"url={urls['rsshub']}",
        "categories=新媒体,ZAKER,../source",
        settings={"POST_FILENAME": "{categories}/{slug}-{id}"},
    )
    assert result.returncode == 0, result.log[-3000:]
    posts = result.posts()
    assert len(posts) == 3, result.log[-3000:]
    for relative, post in posts.items():
        assert PurePosixPath(relative).parts[:3] == ("新媒体", "ZAKER", "-source"), relative
        assert post["categories"] == ["新媒体", "ZAKER", "../source"]
    assert not list(tmp_path.glob("source*"))
