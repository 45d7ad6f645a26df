"""Validate and the spiders agree: every sample value of every parameter model, through both roads.

A value reaches a spider either as ``scrapy crawl NAME -a KEY=VALUE`` or through the subscriptions file
(``aggregator validate`` / ``crawl``). Both read it with the model the registry holds for the spider; these
tests walk each model's declared sample values through the real file loader and the real spider class, so a
parameter added to a model is checked on both roads without a new test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

from aggregator.run.subscriptions import SubscriptionError, load_subscriptions
from aggregator.sites.params import SpiderParameters
from aggregator.sites.registry import SPIDERS


def project_settings() -> Settings:
    settings = Settings()
    settings.setmodule("aggregator.settings", priority="project")
    return settings


def run_spider_arguments(spider: str, arguments: dict[str, str]) -> Any:
    """The spider as ``scrapy crawl spider -a k=v ...`` builds it (class from the project, bound to a
    crawler with the shipped settings), up to the point where requests would start."""
    settings = project_settings()
    spidercls = SpiderLoader.from_settings(settings).load(spider)
    crawler = Crawler(spidercls, settings)
    return spidercls.from_crawler(crawler, **arguments)


def subscription_file(tmp_path: Path, model: type[SpiderParameters], arguments: dict[str, str]) -> Path:
    """One subscription entry with these arguments, each on its own line, where the file format puts it."""
    meanings = model.parameters()
    lines = ["subscriptions:", "  - name: sample", f"    {model.entry_key}:"]
    for key, value in arguments.items():
        if meanings[key].place == "site":
            lines.append(f"      {key}: {json.dumps(value, ensure_ascii=False)}")
    for key, value in arguments.items():
        if meanings[key].place == "entry":
            lines.append(f"    {key}: {json.dumps(value, ensure_ascii=False)}")
    path = tmp_path / "subscriptions.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def samples(kind: str) -> list[tuple[str, str, str]]:
    return [
        (spider, name, value)
        for spider, model in SPIDERS.items()
        for name, meaning in model.parameters().items()
        for value in getattr(meaning, kind)
    ]


def test_every_parameter_has_samples_both_ways() -> None:
    for spider, model in SPIDERS.items():
        for name, meaning in model.parameters().items():
            assert meaning.valid and meaning.invalid, f"{spider}: {name} needs valid and invalid samples"
            assert meaning.help, f"{spider}: {name} needs a help text"


@pytest.mark.parametrize(("spider", "name", "value"), samples("valid"))
def test_a_value_that_validates_is_a_value_the_spider_runs(
    tmp_path: Path, spider: str, name: str, value: str
) -> None:
    model = SPIDERS[spider]
    arguments = {**model.example, name: value}
    (entry,) = load_subscriptions(subscription_file(tmp_path, model, arguments)).entries
    assert entry.spider == spider
    instance = run_spider_arguments(spider, entry.arguments)
    assert instance.params == model.from_arguments(arguments)
    direct = run_spider_arguments(spider, arguments)  # -a name=value typed by hand
    assert direct.params == instance.params


@pytest.mark.parametrize(("spider", "name", "value"), samples("invalid"))
def test_a_value_validate_refuses_is_a_value_the_spider_refuses(
    tmp_path: Path, spider: str, name: str, value: str
) -> None:
    model = SPIDERS[spider]
    arguments = {**model.example, name: value}
    path = subscription_file(tmp_path, model, arguments)
    with pytest.raises(SubscriptionError) as refused:
        load_subscriptions(path)
    line = next(
        number
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip().startswith(f"{name}:")
    )
    assert any(problem.startswith(f"{path}:{line}: ") for problem in refused.value.problems), (
        refused.value.problems
    )
    with pytest.raises(ValueError, match=name):
        run_spider_arguments(spider, arguments)


@pytest.mark.parametrize(
    ("entry", "spider", "arguments"),
    [
        ("cctv: {category: economy_zixun}", "cctv", {"category": "economy_zixun"}),
        ('zaker: {channel: "13,660"}', "zaker", {"channel": "13,660"}),
        ("zaker: {channel: 13, source: 12291}", "zaker", {"channel": "13", "source": "12291"}),
        ("cctv: {category: [china, world], pages: 2}", "cctv", {"category": "china,world", "pages": "2"}),
        (
            "feed: {url: 'https://a.example/rss', fetch: always}",
            "feed",
            {"url": "https://a.example/rss", "fetch": "always"},
        ),
    ],
)
def test_file_forms_become_the_arguments_a_spider_takes(
    tmp_path: Path, entry: str, spider: str, arguments: dict[str, str]
) -> None:
    path = tmp_path / "subscriptions.yaml"
    path.write_text(f"subscriptions:\n  - {entry}\n", encoding="utf-8")
    (loaded,) = load_subscriptions(path).entries
    assert (loaded.spider, loaded.arguments) == (spider, arguments)
    run_spider_arguments(spider, loaded.arguments)


def test_scrapyd_and_scrapy_arguments_pass_through() -> None:
    """scrapyd adds ``_job``; Scrapy's Spider keeps unknown arguments as attributes, as before."""
    spider = run_spider_arguments("cctv", {"category": "china", "_job": "abc"})
    assert spider._job == "abc" and spider.categories == ["china"]
