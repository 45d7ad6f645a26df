"""Cron expressions mean what they mean in crontab(5): 0 and 7 are Sunday, 1 is Monday."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from aggregator.run.cron import cron_trigger, cron_weekdays, next_runs
from aggregator.run.subscriptions import load_subscriptions
from tests.crawling import REPO

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=ZONE)  # a Monday, after 08:00


def cron_days(field: str) -> set[int]:
    """What crontab(5) says the field means, as isoweekday() % 7 numbers (0 = Sunday), read independently:
    a day runs when any comma element, taken as numbers 0-7, holds it."""
    days: set[int] = set()
    for element in field.split(","):
        base, _, step = element.partition("/")
        if base == "*":
            first, last = 0, 7
        elif "-" in base:
            first, last = (int(n) for n in base.split("-"))
        else:
            first = int(base)
            last = 7 if step else first
        days.update(n % 7 for n in range(first, last + 1, int(step or 1)))
    return days


@pytest.mark.parametrize(
    "field", ["0", "1", "2", "6", "7", "1-5", "0-6", "1-7", "0,6", "*/2", "1-5/2", "2/3", "3,0", "*"]
)
def test_numeric_weekdays_follow_crontab(field: str) -> None:
    expected = cron_days(field)
    # the days the field names within the next two weeks, in order, each at 08:00
    span = [MONDAY.date() + timedelta(days=n) for n in range(1, 15)]
    wanted = [day for day in span if day.isoweekday() % 7 in expected]
    runs = next_runs(f"0 8 * * {field}", ZONE, count=len(wanted), after=MONDAY)
    assert [run.date() for run in runs] == wanted
    assert all((run.hour, run.minute) == (8, 0) for run in runs)


def test_monday_is_one_not_tuesday() -> None:
    first = next_runs("0 8 * * 1", ZONE, count=1, after=MONDAY)[0]
    assert first.strftime("%A %H:%M") == "Monday 08:00"
    assert first.date() == (MONDAY + timedelta(days=7)).date()


@pytest.mark.parametrize(
    ("names", "numbers"), [("mon-fri", "1-5"), ("sun", "0"), ("sat,sun", "6,0"), ("fri-mon", "5-1")]
)
def test_names_keep_working_and_agree_with_numbers(names: str, numbers: str) -> None:
    assert next_runs(f"30 6 * * {names}", ZONE, 10, MONDAY) == next_runs(
        f"30 6 * * {numbers}", ZONE, 10, MONDAY
    )


def test_wrapping_range_runs_over_the_weekend() -> None:
    runs = next_runs("0 8 * * 5-1", ZONE, count=4, after=MONDAY)
    assert [run.strftime("%a") for run in runs] == ["Fri", "Sat", "Sun", "Mon"]


def test_six_fields_read_weekdays_the_same_way() -> None:
    five = next_runs("0 8 * * 1", ZONE, 3, MONDAY)
    assert next_runs("0 0 8 * * 1", ZONE, 3, MONDAY) == five


@pytest.mark.parametrize("field", ["8", "mon-", "funday", "1-5/0", "l", "1#2"])
def test_bad_weekdays_are_refused_with_a_reason(field: str) -> None:
    with pytest.raises(ValueError):
        cron_trigger(f"0 8 * * {field}", ZONE)


def test_weekday_field_is_rewritten_as_names() -> None:
    assert cron_weekdays("1-5") == "mon,tue,wed,thu,fri"
    assert cron_weekdays("0") == cron_weekdays("7") == "sun"


@pytest.mark.slow
def test_subscription_schedule_with_numbers_validates(tmp_path: Path) -> None:
    path = tmp_path / "subscriptions.yaml"
    path.write_text(
        "subscriptions:\n  - name: weekly\n    feed: http://127.0.0.1:9/feed.xml\n"
        '    schedule: "0 8 * * 1"\n',
        encoding="utf-8",
    )
    assert load_subscriptions(path).entries[0].schedule == "0 8 * * 1"
    validated = subprocess.run(
        [sys.executable, "-m", "aggregator", "validate", "--subscriptions", str(path), "-s", "TIMEZONE=UTC"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert validated.returncode == 0, validated.stderr
    line = next(line for line in validated.stdout.splitlines() if "next runs:" in line)
    runs = line.split("next runs:")[1].split(",")
    assert len(runs) == 3
    assert all(run.strip().endswith("08:00 Mon") for run in runs), line
