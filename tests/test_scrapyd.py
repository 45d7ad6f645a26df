"""Deploying to a real scrapyd and running the feed spider there, all on 127.0.0.1.

The module starts scrapyd once, deploys the project with the real ``scrapyd-deploy`` command, and then
schedules runs over scrapyd's HTTP API, the way an operator (or cron) would. The deploy builds from a
copy of the working tree: ``setup.py bdist_egg`` writes ``build/`` and ``*.egg-info`` next to
``scrapy.cfg``, and other test runs or editors share this tree.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import pytest

from tests.crawling import FIXTURES, REPO
from tests.fixture_server import FixtureServer
from tests.scrapyd_server import ScrapydServer, clean_environment

PROJECT = "aggregator"
FEEDS = FIXTURES / "feed"
# Everything a checkout may hold that is not the project: the egg must be built from sources alone.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "__pycache__", "*.egg-info", "build", "dist", "output", ".pytest_cache",
    ".hypothesis", ".ruff_cache", ".scrapy", ".aggregator",
)  # fmt: skip
# Politeness off for a loopback server, and DEBUG so every request the job made is in its log.
TEST_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "DEBUG"}


@dataclass
class Deployment:
    scrapyd: ScrapydServer
    feeds: FixtureServer
    deploy: subprocess.CompletedProcess[str]
    tmp: Path

    def run(self, spider: str, output_dir: Path, **arguments: str) -> tuple[str, dict[str, object]]:
        """Schedule one run writing posts to ``output_dir``; wait for it; return its job id and entry."""
        settings = {"OUTPUT_DIR": str(output_dir), **TEST_SETTINGS}
        job = self.scrapyd.schedule(PROJECT, spider, settings, **arguments)
        return job, self.scrapyd.wait_for_job(PROJECT, job)


def scrapyd_deploy(source: Path, home: Path, scrapyd: ScrapydServer) -> subprocess.CompletedProcess[str]:
    """``scrapyd-deploy test`` from a copy of the project, as a user would type it.

    The ``test`` target lives in the user's own ``scrapy.cfg`` (``$XDG_CONFIG_HOME/scrapy.cfg``), where a
    server address belongs; ``scrapyd-deploy`` merges it with the project's ``[deploy]`` section, which
    names the project.
    """
    config = home / ".config" / "scrapy.cfg"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"[deploy:test]\nurl = {scrapyd.url}\n", encoding="utf-8")
    command = Path(sys.executable).with_name("scrapyd-deploy")
    assert command.exists(), "scrapyd-deploy is missing: pip install -c constraints.txt -e '.[test]'"
    return subprocess.run(
        [str(command), "test"],
        cwd=source,
        env=clean_environment(home),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("scrapyd")
    source = tmp / "project"
    shutil.copytree(REPO, source, ignore=NOT_SOURCES)
    feeds = FixtureServer().start()
    scrapyd = ScrapydServer(tmp / "scrapyd").start()
    try:
        deploy = scrapyd_deploy(source, tmp / "home", scrapyd)
        yield Deployment(scrapyd, feeds, deploy, tmp)
    finally:
        scrapyd.stop()
        feeds.stop()


def serve_feeds(feeds: FixtureServer) -> str:
    """Two full-text feeds on the loopback server; return them as the spider's ``url`` argument."""
    atom = feeds.add(
        "/feeds/atom.xml", (FEEDS / "atom.xml").read_bytes(), content_type="application/atom+xml"
    )
    zaker = feeds.add(
        "/zaker/source/12291",
        (FEEDS / "rsshub_zaker_source.xml").read_bytes(),
        content_type="application/xml; charset=utf-8",
    )
    return f"{atom},{zaker}"


def test_deploy_uploads_an_egg_with_every_spider(deployed: Deployment) -> None:
    scrapyd = deployed.scrapyd
    assert deployed.deploy.returncode == 0, deployed.deploy.stderr + deployed.deploy.stdout
    # scrapyd-deploy exits 0 even when scrapyd refuses the egg: the answer says so. A refusal ending in
    # "'NoneType' object has no attribute 'module_name'" means the egg lacks the scrapy entry point.
    answer = json.loads(deployed.deploy.stdout)
    assert answer["status"] == "ok", answer.get("message")
    assert f'Deploying to project "{PROJECT}" in {scrapyd.url}addversion.json' in deployed.deploy.stderr
    assert scrapyd.get("listprojects.json")["projects"] == [PROJECT]

    source = deployed.tmp / "project"  # what was deployed, even if the checkout changed since
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=source, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    local_spiders = sorted(listed.stdout.split())
    assert "feed" in local_spiders and answer["spiders"] == len(local_spiders)
    assert sorted(scrapyd.get("listspiders.json", project=PROJECT)["spiders"]) == local_spiders

    (egg,) = (scrapyd.eggs_dir / PROJECT).glob("*.egg")
    with zipfile.ZipFile(egg) as archive:
        names = archive.namelist()
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert {name.split("/")[0] for name in names} == {"EGG-INFO", "aggregator", "spiders", "pipelines"}
    modules = sorted(
        path.relative_to(source).as_posix()
        for package in ("aggregator", "spiders", "pipelines")
        for path in (source / package).rglob("*.py")
    )
    assert "aggregator/sites/base.py" in modules
    # bdist_egg adds each module's bytecode (__pycache__/*.pyc) unless PYTHONDONTWRITEBYTECODE is set: either
    # way the egg holds exactly the project's sources, and nothing else but their bytecode.
    packaged = [name for name in names if not name.startswith("EGG-INFO/")]
    assert sorted(name for name in packaged if "/__pycache__/" not in name) == modules
    assert all(name.endswith(".pyc") for name in packaged if "/__pycache__/" in name)
    # Without it scrapyd cannot tell the job which settings module to load (pyproject.toml declares it).
    assert "[scrapy]\nsettings = aggregator.settings" in entry_points, entry_points


def test_scheduled_feed_run_writes_posts(deployed: Deployment) -> None:
    scrapyd = deployed.scrapyd
    urls = serve_feeds(deployed.feeds)
    output = deployed.tmp / "posts"
    job, entry = deployed.run("feed", output, url=urls)

    assert scrapyd.exit_status(job) == 0, scrapyd.job_log(PROJECT, "feed", job)[-3000:]
    log = scrapyd.job_log(PROJECT, "feed", job)
    assert scrapyd.fetch(str(entry["log_url"])).decode("utf-8") == log
    summary = [line for line in log.splitlines() if "Summary of feed:" in line]
    assert len(summary) == 1 and "exported 5 new" in summary[0], log[-3000:]

    requested = [line.split("<GET ")[1].split(">")[0] for line in log.splitlines() if "<GET " in line]
    assert requested and all(urlsplit(url).hostname == "127.0.0.1" for url in requested), requested
    assert deployed.feeds.hits("/feeds/atom.xml") == 1 and deployed.feeds.hits("/zaker/source/12291") == 1

    posts = [frontmatter.load(path) for path in sorted(output.rglob("*.md"))]
    assert sorted(post["title"] for post in posts) == sorted(
        [
            "第 100 期：Python 3.13 发布",
            "Breaking: \"Quotes\" & 'apostrophes' #1 --- 😀 </div> {{ title }}",
            '"五章" 颁齐！看到袁隆平的名字有了黑框 网友泪崩',
            "研究：使用假的 USB 摄像头可绕过 Windows Hello 认证系统",
            "Intel Xe HPG锐炫游戏显卡架构公开：台积电6nm、驱动完全重写",
        ]
    )
    by_link = {post["link"]: post for post in posts}
    wuzhang = by_link["https://www.myzaker.com/article/60dd9ae732ce40247300004c"]
    assert wuzhang["date"] == datetime(2021, 7, 1, 11, 8, 16)
    assert wuzhang["categories"] == ["新媒体", "ZAKER 新闻 - 联播+"]
    assert "https://weekly.example.org/posts/100.html" in by_link  # canonical: tracking query removed
    assert all(post.content.startswith("<div>\n") for post in posts)
    assert (output / ".aggregator" / "state.sqlite").is_file()  # setting=OUTPUT_DIR reached the crawl

    items = (scrapyd.items_dir / PROJECT / "feed" / f"{job}.jl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(item)["url"] for item in items) == sorted(by_link)


def test_failing_run_shows_in_its_log(deployed: Deployment) -> None:
    scrapyd = deployed.scrapyd
    url = deployed.feeds.add("/feeds/failing.xml", (FEEDS / "atom.xml").read_bytes())
    output = deployed.tmp / "failed"
    job, _ = deployed.run("feed", output, url=url, fetch="sometimes")

    assert scrapyd.exit_status(job) != 0
    log = scrapyd.job_log(PROJECT, "feed", job)
    assert "fetch must be one of auto, always, never, not 'sometimes'" in log, log[-3000:]
    # The traceback names the module it ran: the uploaded egg, not this checkout.
    assert f"{scrapyd.eggs_dir / PROJECT}/" in log and "spiders/feed.py" in log
    assert deployed.feeds.hits("/feeds/failing.xml") == 0
    assert not list(output.rglob("*.md"))


def test_a_hostile_feed_on_scrapyd_reads_no_local_file_and_no_local_service(
    deployed: Deployment, tmp_path: Path
) -> None:
    """On a server the danger is real: a subscribed feed linking ``file:`` URLs or scrapyd's own API. With
    the deployment's setting (docs/scrapyd.md) neither is fetched, and the job ends normally."""
    from tests.test_hostile import assert_not_executable, hostile_feed
    from tests.test_hostile_urls import SECRET, teaser_feed

    secret = tmp_path / "scrapyd.conf"
    secret.write_text(f"password = {SECRET}\n", "utf-8")
    scrapyd_api = f"http://localhost:{urlsplit(deployed.scrapyd.url).port}/daemonstatus.json"
    feeds = deployed.feeds
    hostile = feeds.add("/feeds/hostile.xml", hostile_feed(feeds), content_type="application/rss+xml")
    local = feeds.add(
        "/feeds/local.xml",
        teaser_feed([secret.as_uri(), f"file:{secret}", scrapyd_api]),
        content_type="application/rss+xml",
    )
    output = deployed.tmp / "hostile"
    settings = {"OUTPUT_DIR": str(output), **TEST_SETTINGS, "REFUSE_PRIVATE_ADDRESSES": "True",
                "PRIVATE_ADDRESSES_ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
    job = deployed.scrapyd.schedule(PROJECT, "feed", settings, url=f"{hostile},{local}")
    deployed.scrapyd.wait_for_job(PROJECT, job)
    log = deployed.scrapyd.job_log(PROJECT, "feed", job)
    assert deployed.scrapyd.exit_status(job) == 0, log[-3000:]
    assert "Traceback" not in log
    assert sum("(unsafe_url): only http and https" in line for line in log.splitlines()) == 2, log[-3000:]
    assert any(f"Dropped {scrapyd_api} (private_address)" in line for line in log.splitlines()), log[-3000:]
    posts = [frontmatter.load(path) for path in sorted(output.rglob("*.md"))]
    assert posts
    for post in posts:
        assert SECRET not in post.content and "node_name" not in post.content
        assert_not_executable(post.content)
