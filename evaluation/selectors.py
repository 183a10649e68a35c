"""Reads of evaluations for the staff pages and the figures, scoped by ``evaluation.permissions``.

The figures are aggregate SQL only: one grouped query per dimension (window, staff member, item, department,
county), whatever the number of evaluations. Satisfaction counts the evaluations an upheld appeal did not exclude;
appeals count every evaluation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from core.pages import parse_keys

from . import permissions
from .models import (
    BAD_GRADE_MAX,
    OPEN_STAGES,
    SATISFIED_MIN,
    Appeal,
    AppealState,
    Evaluation,
    Grade,
    Rectification,
    RectificationStep,
    Stage,
    Target,
)

# --- lists ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RectificationFilters:
    q: str = ""
    stage: str = ""
    overdue: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> RectificationFilters:
        stage = query.get("stage", "")
        return cls(
            q=query.get("q", "").strip()[:64],
            stage=stage if stage in Stage.values else "",
            overdue=query.get("overdue") == "1",
        )


def rectification_list(user: User, filters: RectificationFilters, today: dt.date) -> QuerySet[Rectification]:
    rows = permissions.visible_rectifications(user).select_related(
        "organization", "evaluation__local_item", "evaluation__case", "evaluation__window"
    )
    if filters.q:
        rows = rows.filter(
            Q(evaluation__local_item__name__contains=filters.q)
            | Q(evaluation__case__number__contains=filters.q.upper())
            | Q(evaluation__comment__contains=filters.q)
            | Q(organization__name__contains=filters.q)
        )
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    if filters.overdue:
        rows = rows.filter(stage__in=OPEN_STAGES, stage_due__lt=today)
    return rows.order_by(F("stage_due").asc(nulls_last=True), "pk")


def rectification_for_page(user: User, pk: int) -> Rectification | None:
    return (
        permissions.visible_rectifications(user)
        .select_related(
            "organization",
            "division",
            "evaluation__local_item",
            "evaluation__case",
            "evaluation__window",
            "evaluation__staff",
            "evaluation__indicator_set",
        )
        .prefetch_related(
            "evaluation__scores__indicator",
            "evaluation__appeals",
            "steps__actor",
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class EvaluationFilters:
    q: str = ""
    grade: int | None = None
    target: str = ""
    excluded: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> EvaluationFilters:
        try:
            grade = parse_keys([query["grade"]])[0] if query.get("grade") else None
        except ValueError:
            grade = None
        target = query.get("target", "")
        return cls(
            q=query.get("q", "").strip()[:64],
            grade=grade if grade in Grade.values else None,
            target=target if target in Target.values else "",
            excluded=query.get("excluded", "") if query.get("excluded") in ("0", "1") else "",
        )


def evaluation_list(user: User, filters: EvaluationFilters) -> QuerySet[Evaluation]:
    rows = permissions.visible_evaluations(user).select_related(
        "local_item", "organization", "case", "window", "staff", "rectification"
    )
    if filters.q:
        rows = rows.filter(
            Q(local_item__name__contains=filters.q)
            | Q(case__number__contains=filters.q.upper())
            | Q(comment__contains=filters.q)
        )
    if filters.grade:
        rows = rows.filter(grade=filters.grade)
    if filters.target:
        rows = rows.filter(target=filters.target)
    if filters.excluded:
        rows = rows.filter(excluded=filters.excluded == "1")
    return rows.order_by("-submitted_at", "-pk")


def appeal_list(user: User, state: str = "") -> QuerySet[Appeal]:
    rows = permissions.appeal_queue(user).select_related(
        "organization",
        "filed_by",
        "decided_by",
        "evaluation__local_item",
        "evaluation__case",
        "evaluation__rectification",
    )
    if state in AppealState.values:
        rows = rows.filter(state=state)
    return rows.order_by(F("decided_at").desc(nulls_first=True), "-filed_at", "-pk")


# --- figures --------------------------------------------------------------------------------------------------------

# Each dimension: the columns it groups by (key first, then the labels shown).
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "window": ("window_id", "window__number", "window__name"),
    "staff": ("staff_id", "staff__username", "staff__first_name", "staff__last_name"),
    "item": ("local_item_id", "local_item__name"),
    "department": ("organization_id", "organization__name"),
    "county": ("division_id", "division__name"),
    # Roll-ups by the codes every division row carries (names are looked up by the caller, one query).
    "county_code": ("division__county_code",),
    "city": ("division__city_code",),
    "province": ("division__province_code",),
}

HANDLING = ExpressionWrapper(
    F("rectification__closed_at") - F("rectification__opened_at"), output_field=DurationField()
)


def figure_annotations(today: dt.date | None = None) -> dict:
    """The aggregates of one group of evaluations, for any ``GROUP BY``: the counts below, the sum of grades (so a
    roll-up can recompute the mean exactly), the rectifications still open and those past their stage's due date on
    ``today``, and the mean time from a bad grade to its closed rectification. Handling times and overdue counts
    lead the pages (domain §12.3: satisfaction sits above 99 % everywhere and separates nobody)."""
    counted = Q(excluded=False)
    bad = counted & Q(grade__lte=BAD_GRADE_MAX)
    real_bad = bad & Q(is_real_name=True)
    open_rect = bad & Q(rectification__stage__in=OPEN_STAGES)
    closed = bad & Q(rectification__stage=Stage.CLOSED)
    return {
        "evaluations": Count("pk", filter=counted),
        "satisfied": Count("pk", filter=counted & Q(grade__gte=SATISFIED_MIN)),
        "grade_sum": Sum("grade", filter=counted),
        "bad": Count("pk", filter=bad),
        "rectified": Count("pk", filter=closed),
        "rectified_on_time": Count("pk", filter=closed & Q(rectification__late=False)),
        "rectifying": Count("pk", filter=open_rect),
        "overdue": Count("pk", filter=open_rect & Q(rectification__stage_due__lt=today or dt.date.min)),
        "handling_total": Sum(HANDLING, filter=closed),
        "real_name_bad": Count("pk", filter=real_bad),
        "followed_up": Count("pk", filter=real_bad & Q(rectification__followed_up=True)),
        # An uncorrelated IN: PostgreSQL hashes the (few) appealed ids once instead of probing per evaluation.
        "appeals": Count("pk", filter=Q(pk__in=Appeal.objects.values("evaluation_id"))),
        "appeals_upheld": Count("pk", filter=Q(excluded=True)),
    }


def days(value) -> float | None:
    """A summed duration in days: PostgreSQL sums intervals to a timedelta, SQLite to a number of microseconds."""
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000


def _figures(evaluations: QuerySet[Evaluation], columns: tuple[str, ...], today: dt.date | None = None) -> QuerySet:
    return (
        evaluations.filter(**{f"{columns[0]}__isnull": False})
        .values(*columns)
        .annotate(**figure_annotations(today))
        .order_by(columns[0])
    )


def with_rates(row: dict) -> dict:
    """The row with its shares and means, from counts alone, so a roll-up (sums of groups) gets them right:
    satisfaction = satisfied ÷ evaluations, mean grade = sum of grades ÷ evaluations, rectified on time ÷ bad
    grades, followed up ÷ real-name bad grades, mean handling days = total handling time ÷ rectified."""

    def share(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    total_days = row.get("handling_days_total")
    if total_days is None:
        total_days = days(row.get("handling_total"))
    return {
        **{k: v for k, v in row.items() if k != "handling_total"},
        "handling_days_total": total_days,
        "satisfaction": share(row["satisfied"], row["evaluations"]),
        "mean_grade": round(row["grade_sum"] / row["evaluations"], 2) if row["evaluations"] else None,
        "on_time_rate": share(row["rectified_on_time"], row["bad"]),
        "follow_up_rate": share(row["followed_up"], row["real_name_bad"]),
        "handling_days": round(total_days / row["rectified"], 1) if row["rectified"] and total_days else None,
    }


def evaluation_figures(
    user: User | None,
    by: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    evaluations: QuerySet[Evaluation] | None = None,
    today: dt.date | None = None,
) -> list[dict]:
    """The figures per ``by`` (window, staff, item, department, county) over the evaluations ``user`` may see (all of
    them for ``user=None``, a background report), given between ``start`` and ``end`` (local dates, inclusive):
    evaluations, satisfied (满意 and better) and their share, mean grade, bad grades, rectified and rectified on
    time, real-name bad grades and those followed up, grades appealed and appeals upheld (which excluded their
    grade), and — with ``today`` — the rectifications overdue that day and the mean handling time. One query."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    rows = evaluations if evaluations is not None else Evaluation.objects.all()
    if user is not None:
        rows = rows.filter(permissions.visible_evaluations_q(user))
    return [with_rates(row) for row in _figures(within_dates(rows, start, end), DIMENSIONS[by], today)]


def within_dates(rows: QuerySet[Evaluation], start: dt.date | None, end: dt.date | None) -> QuerySet[Evaluation]:
    """The evaluations given from ``start`` to ``end`` (local dates, inclusive), as a range on ``submitted_at`` so the
    index on (division, submitted_at) serves it (``__date`` would wrap the column in a function)."""
    tz = timezone.get_current_timezone()
    if start:
        rows = rows.filter(submitted_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end:
        rows = rows.filter(submitted_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return rows


def window_figures(user: User | None, **kw) -> list[dict]:
    return evaluation_figures(user, "window", **kw)


def staff_figures(user: User | None, **kw) -> list[dict]:
    return evaluation_figures(user, "staff", **kw)


def item_figures(user: User | None, **kw) -> list[dict]:
    return evaluation_figures(user, "item", **kw)


def department_figures(user: User | None, **kw) -> list[dict]:
    return evaluation_figures(user, "department", **kw)


def county_figures(user: User | None, **kw) -> list[dict]:
    return evaluation_figures(user, "county", **kw)


def overdue_count(user: User, today: dt.date) -> int:
    return permissions.visible_rectifications(user).filter(stage__in=OPEN_STAGES, stage_due__lt=today).count()


def follow_up_calls(rectification: Rectification) -> QuerySet[RectificationStep]:
    return rectification.steps.filter(stage=Stage.FOLLOW_UP)
