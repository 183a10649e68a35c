"""Reads for the supervisor's page 办件与电子监察: the latest case snapshots of a unit and of its children one level
down (cities, counties, departments), the unit's trend, and a department's items. A fixed number of queries whatever
the size of the province: units come from stored snapshots (``CaseSnapshot``); a department's items from one
aggregate query over that department's cases (``figures.item_figures``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from catalogue.models import Division, LocalItem, Organization

from ..models import CaseSnapshot, ScopeKind
from ..selectors import child_filter
from .figures import CaseFigures, item_figures

TREND_POINTS = 90


@dataclass(frozen=True)
class CaseUnitRow:
    name: str
    figures: CaseFigures
    drill_division: str | None = None  # the division to drill into (a city or county)
    drill_department: int | None = None  # the department to drill into (its items)
    rank: int | None = None


@dataclass(frozen=True)
class CaseBoard:
    division: Division
    organization: Organization | None
    date: dt.date | None
    headline: CaseFigures | None
    rows: list[CaseUnitRow]
    ranking: list[CaseUnitRow]
    trend: list[CaseSnapshot]
    child_kind: str | None


def latest_case_date() -> dt.date | None:
    return CaseSnapshot.objects.aggregate(d=Max("date"))["d"]


def _ranked(rows: list[CaseUnitRow]) -> list[CaseUnitRow]:
    """The units with something finished, by 按时办结率 (then 提前办结率), ties sharing a rank as ``RANK()`` does."""
    finished = [r for r in rows if r.figures.finished]
    finished.sort(key=lambda r: (-(r.figures.on_time_rate or 0), -(r.figures.early_rate or 0), r.name))
    ranked, rank, previous = [], 0, None
    for position, row in enumerate(finished, start=1):
        key = (row.figures.on_time_rate, row.figures.early_rate)
        if key != previous:
            rank, previous = position, key
        ranked.append(CaseUnitRow(row.name, row.figures, row.drill_division, row.drill_department, rank))
    return ranked


def _snapshot_row(snapshot: CaseSnapshot) -> CaseUnitRow:
    if snapshot.kind == ScopeKind.DEPARTMENT:
        return CaseUnitRow(
            snapshot.organization.name, CaseFigures.of(snapshot), drill_department=snapshot.organization_id
        )
    return CaseUnitRow(snapshot.division.name, CaseFigures.of(snapshot), drill_division=snapshot.division_id)


def _item_rows(organization: Organization, today: dt.date) -> list[CaseUnitRow]:
    figures = item_figures(organization.pk, today)
    names = dict(LocalItem.objects.filter(pk__in=list(figures)).values_list("pk", "name"))
    rows = [CaseUnitRow(names.get(pk, str(pk)), f) for pk, f in figures.items()]
    return sorted(rows, key=lambda r: r.name)


def case_board(division: Division, organization: Organization | None = None) -> CaseBoard:
    """The unit's figures on the latest date and its children's: a division's cities, counties or departments (as
    the rates dashboard goes down), or a department's items (counted now)."""
    date = latest_case_date()
    if date is None:
        return CaseBoard(division, organization, None, None, [], [], [], None)
    if organization is None:
        own = CaseSnapshot.objects.filter(scope_key=division.code, kind=division.level)
        children = (
            CaseSnapshot.objects.filter(child_filter(division), date=date)
            .select_related("division", "organization")
            .order_by("scope_key")
        )
        rows = [_snapshot_row(s) for s in children]
        child_kind = children[0].kind if rows else None
    else:
        own = CaseSnapshot.objects.filter(kind=ScopeKind.DEPARTMENT, organization=organization)
        rows = _item_rows(organization, timezone.localdate())
        child_kind = "item"
    headline = own.filter(date=date).first()
    trend = list(own.order_by("-date")[:TREND_POINTS])[::-1]
    return CaseBoard(
        division,
        organization,
        date,
        CaseFigures.of(headline) if headline else None,
        rows,
        _ranked(rows),
        trend,
        child_kind,
    )
