"""Reads of sampling inspections: the list, a page's sample, the supervision panel and the scorecard's figures —
each a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Avg, Count, F, Q, QuerySet, Sum
from django.http import QueryDict

from cases.models import InspectedCase, Inspection, InspectionRectification, InspectionState, RectificationState
from catalogue import access as catalogue_access
from catalogue.models import Division

from . import permissions

User_ = User | AnonymousUser


@dataclass(frozen=True)
class ListFilters:
    state: str = ""
    method: str = ""
    q: str = ""

    @classmethod
    def of(cls, query: QueryDict) -> ListFilters:
        from cases.models import InspectionMethod

        state, method = query.get("state", ""), query.get("method", "")
        return cls(
            state=state if state in InspectionState.values else "",
            method=method if method in InspectionMethod.values else "",
            q=query.get("q", "").strip()[:100],
        )


def inspection_list(user: User_, filters: ListFilters) -> QuerySet[Inspection]:
    rows = permissions.visible_inspections(user)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.method:
        rows = rows.filter(method=filters.method)
    if filters.q:
        rows = rows.filter(title__contains=filters.q)
    return (
        rows.select_related("division", "organization", "planned_by")
        .annotate(
            drawn=Count("sampled", distinct=True),
            scored=Count("sampled", filter=Q(sampled__scored_at__isnull=False), distinct=True),
            mean=Avg("sampled__score"),
        )
        .order_by("-planned_at", "-pk")
    )


def sample_of(user: User_, inspection: Inspection) -> QuerySet[InspectedCase]:
    """The drawn cases the user may see, in draw order, with what the page shows of each."""
    return (
        inspection.sampled.filter(permissions.visible_sampled_q(user))
        .select_related("case", "case__local_item", "organization", "scored_by")
        .annotate(
            open_rectifications=Count("rectifications", filter=~Q(rectifications__state=RectificationState.CLOSED))
        )
        .order_by("position")
    )


def rectification_list(user: User_, *, state: str, today: dt.date) -> QuerySet[InspectionRectification]:
    rows = permissions.visible_rectifications(user)
    if state == "late":
        rows = rows.filter(late_q(today))
    elif state in RectificationState.values:
        rows = rows.filter(state=state)
    elif not state:
        rows = rows.exclude(state=RectificationState.CLOSED)
    return rows.select_related("inspection", "organization", "sampled__case").order_by("due", "pk")


def late_q(today: dt.date, prefix: str = "") -> Q:
    """Rectifications past their due date and not closed."""
    return ~Q(**{f"{prefix}state": RectificationState.CLOSED}) & Q(**{f"{prefix}due__lt": today})


@dataclass(frozen=True)
class DepartmentRow:
    organization_id: int
    name: str
    mean_score: Decimal | None
    inspected: int
    open: int
    late: int


def department_panel(user: User_, today: dt.date) -> list[DepartmentRow]:
    """The supervision page's panel: per department, the mean inspection score of its scored cases and its open and
    late rectifications, among what the user may see. Two aggregate queries."""
    scores = {
        row["organization_id"]: row
        for row in InspectedCase.objects.filter(permissions.visible_sampled_q(user), score__isnull=False)
        .values("organization_id", "organization__name")
        .annotate(mean=Avg("score"), n=Count("pk"), total=Sum("score"))
        .order_by()
    }
    rects = {
        row["organization_id"]: row
        for row in permissions.visible_rectifications(user)
        .values("organization_id", "organization__name")
        .annotate(
            open=Count("pk", filter=~Q(state=RectificationState.CLOSED)),
            late=Count("pk", filter=late_q(today)),
        )
        .order_by()
    }
    rows = []
    for org_id in scores.keys() | rects.keys():
        s, r = scores.get(org_id, {}), rects.get(org_id, {})
        name = s.get("organization__name") or r.get("organization__name") or ""
        mean = s.get("mean")
        rows.append(
            DepartmentRow(
                org_id,
                name,
                Decimal(str(mean)).quantize(Decimal("0.1")) if mean is not None else None,
                s.get("n", 0),
                r.get("open", 0),
                r.get("late", 0),
            )
        )
    return sorted(rows, key=lambda row: (-row.late, -row.open, row.name))


# --- for the unit scorecard (reporting.scorecards) --------------------------------------------------------------------


@dataclass(frozen=True)
class InspectionFigures:
    """One department's inspection figures over a period."""

    mean_score: Decimal | None  # mean 100-point score of its cases scored in the period
    inspected: int  # its cases scored in the period
    rectifications_due: int  # its rectifications due in the period
    rectifications_on_time: int  # of those, closed on or before their due date
    score_sum: Decimal = Decimal(0)  # the sum of those cases' scores (to weigh several departments' means alike)


def inspection_figures(
    *,
    division_codes: Iterable[str] | None = None,
    organization_ids: Iterable[int] | None = None,
    date_from: dt.date,
    date_to: dt.date,
) -> dict[int, InspectionFigures]:
    """Per department (organization id): the inspection figures of cases scored, and rectifications due, between
    ``date_from`` and ``date_to`` (inclusive), for the departments in the subtrees of ``division_codes`` and/or the
    ``organization_ids`` given (both None: all). At most three queries (divisions, scores, rectifications);
    departments with neither a scored case nor a rectification due are absent."""
    scope = Q()
    if division_codes is not None:
        divisions = list(Division.objects.filter(code__in=list(division_codes)))
        scope &= catalogue_access.subtree_q(divisions, "organization__division__")
    if organization_ids is not None:
        scope &= Q(organization_id__in=list(organization_ids))
    scores = {
        row["organization_id"]: row
        for row in InspectedCase.objects.filter(
            scope, scored_at__date__gte=date_from, scored_at__date__lte=date_to, score__isnull=False
        )
        .values("organization_id")
        .annotate(mean=Avg("score"), n=Count("pk"), total=Sum("score"))
        .order_by()
    }
    rects = {
        row["organization_id"]: row
        for row in InspectionRectification.objects.filter(scope, due__gte=date_from, due__lte=date_to)
        .values("organization_id")
        .annotate(
            due_n=Count("pk"),
            on_time=Count("pk", filter=Q(state=RectificationState.CLOSED, closed_on__lte=F("due"))),
        )
        .order_by()
    }
    figures = {}
    for org_id in scores.keys() | rects.keys():
        s, r = scores.get(org_id, {}), rects.get(org_id, {})
        mean = s.get("mean")
        figures[org_id] = InspectionFigures(
            mean_score=Decimal(str(mean)).quantize(Decimal("0.1")) if mean is not None else None,
            inspected=s.get("n", 0),
            rectifications_due=r.get("due_n", 0),
            rectifications_on_time=r.get("on_time", 0),
            score_sum=Decimal(str(s.get("total") or 0)),
        )
    return figures
