"""Cron expressions as cron means them, on top of APScheduler's triggers.

APScheduler numbers weekdays from Monday = 0 (``0 8 * * 1`` would run on Tuesday), while cron, crontab(5)
and every cron user count Sunday = 0 (and 7), Monday = 1. This module rewrites the day-of-week field into
APScheduler's weekday *names* before building the trigger, so that an expression copied from a crontab
does what it says:

* numbers 0-7 (0 and 7 Sunday), ranges ``1-5``, wrapping ranges ``5-1`` (Friday to Monday, as Vixie cron
  reads them), steps ``*/2`` and ``1-5/2``, lists ``1,3,5``;
* names (``mon-fri``, ``sun``) keep working, and may be mixed with numbers.

The field is expanded to the set of days it means and written back as a list of names, which APScheduler
reads unambiguously (a range of names such as ``sat-mon`` would not wrap in APScheduler).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.cron import CronTrigger

CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
"""Cron's weekday numbers: the index, 0 = Sunday (7 is Sunday too)."""
_APSCHEDULER_ORDER = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ELEMENT = re.compile(r"^(?P<base>\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(?P<step>\d+))?$")


def _day_number(token: str) -> int:
    """A weekday as cron's number 0-6: ``0``-``7`` or a name (three letters, as crontab(5) has them)."""
    if token.isdigit():
        number = int(token)
        if number > 7:
            raise ValueError(f"weekday {number} is out of range: cron weekdays are 0-7 (0 and 7 are Sunday)")
        return number % 7
    name = token[:3]
    if name not in CRON_DAYS or (len(token) > 3 and not _full_name(token)):
        raise ValueError(f"unknown weekday {token!r}: use 0-7 or sun, mon, tue, wed, thu, fri, sat")
    return CRON_DAYS.index(name)


def _full_name(token: str) -> bool:
    names = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
    return token in names


def cron_weekdays(field: str) -> str:
    """The day-of-week field of a crontab, in cron's numbering, as a list of APScheduler weekday names."""
    days: set[int] = set()
    for element in field.strip().lower().split(","):
        match = _ELEMENT.match(element)
        if not match:
            raise ValueError(f"cannot read weekday field element {element!r}")
        base, step = match["base"], int(match["step"] or 1)
        if step < 1:
            raise ValueError(f"a step must be at least 1 in {element!r}")
        if base == "*":
            first, last = 0, 6
        elif "-" in base:
            start, end = base.split("-")
            first, last = _day_number(start), _day_number(end)
            if end.isdigit() and int(end) == 7:
                last = 7  # "1-7": Monday to Sunday, not Monday to 0
            if last < first:
                last += 7  # "5-1" or "fri-mon": wraps over the weekend
        else:
            first = _day_number(base)
            last = 6 if match["step"] else first  # "1/2": from Monday on, every other day
        days.update(day % 7 for day in range(first, last + 1, step))
    if len(days) == 7:
        return "*"
    return ",".join(name for name in _APSCHEDULER_ORDER if CRON_DAYS.index(name) in days)


def cron_trigger(expression: str, timezone: Any) -> CronTrigger:
    """A cron expression: the usual five fields, or six with seconds first (``*/10 * * * * *``).

    Both read weekdays as cron does (:func:`cron_weekdays`), not as APScheduler does.
    """
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(f"a cron expression has 5 fields (or 6 with seconds first), not {len(fields)}")
    second, minute, hour, day, month, day_of_week = fields
    return CronTrigger(
        second=second, minute=minute, hour=hour, day=day, month=month,
        day_of_week=cron_weekdays(day_of_week), timezone=timezone,
    )  # fmt: skip


def next_runs(
    expression: str, timezone: Any, count: int = 3, after: datetime | None = None
) -> list[datetime]:
    """The next ``count`` times the expression fires after ``after`` (default: now), in ``timezone``."""
    trigger = cron_trigger(expression, timezone)
    moment = after or datetime.now(trigger.timezone)
    runs: list[datetime] = []
    while len(runs) < count:
        fire = trigger.get_next_fire_time(runs[-1] if runs else None, moment)
        if fire is None:
            break
        runs.append(fire)
        moment = fire + timedelta(seconds=1)
    return runs


def format_next_runs(expression: str, settings: Any) -> str:
    """``2026-12-07 08:00 Mon, …``: the next three runs in ``TIMEZONE``, for ``aggregator validate``."""
    from aggregator.export.hexo import load_timezone

    zone = load_timezone(settings.get("TIMEZONE"))
    return ", ".join(f"{run:%Y-%m-%d %H:%M %a}" for run in next_runs(expression, zone))
