"""The progress report's 好差评 and hall figures, frozen with the report: computed once at build time (a fixed number
of grouped queries, ``figures.unit_rows``) for every city, county and department of the report's unit over the
report's period, and kept in ``ProgressReport.figures["evaluations"]`` — a report sent never changes afterwards.
The rows are few (a province has some thousands of departments), so the JSON stays small; the sheets
(``evaluation_figures.xlsx``) are written from it."""

from __future__ import annotations

import datetime as dt

from catalogue.models import Organization

from ..models import ProgressReport, ScopeKind
from .figures import UnitRow, headline_of, unit_rows

EVALUATION_KEYS = (
    "overdue",
    "handling_days",
    "bad",
    "rectifying",
    "rectified",
    "rectified_on_time",
    "on_time_rate",
    "real_name_bad",
    "followed_up",
    "follow_up_rate",
    "evaluations",
    "satisfied",
    "satisfaction",
    "mean_grade",
    "appeals",
    "appeals_upheld",
)


def _flat(kind: str, code: str, name: str, county: str, row_figures) -> dict:
    e, hall, consultation = row_figures.evaluation, row_figures.hall, row_figures.consultation
    return {
        "kind": kind,
        "code": code,
        "name": name,
        "county": county,
        **{key: e.get(key) for key in EVALUATION_KEYS},
        "tickets": hall["tickets"],
        "no_shows": hall["no_shows"],
        "called": hall["called"],
        "mean_wait_minutes": row_figures.mean_wait_minutes,
        "received": consultation["received"],
        "answered_on_time": consultation["on_time"],
        "consultation_on_time_rate": row_figures.consultation_on_time_rate,
        "consultation_overdue": consultation["overdue"],
    }


def evaluation_report_figures(report: ProgressReport, today: dt.date) -> dict:
    """The rows of the sheets 好差评 and 服务大厅 (cities, counties, departments of the report's unit, in code order)
    and the unit's totals, as JSON-ready dicts."""
    division = report.division
    start, end = report.period_start, report.period_end
    kinds = ["department"]
    if division.level in (ScopeKind.PROVINCE, ScopeKind.CITY):
        kinds.insert(0, "county")
    if division.level == ScopeKind.PROVINCE:
        kinds.insert(0, "city")
    rows: list[dict] = []
    departments: list[UnitRow] = []
    for kind in kinds:
        found = unit_rows(division, today, start, end, kind)
        if kind == "department":
            departments = found
            continue
        rows.extend(_flat(kind, r.key or division.code, r.name, "", r.figures) for r in found)
    places = {
        pk: (code, county)
        for pk, code, county in Organization.objects.filter(pk__in=[r.key for r in departments]).values_list(
            "pk", "division_id", "division__name"
        )
    }
    rows.extend(
        _flat("department", places.get(r.key, ("", ""))[0], r.name, places.get(r.key, ("", ""))[1], r.figures)
        for r in departments
    )
    rows.sort(key=lambda r: (r["code"], kinds.index(r["kind"]), r["name"]))
    total = _flat(division.level, division.code, division.name, "", headline_of(departments))
    return {"rows": rows, "total": total}
