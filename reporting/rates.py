"""The rates of domain decision 6, for every scope of the country at once.

One aggregate query counts the active local items per (province, city, county, department) group — each item joined
to its live versions (not superseded or withdrawn; at most one published and one in progress) and their open review
task — with ``COUNT(DISTINCT item) FILTER (…)`` per figure. The scopes are then sums of those group rows: a county is
its own groups and its townships', a city everything under it (also a city without counties), the province everything,
a department its own group. The groups are additive because every item sits in exactly one of them, so the number of
queries never depends on the number of items or regions.

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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone

from catalogue.models import Division, DivisionLevel, LocalItem, LocalItemStatus
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
    """The one aggregate query: counts per (province, city, county, department) of active items."""
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
        .values(
            "division__province_code",
            "division__city_code",
            "division__county_code",
            "organization_id",
            "organization__division_id",
        )
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


def scopes_of(row: dict) -> Iterable[Scope]:
    """Every scope a group row counts toward."""
    province, city, county = row["division__province_code"], row["division__city_code"], row["division__county_code"]
    yield Scope(ScopeKind.PROVINCE, province)
    if city:
        yield Scope(ScopeKind.CITY, city)
    if county:
        yield Scope(ScopeKind.COUNTY, county)
    yield Scope(ScopeKind.DEPARTMENT, row["organization__division_id"], row["organization_id"])


def compute(
    items=None, divisions=None, now: dt.datetime | None = None, base: str | None = None
) -> dict[Scope, Figures]:
    """The figures of every scope: each province, city and county in ``divisions`` (all when None), with zeros for
    those without active items, and each department with active items. Two queries."""
    base = base or approval_base()
    result: dict[Scope, Figures] = defaultdict(lambda: Figures(approval_base=base))
    divisions = Division.objects.all() if divisions is None else divisions
    levels = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)
    for code, level in divisions.filter(level__in=levels).values_list("code", "level"):
        result[Scope(level, code)] = Figures(approval_base=base)
    for row in group_counts(items, now):
        figures = Figures.of(row, base)
        for scope in scopes_of(row):
            result[scope].add(figures)
    return dict(result)
