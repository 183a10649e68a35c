"""The two clocks of a case, in China's working days (``core.workdays``).

Both run from the acceptance date (the day the last missing material arrived, after a 补正). Special procedures stop
both for the working days they last (行政许可法 第四十五条); an approved extension (第四十二条) moves both, since the
applicant has been told the new date in writing. The due dates are stored on the case so that supervision and the
figures compare them with plain SQL; ``refresh`` recomputes them after every event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.workdays import add_workdays, workdays_between

from .models import Case, CaseStatus


def suspended_workdays(started_on: dt.date, ended_on: dt.date) -> int:
    """Working days a suspension stopped the clocks: those after its first day up to and including its last, so a
    procedure started and finished on one day costs nothing."""
    return max(0, workdays_between(started_on, ended_on))


def due_date(accepted_on: dt.date, limit: int, *, extra: int = 0) -> dt.date:
    return add_workdays(accepted_on, limit + extra)


def refresh(case: Case, *, today: dt.date | None = None) -> None:
    """Set the due dates from the acceptance date, the limits, the closed suspensions, the open one counted up to
    ``today``, and the approved extensions. Does not save."""
    if case.accepted_on is None:
        case.legal_due = case.promised_due = None
        return
    running = 0
    if case.suspended_since is not None:
        running = suspended_workdays(case.suspended_since, today or timezone.localdate())
    stopped = case.suspended_days + running + case.extension_days
    case.legal_due = due_date(case.accepted_on, case.legal_limit, extra=stopped) if case.legal_limit else None
    case.promised_due = (
        due_date(case.accepted_on, case.promised_limit, extra=stopped) if case.promised_limit is not None else None
    )


@dataclass(frozen=True)
class Clock:
    """One clock as a page shows it."""

    limit: int | None
    due: dt.date | None
    remaining: int | None  # working days left (negative when past), None when stopped or not running
    finished_on: dt.date | None
    state: str  # "running", "suspended", "done", "not_started"

    @property
    def overdue(self) -> bool:
        if self.due is None:
            return False
        if self.finished_on is not None:
            return self.finished_on > self.due
        return self.remaining is not None and self.remaining < 0


def clocks(case: Case, *, today: dt.date | None = None) -> tuple[Clock, Clock]:
    """The legal and the promised clock of ``case`` on ``today``."""
    today = today or timezone.localdate()

    def one(limit: int | None, due: dt.date | None) -> Clock:
        if case.accepted_on is None or due is None:
            return Clock(limit, None, None, None, "not_started")
        if case.status == CaseStatus.FINISHED:
            return Clock(limit, due, None, case.finished_on, "done")
        if case.status == CaseStatus.SUSPENDED:
            return Clock(limit, due, None, None, "suspended")
        return Clock(limit, due, workdays_between(today, due), None, "running")

    return one(case.legal_limit, case.legal_due), one(case.promised_limit, case.promised_due)
