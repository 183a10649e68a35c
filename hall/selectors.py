"""Reads of the hall: what the kiosk, the caller and the display show, and the figures per window and day.

Everything here costs a bounded number of queries whatever the length of the queue: counts are grouped in the
database, the display reads a fixed number of latest calls, and the figures are aggregate queries (averages, and the
90th percentile by nearest rank with window functions) — never a Python loop over tickets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models import (
    Window as WindowExpression,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Ceil, RowNumber
from django.http import QueryDict
from django.utils import timezone

from hall import permissions
from hall.models import (
    Booking,
    BookingStatus,
    Consultation,
    ConsultationChannel,
    ConsultationStatus,
    Hall,
    ServiceGroup,
    Ticket,
    TicketStatus,
    Window,
)

DISPLAY_LATEST = 8

WAIT = ExpressionWrapper(F("called_at") - F("taken_at"), output_field=DurationField())
WALK = ExpressionWrapper(F("started_at") - F("called_at"), output_field=DurationField())
SERVICE = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())


def today() -> dt.date:
    return timezone.localdate()


def groups_with_waiting(hall: Hall, day: dt.date, *, window: Window | None = None) -> QuerySet[ServiceGroup]:
    """The hall's active groups (or those ``window`` serves), each with ``waiting``: its numbers still waiting that
    day. One query."""
    groups = ServiceGroup.objects.filter(hall=hall, is_active=True)
    if window is not None:
        groups = groups.filter(windows=window)
    return groups.annotate(
        waiting=Count("tickets", filter=Q(tickets__day=day, tickets__status=TicketStatus.WAITING))
    ).order_by("prefix")


def waiting_ahead(ticket: Ticket) -> int:
    """How many of the same group's numbers taken earlier still wait: what the kiosk prints. Priority weights may
    change the order a little; the count is the honest estimate a visitor can read."""
    return Ticket.objects.filter(
        group_id=ticket.group_id, day=ticket.day, status=TicketStatus.WAITING, taken_at__lt=ticket.taken_at
    ).count()


def latest_calls(hall: Hall, day: dt.date, limit: int = DISPLAY_LATEST) -> list[dict]:
    """The numbers called most recently (recalls count as calls), with their window. One query."""
    rows = (
        Ticket.objects.filter(hall=hall, day=day, last_called_at__isnull=False, window__isnull=False)
        .order_by("-last_called_at", "-pk")
        .values("pk", "number", "status", "last_called_at", "call_count", "window__number", "window__name")[:limit]
    )
    return [
        {
            "id": row["pk"],
            "number": row["number"],
            "window": row["window__number"],
            "window_name": row["window__name"],
            "status": row["status"],
            "called_at": timezone.localtime(row["last_called_at"]).strftime("%H:%M:%S"),
            "calls": row["call_count"],
        }
        for row in rows
    ]


def display_state(hall: Hall, day: dt.date) -> dict:
    """What the hall display shows: the latest calls and each group's waiting count. Two queries."""
    return {
        "hall": hall.name,
        "day": day.isoformat(),
        "calls": latest_calls(hall, day),
        "groups": [{"prefix": g.prefix, "name": g.name, "waiting": g.waiting} for g in groups_with_waiting(hall, day)],
    }


# --- figures per window and day -------------------------------------------------------------------------------------


@dataclass
class WindowFigures:
    window: Window
    tickets: int
    no_shows: int
    mean_wait: dt.timedelta | None
    p90_wait: dt.timedelta | None
    mean_walk: dt.timedelta | None
    mean_service: dt.timedelta | None


def _p90_wait(day: dt.date) -> Subquery:
    """The 90th-percentile wait of one window's numbers called that day, by nearest rank: the wait whose rank in
    ascending order is ⌈0.9 × n⌉. Row number and count are window functions inside one correlated subquery."""
    ranked = (
        Ticket.objects.filter(window=OuterRef("pk"), day=day, called_at__isnull=False)
        .annotate(
            wait=WAIT,
            rank=WindowExpression(RowNumber(), order_by=[WAIT.asc(), F("pk").asc()]),
            total=WindowExpression(Count("pk")),
        )
        .annotate(target=Ceil(ExpressionWrapper(F("total") * 0.9, output_field=FloatField())))
        .filter(rank=F("target"))
        .values("wait")[:1]
    )
    return Subquery(ranked, output_field=DurationField())


def _duration(value) -> dt.timedelta | None:
    """Averages of durations come back as a timedelta (PostgreSQL) or a number of microseconds (SQLite)."""
    if value is None or isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(microseconds=float(value))


def window_figures(hall: Hall, day: dt.date) -> list[WindowFigures]:
    """Per window of ``hall`` on ``day``: numbers handled (called there), no-shows, mean and p90 wait (take → first
    call), mean walk (call → start) and mean service time (start → finish). Two queries."""
    on_day = Q(tickets__day=day)
    windows = (
        Window.objects.filter(hall=hall)
        .annotate(
            n_tickets=Count("tickets", filter=on_day),
            n_no_shows=Count("tickets", filter=on_day & Q(tickets__status=TicketStatus.NO_SHOW)),
            p90_wait=_p90_wait(day),
        )
        .order_by("number")
    )
    means = {
        row["window_id"]: row
        for row in Ticket.objects.filter(hall=hall, day=day, window__isnull=False)
        .values("window_id")
        .annotate(mean_wait=Avg(WAIT), mean_walk=Avg(WALK), mean_service=Avg(SERVICE))
        .order_by("window_id")
    }
    return [
        WindowFigures(
            window=w,
            tickets=w.n_tickets,
            no_shows=w.n_no_shows,
            mean_wait=_duration(means.get(w.pk, {}).get("mean_wait")),
            p90_wait=_duration(w.p90_wait),
            mean_walk=_duration(means.get(w.pk, {}).get("mean_walk")),
            mean_service=_duration(means.get(w.pk, {}).get("mean_service")),
        )
        for w in windows
    ]


def busiest_items(hall: Hall, day: dt.date, limit: int = 5) -> list[dict]:
    """The items most numbers were taken for that day (numbers without an item are left out). One query."""
    return list(
        Ticket.objects.filter(hall=hall, day=day, local_item__isnull=False)
        .values("local_item_id", "local_item__name")
        .annotate(tickets=Count("pk"))
        .order_by("-tickets", "local_item__name")[:limit]
    )


def hall_totals(hall: Hall, day: dt.date) -> dict:
    """The whole hall's day: numbers taken, waiting, done, no-shows. One query."""
    on_day = Ticket.objects.filter(hall=hall, day=day)
    return on_day.aggregate(
        taken=Count("pk"),
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        done=Count("pk", filter=Q(status=TicketStatus.DONE)),
        no_shows=Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
    )


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


def ticket_figures_by(tickets: QuerySet[Ticket], key: str | Expression) -> dict:
    """Per value of ``key`` (a field path such as ``hall__division__county_code`` or ``window_id``, or an
    expression): numbers taken, no-shows, numbers called and their mean wait (take → first call). One grouped
    query; keys with no value are left out."""
    group = F(key) if isinstance(key, str) else key
    rows = (
        tickets.annotate(unit_key=group)
        .filter(unit_key__isnull=False)
        .values("unit_key")
        .annotate(
            tickets=Count("pk"),
            no_shows=Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
            called=Count("pk", filter=Q(called_at__isnull=False)),
            mean_wait=Avg(WAIT, filter=Q(called_at__isnull=False)),
        )
        .order_by()
    )
    return {row.pop("unit_key"): {**row, "mean_wait": _duration(row["mean_wait"])} for row in rows}


def consultation_figures_by(consultations: QuerySet, key: str, today: dt.date | None = None) -> dict:
    """Per value of ``key`` (e.g. ``organization__division__county_code``): questions received, answered on time
    (on or before the due date) and open past it on ``today`` — the grouped form of ``consultation_figures``. One
    query."""
    today = today or timezone.localdate()
    rows = (
        consultations.filter(**{f"{key}__isnull": False})
        .values(unit_key=F(key))
        .annotate(
            received=Count("pk"),
            on_time=Count("pk", filter=Q(status=ConsultationStatus.ANSWERED, answered_at__date__lte=F("due_date"))),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by()
    )
    return {row.pop("unit_key"): row for row in rows}


def arrivals_today(user: User_, today: dt.date | None = None) -> QuerySet[Booking]:
    """Today's bookings at the halls where the user registers arrivals, booked ones first."""
    today = today or timezone.localdate()
    return (
        Booking.objects.filter(day=today, group__hall__in=permissions.arrival_halls(user))
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("group__hall", "local_item")
        .order_by("half_day", "status", "pk")
    )
