"""The figures a progress report freezes: one aggregate query for the unit's subtree, the names of its scopes, the
previous sent report for the changes, and the milestones' units behind (``workflow.deadline_selectors``) for the
overdue bulletin. Everything goes into a plain dict stored on the report, and the workbook is written from that dict
only, so the file and the stored figures always say the same."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from catalogue.models import Division, LocalItem, Organization
from workflow.deadline_models import WorkPlan
from workflow.deadline_selectors import UnitStatus, plan_progress

from . import rates
from .models import ProgressReport, ReportStatus, ScopeKind


def subtree(division: Division):
    return Division.objects.filter(**{f"{division.level}_code": division.code})


def _row(scope: rates.Scope, figures: rates.Figures, names: dict, orgs: dict) -> dict:
    division = names.get(scope.division_id)
    row = {
        "key": scope.key,
        "code": scope.division_id,
        "name": division.name if division else scope.division_id,
        "city": names[division.city_code].name if division and division.city_code in names else "",
        **figures.as_dict(),
        "submission_rate": figures.submission_rate,
        "approval_rate": figures.approval_rate,
        "first_pass_rate": figures.first_pass_rate,
    }
    if scope.organization_id is not None:
        org = orgs.get(scope.organization_id)
        row["county"] = row["name"]
        row["name"] = org.name if org else str(scope.organization_id)
    return row


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def _rank(rows: list[dict]) -> None:
    """Rank by entry submission rate, then approval rate (ties share a rank); units without items are not ranked."""

    def key(r):
        return (r["submission_rate"] or 0, r["approval_rate"] or 0)

    ranked = sorted((r for r in rows if r["active"]), key=key, reverse=True)
    previous, rank = None, 0
    for position, row in enumerate(ranked, start=1):
        if key(row) != previous:
            rank, previous = position, key(row)
        row["rank"] = rank
    for row in rows:
        row.setdefault("rank", None)


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
                        "rate": None if unit.rate is None else unit.rate / 100,
                        "days_overdue": unit.days_overdue,
                        "situation": _situation(unit),
                    }
                )
    return rows


def report_figures(report: ProgressReport) -> dict:
    division = report.division
    generated_at = timezone.now()
    items = LocalItem.objects.filter(**{f"division__{division.level}_code": division.code})
    figures = rates.compute(items=items, divisions=subtree(division), now=generated_at)
    names = {d.code: d for d in subtree(division)} | {
        d.code: d for d in Division.objects.filter(code=division.city_code)
    }
    org_ids = [s.organization_id for s in figures if s.organization_id is not None]
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=org_ids).only("pk", "name")}
    previous = previous_report(report)
    before = (previous.figures or {}).get("rows", {}) if previous else {}

    grouped: dict[str, list[dict]] = {k: [] for k in ScopeKind.values}
    total = rates.Figures(approval_base=rates.approval_base())
    for scope, f in figures.items():
        if scope.kind == division.level and scope.division_id == division.code:
            total = f
        if scope.kind == ScopeKind.PROVINCE and division.level != ScopeKind.PROVINCE:
            continue
        if scope.kind == ScopeKind.CITY and division.level not in (ScopeKind.PROVINCE, ScopeKind.CITY):
            continue
        row = _row(scope, f, names, orgs)
        old = before.get(scope.key)
        row["submission_change"] = _change(row["submission_rate"], old and old.get("submission_rate"))
        row["approval_change"] = _change(row["approval_rate"], old and old.get("approval_rate"))
        grouped[scope.kind].append(row)
    for rows in grouped.values():
        rows.sort(key=lambda r: (r["code"], r["name"]))
        _rank(rows)
    return {
        "generated_at": generated_at.isoformat(),
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
        "cities": grouped[ScopeKind.CITY],
        "counties": grouped[ScopeKind.COUNTY],
        "departments": grouped[ScopeKind.DEPARTMENT],
        # Rates of every scope by key, what the next report compares with.
        "rows": {
            r["key"]: {"submission_rate": r["submission_rate"], "approval_rate": r["approval_rate"]}
            for kind in (ScopeKind.CITY, ScopeKind.COUNTY, ScopeKind.DEPARTMENT, ScopeKind.PROVINCE)
            for r in grouped[kind]
        },
        "bulletin": bulletin(division, report.period_end),
    }
