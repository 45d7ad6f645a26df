"""The collector tuning: start-up objects frozen while the engine runs, Python's settings back after."""

from __future__ import annotations

import gc

from scrapy.utils.test import get_crawler

from aggregator.run.collector import YOUNG_THRESHOLD, CollectorTuning


def test_freezes_while_the_engine_runs_and_restores_after() -> None:
    before = gc.get_threshold()
    tuning = CollectorTuning.from_crawler(get_crawler())
    try:
        tuning.engine_started()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, before[0])
    finally:
        tuning.engine_stopped()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_stopping_without_a_start_changes_nothing() -> None:
    before = gc.get_threshold()
    CollectorTuning().engine_stopped()
    assert gc.get_threshold() == before
