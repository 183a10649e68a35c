"""The figures a progress report freezes. One ``INSERT … SELECT`` writes a row per city, county and department of the
unit's subtree (``ReportRow``) straight from the aggregate statement, with names, rates, the change since the previous
sent report and the rank; a small dict — header, the unit's totals, the milestones' units behind
(``reporting.deadlines``) for the overdue bulletin — goes into ``ProgressReport.figures``. The workbook is
written from these two only, so the file and the stored figures always say the same, and no list of the province's
departments is ever held in Python."""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext, gettext_lazy

from catalogue.models import Division, LocalItem, Organization
from workflow.deadlines.models import WorkPlan

from . import rates
from .deadlines.selectors import UnitStatus, plan_progress
from .models import COUNT_FIELDS, ApprovalBase, ProgressReport, ReportRow, ReportStatus, ScopeKind


def subtree(division: Division):
    return Division.objects.filter(**{f"{division.level}_code": division.code})


def previous_report(report: ProgressReport) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(
            division=report.division, status=ReportStatus.SENT, period_end__lt=report.period_end
        )
        .exclude(pk=report.pk)
        .order_by("-period_end", "-pk")
        .first()
    )


def _situation(unit) -> str:
    if not unit.counts_items:
        return gettext("逾期报备工作方案") if unit.status == UnitStatus.LATE else gettext("未报备工作方案")
    return gettext("尚差 %(n)s 项") % {"n": unit.shortfall}


# What the bulletin says when every unit keeps to its milestones (the workbook's sheet, under its header).
NO_OVERDUE_UNITS = gettext_lazy("无超期单位")


def bulletin(division: Division, today) -> list[dict]:
    """Units behind a milestone of their province's work plans, by how much (通报)."""
    rows = []
    within = subtree(division)
    for plan in WorkPlan.objects.filter(province_id=division.province_code).order_by("issued_on", "pk"):
        for milestone in plan_progress(plan, within=within, today=today).milestones:
            for unit in milestone.behind:
                rows.append(
                    {
                        "plan": plan.title,
                        "milestone": milestone.milestone.title,
                        "due": milestone.milestone.due_on.isoformat(),
                        "code": unit.division.code,
                        "name": unit.division.name,
                        "status": str(unit.status),
                        "active": unit.active,
                        "done": unit.done,
                        "shortfall": unit.shortfall,
                        "rate": rates.shown_rate(rates.ratio(unit.done, unit.active)) if unit.counts_items else None,
                        "days_overdue": unit.days_overdue,
                        "situation": _situation(unit),
                    }
                )
    return rows


def _rows_sql(report: ProgressReport, previous: ProgressReport | None, now) -> tuple[str, list]:
    """``INSERT … SELECT`` of the report's rows: the scopes of its unit's subtree (``rates.scope_sql``) with their
    names, rates, change since the previous sent report and rank (``RANK()``: by entry submission rate, then approval
    rate, ties sharing a rank; units without items are not ranked) — computed by the database, row by row."""
    division = report.division
    items = LocalItem.objects.filter(**{f"division__{division.level}_code": division.code})
    scopes, params = rates.scope_sql(items=items, divisions=subtree(division), now=now)
    kinds = [ScopeKind.DEPARTMENT, ScopeKind.COUNTY]
    if division.level in (ScopeKind.PROVINCE, ScopeKind.CITY):
        kinds.append(ScopeKind.CITY)
    if division.level == ScopeKind.PROVINCE:
        kinds.append(ScopeKind.PROVINCE)
    base = "s.active" if rates.approval_base() == ApprovalBase.ACTIVE else "s.submitted"
    counts = ", ".join(COUNT_FIELDS)
    row, places, org = ReportRow._meta.db_table, Division._meta.db_table, Organization._meta.db_table

    def rate(numerator: str, denominator: str) -> str:
        return f"CAST({numerator} AS DOUBLE PRECISION) / NULLIF({denominator}, 0)"

    sql = f"""
INSERT INTO {row} (report_id, kind, scope_key, code, name, county, city, {counts},
                   submission_rate, approval_rate, first_pass_rate, submission_change, approval_change, rank)
SELECT %s, r.kind, r.scope_key, r.division_id,
       COALESCE(o.name, d.name, r.division_id),
       CASE WHEN o.id IS NULL THEN '' ELSE COALESCE(d.name, '') END,
       CASE WHEN r.kind = '{ScopeKind.COUNTY}' THEN COALESCE(c.name, '') ELSE '' END,
       {", ".join(f"r.{name}" for name in COUNT_FIELDS)},
       r.submission_rate, r.approval_rate, r.first_pass_rate,
       r.submission_rate - p.submission_rate, r.approval_rate - p.approval_rate,
       CASE WHEN r.active > 0 THEN RANK() OVER (
           PARTITION BY r.kind, r.active > 0
           ORDER BY COALESCE(r.submission_rate, 0) DESC, COALESCE(r.approval_rate, 0) DESC
       ) END
FROM (
    SELECT s.*, {rate("s.submitted", "s.active")} AS submission_rate, {rate("s.passed", base)} AS approval_rate,
           {rate("s.first_pass", "s.passed")} AS first_pass_rate
    FROM ({scopes}) s
    WHERE s.kind IN ({", ".join(["%s"] * len(kinds))})
) r
LEFT JOIN {places} d ON d.code = r.division_id
LEFT JOIN {org} o ON o.id = r.organization_id
LEFT JOIN {places} c ON c.code = d.city_code
LEFT JOIN {row} p ON p.report_id = %s AND p.scope_key = r.scope_key"""
    return sql, [report.pk, *params, *kinds, previous.pk if previous else None]


def report_rows_write(report: ProgressReport, now) -> dict:
    """Replace the report's rows with today's figures and return the small part of the figures that goes into
    ``ProgressReport.figures``: the header, the unit's totals and the overdue bulletin. The caller holds the report's
    lock and has checked it is not sent."""
    division = report.division
    previous = previous_report(report)
    report.rows.all().delete()
    sql, params = _rows_sql(report, previous, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    own = report.rows.filter(kind=division.level, code=division.code).values(*COUNT_FIELDS).first()
    total = rates.Figures.of(own or {}, base=rates.approval_base())
    return {
        "generated_at": now.isoformat(),
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "unit": {"code": division.code, "name": division.full_name or division.name, "level": division.level},
        "recipient": report.recipient,
        "contact": report.contact,
        "approval_base": total.approval_base,
        "previous": {"id": previous.pk, "period_end": previous.period_end.isoformat()} if previous else None,
        "total": {
            **total.as_dict(),
            "submission_rate": total.submission_rate,
            "approval_rate": total.approval_rate,
            "first_pass_rate": total.first_pass_rate,
        },
        "bulletin": bulletin(division, report.period_end),
    }
