"""Reads of the hall, scoped by ``hall.permissions``: every page and figure shares one visibility rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from . import permissions
from .models import Booking, BookingStatus, Consultation, ConsultationChannel, ConsultationStatus

User_ = User | AnonymousUser

# --- Bookings and consultation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationFilters:
    q: str = ""
    status: str = ""
    channel: str = ""
    overdue: bool = False
    mine: bool = False

    @classmethod
    def from_query(cls, query: QueryDict) -> ConsultationFilters:
        status = query.get("status", "")
        channel = query.get("channel", "")
        return cls(
            q=query.get("q", "").strip()[:64],
            status=status if status in ConsultationStatus.values else "",
            channel=channel if channel in ConsultationChannel.values else "",
            overdue=query.get("overdue") == "1",
            mine=query.get("mine") == "1",
        )


def overdue_q(today: dt.date | None = None) -> Q:
    """Open past the due date. A question is overdue the day after its due date."""
    return Q(status=ConsultationStatus.OPEN, due_date__lt=today or timezone.localdate())


def consultation_list(user: User_, filters: ConsultationFilters, today: dt.date | None = None) -> QuerySet:
    rows = permissions.consultations_queryset(user).select_related("local_item", "organization", "owner")
    if filters.q:
        rows = rows.filter(
            Q(question__contains=filters.q)
            | Q(asker_name__contains=filters.q)
            | Q(local_item__name__contains=filters.q)
        )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.channel:
        rows = rows.filter(channel=filters.channel)
    if filters.overdue:
        rows = rows.filter(overdue_q(today))
    if filters.mine and user.is_authenticated:
        rows = rows.filter(owner=user, status=ConsultationStatus.OPEN)
    return rows.order_by("-received_at", "-pk")


def consultation_for_page(user: User_, pk: int) -> Consultation | None:
    return (
        permissions.consultations_queryset(user)
        .select_related(
            "local_item__organization",
            "organization__division",
            "owner",
            "answered_by",
            "faq_requested_by",
            "faq_approved_by",
            "faq_standard",
        )
        .filter(pk=pk)
        .first()
    )


def faq_queue(user: User_) -> QuerySet[Consultation]:
    return (
        Consultation.objects.filter(permissions.faq_queue_q(user))
        .select_related("local_item", "answered_by")
        .order_by("faq_requested_at", "pk")
    )


def unowned_count(user: User_) -> int:
    return Consultation.objects.filter(permissions.takeable_consultations_q(user)).count()


def consultation_figures(
    organizations: QuerySet | list[int], start: dt.date, end: dt.date, today: dt.date | None = None
) -> list[dict]:
    """Per responsible unit, the questions received from ``start`` to ``end`` (local dates, inclusive): received,
    answered, answered on time (on or before the due date), still open, and open past the due date — one aggregate
    query. ``on_time_rate`` is answered on time ÷ received (``None`` with nothing received)."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        Consultation.objects.filter(organization__in=organizations, received_at__gte=since, received_at__lt=until)
        .values("organization_id", name=F("organization__name"))
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(status=ConsultationStatus.ANSWERED)),
            on_time=Count("pk", filter=Q(status=ConsultationStatus.ANSWERED, answered_at__date__lte=F("due_date"))),
            open=Count("pk", filter=Q(status=ConsultationStatus.OPEN)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by("name", "organization_id")
    )
    return [{**row, "on_time_rate": row["on_time"] / row["received"] if row["received"] else None} for row in rows]


def arrivals_today(user: User_, today: dt.date | None = None) -> QuerySet[Booking]:
    """Today's bookings at the halls where the user registers arrivals, booked ones first."""
    today = today or timezone.localdate()
    return (
        Booking.objects.filter(day=today, group__hall__in=permissions.arrival_halls(user))
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("group__hall", "local_item")
        .order_by("half_day", "status", "pk")
    )
