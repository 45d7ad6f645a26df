"""Publishing: ``aggregator crawl --publish --push`` commits what changed to a real git repository and pushes
to a real bare remote on disk; nothing changed, no commit; a failed push is one ERROR and the next run
pushes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawling import FIXTURES, REPO, crawl_env
from tests.feed_site import serve_feed_site
from tests.fixture_server import FixtureServer

FEED = FIXTURES / "feed" / "rsshub_zaker_source.xml"

pytestmark = pytest.mark.slow  # starts the `aggregator` command line


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "core.quotePath=false", *args],
        cwd=cwd,
        env=isolated_env(cwd),
        capture_output=True,
        text=True,
        errors="replace",
        check=True,
    ).stdout


def isolated_env(home: Path) -> dict[str, str]:
    """No global git configuration: the blog repository has no user.name, as on a fresh server."""
    env = crawl_env()
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", HOME=str(home))
    return env


def make_blog(tmp_path: Path) -> tuple[Path, Path]:
    remote = tmp_path / "remote.git"
    blog = tmp_path / "blog"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(remote)], check=True)
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(blog)], check=True)
    (blog / "_config.yml").write_text("title: 博客\n", encoding="utf-8")
    git(blog, "add", "_config.yml")
    git(
        blog, "-c", "user.name=Owner", "-c", "user.email=owner@example.org", "commit", "--quiet", "-m", "Blog"
    )
    git(blog, "remote", "add", "origin", str(remote))
    git(blog, "push", "--quiet", "-u", "origin", "main")
    return blog, remote


def run(blog: Path, subscriptions: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aggregator", "crawl", "--publish", "--push", "--subscriptions"]
    command += [str(subscriptions), "-s", f"OUTPUT_DIR={blog / 'source' / '_posts'}", *extra]
    return subprocess.run(
        command, cwd=REPO, env=isolated_env(blog.parent), capture_output=True, text=True, timeout=120
    )


def test_publish_commits_pushes_and_retries(server: FixtureServer, tmp_path: Path) -> None:
    urls = serve_feed_site(server)
    blog, remote = make_blog(tmp_path)
    (blog / "draft.md").write_text("the owner's own work in progress\n", encoding="utf-8")
    git(blog, "add", "draft.md")  # staged by the owner: a publish must not commit it
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(
        f"subscriptions:\n  - name: lianbo\n    feed: {urls['rsshub']}\n", encoding="utf-8"
    )

    first = run(blog, subscriptions)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    assert "Published: committed 3 changed files as" in first.stdout and "; pushed" in first.stdout
    stat = git(blog, "log", "-1", "--stat", "--format=%s%n%b%an")
    assert stat.startswith("Crawl of ") and ": 3 new posts" in stat.splitlines()[0], stat
    assert "lianbo: 3 new, 0 updated, 0 unchanged, 0 errors" in stat and "aggregator" in stat
    committed = git(blog, "show", "--name-only", "--format=", "HEAD").split()
    assert len(committed) == 3 and all(
        name.startswith("source/_posts/") and name.endswith(".md") for name in committed
    )
    assert ".aggregator" not in git(blog, "ls-files") and "draft.md" in git(
        blog, "diff", "--cached", "--name-only"
    )
    assert git(remote, "rev-parse", "main") == git(blog, "rev-parse", "HEAD")

    head = git(blog, "rev-parse", "HEAD")
    again = run(blog, subscriptions)
    assert again.returncode == 0 and "Published: nothing changed" in again.stdout, again.stdout
    assert git(blog, "rev-parse", "HEAD") == head

    changed = FEED.read_text(encoding="utf-8").replace("Windows Hello", "Windows Hello（更新）", 2)
    server.add("/zaker/source/12291", changed, content_type="application/xml; charset=utf-8")
    git(blog, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    failed = run(blog, subscriptions)
    assert failed.returncode == 1
    errors = [line for line in failed.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "push to origin (main) failed" in errors[0], failed.stderr[-3000:]
    assert "Publish FAILED" in failed.stdout
    assert ": 1 updated" in git(blog, "log", "-1", "--format=%s")
    assert git(remote, "rev-parse", "main") != git(blog, "rev-parse", "HEAD")

    git(blog, "remote", "set-url", "origin", str(remote))
    retried = run(blog, subscriptions)
    assert retried.returncode == 0 and "Published: nothing changed; pushed" in retried.stdout, retried.stdout
    assert git(remote, "rev-parse", "main") == git(blog, "rev-parse", "HEAD")


def test_output_outside_a_repository_is_one_clear_error(server: FixtureServer, tmp_path: Path) -> None:
    urls = serve_feed_site(server)
    subscriptions = tmp_path / "subscriptions.yaml"
    subscriptions.write_text(
        f"subscriptions:\n  - name: lianbo\n    feed: {urls['rsshub']}\n", encoding="utf-8"
    )
    result = run(tmp_path / "plain", subscriptions)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "is not in a git repository" in errors[0], result.stderr[-2000:]


def test_scheduled_runs_publish_when_the_scheduler_is_asked_to(tmp_path: Path) -> None:
    from aggregator.run.blog import publish_overrides
    from aggregator.run.cli import build_parser
    from aggregator.run.schedule import crawl_command

    args = build_parser().parse_args(["schedule", "--publish", "--push", "-s", "TIMEZONE=UTC"])
    command = crawl_command(tmp_path / "subscriptions.yaml", [*args.set, *publish_overrides(args)])
    settings = [command[i + 1] for i, part in enumerate(command) if part == "-s"]
    assert settings == ["TIMEZONE=UTC", "PUBLISH_GIT=True", "PUBLISH_PUSH=True"]
    plain = build_parser().parse_args(["schedule"])
    assert publish_overrides(plain) == []


def test_downloaded_images_are_published_and_the_cache_is_not(tmp_path: Path) -> None:
    from scrapy.settings import Settings

    from aggregator import settings as defaults
    from aggregator.run.publish import publish

    blog, remote = make_blog(tmp_path)
    posts = blog / "source" / "_posts"
    (posts / "新媒体").mkdir(parents=True)
    (posts / "新媒体" / "post-1.md").write_text("---\ntitle: t\n---\n", encoding="utf-8")
    (posts / ".aggregator" / "images").mkdir(parents=True)
    (posts / ".aggregator" / "images" / "cache.jpg").write_bytes(b"\xff\xd8 cache")
    (posts / ".aggregator-tmp-host-1-x.part").write_text("half a post", encoding="utf-8")
    (blog / "source" / "images").mkdir()
    (blog / "source" / "images" / "cover.jpg").write_bytes(b"\xff\xd8 cover")
    settings = Settings()
    settings.setmodule(defaults)
    settings.setdict({"OUTPUT_DIR": str(posts), "IMAGES_MODE": "download", "PUBLISH_PUSH": True})

    old = os.environ.copy()
    os.environ.update(isolated_env(tmp_path))
    try:
        outcome = publish([], settings)
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert outcome.commit and outcome.pushed and not outcome.error
    committed = sorted(git(blog, "show", "--name-only", "--format=", "HEAD").split())
    assert committed == ["source/_posts/新媒体/post-1.md", "source/images/cover.jpg"]
    assert git(blog, "log", "-1", "--format=%s").rstrip().endswith(": 1 new post, 1 image")
    assert git(remote, "rev-parse", "main") == git(blog, "rev-parse", "HEAD")
