"""Progress of every unit against the milestones of a work plan (domain decisions 6 and 7).

For each milestone, the units at its level in the plan's province (limited to the divisions the caller may see) with
their counts. The number of queries does not depend on the number of units or items: one for the milestones, one for
the units of all levels, one for the filings, and one aggregate per distinct item scope (level, item type, own items
only) — never a loop over items or units in Python that queries.

Decisions taken here:

- A unit's items are its active local items (status 在用), optionally of one type: for a county, its own and its
  townships'; for a city, its whole subtree; for the province, everything in it — unless the milestone counts the
  unit's own items only (the items its own departments implement).
- A city without a county level (东莞 441900, 中山 442000: townships directly under the city) also stands for itself
  in county-level milestones, with its whole subtree, so its townships' items are not left out of the county deadline.
- "Submitted" is an item any version of whose standard has been submitted at least once (``first_submitted_at`` set);
  "approved" an item with a version approved or published. The rate is done ÷ active items, rounded down to 0.1%, so
  100% is shown only when nothing is missing.
- A unit with no active items (in the milestone's type) has nothing to enter: its rate is shown as "—" and it is
  never behind.
- A unit is behind when the due date has come (the due date included) and the requirement is unmet. For
  ``plan_filed``, a unit is behind without a filing dated on or before the due date; a later filing is shown as
  filed late, still named as having missed the deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone

from catalogue import access
from catalogue.models import Division, DivisionLevel, LocalItem, LocalItemStatus
from standards.models import ItemStandard, StandardState

from .deadline_models import Milestone, MilestoneFiling, MilestoneKind, WorkPlan

DONE_STATES = (StandardState.APPROVED, StandardState.PUBLISHED)


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
        """Per cent of active items done, rounded down to one decimal; ``None`` without items."""
        if not self.counts_items or self.active == 0:
            return None
        return (self.done * 1000 // self.active) / 10

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
        active = self.active
        return None if active == 0 else (self.done * 1000 // active) / 10


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
    units = _units(plan.province_id, {m.level for m in milestones}, within)
    filings = _filings([m for m in milestones if m.kind == MilestoneKind.PLAN_FILED and units[m.level]])
    counts: dict[tuple, dict[str, dict[str, int]]] = {}
    for m in milestones:
        key = _count_key(m)
        if m.counts_items and key not in counts and units[m.level]:
            counts[key] = _counts(m.level, m.item_type, m.own_items_only, units[m.level])
    result = []
    for m in milestones:
        unit_counts = counts.get(_count_key(m), {})
        rows = []
        for division in units[m.level]:
            c = unit_counts.get(division.code, {})
            rows.append(
                UnitProgress(
                    division=division,
                    milestone=m,
                    today=today,
                    active=c.get("active", 0),
                    submitted=c.get("submitted", 0),
                    approved=c.get("approved", 0),
                    filing=filings.get((m.pk, division.code)),
                    stands_for_county=m.level == DivisionLevel.COUNTY and division.level == DivisionLevel.CITY,
                )
            )
        result.append(MilestoneProgress(m, today, tuple(rows)))
    return result


def _count_key(m: Milestone) -> tuple:
    return (m.level, m.item_type, m.own_items_only)


def _units(province_code: str, levels: set[str], within: QuerySet[Division] | None) -> dict[str, list[Division]]:
    """The units of each level in one query. A city without counties is a unit of the county level too."""
    has_counties = Exists(Division.objects.filter(city_code=OuterRef("code"), level=DivisionLevel.COUNTY))
    wanted = Q(pk__in=[])
    if DivisionLevel.PROVINCE in levels:
        wanted |= Q(level=DivisionLevel.PROVINCE)
    if DivisionLevel.CITY in levels:
        wanted |= Q(level=DivisionLevel.CITY)
    if DivisionLevel.COUNTY in levels:
        wanted |= Q(level=DivisionLevel.COUNTY) | Q(level=DivisionLevel.CITY, has_counties=False)
    divisions = (
        Division.objects.filter(province_code=province_code)
        .annotate(has_counties=has_counties)
        .filter(wanted)
        .order_by("code")
    )
    if within is not None:
        divisions = divisions.filter(pk__in=within.values("pk"))
    units: dict[str, list[Division]] = defaultdict(list)
    for division in divisions:
        if division.level != DivisionLevel.CITY or DivisionLevel.CITY in levels:
            units[division.level].append(division)
        if division.level == DivisionLevel.CITY and not division.has_counties and DivisionLevel.COUNTY in levels:
            units[DivisionLevel.COUNTY].append(division)
    for rows in units.values():
        rows.sort(key=lambda d: d.code)
    return units


def _filings(milestones: list[Milestone]) -> dict[tuple[int, str], MilestoneFiling]:
    if not milestones:
        return {}
    filings = MilestoneFiling.objects.filter(milestone__in=milestones)
    return {(f.milestone_id, f.division_id): f for f in filings}


def _counts(level: str, item_type: str, own_only: bool, units: list[Division]) -> dict[str, dict[str, int]]:
    """Active, submitted and approved items per unit code: one aggregate query, grouped in the database."""
    items = LocalItem.objects.filter(status=LocalItemStatus.ACTIVE)
    if item_type:
        items = items.filter(item_type=item_type)
    codes = [u.code for u in units]
    if own_only:
        unit_key = F("division_id")
        items = items.filter(division_id__in=codes)
    elif level == DivisionLevel.COUNTY:
        counties = [u.code for u in units if u.level == DivisionLevel.COUNTY]
        cities = [u.code for u in units if u.level == DivisionLevel.CITY]
        # A township of a city without counties has no county code: it counts under its city.
        unit_key = Case(
            When(division__county_code="", then=F("division__city_code")),
            default=F("division__county_code"),
            output_field=CharField(),
        )
        items = items.filter(
            Q(division__county_code__in=counties) | Q(division__city_code__in=cities, division__county_code="")
        )
    else:
        unit_key = F(f"division__{level}_code")
        items = items.filter(**{f"division__{level}_code__in": codes})
    submitted = Exists(ItemStandard.objects.filter(local_item=OuterRef("pk"), first_submitted_at__isnull=False))
    approved = Exists(ItemStandard.objects.filter(local_item=OuterRef("pk"), state__in=DONE_STATES))
    rows = (
        items.annotate(unit=unit_key)
        .values("unit")
        .annotate(active=Count("pk"), submitted=Count("pk", filter=submitted), approved=Count("pk", filter=approved))
        .order_by()
    )
    return {r["unit"]: {"active": r["active"], "submitted": r["submitted"], "approved": r["approved"]} for r in rows}
