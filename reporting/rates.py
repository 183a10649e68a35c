"""The rates of domain decision 6, for every scope of the country at once.

One aggregate query counts the active local items per (division, department) group — each item joined to its live
versions (not superseded or withdrawn; at most one published and one in progress) and their open review task — with
``COUNT(DISTINCT item) FILTER (…)`` per figure. The scopes are then sums of those group rows: a county is its own
groups and its townships', a city everything under it (also a city without counties), the province everything, a
department its own groups. The groups are additive because every item sits in exactly one of them; two more queries
read the divisions' ancestors and the departments' divisions, so the number of queries never depends on the number of
items or regions, and the sums run over a few thousand group rows, never over items.

Definitions, per active item (status 在用):

- ``entered``: it has a live version (a standard has been started);
- ``submitted``: a version was submitted at least once (``first_submitted_at``), as ``workflow.deadline_selectors``
  counts it for the milestones;
- ``dept_confirm`` … ``returned``, ``approved``, ``published``: it has a version in that state (an item revising its
  published standard counts as published and in the state of its new version);
- ``passed``: a version approved or published (审查通过数); ``first_pass``: such a version with no return;
- ``overdue``: a version waiting in a review stage past its task's due date.

Rates (None when the denominator is 0; shown as "—"): entry submission rate = submitted ÷ active; review approval rate
= passed ÷ submitted, or ÷ active when ``REPORTING_APPROVAL_BASE = "active"``; first-pass rate = first_pass ÷ passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from operator import add

from django.conf import settings
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone

from catalogue.models import Division, DivisionLevel, LocalItem, LocalItemStatus, Organization
from standards.models import StandardState as S

from .models import ApprovalBase, ScopeKind

LIVE_EXCLUDED = (S.SUPERSEDED, S.WITHDRAWN)
TARGET = 1.0  # every unit is to reach 100 %


def approval_base() -> str:
    value = getattr(settings, "REPORTING_APPROVAL_BASE", ApprovalBase.SUBMITTED)
    return value if value in ApprovalBase.values else ApprovalBase.SUBMITTED


def ratio(numerator: int, denominator: int) -> float | None:
    return None if not denominator else numerator / denominator


@dataclass
class Figures:
    """The counts of one scope; the rates are computed from them, so stored snapshots and reports agree."""

    active: int = 0
    entered: int = 0
    submitted: int = 0
    dept_confirm: int = 0
    compliance_review: int = 0
    legality_review: int = 0
    returned: int = 0
    approved: int = 0
    published: int = 0
    passed: int = 0
    first_pass: int = 0
    overdue: int = 0
    approval_base: str = field(default=ApprovalBase.SUBMITTED, compare=False)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name != "approval_base"]

    @classmethod
    def of(cls, row, base: str | None = None) -> Figures:
        """From any object or dict carrying the counts (a snapshot, a query row, frozen report figures)."""
        get = row.get if isinstance(row, dict) else lambda name, default=0: getattr(row, name, default)
        base = base or get("approval_base", None) or approval_base()
        return cls(**{name: get(name, 0) or 0 for name in cls.names()}, approval_base=base)

    def add(self, other: Figures) -> None:
        for name in self.names():
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def counts(self) -> list[int]:
        return [getattr(self, name) for name in self.names()]

    def as_dict(self) -> dict:
        return {**{name: getattr(self, name) for name in self.names()}, "approval_base": self.approval_base}

    @property
    def submission_rate(self) -> float | None:
        """标准录入提交率."""
        return ratio(self.submitted, self.active)

    @property
    def approval_rate(self) -> float | None:
        """审查通过率, over the submitted items or all active ones as configured."""
        return ratio(self.passed, self.active if self.approval_base == ApprovalBase.ACTIVE else self.submitted)

    @property
    def first_pass_rate(self) -> float | None:
        """一次通过率."""
        return ratio(self.first_pass, self.passed)


@dataclass(frozen=True)
class Scope:
    kind: str
    division_id: str
    organization_id: int | None = None

    @property
    def key(self) -> str:
        return self.division_id if self.organization_id is None else f"{self.division_id}/{self.organization_id}"


def group_counts(items=None, now: dt.datetime | None = None) -> list[dict]:
    """The one aggregate query: counts of active items per (division, department)."""
    now = now or timezone.now()
    items = LocalItem.objects.all() if items is None else items
    live = FilteredRelation("standards", condition=~Q(standards__state__in=LIVE_EXCLUDED))

    def count(condition: Q | None = None) -> Count:
        return Count("pk", distinct=True, filter=condition)

    return list(
        items.filter(status=LocalItemStatus.ACTIVE)
        .annotate(live=live)
        .annotate(
            open_task=FilteredRelation("live__review_tasks", condition=Q(live__review_tasks__closed_at__isnull=True))
        )
        .values("division_id", "organization_id")
        .annotate(
            active=count(),
            entered=count(Q(live__pk__isnull=False)),
            submitted=count(Q(live__first_submitted_at__isnull=False)),
            dept_confirm=count(Q(live__state=S.DEPT_CONFIRM)),
            compliance_review=count(Q(live__state=S.COMPLIANCE_REVIEW)),
            legality_review=count(Q(live__state=S.LEGALITY_REVIEW)),
            returned=count(Q(live__state=S.RETURNED)),
            approved=count(Q(live__state=S.APPROVED)),
            published=count(Q(live__state=S.PUBLISHED)),
            passed=count(Q(live__state__in=(S.APPROVED, S.PUBLISHED))),
            first_pass=count(Q(live__state__in=(S.APPROVED, S.PUBLISHED), live__return_count=0)),
            overdue=count(Q(open_task__due_at__lt=now)),
        )
        .order_by()
    )


LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)


def compute(
    items=None, divisions=None, now: dt.datetime | None = None, base: str | None = None
) -> dict[Scope, Figures]:
    """The figures of every scope: each department with active items, and each province, city and county in
    ``divisions`` (default: every division of the provinces that have active items), with zeros for those without
    active items. Three queries: the counts, the divisions, the departments' divisions."""
    base = base or approval_base()
    rows = group_counts(items, now)
    codes = {r["division_id"] for r in rows}
    if divisions is None:
        divisions = Division.objects.filter(province_code__in={c[:2] + "0000" for c in codes})
    listed = divisions.filter(level__in=LEVELS).values("pk")
    found = Division.objects.filter(Q(pk__in=listed) | Q(pk__in=codes)).values_list(
        "code", "level", "province_code", "city_code", "county_code"
    )
    names = Figures.names()
    sums: dict[Scope, list[int]] = {}
    ancestors: dict[str, list[Scope]] = {}
    for code, level, province, city, county in found:
        ancestors[code] = [
            Scope(kind, unit)
            for kind, unit in ((ScopeKind.PROVINCE, province), (ScopeKind.CITY, city), (ScopeKind.COUNTY, county))
            if unit
        ]
        if level in LEVELS:
            sums.setdefault(Scope(level, code), [0] * len(names))
    org_division = dict(
        Organization.objects.filter(pk__in={r["organization_id"] for r in rows}).values_list("pk", "division_id")
    )
    for row in rows:
        values = [row[name] for name in names]
        department = Scope(ScopeKind.DEPARTMENT, org_division[row["organization_id"]], row["organization_id"])
        for scope in (*ancestors[row["division_id"]], department):
            total = sums.get(scope)
            if total is None:
                sums[scope] = list(values)
            else:
                total[:] = map(add, total, values)
    result = {scope: Figures(*total, approval_base=base) for scope, total in sums.items()}
    return result
