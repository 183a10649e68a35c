"""The case figures (办件与电子监察) of every scope, by one aggregate statement — the one place cases are counted.

Three grouped counts — the cases, their open alerts and their open 督办 — each one ``GROUP BY`` (division,
department, item) with conditional ``COUNT``s, are stacked with ``UNION ALL``, summed per group, and rolled up in SQL
as ``reporting.rates.scope_sql`` rolls up items: a county is its own groups and its townships', a city everything under
it, the province everything, a department its own groups (placed in the department's division), an item its own.
Nothing loops over cases in Python, and ``case_snapshots_store`` inserts the rows as they come.

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

from ..models import CASE_COUNT_FIELDS, CaseScopeKind
from ..rates import ratio

# The columns of ``case_scope_sql``: the scope, then the counts in ``CASE_COUNT_FIELDS`` order.
CASE_SCOPE_COLUMNS = ("kind", "division_id", "organization_id", "local_item_id", "scope_key", *CASE_COUNT_FIELDS)
KEYS = ("g_division", "g_organization", "g_item")
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


def _within(queryset: QuerySet, division: Division | None, prefix: str) -> QuerySet:
    if division is None:
        return queryset
    return queryset.filter(**{f"{prefix}division__{division.level}_code": division.code})


def group_queries(today: dt.date, within: Division | None = None) -> tuple[QuerySet, QuerySet, QuerySet]:
    """The three grouped counts (cases, open alerts, open 督办) per division, department and item, as querysets of
    dicts whose keys are ``KEYS`` and their own counts. Exposed for tests and the benchmark."""
    finished = Q(status=CaseStatus.FINISHED)
    open_accepted = Q(status__in=ACCEPTED_OPEN_STATUSES)

    def count(condition: Q) -> Count:
        return Count("pk", filter=condition)

    cases = (
        _within(Case.objects.all(), within, "")
        .values(g_division=F("division_id"), g_organization=F("organization_id"), g_item=F("local_item_id"))
        .annotate(
            accepted=count(Q(accepted_on__isnull=False)),
            finished=count(finished),
            on_time=count(finished & Q(finished_on__lte=F("promised_due"))),
            early=count(finished & Q(finished_on__lt=F("promised_due"))),
            late=count(finished & Q(finished_on__gt=F("promised_due"))),
            in_progress=count(open_accepted),
            open_overdue=count(
                Q(status__in=[s for s in ACCEPTED_OPEN_STATUSES if s != CaseStatus.SUSPENDED], promised_due__lt=today)
            ),
            not_accepted=count(Q(status=CaseStatus.NOT_ACCEPTED)),
        )
        .order_by()
    )
    alerts = (
        _within(Alert.objects.filter(cleared_at__isnull=True), within, "case__")
        .values(
            g_division=F("case__division_id"),
            g_organization=F("case__organization_id"),
            g_item=F("case__local_item_id"),
        )
        .annotate(yellow=count(Q(level=AlertLevel.YELLOW)), red=count(Q(level=AlertLevel.RED)))
        .order_by()
    )
    oversights = (
        _within(Oversight.objects.exclude(state=OversightState.CLOSED), within, "case__")
        .values(
            g_division=F("case__division_id"),
            g_organization=F("case__organization_id"),
            g_item=F("case__local_item_id"),
        )
        .annotate(
            oversight_open=Count("pk"),
            oversight_overdue=count(Q(reply_due__lt=today)),
        )
        .order_by()
    )
    return cases, alerts, oversights


def _stacked(today: dt.date, within: Division | None) -> tuple[str, list]:
    """The three grouped counts stacked (``UNION ALL``) into one column layout and summed per group."""
    parts, params = [], []
    layouts = (CASE_FIELDS, ALERT_FIELDS, OVERSIGHT_FIELDS)
    for queryset, fields in zip(group_queries(today, within), layouts, strict=True):
        sql, part_params = queryset.query.sql_with_params()
        columns = [name if name in fields else f"0 AS {name}" for name in CASE_COUNT_FIELDS]
        parts.append(f"SELECT {', '.join(KEYS)}, {', '.join(columns)} FROM ({sql}) part")
        params.extend(part_params)
    sums = ", ".join(f"CAST(SUM(u.{name}) AS BIGINT) AS {name}" for name in CASE_COUNT_FIELDS)
    union = "\nUNION ALL\n".join(parts)
    keys = ", ".join(KEYS)
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
    K = CaseScopeKind
    sql = f"""
WITH placed AS (
    SELECT g.*, d.province_code, d.city_code, d.county_code, o.division_id AS home
    FROM ({groups}) g
    JOIN {division} d ON d.code = g.g_division
    JOIN {organization} o ON o.id = g.g_organization
),
scopes AS (
    SELECT '{K.PROVINCE}' AS kind, g.province_code AS division_id, {none} AS organization_id, {none} AS local_item_id,
           g.province_code AS scope_key, {sums}
    FROM placed g GROUP BY g.province_code
    UNION ALL
    SELECT '{K.CITY}', g.city_code, {none}, {none}, g.city_code, {sums}
    FROM placed g WHERE g.city_code <> '' GROUP BY g.city_code
    UNION ALL
    SELECT '{K.COUNTY}', g.county_code, {none}, {none}, g.county_code, {sums}
    FROM placed g WHERE g.county_code <> '' GROUP BY g.county_code
    UNION ALL
    SELECT '{K.DEPARTMENT}', g.home, g.g_organization, {none},
           g.home || '/' || CAST(g.g_organization AS VARCHAR(20)), {sums}
    FROM placed g GROUP BY g.home, g.g_organization
    UNION ALL
    SELECT '{K.ITEM}', MIN(g.g_division), MIN(g.g_organization), g.g_item,
           'item/' || CAST(g.g_item AS VARCHAR(20)), {sums}
    FROM placed g GROUP BY g.g_item
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
    local_item_id: int | None
    key: str


def case_compute(today: dt.date, within: Division | None = None) -> dict[CaseScope, CaseFigures]:
    """The case figures of every scope (``case_scope_sql``) in one query, keyed by scope."""
    sql, params = case_scope_sql(today, within)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {CaseScope(*row[:5]): CaseFigures(*row[5:]) for row in cursor.fetchall()}
