"""``aggregator adopt``: an existing blog's posts, in the replaced bot's exact form, are neither copied nor
rewritten by the crawls that follow (unless taken over). Real ``aggregator`` and ``scrapy crawl`` processes,
the loopback fixture server, posts on disk."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frontmatter
import pytest

from aggregator.run.adopt import parse_date
from aggregator.state.adopted import title_key
from tests.blog_folder import FOLDER, feed_entries, seed_form_post, write_seed_form_blog
from tests.crawling import REPO, crawl_env
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_adopt(output_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aggregator", "adopt", *args, "-s", f"OUTPUT_DIR={output_dir}"],
        cwd=REPO,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.md"))}


def counts(report: str) -> tuple[int, int]:
    matched = next(line for line in report.splitlines() if line.strip().startswith("matched"))
    unmatched = next(line for line in report.splitlines() if line.strip().startswith("unmatched"))
    return int(matched.split()[1]), int(unmatched.split()[1])


def test_titles_match_across_spacing_width_and_case() -> None:
    assert title_key('" 五一 " 国际劳动节') == title_key('"五一"国际劳动节') == title_key("“五一”国际劳动节")
    assert title_key("ＡＢＣ Intel") == title_key("abc intel")
    assert title_key("五一") != title_key("五二")


def test_front_matter_dates_in_every_form_the_blogs_use() -> None:
    assert parse_date("Thu, 28 Apr 2022 05:30:54 GMT", SHANGHAI) == datetime(
        2022, 4, 28, 5, 30, 54, tzinfo=UTC
    )
    hexo = parse_date(datetime(2022, 4, 28, 13, 30, 54), SHANGHAI)  # YAML reads this form as a naive datetime
    assert hexo == datetime(2022, 4, 28, 5, 30, 54, tzinfo=UTC)
    assert parse_date("2022-04-28T13:30:54+08:00", SHANGHAI) == hexo
    assert parse_date("2022/04/28", SHANGHAI) == datetime(2022, 4, 28, tzinfo=SHANGHAI)
    assert parse_date("yesterday-ish", SHANGHAI) is None and parse_date(None, SHANGHAI) is None


def write_blog(output_dir: Path) -> dict[str, Path]:
    """The seed-form folder, plus a post the crawler itself wrote once (with ``link``) and two that cannot be
    recognised."""
    files = write_seed_form_blog(output_dir)
    folder = output_dir / FOLDER
    atom = feed_entries("atom.xml")[1]
    linked = frontmatter.Post(
        "<div><p>old</p></div>", title=atom.title, date="2024-03-02 09:00:00", link=atom.link
    )
    files["linked"] = folder / "linked.md"
    files["linked"].write_text(frontmatter.dumps(linked) + "\n", encoding="utf-8")
    weekly = feed_entries("atom.xml")[0]
    by_guid = frontmatter.Post("<div><p>old</p></div>", title="第 100 期（旧标题）", guid=weekly.id)
    files["guid"] = folder / "第 100 期.md"
    files["guid"].write_text(frontmatter.dumps(by_guid) + "\n", encoding="utf-8")
    files["no_date"] = folder / "没有日期.md"
    files["no_date"].write_text(seed_form_post("没有日期", "someday"), encoding="utf-8")
    files["broken"] = folder / "broken.md"
    files["broken"].write_text("---\ntitle: 'unclosed\ndate: [\n---\nbody\n", encoding="utf-8")
    return files


def test_adopt_then_crawl_writes_no_second_copy(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    output = tmp_path / "source" / "_posts"
    files = write_blog(output)
    before = snapshot(output)

    adopted = run_adopt(output, str(output / FOLDER))
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    assert counts(adopted.stdout) == (len(files) - 2, 2), adopted.stdout
    assert "by link/guid 2, by title and date 7" in adopted.stdout
    assert f"{FOLDER.as_posix()}/没有日期.md: no link and no readable date ('someday')" in adopted.stdout
    assert f"{FOLDER.as_posix()}/broken.md: unreadable front matter" in adopted.stdout
    assert snapshot(output) == before  # adopt never touches a post

    urls = serve_feed_site(server)
    state = output / ".aggregator" / "state.sqlite"
    state_before = state.read_bytes()
    dry = run_crawl(
        "feed", f"url={urls['rsshub']},{urls['atom']}", output_dir=output, settings={"DRY_RUN": "True"}
    )
    assert "exported 1 new, updated 0, unchanged 4" in dry.lines("Summary of feed (dry run")[0], dry.log[
        -3000:
    ]
    assert snapshot(output) == before and state.read_bytes() == state_before  # a dry run consumes no match

    first = run_crawl("feed", f"url={urls['rsshub']},{urls['atom']}", output_dir=output)
    assert first.returncode == 0, first.log[-3000:]
    assert snapshot(output).items() >= before.items(), "an adopted post was rewritten"
    new = sorted(set(snapshot(output)) - set(before))
    # Of the feeds' five articles, two are the seed-form posts (matched by title and date, one with ZAKER's
    # spacing), one the post with a link and one the post with only a guid: only the fifth is written.
    assert len(new) == 1, (new, first.log[-3000:])
    assert frontmatter.load(output / new[0])["link"] == feed_entries("rsshub_zaker_source.xml")[2].link
    assert len(first.lines("to the adopted post")) == 2
    assert "exported 1 new, updated 0" in first.lines("Summary of feed:")[0]

    second = run_crawl("feed", f"url={urls['rsshub']},{urls['atom']}", output_dir=output)
    assert second.returncode == 0
    assert "exported 0 new, updated 0, unchanged 5" in second.lines("Summary of feed:")[0], second.log[-2000:]
    assert snapshot(output).items() >= before.items() and len(snapshot(output)) == len(before) + 1


def test_take_over_rewrites_adopted_posts_in_place(server: FixtureServer, run_crawl, tmp_path: Path) -> None:
    output = tmp_path / "posts"
    files = write_seed_form_blog(output)
    adopted = run_adopt(output, "--take-over")
    assert adopted.returncode == 0 and counts(adopted.stdout) == (len(files), 0), adopted.stdout

    urls = serve_feed_site(server)
    result = run_crawl("feed", f"url={urls['rsshub']}", output_dir=output)
    assert result.returncode == 0, result.log[-3000:]
    posts = snapshot(output)
    assert len(posts) == len(files) + 1  # the third item is new; the two adopted ones were rewritten in place
    items = feed_entries("rsshub_zaker_source.xml")
    for role, entry in (("item0", items[0]), ("item1", items[1])):
        post = frontmatter.load(files[role])
        assert post["link"] == entry.link and "旧的正文" not in post.content
        assert post["date"] == datetime(*entry.published_parsed[:6], tzinfo=UTC).astimezone(SHANGHAI).replace(
            tzinfo=None
        )
    assert "exported 1 new, updated 2" in result.lines("Summary of feed:")[0]
    again = run_crawl("feed", f"url={urls['rsshub']}", output_dir=output)
    assert "exported 0 new, updated 0, unchanged 3" in again.lines("Summary of feed:")[0], again.log[-2000:]


@pytest.mark.slow
def test_a_folder_outside_output_dir_is_refused(tmp_path: Path) -> None:
    write_seed_form_blog(tmp_path / "elsewhere")
    result = run_adopt(tmp_path / "output", str(tmp_path / "elsewhere"))
    assert result.returncode == 2 and "not inside OUTPUT_DIR" in result.stdout
    assert not (tmp_path / "output").exists()
