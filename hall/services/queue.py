"""Queue numbers (取号叫号): taking a number at the kiosk, and everything a window does with it.

A number is taken for a service group on a day the hall is open (``core.workdays``) and within its opening hours; its
serial is the group's next for the day, counted under a lock on the group so two kiosks never print the same number.
Windows call by *weighted* wait: minutes waited × the weight of the ticket's priority (``HALL_PRIORITY_WEIGHTS``), so
an elderly visitor's wait counts more without jumping a queue of people who have waited much longer. A transferred
number goes back to waiting with its original take time, so it keeps its place. Every change writes a ``TicketEvent``
and every window action is refused to anyone but the window's active A岗/B岗 staff, inside the transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import LocalItem
from core import workdays
from core.exceptions import TransitionNotAllowed
from hall import permissions
from hall.models import (
    Booking,
    Hall,
    Priority,
    ServiceGroup,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
    Window,
)

DEFAULT_WEIGHTS = {Priority.NORMAL: 1.0, Priority.ELDERLY: 1.5, Priority.DISABLED: 1.5, Priority.BOOKED: 2.0}


def priority_weights() -> dict[str, float]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "HALL_PRIORITY_WEIGHTS", {})}


def recall_wait() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "HALL_RECALL_MIN_MINUTES", 2))


def _moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    at = at or timezone.now()
    return at, timezone.localdate(at)


def is_open(hall: Hall, at: dt.datetime) -> bool:
    """Whether the hall receives visitors at ``at``: a working day (holidays closed, make-up days open) and inside one
    of its two half-day sessions."""
    local = timezone.localtime(at)
    if not workdays.is_workday(local.date()):
        return False
    t = local.time()
    return hall.morning_opens <= t < hall.morning_closes or hall.afternoon_opens <= t < hall.afternoon_closes


def closed_message(hall: Hall, at: dt.datetime) -> str | None:
    """The Chinese refusal of a visitor arriving at ``at``, or ``None`` when the hall is open."""
    local = timezone.localtime(at)
    if not hall.is_active:
        return _("%(hall)s暂停服务。") % {"hall": hall.name}
    if not workdays.is_workday(local.date()):
        return _("%(day)s为休息日，%(hall)s不办公，请在工作日前来取号。") % {
            "day": local.date().isoformat(),
            "hall": hall.name,
        }
    if not is_open(hall, at):
        return _("现在不在办公时间。办公时间：上午%(mo)s至%(mc)s，下午%(ao)s至%(ac)s。") % {
            "mo": hall.morning_opens.strftime("%H:%M"),
            "mc": hall.morning_closes.strftime("%H:%M"),
            "ao": hall.afternoon_opens.strftime("%H:%M"),
            "ac": hall.afternoon_closes.strftime("%H:%M"),
        }
    return None


def _event(ticket: Ticket, kind: str, at: dt.datetime, *, window=None, user=None, note: str = "") -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, kind=kind, at=at, window=window, user=user if user and user.is_authenticated else None, note=note
    )


@transaction.atomic
def take_ticket(
    *,
    group: ServiceGroup,
    priority: str = Priority.NORMAL,
    local_item: LocalItem | None = None,
    phone: str = "",
    booking: Booking | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """A new queue number for ``group``: ``{prefix}{serial:03}``, the serial counted per group and day under a row
    lock on the group. A booking's arrival takes a 预约 priority number. Raises ``ValidationError`` with the reason
    when the hall is closed that day or hour, or the group takes no numbers."""
    at, day = _moment(at)
    group = ServiceGroup.objects.select_for_update().select_related("hall").get(pk=group.pk)
    message = closed_message(group.hall, at)
    if message:
        raise ValidationError(message, code="closed")
    if not group.is_active:
        raise ValidationError(_("该业务类别暂停取号。"), code="inactive")
    if priority not in Priority.values:
        raise ValidationError(_("请选择有效的优先类别。"), code="priority")
    if booking is not None:
        priority = Priority.BOOKED
        local_item = local_item or booking.local_item
        phone = phone or booking.phone
    if local_item is not None and not group.items.filter(pk=local_item.pk).exists():
        raise ValidationError(_("所选事项不属于该业务类别。"), code="item")
    last = Ticket.objects.filter(group=group, day=day).aggregate(m=Max("serial"))["m"] or 0
    serial = last + 1
    ticket = Ticket.objects.create(
        hall=group.hall,
        group=group,
        day=day,
        serial=serial,
        number=f"{group.prefix}{serial:03d}",
        priority=priority,
        local_item=local_item,
        phone=phone,
        booking=booking,
        taken_at=at,
        evaluation_token=secrets.token_hex(16),
    )
    _event(ticket, TicketEventKind.TAKEN, at, note=ticket.get_priority_display())
    return ticket


# --- at the window --------------------------------------------------------------------------------------------------


def _require_staff(user: User | AnonymousUser, window: Window) -> None:
    if not permissions.can_work_window(user, window):
        raise PermissionDenied(_("只有该窗口的在岗人员（A岗或B岗）可以操作。"))


def _lock_ticket(ticket: Ticket, window: Window, allowed: tuple[str, ...]) -> Ticket:
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.window_id != window.pk or ticket.status not in allowed:
        raise TransitionNotAllowed(
            _("号码%(number)s当前为“%(status)s”，不能在本窗口进行此操作。")
            % {"number": ticket.number, "status": ticket.get_status_display()}
        )
    return ticket


def current_ticket(window: Window) -> Ticket | None:
    """The number a window is serving or has called, if any."""
    return (
        Ticket.objects.filter(window=window, status__in=(TicketStatus.CALLED, TicketStatus.SERVING))
        .select_related("group", "local_item", "case")
        .order_by("-last_called_at", "-pk")
        .first()
    )


def weighted_order(candidates: list[tuple[int, dt.datetime, str]], at: dt.datetime) -> list[int]:
    """Ticket ids by effective wait (minutes × weight) descending; ties go to the earlier number. Done in Python on
    (id, taken_at, priority) triples of one hall's waiting numbers — a few hundred at most — because the datetime
    arithmetic differs between SQLite and PostgreSQL and the caller locks the rows anyway."""
    weights = priority_weights()

    def key(row: tuple[int, dt.datetime, str]):
        pk, taken_at, priority = row
        minutes = max((at - taken_at).total_seconds(), 0) / 60
        return (-minutes * weights.get(priority, 1.0), taken_at, pk)

    return [row[0] for row in sorted(candidates, key=key)]


@transaction.atomic
def call_next(user: User, window: Window, at: dt.datetime | None = None) -> Ticket | None:
    """Call the waiting number with the longest weighted wait among the groups the window serves (numbers sent to
    another window excepted). Returns ``None`` when nobody waits; refuses while the window still has a number."""
    at, day = _moment(at)
    window = Window.objects.select_for_update().get(pk=window.pk)
    _require_staff(user, window)
    if current_ticket(window) is not None:
        raise TransitionNotAllowed(_("本窗口还有未办结的号码，请先办完、过号或转窗口。"))
    group_ids = list(
        ServiceGroup.objects.select_for_update()
        .filter(windows=window, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    candidates = list(
        Ticket.objects.filter(group_id__in=group_ids, day=day, status=TicketStatus.WAITING)
        .filter(Q(transferred_to__isnull=True) | Q(transferred_to=window))
        .values_list("pk", "taken_at", "priority")
    )
    if not candidates:
        return None
    ticket = Ticket.objects.select_for_update().get(pk=weighted_order(candidates, at)[0])
    ticket.status = TicketStatus.CALLED
    ticket.window = window
    ticket.staff = user
    ticket.called_at = ticket.called_at or at
    ticket.last_called_at = at
    ticket.call_count += 1
    ticket.transferred_to = None
    ticket.save()
    _event(ticket, TicketEventKind.CALLED, at, window=window, user=user)
    return ticket


@transaction.atomic
def recall(user: User, window: Window, ticket: Ticket, at: dt.datetime | None = None) -> Ticket:
    """Call the same number again (重呼), only once ``HALL_RECALL_MIN_MINUTES`` have passed since the last call."""
    at, _day = _moment(at)
    _require_staff(user, window)
    ticket = _lock_ticket(ticket, window, (TicketStatus.CALLED,))
    ready = ticket.last_called_at + recall_wait()
    if at < ready:
        raise ValidationError(
            _("距上次叫号不足%(minutes)s分钟，请在%(time)s后再重呼。")
            % {
                "minutes": int(recall_wait().total_seconds() // 60),
                "time": timezone.localtime(ready).strftime("%H:%M:%S"),
            },
            code="recall_wait",
        )
    ticket.last_called_at = at
    ticket.call_count += 1
    ticket.save(update_fields=["last_called_at", "call_count"])
    _event(ticket, TicketEventKind.RECALLED, at, window=window, user=user)
    return ticket


@transaction.atomic
def mark_no_show(user: User, window: Window, ticket: Ticket, at: dt.datetime | None = None) -> Ticket:
    """过号: the called visitor did not come."""
    at, _day = _moment(at)
    _require_staff(user, window)
    ticket = _lock_ticket(ticket, window, (TicketStatus.CALLED,))
    ticket.status = TicketStatus.NO_SHOW
    ticket.save(update_fields=["status"])
    _event(ticket, TicketEventKind.NO_SHOW, at, window=window, user=user)
    return ticket


@transaction.atomic
def start(user: User, window: Window, ticket: Ticket, at: dt.datetime | None = None) -> Ticket:
    """开始办理: the called visitor is at the counter (the walk ends here)."""
    at, _day = _moment(at)
    _require_staff(user, window)
    ticket = _lock_ticket(ticket, window, (TicketStatus.CALLED,))
    ticket.status = TicketStatus.SERVING
    ticket.started_at = at
    ticket.staff = user
    ticket.save(update_fields=["status", "started_at", "staff"])
    _event(ticket, TicketEventKind.STARTED, at, window=window, user=user)
    return ticket


@transaction.atomic
def finish(user: User, window: Window, ticket: Ticket, at: dt.datetime | None = None) -> Ticket:
    """办完: the visit is over; its evaluation (一次一评) may follow."""
    at, _day = _moment(at)
    _require_staff(user, window)
    ticket = _lock_ticket(ticket, window, (TicketStatus.SERVING,))
    ticket.status = TicketStatus.DONE
    ticket.finished_at = at
    ticket.save(update_fields=["status", "finished_at"])
    _event(ticket, TicketEventKind.FINISHED, at, window=window, user=user)
    return ticket


def _target_group(ticket: Ticket, to_window: Window) -> ServiceGroup | None:
    groups = ServiceGroup.objects.filter(windows=to_window, is_active=True).order_by("pk")
    if groups.filter(pk=ticket.group_id).exists():
        return ticket.group
    if ticket.local_item_id:
        by_item = groups.filter(items=ticket.local_item_id).first()
        if by_item is not None:
            return by_item
    return groups.first()


@transaction.atomic
def transfer(
    user: User, window: Window, ticket: Ticket, to_window: Window, reason: str, at: dt.datetime | None = None
) -> Ticket:
    """转窗口: the number waits again, for ``to_window`` only and in a group it serves, with its original take time —
    so it keeps its place instead of going to the back of the queue. Its first call stays (the wait it had), its start
    is cleared: walk and service time are measured at the window that finishes it."""
    at, _day = _moment(at)
    _require_staff(user, window)
    ticket = _lock_ticket(ticket, window, (TicketStatus.CALLED, TicketStatus.SERVING))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写转窗口的原因。")})
    if to_window.pk == window.pk or to_window.hall_id != ticket.hall_id or not to_window.is_active:
        raise ValidationError({"to_window": _("请选择本大厅的其他在用窗口。")})
    group = _target_group(ticket, to_window)
    if group is None:
        raise ValidationError({"to_window": _("该窗口没有可排队的业务类别。")})
    ticket.status = TicketStatus.WAITING
    ticket.group = group
    ticket.window = None
    ticket.transferred_to = to_window
    ticket.started_at = None  # the service starts again at the new window; the wait keeps its first call
    ticket.save(update_fields=["status", "group", "window", "transferred_to", "started_at"])
    _event(
        ticket, TicketEventKind.TRANSFERRED, at, window=window, user=user, note=f"→{to_window.number} {reason}"[:200]
    )
    return ticket


@transaction.atomic
def link_case(user: User, window: Window, ticket: Ticket, case, at: dt.datetime | None = None) -> Ticket:
    """The visit became a case at acceptance: the ticket points at it, so the visit, the case and its evaluation are
    read together."""
    at, _day = _moment(at)
    _require_staff(user, window)
    ticket = _lock_ticket(ticket, window, (TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.DONE))
    if ticket.case_id and ticket.case_id != case.pk:
        raise TransitionNotAllowed(_("号码%(number)s已关联办件。") % {"number": ticket.number})
    ticket.case = case
    if ticket.local_item_id is None:
        ticket.local_item_id = case.local_item_id
    ticket.save(update_fields=["case", "local_item"])
    _event(ticket, TicketEventKind.CASE_LINKED, at, window=window, user=user, note=case.number[:200])
    return ticket
