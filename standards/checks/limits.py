"""Whether one time limit is longer than another when their units differ (C03).

``15个工作日`` against ``60日``: fifteen working days never take sixty calendar days, whatever the start; ``10个工作日``
against ``14日`` depends on it (two ordinary weeks are exactly fourteen days, a week with a public holiday is more).
A rule that can only say "units differ" for both is useless, so ``exceeds`` answers True or False whenever the
answer is the same for every start, and None only where it truly depends on the start date.

How: the deadline of a limit counted from a start date is the N-th working day after it (working days), the start
plus N days (calendar days), the same day N months or years later (months, years; the 31st falls back to the
month's last day). ``exceeds`` compares the two deadlines for every working day of the years whose official
calendar is known (the ``chinese_calendar`` package: every 调休 and holiday run since 2004, Spring Festival and
National Day weeks included) as the start. Those two decades hold the longest and the shortest spans N working days
have had, which is the exact bound the rule needs; the admin's overrides only add future years, which follow the
same State Council pattern, so the package's years are read directly (no query while checking).
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache, lru_cache

import chinese_calendar

from core.workdays import package_covers
from standards.models import LimitUnit

_MONTHS = {LimitUnit.MONTH: 1, LimitUnit.YEAR: 12}
_DAYS = (LimitUnit.WORKING_DAY, LimitUnit.NATURAL_DAY)


@cache
def _working_days() -> tuple[dt.date, ...]:
    """Every working day of the years the package covers, in order."""
    years = [year for year in range(2000, 2101) if package_covers(year)]
    day, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    days = []
    while day <= last:
        if chinese_calendar.is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return tuple(days)


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _deadline(index: int, value: int, unit: str) -> dt.date | None:
    """The deadline of ``value unit`` counted from the ``index``-th working day; None past the known calendar."""
    workdays = _working_days()
    start = workdays[index]
    if unit == LimitUnit.INSTANT or not value:
        return start
    if unit == LimitUnit.WORKING_DAY:
        end = index + value
        return workdays[end] if end < len(workdays) else None
    if unit == LimitUnit.NATURAL_DAY:
        end_day = start + dt.timedelta(days=value)
    else:
        end_day = _add_months(start, value * _MONTHS[unit])
    return end_day if end_day <= workdays[-1] else None


@lru_cache(maxsize=1024)
def _over_for_every_start(value: int, unit: str, limit: int, limit_unit: str) -> bool | None:
    outcomes = set()
    for index in range(len(_working_days())):
        mine, theirs = _deadline(index, value, unit), _deadline(index, limit, limit_unit)
        if mine is None or theirs is None:
            break  # later starts run past the calendar too
        outcomes.add(mine > theirs)
        if len(outcomes) == 2:
            return None
    return outcomes.pop() if len(outcomes) == 1 else None


def exceeds(value: int, unit: str, limit: int, limit_unit: str) -> bool | None:
    """Whether ``value unit`` is longer than ``limit limit_unit`` for every start date (True), for none (False), or
    depending on the start (None). 即办 is zero; an unknown unit is None."""
    if unit == LimitUnit.INSTANT:
        return False
    if limit_unit == LimitUnit.INSTANT:
        return value > 0
    if unit == limit_unit:
        return value > limit
    if unit in _MONTHS and limit_unit in _MONTHS:
        return value * _MONTHS[unit] > limit * _MONTHS[limit_unit]
    known = (*_DAYS, *_MONTHS)
    if unit not in known or limit_unit not in known:
        return None
    return _over_for_every_start(value, unit, limit, limit_unit)


def span_bounds(value: int, unit: str) -> tuple[int, int]:
    """The fewest and the most calendar days ``value unit`` has taken from a working day (for messages and tests)."""
    workdays = _working_days()
    spans = []
    for index in range(len(workdays)):
        end = _deadline(index, value, unit)
        if end is None:
            break
        spans.append((end - workdays[index]).days)
    return min(spans), max(spans)
