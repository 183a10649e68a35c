"""The case figures (办件与电子监察) of every scope, by one aggregate statement — the one place cases are counted.

Three grouped counts — the cases, their open alerts and their open 督办 — each one ``GROUP BY`` (division,
department) with conditional ``COUNT``s, are stacked with ``UNION ALL``, summed per group, and rolled up in SQL as
``reporting.rates.scope_sql`` rolls up items: a county is its own groups and its townships', a city everything under
it, the province everything, a department its own groups (placed in the department's division). Nothing loops over
cases in Python, and ``case_snapshots_store`` inserts the rows as they come. The items of one department, the last
step of the drill-down, are counted the same way on demand (``item_figures``).

Definitions (written on the dashboard as 口径说明):

- ``accepted`` 受理: cases with an acceptance date (受理, 即办, and cases accepted after 补正), whatever they became;
- ``finished`` 办结: cases 已办结; ``on_time`` 按时办结: finished on or before the promised due date (承诺期限届满日,
  moved by special procedures and approved extensions); ``early`` 提前办结: finished before it; ``late`` 超期办结:
  finished after it;
- ``in_progress`` 在办: accepted and not finished (in review, suspended, decided or delivered); ``open_overdue``
  超期在办: of those, the ones whose promised due date is before the day of the figures — a case in a special
  procedure is not counted, its clocks are stopped;
- ``not_accepted`` 不予受理;
- ``yellow`` / ``red``: alerts not cleared, by level;
- ``oversight_open`` 督办未办结: 督办 waiting for the department's reply or for closing; ``oversight_overdue`` 督办超期:
  of those, the ones whose reply deadline is before the day of the figures.

Rates: 按时办结率 = on_time ÷ finished, 提前办结率 = early ÷ finished (None when nothing is finished), shown rounded
down to 0.1 % like every rate (``reporting.rates.shown_rate`` / ``percent``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from cases.models import ACCEPTED_OPEN_STATUSES, Alert, AlertLevel, Case, CaseStatus, Oversight, OversightState
from catalogue.models import Division, Organization

from ..models import CASE_COUNT_FIELDS, ScopeKind
from ..rates import ratio

# The columns of ``case_scope_sql``: the scope, then the counts in ``CASE_COUNT_FIELDS`` order.
CASE_SCOPE_COLUMNS = ("kind", "division_id", "organization_id", "scope_key", *CASE_COUNT_FIELDS)
KEYS = ("g_division", "g_organization")
ITEM_KEYS = (*KEYS, "g_item")
CASE_FIELDS = CASE_COUNT_FIELDS[:8]
ALERT_FIELDS = ("yellow", "red")
OVERSIGHT_FIELDS = ("oversight_open", "oversight_overdue")


@dataclass
class CaseFigures:
    """The case counts of one scope; the rates are computed from them, so pages and workbooks agree."""

    accepted: int = 0
    finished: int = 0
    on_time: int = 0
    early: int = 0
    late: int = 0
    in_progress: int = 0
    open_overdue: int = 0
    not_accepted: int = 0
    yellow: int = 0
    red: int = 0
    oversight_open: int = 0
    oversight_overdue: int = 0

    @classmethod
    def names(cls) -> list[str]:
        return list(CASE_COUNT_FIELDS)

    @classmethod
    def of(cls, row) -> CaseFigures:
        """From any object or dict carrying the counts (a snapshot, a report row, a query row)."""
        get = row.get if isinstance(row, dict) else lambda name, default=0: getattr(row, name, default)
        return cls(**{name: get(name, 0) or 0 for name in cls.names()})

    def counts(self) -> list[int]:
        return [getattr(self, name) for name in self.names()]

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.names()}

    @property
    def on_time_rate(self) -> float | None:
        """按时办结率."""
        return ratio(self.on_time, self.finished)

    @property
    def early_rate(self) -> float | None:
        """提前办结率."""
        return ratio(self.early, self.finished)


def _within(queryset: QuerySet, division: Division | None, organization: int | None, prefix: str) -> QuerySet:
    if division is not None:
        queryset = queryset.filter(**{f"{prefix}division__{division.level}_code": division.code})
    if organization is not None:
        queryset = queryset.filter(**{f"{prefix}organization_id": organization})
    return queryset


def _keys(prefix: str, by_item: bool) -> dict:
    keys = {"g_division": F(f"{prefix}division_id"), "g_organization": F(f"{prefix}organization_id")}
    if by_item:
        keys["g_item"] = F(f"{prefix}local_item_id")
    return keys


def group_queries(
    today: dt.date, within: Division | None = None, *, organization: int | None = None, by_item: bool = False
) -> tuple[QuerySet, QuerySet, QuerySet]:
    """The three grouped counts (cases, open alerts, open 督办) per division and department — and item, with
    ``by_item`` — as querysets of dicts keyed ``KEYS`` (``ITEM_KEYS``) with their own counts."""
    finished = Q(status=CaseStatus.FINISHED)
    open_accepted = Q(status__in=ACCEPTED_OPEN_STATUSES)
    running = [s for s in ACCEPTED_OPEN_STATUSES if s != CaseStatus.SUSPENDED]

    def count(condition: Q) -> Count:
        return Count("pk", filter=condition)

    cases = (
        _within(Case.objects.all(), within, organization, "")
        .values(**_keys("", by_item))
        .annotate(
            accepted=count(Q(accepted_on__isnull=False)),
            finished=count(finished),
            on_time=count(finished & Q(finished_on__lte=F("promised_due"))),
            early=count(finished & Q(finished_on__lt=F("promised_due"))),
            late=count(finished & Q(finished_on__gt=F("promised_due"))),
            in_progress=count(open_accepted),
            open_overdue=count(Q(status__in=running, promised_due__lt=today)),
            not_accepted=count(Q(status=CaseStatus.NOT_ACCEPTED)),
        )
        .order_by()
    )
    alerts = (
        _within(Alert.objects.filter(cleared_at__isnull=True), within, organization, "case__")
        .values(**_keys("case__", by_item))
        .annotate(yellow=count(Q(level=AlertLevel.YELLOW)), red=count(Q(level=AlertLevel.RED)))
        .order_by()
    )
    oversights = (
        _within(Oversight.objects.exclude(state=OversightState.CLOSED), within, organization, "case__")
        .values(**_keys("case__", by_item))
        .annotate(oversight_open=Count("pk"), oversight_overdue=count(Q(reply_due__lt=today)))
        .order_by()
    )
    return cases, alerts, oversights


def _stacked(
    today: dt.date, within: Division | None = None, *, organization: int | None = None, by_item: bool = False
) -> tuple[str, list]:
    """The three grouped counts stacked (``UNION ALL``) into one column layout and summed per group."""
    keys = ", ".join(ITEM_KEYS if by_item else KEYS)
    parts, params = [], []
    layouts = (CASE_FIELDS, ALERT_FIELDS, OVERSIGHT_FIELDS)
    for queryset, fields in zip(
        group_queries(today, within, organization=organization, by_item=by_item), layouts, strict=True
    ):
        sql, part_params = queryset.query.sql_with_params()
        columns = [name if name in fields else f"0 AS {name}" for name in CASE_COUNT_FIELDS]
        parts.append(f"SELECT {keys}, {', '.join(columns)} FROM ({sql}) part")
        params.extend(part_params)
    sums = ", ".join(f"CAST(SUM(u.{name}) AS BIGINT) AS {name}" for name in CASE_COUNT_FIELDS)
    union = "\nUNION ALL\n".join(parts)
    return f"SELECT {keys}, {sums} FROM ({union}) u GROUP BY {keys}", params


def case_scope_sql(
    today: dt.date, within: Division | None = None, kinds: tuple[str, ...] | None = None
) -> tuple[str, list]:
    """One SQL statement giving the case figures of every scope (columns ``CASE_SCOPE_COLUMNS``) with cases, alerts
    or 督办, for PostgreSQL and SQLite; only the cases of ``within``'s subtree when given, only the scope ``kinds``
    when given."""
    groups, params = _stacked(today, within)
    division, organization = Division._meta.db_table, Organization._meta.db_table
    sums = ", ".join(f"CAST(SUM(g.{name}) AS BIGINT) AS {name}" for name in CASE_COUNT_FIELDS)
    none = "CAST(NULL AS BIGINT)"
    K = ScopeKind
    sql = f"""
WITH placed AS (
    SELECT g.*, d.province_code, d.city_code, d.county_code, o.division_id AS home
    FROM ({groups}) g
    JOIN {division} d ON d.code = g.g_division
    JOIN {organization} o ON o.id = g.g_organization
),
scopes AS (
    SELECT '{K.PROVINCE}' AS kind, g.province_code AS division_id, {none} AS organization_id,
           g.province_code AS scope_key, {sums}
    FROM placed g GROUP BY g.province_code
    UNION ALL
    SELECT '{K.CITY}', g.city_code, {none}, g.city_code, {sums}
    FROM placed g WHERE g.city_code <> '' GROUP BY g.city_code
    UNION ALL
    SELECT '{K.COUNTY}', g.county_code, {none}, g.county_code, {sums}
    FROM placed g WHERE g.county_code <> '' GROUP BY g.county_code
    UNION ALL
    SELECT '{K.DEPARTMENT}', g.home, g.g_organization, g.home || '/' || CAST(g.g_organization AS VARCHAR(20)), {sums}
    FROM placed g GROUP BY g.home, g.g_organization
)
SELECT {", ".join(f"s.{name}" for name in CASE_SCOPE_COLUMNS)} FROM scopes s"""
    if kinds:
        sql += f"\nWHERE s.kind IN ({', '.join(['%s'] * len(kinds))})"
        params = [*params, *kinds]
    return sql, params


@dataclass(frozen=True)
class CaseScope:
    kind: str
    division_id: str
    organization_id: int | None
    key: str


def case_compute(today: dt.date, within: Division | None = None) -> dict[CaseScope, CaseFigures]:
    """The case figures of every scope (``case_scope_sql``) in one query, keyed by scope."""
    sql, params = case_scope_sql(today, within)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {CaseScope(*row[:4]): CaseFigures(*row[4:]) for row in cursor.fetchall()}


def item_figures(organization: int, today: dt.date) -> dict[int, CaseFigures]:
    """The case figures of each item of one department, by item id, in one query (the last step of the drill-down:
    not stored, a province has too many items to snapshot them every day, and one department's cases are found by
    index)."""
    sql, params = _stacked(today, organization=organization, by_item=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[2]: CaseFigures(*row[3:]) for row in cursor.fetchall()}
