"""Storing the case figures: the day's snapshots (with ``compute_rates``) and a progress report's frozen rows."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from catalogue.models import Division, Organization

from ..models import CASE_COUNT_FIELDS, CaseReportRow, CaseSnapshot, ProgressReport, ScopeKind
from .figures import CASE_SCOPE_COLUMNS, CaseFigures, case_scope_sql

SNAPSHOT_COLUMNS = ("date", "computed_at", *CASE_SCOPE_COLUMNS)


def _quoted(model, columns) -> str:
    meta = model._meta
    return ", ".join(connection.ops.quote_name(meta.get_field(c.removesuffix("_id")).column) for c in columns)


def case_snapshots_store(*, date: dt.date, computed_at: dt.datetime) -> int:
    """Replace ``date``'s case snapshots with the figures of that day, straight from the aggregate statement into the
    table (``INSERT … SELECT``). Returns the number of snapshots stored."""
    scopes, params = case_scope_sql(date)
    meta = CaseSnapshot._meta
    day = meta.get_field("date").get_db_prep_save(date, connection)
    at = meta.get_field("computed_at").get_db_prep_save(computed_at, connection)
    selected = ", ".join(f"s.{name}" for name in CASE_SCOPE_COLUMNS)
    with transaction.atomic():
        CaseSnapshot.objects.filter(date=date).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {meta.db_table} ({_quoted(CaseSnapshot, SNAPSHOT_COLUMNS)}) "
                f"SELECT %s, %s, {selected} FROM ({scopes}) s",
                [day, at, *params],
            )
            return cursor.rowcount


def case_report_rows_write(report: ProgressReport, today: dt.date) -> dict:
    """Replace the report's case rows (sheet 办件与监察) with the figures of its unit's subtree on ``today`` — one
    ``INSERT … SELECT`` with names, rates and the rank by 按时办结率 (``RANK()``; units with nothing finished are not
    ranked) — and return the unit's totals for ``ProgressReport.figures``. The caller holds the report's lock and has
    checked it is not sent."""
    division = report.division
    kinds = [ScopeKind.DEPARTMENT, ScopeKind.COUNTY]
    if division.level in (ScopeKind.PROVINCE, ScopeKind.CITY):
        kinds.append(ScopeKind.CITY)
    if division.level == ScopeKind.PROVINCE:
        kinds.append(ScopeKind.PROVINCE)
    scopes, params = case_scope_sql(today, within=division, kinds=tuple(kinds))
    counts = ", ".join(CASE_COUNT_FIELDS)
    row, places, org = CaseReportRow._meta.db_table, Division._meta.db_table, Organization._meta.db_table

    def rate(numerator: str) -> str:
        return f"CAST({numerator} AS DOUBLE PRECISION) / NULLIF(s.finished, 0)"

    sql = f"""
INSERT INTO {row} (report_id, kind, scope_key, code, name, county, {counts}, on_time_rate, early_rate, rank)
SELECT %s, r.kind, r.scope_key, r.division_id, COALESCE(o.name, d.name, r.division_id),
       CASE WHEN o.id IS NULL THEN '' ELSE COALESCE(d.name, '') END,
       {", ".join(f"r.{name}" for name in CASE_COUNT_FIELDS)}, r.on_time_rate, r.early_rate,
       CASE WHEN r.finished > 0 THEN RANK() OVER (
           PARTITION BY r.kind, r.finished > 0 ORDER BY COALESCE(r.on_time_rate, 0) DESC
       ) END
FROM (SELECT s.*, {rate("s.on_time")} AS on_time_rate, {rate("s.early")} AS early_rate FROM ({scopes}) s) r
LEFT JOIN {places} d ON d.code = r.division_id
LEFT JOIN {org} o ON o.id = r.organization_id"""
    report.case_rows.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(sql, [report.pk, *params])
    own = report.case_rows.filter(kind=division.level, code=division.code).values(*CASE_COUNT_FIELDS).first()
    total = CaseFigures.of(own or {})
    return {**total.as_dict(), "on_time_rate": total.on_time_rate, "early_rate": total.early_rate}
