"""Reads for the supervisor dashboard: the latest snapshots of a unit and its children, the trend, the forecasts.

Everything comes from stored snapshots (``RateSnapshot``), so the page costs a fixed number of queries whatever the
size of the province: the latest date, the unit's and its children's rows on that date and on the date the pace is
measured from, the unit's trend, and the deadlines — plus the overdue bulletin's own fixed set
(``reporting.deadlines``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Max, Q, QuerySet

from catalogue import access as catalogue_access
from catalogue.models import Division, DivisionLevel
from core.workdays import add_workdays, workdays_between
from standards import permissions
from workflow.deadlines.models import Milestone, MilestoneKind

from .models import ProgressReport, RateSnapshot, ScopeKind
from .rates import Figures

PACE_WINDOW_DAYS = 28
TREND_POINTS = 90


@dataclass(frozen=True)
class UnitRow:
    """One child unit on the dashboard: its figures, and when it reaches 100 % submission at its current pace."""

    snapshot: RateSnapshot
    figures: Figures
    drill_code: str | None  # the division to drill into, None for a department
    pace_per_day: float | None  # submission rate gained per day over the pace window
    forecast: dt.date | None  # the day it reaches 100 % at that pace (None: reached, or never at this pace)
    deadline: dt.date | None

    @property
    def name(self) -> str:
        s = self.snapshot
        return s.organization.name if s.organization_id else s.division.name

    @property
    def done(self) -> bool:
        return self.figures.active == 0 or self.figures.submitted >= self.figures.active

    @property
    def stalled(self) -> bool:
        return not self.done and not self.pace_per_day

    @property
    def late(self) -> bool:
        """Flagged red: at this pace it reaches 100 % after its deadline, or not at all."""
        if self.done or self.deadline is None:
            return False
        return self.forecast is None or self.forecast > self.deadline


def latest_date() -> dt.date | None:
    return RateSnapshot.objects.aggregate(d=Max("date"))["d"]


def child_filter(division: Division) -> Q:
    """The snapshots one level down from ``division``: cities of a province, counties of a city (the departments of a
    city without counties), departments of a county."""
    if division.level == DivisionLevel.PROVINCE:
        return Q(kind=ScopeKind.CITY, division__province_code=division.code)
    if (
        division.level == DivisionLevel.CITY
        and Division.objects.filter(city_code=division.code, level=DivisionLevel.COUNTY).exists()
    ):
        return Q(kind=ScopeKind.COUNTY, division__city_code=division.code)
    return Q(kind=ScopeKind.DEPARTMENT) & Q(**{f"division__{division.level}_code": division.code})


def deadline_for(division: Division, child_kind: str) -> dt.date | None:
    """The due date of the entry milestone that applies to the children (departments count with their county)."""
    level = DivisionLevel.COUNTY if child_kind == ScopeKind.DEPARTMENT else child_kind
    milestone = (
        Milestone.objects.filter(
            plan__province_id=division.province_code, kind=MilestoneKind.ENTERED, level=level, item_type=""
        )
        .order_by("due_on")
        .first()
    )
    return milestone.due_on if milestone else None


def forecast(now: Figures, before: Figures | None, days: int, on: dt.date) -> tuple[float | None, dt.date | None]:
    """The submission rate's pace per working day over the last ``days`` working days, and the working day on which
    the unit reaches 100 % at that pace (None when it is done, has no history, or does not move)."""
    if now.active == 0 or now.submitted >= now.active:
        return None, None
    if before is None or days <= 0 or before.active == 0:
        return None, None
    pace = ((now.submission_rate or 0) - (before.submission_rate or 0)) / days
    if pace <= 0:
        return pace, None
    return pace, add_workdays(on, math.ceil(round((1 - (now.submission_rate or 0)) / pace, 9)))


@dataclass(frozen=True)
class Dashboard:
    division: Division
    date: dt.date | None
    headline: Figures | None
    rows: list[UnitRow]
    trend: list[RateSnapshot]
    pace_from: dt.date | None
    child_kind: str | None


def dashboard(division: Division) -> Dashboard:
    date = latest_date()
    if date is None:
        return Dashboard(division, None, None, [], [], None, None)
    own = RateSnapshot.objects.filter(scope_key=division.code, kind=division.level)
    headline = own.filter(date=date).first()
    below = child_filter(division)
    children = RateSnapshot.objects.filter(below).select_related("division", "organization")
    rows_now = list(children.filter(date=date).order_by("scope_key"))
    window_start = date - dt.timedelta(days=PACE_WINDOW_DAYS)
    # The pace is measured from the earliest snapshot of the unit in the window before the latest date.
    pace_from = (
        own.filter(date__gte=window_start, date__lt=date).order_by("date").values_list("date", flat=True).first()
    )
    before = {}
    if pace_from is not None:
        earlier_rows = RateSnapshot.objects.filter(below, date=pace_from).only(
            *Figures.names(), "scope_key", "approval_base"
        )
        before = {s.scope_key: Figures.of(s) for s in earlier_rows}
    child_kind = rows_now[0].kind if rows_now else None
    deadline = deadline_for(division, child_kind) if child_kind else None
    rows = []
    for snapshot in rows_now:
        figures = Figures.of(snapshot)
        days = workdays_between(pace_from, date) if pace_from else 0
        pace, when = forecast(figures, before.get(snapshot.scope_key), days, date)
        rows.append(
            UnitRow(
                snapshot=snapshot,
                figures=figures,
                drill_code=None if snapshot.organization_id else snapshot.division_id,
                pace_per_day=pace,
                forecast=when,
                deadline=deadline,
            )
        )
    trend = list(own.order_by("-date")[:TREND_POINTS])[::-1]
    return Dashboard(division, date, Figures.of(headline) if headline else None, rows, trend, pace_from, child_kind)


def breadcrumbs(user: User | AnonymousUser, division: Division) -> list[Division]:
    """The ancestors of ``division`` the user may open, from the top of their scope down."""
    codes = division.ancestor_codes()
    found = {d.code: d for d in Division.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found and catalogue_access.can_see_division(user, found[c])]


def reports_for(user: User | AnonymousUser) -> QuerySet[ProgressReport]:
    """Reports of the units in the user's subtree, newest first."""
    return ProgressReport.objects.filter(permissions.reports_filter(user)).select_related(
        "division", "sent_by", "created_by"
    )
