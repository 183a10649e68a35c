"""Progress of every unit against the milestones of a work plan (domain decisions 6 and 7).

For each milestone, the units at its level in the plan's province (limited to the divisions the caller may see) with
their counts. The number of queries does not depend on the number of units or items: one for the milestones, one for
the units of all levels, one for the filings, and one aggregate per distinct item scope (level, item type, own items
only) — never a loop over items or units in Python that queries.

The units and their counts come from ``reporting.rates`` (``units``, ``unit_figures``), with its definitions, its
rule for cities without counties (one stands among the county-level units, with its whole subtree) and its rounding
(down to 0.1 %): "entered" milestones need every active item ``submitted``, "approved" ones every item ``passed``.

Decisions taken here:

- A unit's items are its active local items (status 在用), optionally of one type: for a county, its own and its
  townships'; for a city, its whole subtree; for the province, everything in it — unless the milestone counts the
  unit's own items only (the items its own departments implement).
- A unit with no active items (in the milestone's type) has nothing to enter: its rate is shown as "—" and it is
  never behind.
- A unit is behind when the due date has come (the due date included) and the requirement is unmet. For
  ``plan_filed``, a unit is behind without a filing dated on or before the due date; a later filing is shown as
  filed late, still named as having missed the deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.utils import timezone

from catalogue import access
from catalogue.models import Division, DivisionLevel
from workflow.deadlines.models import Milestone, MilestoneFiling, MilestoneKind, WorkPlan

from .. import rates


class UnitStatus:
    MET = "met"  # requirement met (filed on time)
    LATE = "late"  # filed after the due date
    OVERDUE = "overdue"  # due date come, requirement unmet
    PENDING = "pending"  # not due yet, requirement unmet
    NO_ITEMS = "no_items"  # no active items to enter: nothing to do

    BEHIND = frozenset({OVERDUE, LATE})
    UNMET = frozenset({OVERDUE, LATE, PENDING})


@dataclass(frozen=True)
class UnitProgress:
    """One unit's standing against one milestone on a given day."""

    division: Division
    milestone: Milestone
    today: dt.date
    active: int = 0
    submitted: int = 0
    approved: int = 0
    filing: MilestoneFiling | None = None
    stands_for_county: bool = False  # a city without counties, in a county-level milestone

    @property
    def counts_items(self) -> bool:
        return self.milestone.kind != MilestoneKind.PLAN_FILED

    @property
    def done(self) -> int:
        if self.milestone.kind == MilestoneKind.ENTERED:
            return self.submitted
        if self.milestone.kind == MilestoneKind.APPROVED:
            return self.approved
        return 0

    @property
    def shortfall(self) -> int:
        """Items still missing for the requirement (0 for a filing milestone)."""
        return self.active - self.done if self.counts_items else 0

    @property
    def rate(self) -> float | None:
        """Per cent of active items done, rounded down to one decimal (``rates.percent``); ``None`` without items."""
        if not self.counts_items:
            return None
        return rates.percent(rates.ratio(self.done, self.active))

    @property
    def due(self) -> dt.date:
        return self.milestone.due_on

    @cached_property
    def status(self) -> str:
        due_come = self.today >= self.due
        if not self.counts_items:
            if self.filing is not None:
                return UnitStatus.MET if self.filing.filed_on <= self.due else UnitStatus.LATE
            return UnitStatus.OVERDUE if due_come else UnitStatus.PENDING
        if self.active == 0:
            return UnitStatus.NO_ITEMS
        if self.shortfall == 0:
            return UnitStatus.MET
        return UnitStatus.OVERDUE if due_come else UnitStatus.PENDING

    @property
    def is_behind(self) -> bool:
        """Missed the milestone: due and unmet, or filed after the due date."""
        return self.status in UnitStatus.BEHIND

    @property
    def is_unmet(self) -> bool:
        return self.status in UnitStatus.UNMET

    @property
    def days_overdue(self) -> int | None:
        """Days past the due date while unmet (0 on the due date itself); days late for a late filing."""
        if self.status == UnitStatus.LATE:
            return (self.filing.filed_on - self.due).days
        if self.status == UnitStatus.OVERDUE:
            return (self.today - self.due).days
        return None

    @property
    def days_left(self) -> int | None:
        return (self.due - self.today).days if self.status == UnitStatus.PENDING else None


@dataclass(frozen=True)
class MilestoneProgress:
    milestone: Milestone
    today: dt.date
    units: tuple[UnitProgress, ...]

    @property
    def is_due(self) -> bool:
        return self.today >= self.milestone.due_on

    @property
    def days_left(self) -> int:
        return (self.milestone.due_on - self.today).days

    @property
    def days_overdue(self) -> int:
        return (self.today - self.milestone.due_on).days

    @cached_property
    def behind(self) -> list[UnitProgress]:
        """Units that missed the milestone, the furthest behind first."""
        return sorted((u for u in self.units if u.is_behind), key=_severity)

    @cached_property
    def unmet(self) -> list[UnitProgress]:
        """Units still short of the requirement (behind, or not due yet), the furthest behind first."""
        return sorted((u for u in self.units if u.is_unmet), key=_severity)

    @property
    def met_count(self) -> int:
        return sum(1 for u in self.units if u.status in (UnitStatus.MET, UnitStatus.NO_ITEMS))

    @property
    def active(self) -> int:
        return sum(u.active for u in self.units)

    @property
    def done(self) -> int:
        return sum(u.done for u in self.units)

    @property
    def rate(self) -> float | None:
        return rates.percent(rates.ratio(self.done, self.active))


def _severity(unit: UnitProgress):
    return (-unit.shortfall, unit.rate if unit.rate is not None else 100.0, unit.division.code)


@dataclass(frozen=True)
class PlanProgress:
    plan: WorkPlan
    today: dt.date
    milestones: tuple[MilestoneProgress, ...]

    @property
    def behind_count(self) -> int:
        return sum(len(m.behind) for m in self.milestones)


# --- plans ------------------------------------------------------------------------------------------------------


def plans_for(user: User | AnonymousUser) -> QuerySet[WorkPlan]:
    """Work plans of the provinces the user works in (all of them for an administrator), newest first."""
    scope = access.scope_of(user)
    plans = WorkPlan.objects.select_related("province")
    if scope.is_admin:
        return plans
    return plans.filter(province_id__in={d.province_code for d in scope.divisions()})


def scope_divisions(user: User | AnonymousUser) -> QuerySet[Division] | None:
    """The divisions whose units the user may see progress of: ``None`` (no limit) for an administrator."""
    return None if access.scope_of(user).is_admin else access.visible_divisions(user)


def units_to_chase(
    user: User | AnonymousUser, *, today: dt.date | None = None, soon_days: int = 30
) -> tuple[WorkPlan | None, list[UnitProgress]]:
    """The newest work plan the user follows and the units of their scope still short of one of its milestones: first
    those past the due date (the longest overdue first), then those whose due date comes within ``soon_days`` (the
    nearest first). A filing made late is done, so not listed. A bounded number of queries (``plan_progress``),
    whatever the number of units."""
    plan = plans_for(user).first()
    if plan is None:
        return None, []
    progress = plan_progress(plan, within=scope_divisions(user), today=today)
    overdue, soon = [], []
    for milestone in progress.milestones:
        for unit in milestone.unmet:
            if unit.status == UnitStatus.OVERDUE:
                overdue.append(unit)
            elif unit.status == UnitStatus.PENDING and unit.days_left <= soon_days:
                soon.append(unit)
    overdue.sort(key=lambda u: (-u.days_overdue, *_severity(u)))
    soon.sort(key=lambda u: (u.days_left, *_severity(u)))
    return plan, overdue + soon


# --- progress ---------------------------------------------------------------------------------------------------


def plan_progress(
    plan: WorkPlan, *, within: QuerySet[Division] | None = None, today: dt.date | None = None
) -> PlanProgress:
    """Every milestone of ``plan`` with every unit at its level in the plan's province, limited to the divisions in
    ``within`` (all when ``None``), as of ``today`` (default: the local date)."""
    today = today or timezone.localdate()
    milestones = list(plan.milestones.all())
    return PlanProgress(plan, today, tuple(_progress(plan, milestones, within, today)))


def milestone_progress(
    milestone: Milestone, *, within: QuerySet[Division] | None = None, today: dt.date | None = None
) -> MilestoneProgress:
    today = today or timezone.localdate()
    return next(iter(_progress(milestone.plan, [milestone], within, today)))


def _progress(plan: WorkPlan, milestones: list[Milestone], within, today: dt.date) -> list[MilestoneProgress]:
    if not milestones:
        return []
    units = rates.units(plan.province_id, {m.level for m in milestones}, within)
    filings = _filings([m for m in milestones if m.kind == MilestoneKind.PLAN_FILED and units[m.level]])
    counts: dict[tuple, dict[str, rates.Figures]] = {}
    for m in milestones:
        key = _count_key(m)
        if m.counts_items and key not in counts and units[m.level]:
            counts[key] = rates.unit_figures(
                m.level, units[m.level], item_type=m.item_type, own_items_only=m.own_items_only
            )
    result = []
    for m in milestones:
        unit_counts = counts.get(_count_key(m), {})
        rows = []
        for division in units[m.level]:
            figures = unit_counts.get(division.code) or rates.Figures()
            rows.append(
                UnitProgress(
                    division=division,
                    milestone=m,
                    today=today,
                    active=figures.active,
                    submitted=figures.submitted,
                    approved=figures.passed,
                    filing=filings.get((m.pk, division.code)),
                    stands_for_county=m.level == DivisionLevel.COUNTY and division.level == DivisionLevel.CITY,
                )
            )
        result.append(MilestoneProgress(m, today, tuple(rows)))
    return result


def _count_key(m: Milestone) -> tuple:
    return (m.level, m.item_type, m.own_items_only)


def _filings(milestones: list[Milestone]) -> dict[tuple[int, str], MilestoneFiling]:
    if not milestones:
        return {}
    filings = MilestoneFiling.objects.filter(milestone__in=milestones)
    return {(f.milestone_id, f.division_id): f for f in filings}
