"""Reads for the supervisor's page 办件与电子监察: the latest case snapshots of a unit, of its children one level down
(cities, counties, departments, a department's items), and the unit's trend. A fixed number of queries whatever the
size of the province: everything comes from stored snapshots (``CaseSnapshot``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q

from catalogue.models import Division, Organization

from ..models import CaseScopeKind, CaseSnapshot
from ..selectors import child_filter
from .figures import CaseFigures

TREND_POINTS = 90


@dataclass(frozen=True)
class CaseUnitRow:
    snapshot: CaseSnapshot
    figures: CaseFigures
    drill_url_args: tuple | None  # (code,) for a division, (code, organization id) for a department, None for an item
    rank: int | None = None

    @property
    def name(self) -> str:
        s = self.snapshot
        if s.local_item_id:
            return s.local_item.name
        return s.organization.name if s.organization_id else s.division.name


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
        ranked.append(CaseUnitRow(row.snapshot, row.figures, row.drill_url_args, rank))
    return ranked


def case_board(division: Division, organization: Organization | None = None) -> CaseBoard:
    """The unit's figures on the latest date and its children's: a division's cities, counties or departments (as
    the rates dashboard goes down), a department's items."""
    date = latest_case_date()
    if date is None:
        return CaseBoard(division, organization, None, None, [], [], [], None)
    if organization is None:
        own = CaseSnapshot.objects.filter(scope_key=division.code, kind=division.level)
        below = child_filter(division)
    else:
        own = CaseSnapshot.objects.filter(kind=CaseScopeKind.DEPARTMENT, organization=organization)
        below = Q(kind=CaseScopeKind.ITEM, organization=organization)
    headline = own.filter(date=date).first()
    children = (
        CaseSnapshot.objects.filter(below, date=date)
        .select_related("division", "organization", "local_item")
        .order_by("scope_key")
    )
    rows = []
    for snapshot in children:
        if snapshot.kind == CaseScopeKind.ITEM:
            drill = None
        elif snapshot.organization_id:
            drill = (snapshot.division_id, snapshot.organization_id)
        else:
            drill = (snapshot.division_id,)
        rows.append(CaseUnitRow(snapshot, CaseFigures.of(snapshot), drill))
    trend = list(own.order_by("-date")[:TREND_POINTS])[::-1]
    child_kind = rows[0].snapshot.kind if rows else None
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
