"""The rates of domain decision 6, for every scope of the country at once — the one place items are counted.

Every figure a person reads about items per unit and state comes from here: the snapshots and the dashboard, every
sheet of the progress report, the work-progress page and the overdue bulletin (``reporting.deadlines``). Two
statements count, both built on ``group_counts``, so their definitions cannot drift apart:

- ``scope_sql`` computes the figures of every scope. It joins each active local item to its live versions — the
  published one and the one in progress, at most one of each — and their open review tasks, counts the items per
  (division, department) group, and rolls the groups up in SQL: a county is its own groups and its townships', a city
  everything under it, the province everything, a department its own groups. The groups are additive because every
  item sits in exactly one of them. The statement is the same on PostgreSQL and SQLite, nothing loops over items or
  regions in Python, and ``reporting.services`` inserts its rows as snapshots or report rows without reading them.
- ``unit_figures`` counts the same figures for the units of one level (optionally one item type, or each unit's own
  items only), one aggregate query whatever the number of units, for the milestones of a work plan.

Definitions, per active item (status 在用):

- ``entered``: it has a live version (a standard has been started);
- ``submitted``: a live version was submitted at least once (``first_submitted_at``);
- ``dept_confirm`` … ``returned``, ``approved``, ``published``: it has a version in that state (an item revising its
  published standard counts as published and in the state of its new version);
- ``passed``: a version approved or published (审查通过数); ``first_pass``: such a version with no return;
- ``overdue``: a version waiting in a review stage past its task's due date.

Rates (None when the denominator is 0; shown as "—"): entry submission rate = submitted ÷ active; review approval rate
= passed ÷ submitted, or ÷ active when ``REPORTING_APPROVAL_BASE = "active"``; first-pass rate = first_pass ÷ passed.

One rule for cities without counties (东莞 441900, 中山 442000: townships directly under the city): such a city is one
unit with its whole subtree, a city scope like any other. Where the units of the county level are listed side by side
(``units``: county-level milestones and their bulletin) it stands among them too, with exactly its city figures; it is
never made up as a second, county scope of the snapshots or reports, so no sum counts its items twice.

One rounding: rates are kept as exact fractions (stored snapshots and report rows, changes and ranks are computed
from them), and a rate shown to a person is rounded down to 0.1 % (``shown_rate``, ``percent``), so 100 % is shown
only when nothing is missing — on the pages, in every sheet of the workbook, in the bulletin alike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, When
from django.utils import timezone

from catalogue.models import Division, DivisionLevel, LocalItem, LocalItemStatus, Organization
from standards.models import IN_PROGRESS_STATES
from standards.models import StandardState as S

from .models import COUNT_FIELDS, ApprovalBase, ScopeKind

TARGET = 1.0  # every unit is to reach 100 %


def approval_base() -> str:
    value = getattr(settings, "REPORTING_APPROVAL_BASE", ApprovalBase.SUBMITTED)
    return value if value in ApprovalBase.values else ApprovalBase.SUBMITTED


def ratio(numerator: int, denominator: int) -> float | None:
    return None if not denominator else numerator / denominator


# A rate n ÷ d with d below ten million is at least 1/d away from the next 0.1 % step when it is not on one; a float's
# error is far smaller, so this margin only stops 0.29 × 1000 = 289.99999999999994 from losing a step.
_STEP_MARGIN = 1e-9


def shown_rate(rate: float | None) -> float | None:
    """A rate as a person reads it, as a fraction: rounded down to 0.1 % (0.99996 → 0.999, never 100 % while
    something is missing). The workbook's cells hold it, as Excel's percent format would round half up."""
    return None if rate is None else math.floor(rate * 1000 + _STEP_MARGIN) / 1000


def percent(rate: float | None) -> float | None:
    """``shown_rate`` in per cent with one decimal (2/3 → 66.6), for the pages."""
    return None if rate is None else math.floor(rate * 1000 + _STEP_MARGIN) / 10


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
        return list(COUNT_FIELDS)

    @classmethod
    def of(cls, row, base: str | None = None) -> Figures:
        """From any object or dict carrying the counts (a snapshot, a query row, frozen report figures)."""
        get = row.get if isinstance(row, dict) else lambda name, default=0: getattr(row, name, default)
        base = base or get("approval_base", None) or approval_base()
        return cls(**{name: get(name, 0) or 0 for name in cls.names()}, approval_base=base)

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


def group_counts(
    items: QuerySet[LocalItem] | None = None,
    now: dt.datetime | None = None,
    by: Sequence[str] = ("division_id", "organization_id"),
) -> QuerySet:
    """The counts of active items per group (``by``: default one per division and department), as a queryset of dicts.

    Each item is joined to its published version and its version in progress, and each of those to its open review
    task: the database allows at most one of each (``standard_one_published``, ``standard_one_in_progress``,
    ``review_task_one_open_per_standard``), so every item is exactly one joined row and plain counts need no
    ``DISTINCT`` — which would sort the rows once per figure."""
    now = now or timezone.now()
    items = LocalItem.objects.all() if items is None else items
    pub, work = Q(pub__pk__isnull=False), Q(work__pk__isnull=False)
    passed = pub | Q(work__state=S.APPROVED)

    def count(condition: Q | None = None) -> Count:
        return Count("pk", filter=condition)

    return (
        items.filter(status=LocalItemStatus.ACTIVE)
        .annotate(
            pub=FilteredRelation("standards", condition=Q(standards__state=S.PUBLISHED)),
            work=FilteredRelation("standards", condition=Q(standards__state__in=IN_PROGRESS_STATES)),
        )
        .annotate(
            pub_task=FilteredRelation("pub__review_tasks", condition=Q(pub__review_tasks__closed_at__isnull=True)),
            work_task=FilteredRelation("work__review_tasks", condition=Q(work__review_tasks__closed_at__isnull=True)),
        )
        .values(*by)
        .annotate(
            active=count(),
            entered=count(pub | work),
            submitted=count(Q(pub__first_submitted_at__isnull=False) | Q(work__first_submitted_at__isnull=False)),
            dept_confirm=count(Q(work__state=S.DEPT_CONFIRM)),
            compliance_review=count(Q(work__state=S.COMPLIANCE_REVIEW)),
            legality_review=count(Q(work__state=S.LEGALITY_REVIEW)),
            returned=count(Q(work__state=S.RETURNED)),
            approved=count(Q(work__state=S.APPROVED)),
            published=count(pub),
            passed=count(passed),
            first_pass=count(Q(pub__return_count=0) | Q(work__state=S.APPROVED, work__return_count=0)),
            overdue=count(Q(pub_task__due_at__lt=now) | Q(work_task__due_at__lt=now)),
        )
        .order_by()
    )


LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)
# The columns of ``scope_sql``: the scope, then the counts in ``Figures`` order.
SCOPE_COLUMNS = ("kind", "division_id", "organization_id", "scope_key", *COUNT_FIELDS)


def scope_sql(items=None, divisions=None, now: dt.datetime | None = None) -> tuple[str, list]:
    """One SQL statement giving the figures of every scope (columns ``SCOPE_COLUMNS``), for PostgreSQL and SQLite.

    The counts of ``group_counts`` (one row per division and department) are rolled up: a province, city or county is
    the sum of the groups whose division carries its code (a county's townships carry the county's code), a
    department the sum of its own groups, placed in the department's division. Provinces, cities and counties of
    ``divisions`` (default: every division of the provinces that have active items) without active items get a row
    of zeros. The rows can be inserted as they come (``INSERT … SELECT``), so neither the items nor the scopes pass
    through Python."""
    groups_sql, params = group_counts(items, now).query.sql_with_params()
    division, organization = Division._meta.db_table, Organization._meta.db_table
    sums = ", ".join(f"CAST(SUM(g.{name}) AS BIGINT) AS {name}" for name in COUNT_FIELDS)
    zeros = ", ".join(f"0 AS {name}" for name in COUNT_FIELDS)
    if divisions is None:
        listed, listed_params = "z.province_code IN (SELECT province_code FROM placed)", []
    else:
        subquery, listed_params = divisions.values("code").query.sql_with_params()
        listed = f"z.code IN ({subquery})"
    levels = ", ".join(f"'{level}'" for level in LEVELS)
    sql = f"""
WITH placed AS (
    SELECT g.*, d.province_code, d.city_code, d.county_code, o.division_id AS home
    FROM ({groups_sql}) g
    JOIN {division} d ON d.code = g.division_id
    JOIN {organization} o ON o.id = g.organization_id
),
sums AS (
    SELECT '{ScopeKind.PROVINCE}' AS kind, g.province_code AS division_id, CAST(NULL AS BIGINT) AS organization_id,
           {sums}
    FROM placed g GROUP BY g.province_code
    UNION ALL
    SELECT '{ScopeKind.CITY}', g.city_code, CAST(NULL AS BIGINT), {sums}
    FROM placed g WHERE g.city_code <> '' GROUP BY g.city_code
    UNION ALL
    SELECT '{ScopeKind.COUNTY}', g.county_code, CAST(NULL AS BIGINT), {sums}
    FROM placed g WHERE g.county_code <> '' GROUP BY g.county_code
    UNION ALL
    SELECT '{ScopeKind.DEPARTMENT}', g.home, g.organization_id, {sums}
    FROM placed g GROUP BY g.home, g.organization_id
),
scopes AS (
    SELECT * FROM sums
    UNION ALL
    SELECT z.level, z.code, CAST(NULL AS BIGINT), {zeros}
    FROM {division} z
    WHERE z.level IN ({levels}) AND {listed}
      AND z.code NOT IN (SELECT division_id FROM sums WHERE organization_id IS NULL)
)
SELECT s.kind, s.division_id, s.organization_id,
       CASE WHEN s.organization_id IS NULL THEN s.division_id
            ELSE s.division_id || '/' || CAST(s.organization_id AS VARCHAR(20)) END AS scope_key,
       {", ".join(f"s.{name}" for name in COUNT_FIELDS)}
FROM scopes s"""
    return sql, [*params, *listed_params]


def compute(
    items=None, divisions=None, now: dt.datetime | None = None, base: str | None = None
) -> dict[Scope, Figures]:
    """The figures of every scope (``scope_sql``) in one query: each department with active items, and each province,
    city and county in ``divisions``, with zeros for those without active items."""
    base = base or approval_base()
    sql, params = scope_sql(items, divisions, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            Scope(kind, division_id, organization_id): Figures(*counts, approval_base=base)
            for kind, division_id, organization_id, _, *counts in cursor.fetchall()
        }


# --- units of one level --------------------------------------------------------------------------------------------


def units(
    province_code: str, levels: Iterable[str], within: QuerySet[Division] | None = None
) -> dict[str, list[Division]]:
    """The units of each level of a province, in one query, ordered by code; only those in ``within`` when given.
    A city without counties is a unit of the county level too (the rule above)."""
    levels = set(levels)
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
    found: dict[str, list[Division]] = defaultdict(list)
    for division in divisions:
        if division.level != DivisionLevel.CITY or DivisionLevel.CITY in levels:
            found[division.level].append(division)
        if division.level == DivisionLevel.CITY and not division.has_counties and DivisionLevel.COUNTY in levels:
            found[DivisionLevel.COUNTY].append(division)
    for rows in found.values():
        rows.sort(key=lambda d: d.code)
    return found


def unit_figures(
    level: str,
    of: Sequence[Division],
    *,
    item_type: str = "",
    own_items_only: bool = False,
    now: dt.datetime | None = None,
    base: str | None = None,
) -> dict[str, Figures]:
    """The figures of the units ``of`` at ``level`` (as ``units`` lists them), keyed by division code, in one
    aggregate query: a unit's items are its whole subtree's, or its own divisions' only with ``own_items_only``;
    ``item_type`` keeps the items of one type. Units without active items are absent (all their figures are 0)."""
    codes = [u.code for u in of]
    items = LocalItem.objects.all()
    if item_type:
        items = items.filter(item_type=item_type)
    if own_items_only:
        key = F("division_id")
        items = items.filter(division_id__in=codes)
    elif level == DivisionLevel.COUNTY:
        counties = [u.code for u in of if u.level == DivisionLevel.COUNTY]
        cities = [u.code for u in of if u.level == DivisionLevel.CITY]
        # A city standing for a county has no county under it: its whole subtree carries no county code.
        key = Case(
            When(division__county_code="", then=F("division__city_code")),
            default=F("division__county_code"),
            output_field=CharField(),
        )
        items = items.filter(
            Q(division__county_code__in=counties) | Q(division__city_code__in=cities, division__county_code="")
        )
    else:
        key = F(f"division__{level}_code")
        items = items.filter(**{f"division__{level}_code__in": codes})
    base = base or approval_base()
    rows = group_counts(items.annotate(unit=key), now, by=("unit",))
    return {row.pop("unit"): Figures.of(row, base) for row in rows}
