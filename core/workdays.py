"""China's working days: the only working-day arithmetic of the portal.

China moves working days around its public holidays (调休): five working days from Wednesday 2026-09-30 end on
Tuesday 2026-10-13, the Saturday 2026-10-10 counting as a working day. Whether a day is a working day is decided, in
this order, by

1. the admin-editable ``WorkdayOverride`` table (the State Council's notice, entered by an administrator);
2. the ``chinese_calendar`` package, for the years it covers (release 1.11 covers 2004–2026);
3. Monday to Friday — only for a day of a year neither covers. Such a day is *unknown*: the portal never silently falls
   back to Monday–Friday. It logs the year once per process, and ``calendar_warning`` tells administrators and
   supervisors on their home page, 60 days ahead, which year's calendar is missing.

A year the package does not cover counts as covered as soon as the override table holds a row of that year: the
administrator has entered the year's holidays and make-up days, and the remaining days follow Monday to Friday.

The override rows are read once and kept per process, so a due date costs no query per day. A save or delete
invalidates that copy at once in the process that made it; other processes (web workers, Celery) reload theirs after
``OVERRIDE_TTL`` seconds at the latest, which is plenty for a table changed once a year.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TypeVar

import chinese_calendar
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from .i18n import enumeration
from .models import WorkdayOverride

logger = logging.getLogger("core.workdays")

WARNING_HORIZON_DAYS = 60
OVERRIDE_TTL = 300.0

Day = TypeVar("Day", dt.date, dt.datetime)


@dataclass(frozen=True)
class _Overrides:
    days: dict[dt.date, bool]
    years: frozenset[int]
    loaded_at: float


_overrides: _Overrides | None = None
_lock = threading.Lock()
_reported_years: set[int] = set()


def _current_overrides() -> _Overrides:
    global _overrides
    snapshot = _overrides
    if snapshot is not None and time.monotonic() - snapshot.loaded_at < OVERRIDE_TTL:
        return snapshot
    with _lock:
        days = dict(WorkdayOverride.objects.values_list("date", "is_workday"))
        snapshot = _Overrides(days, frozenset(day.year for day in days), time.monotonic())
        _overrides = snapshot
    return snapshot


def invalidate_overrides() -> None:
    """Forget the cached override rows; the next lookup reads the table again."""
    global _overrides
    with _lock:
        _overrides = None


@receiver(post_save, sender=WorkdayOverride, dispatch_uid="core.workdays.saved")
@receiver(post_delete, sender=WorkdayOverride, dispatch_uid="core.workdays.deleted")
def _override_changed(sender, **kwargs) -> None:
    invalidate_overrides()


@cache
def package_covers(year: int) -> bool:
    """Whether the installed ``chinese_calendar`` knows the holidays of ``year`` (it raises for the others)."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)
def _package_is_workday(day: dt.date) -> bool | None:
    if not package_covers(day.year):
        return None
    return chinese_calendar.is_workday(day)


def _report_unknown(year: int) -> None:
    if year in _reported_years:
        return
    _reported_years.add(year)
    logger.warning(
        "No working-day calendar for %s: the chinese_calendar package does not cover it and no working-day override "
        "of that year is entered; its days count Monday to Friday until the State Council's notice is entered.",
        year,
    )


def _is_workday(day: dt.date, overrides: _Overrides) -> bool:
    entered = overrides.days.get(day)
    if entered is not None:
        return entered
    known = _package_is_workday(day)
    if known is not None:
        return known
    if day.year not in overrides.years:
        _report_unknown(day.year)
    return day.weekday() < 5


def _local_date(day: dt.date | dt.datetime) -> dt.date:
    if isinstance(day, dt.datetime):
        return (timezone.localtime(day) if timezone.is_aware(day) else day).date()
    return day


def is_workday(day: dt.date | dt.datetime) -> bool:
    """Whether people work on ``day`` in China (an aware datetime is taken in local time)."""
    return _is_workday(_local_date(day), _current_overrides())


def is_known(day: dt.date | dt.datetime) -> bool:
    """Whether ``day`` has calendar data: the package covers its year or the override table has rows of its year."""
    day = _local_date(day)
    return package_covers(day.year) or day.year in _current_overrides().years


def add_workdays(start: Day, n: int) -> Day:
    """``start`` plus ``n`` working days (``n`` >= 0).

    A start on a non-working day counts from the next working day, so ``n`` = 0 gives that day. A datetime keeps its
    time of day; an aware datetime is counted in local time and returned in local time."""
    if n < 0:
        raise ValueError("add_workdays counts forward only")
    overrides = _current_overrides()
    if isinstance(start, dt.datetime):
        local = timezone.localtime(start) if timezone.is_aware(start) else start
        end = _add(local.date(), n, overrides)
        return local + dt.timedelta(days=(end - local.date()).days)
    return _add(start, n, overrides)


def _add(day: dt.date, n: int, overrides: _Overrides) -> dt.date:
    one = dt.timedelta(days=1)
    while not _is_workday(day, overrides):
        day += one
    remaining = n
    while remaining > 0:
        day += one
        if _is_workday(day, overrides):
            remaining -= 1
    return day


def workdays_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """The working days after ``a`` up to and including ``b`` (times of day are ignored, aware datetimes are taken
    in local time).

    Zero when both fall on the same day. When ``b`` is before ``a`` the count is negative: minus the working days
    after ``b`` up to and including ``a``, so ``workdays_between(a, b) == -workdays_between(b, a)``. For a working
    day ``a`` and ``n`` >= 1, ``workdays_between(a, add_workdays(a, n)) == n``."""
    first, last = _local_date(a), _local_date(b)
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    overrides = _current_overrides()
    one = dt.timedelta(days=1)
    count = 0
    day = first + one
    while day <= last:
        count += _is_workday(day, overrides)
        day += one
    return sign * count


def uncovered_years(start: dt.date, end: dt.date) -> list[int]:
    """The years from ``start`` to ``end`` (inclusive) for which neither the package nor the override table has
    data, so their days would count Monday to Friday."""
    overrides = _current_overrides()
    return [
        year for year in range(start.year, end.year + 1) if not package_covers(year) and year not in overrides.years
    ]


@dataclass(frozen=True)
class CalendarWarning:
    years: list[int]
    url: str
    can_enter: bool
    days: int = WARNING_HORIZON_DAYS

    @property
    def years_display(self) -> str:
        return enumeration(self.years)


def calendar_warning(*, can_enter: bool, today: dt.date | None = None) -> CalendarWarning | None:
    """What is shown when a day of the next 60 days lacks calendar data, or None when the calendar is complete.

    Who is told, and whether they may enter the missing days (``can_enter``), is the caller's decision (the home page
    asks the permission module). The check reads only the cached rows: no query per page."""
    today = today or timezone.localdate()
    years = uncovered_years(today, today + dt.timedelta(days=WARNING_HORIZON_DAYS))
    if not years:
        return None
    for year in years:
        _report_unknown(year)
    return CalendarWarning(years, reverse("admin:core_workdayoverride_changelist"), can_enter)
