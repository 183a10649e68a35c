"""Appointments (预约): half-day slots of a service group, booked on the public guide page, cancelled with the code
and the phone's last four digits, turned into a priority queue number on arrival, and counted as no-shows when the
half-day ends without the applicant.

Capacity is derived, never stored: (minutes of the half-day from the hall's hours ÷ the group's minutes per visit) ×
the active A岗 staff on the group's windows. Booking locks the group's row, so two people cannot both take the last
place of a slot. Days are working days of ``core.workdays`` only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import LocalItem, LocalItemStatus
from core.exceptions import TransitionNotAllowed
from core.workdays import add_workdays
from standards.models import ItemStandard, Material, Situation

from .. import permissions
from ..models import Booking, BookingStatus, HalfDay, Hall, ServiceGroup, StaffRole, WindowStaff

# Bookings that hold a place in their slot (a cancelled one gives it back).
HOLDING = (BookingStatus.BOOKED, BookingStatus.ARRIVED, BookingStatus.NO_SHOW)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# What a refused booking or cancellation says (tests import these rather than retype them).
SLOT_FULL = gettext_lazy("该时段已约满，请另选时段")
WRONG_PAIR = gettext_lazy("预约码或手机号后四位不正确")


@dataclass(frozen=True)
class Slot:
    group_id: int
    group_name: str
    day: dt.date
    half_day: str
    capacity: int
    booked: int

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def key(self) -> str:
        return f"{self.group_id}:{self.day.isoformat()}:{self.half_day}"

    @property
    def half_day_label(self) -> str:
        return str(HalfDay(self.half_day).label)

    @property
    def label(self) -> str:
        return _("%(day)s（%(weekday)s）%(half)s，可约 %(remaining)d 人") % {
            "day": formats.date_format(self.day, "Y-m-d"),
            "weekday": formats.date_format(self.day, "D"),
            "half": self.half_day_label,
            "remaining": self.remaining,
        }


def half_day_minutes(hall: Hall, half_day: str) -> int:
    """The minutes a half-day is open, from the hall's hours."""
    opens, closes = (
        (hall.morning_opens, hall.morning_closes)
        if half_day == HalfDay.MORNING
        else (hall.afternoon_opens, hall.afternoon_closes)
    )
    minutes = (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
    return max(minutes, 0)


def half_day_end(hall: Hall, day: dt.date, half_day: str) -> dt.datetime:
    closes = hall.morning_closes if half_day == HalfDay.MORNING else hall.afternoon_closes
    return timezone.make_aware(dt.datetime.combine(day, closes))


def active_primary_staff(group: ServiceGroup) -> int:
    """The people on duty for the group: active A岗 staff of its active windows, each person counted once."""
    return (
        WindowStaff.objects.filter(window__groups=group, window__is_active=True, role=StaffRole.PRIMARY, is_active=True)
        .values("user_id")
        .distinct()
        .count()
    )


def slot_capacity(group: ServiceGroup, half_day: str, staff: int | None = None) -> int:
    """(minutes of the half-day ÷ minutes per visit, rounded down) × active A岗 staff on the group's windows."""
    staff = active_primary_staff(group) if staff is None else staff
    per_visit = max(group.minutes_per_visit, 1)
    return (half_day_minutes(group.hall, half_day) // per_visit) * staff


def booking_days(today: dt.date | None = None) -> list[dt.date]:
    """The next ``HALL_BOOKING_DAYS`` working days from tomorrow (holidays skipped, make-up days included)."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    return [add_workdays(tomorrow, n) for n in range(settings.HALL_BOOKING_DAYS)]


def bookable_groups(local_item: LocalItem) -> QuerySet[ServiceGroup]:
    return ServiceGroup.objects.filter(
        items=local_item, is_bookable=True, is_active=True, hall__is_active=True
    ).select_related("hall")


def is_bookable(standard: ItemStandard) -> bool:
    """Whether an item may be booked: its published guide says so (支持预约办理) and a bookable group includes it."""
    return (
        standard.local_item.status == LocalItemStatus.ACTIVE
        and standard.guide.is_schedulable
        and bookable_groups(standard.local_item).exists()
    )


def group_slots(groups: list[ServiceGroup], today: dt.date | None = None) -> list[Slot]:
    """Every slot of the groups over the booking days with its capacity and places taken: a bounded number of
    queries (one count per group for the staff, one for all the bookings)."""
    days = booking_days(today)
    if not groups or not days:
        return []
    taken = {
        (row["group_id"], row["day"], row["half_day"]): row["n"]
        for row in Booking.objects.filter(group__in=groups, day__in=days, status__in=HOLDING)
        .values("group_id", "day", "half_day")
        .annotate(n=Count("pk"))
    }
    slots = []
    for group in groups:
        staff = active_primary_staff(group)
        capacity = {half: slot_capacity(group, half, staff) for half in HalfDay.values}
        for day in days:
            for half in HalfDay.values:
                if capacity[half] > 0:
                    slots.append(
                        Slot(group.pk, group.name, day, half, capacity[half], taken.get((group.pk, day, half), 0))
                    )
    return slots


def situations_of(standard: ItemStandard) -> list[str]:
    """The business situations the standard lists materials for (新办 when it lists none)."""
    found = set(standard.materials.values_list("situation", flat=True))
    return [value for value in Situation.values if value in found] or [Situation.NEW]


def materials_for(standard: ItemStandard, situation: str) -> list[Material]:
    """The materials to bring: the very checklist the window will accept against (``cases`` acceptance)."""
    from cases.services.acceptance import checklist_materials

    return checklist_materials(standard, situation)


def no_show_count(phone: str, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=settings.HALL_NO_SHOW_DAYS)
    return Booking.objects.filter(phone=phone, status=BookingStatus.NO_SHOW, day__gt=since).count()


def no_show_block_message(phone: str, today: dt.date | None = None) -> str | None:
    """Why this phone may not book now, or None: ``HALL_NO_SHOW_LIMIT`` no-shows within ``HALL_NO_SHOW_DAYS`` days."""
    count = no_show_count(phone, today)
    if count < settings.HALL_NO_SHOW_LIMIT:
        return None
    return _(
        "该手机号在 %(days)d 天内已有 %(count)d 次预约未按时到场，暂停网上预约。如需办理，请在办公时间到大厅现场取号。"
    ) % {"days": settings.HALL_NO_SHOW_DAYS, "count": count}


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Booking.objects.filter(code=code).exists():
            return code


@transaction.atomic
def booking_create(
    *,
    group: ServiceGroup,
    local_item: LocalItem,
    day: dt.date,
    half_day: str,
    name: str,
    phone: str,
    situation: str = Situation.NEW,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a place. The group's row is locked first, so the count of places taken and the new booking are one
    step: a full slot refuses, whoever comes second."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    group = ServiceGroup.objects.select_for_update().select_related("hall").get(pk=group.pk)
    if not (group.is_bookable and group.is_active and group.hall.is_active):
        raise ValidationError({"slot": _("该业务类别暂不开放预约")})
    if not group.items.filter(pk=local_item.pk).exists():
        raise ValidationError({"slot": _("该事项不在所选业务类别中")})
    standard = local_item.standards.published().select_related("guide").first()
    if local_item.status != LocalItemStatus.ACTIVE or standard is None or not standard.guide.is_schedulable:
        raise ValidationError(_("该事项不支持预约办理"))
    if half_day not in HalfDay.values or day not in booking_days(today):
        raise ValidationError(
            {"slot": _("只能预约今后 %(days)d 个工作日内的时段") % {"days": settings.HALL_BOOKING_DAYS}}
        )
    if situation not in Situation.values:
        raise ValidationError({"situation": _("请选择业务情形")})
    name, phone = (name or "").strip(), (phone or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名")})
    blocked = no_show_block_message(phone, today)
    if blocked:
        raise ValidationError({"phone": blocked})
    if Booking.objects.filter(phone=phone, local_item=local_item, status=BookingStatus.BOOKED, day__gte=today).exists():
        raise ValidationError({"phone": _("该手机号已预约了此事项，如需改期请先取消原预约")})
    taken = Booking.objects.filter(group=group, day=day, half_day=half_day, status__in=HOLDING).count()
    if taken >= slot_capacity(group, half_day):
        raise ValidationError({"slot": str(SLOT_FULL)})
    return Booking.objects.create(
        group=group,
        local_item=local_item,
        day=day,
        half_day=half_day,
        situation=situation,
        name=name,
        phone=phone,
        code=_new_code(),
    )


@transaction.atomic
def booking_cancel(*, code: str, tail: str, now: dt.datetime | None = None) -> Booking:
    """Cancel with the code and the last four digits of the phone; a wrong pair says only that the pair is wrong."""
    booking = Booking.objects.select_for_update().filter(code=(code or "").strip().upper()).first()
    if booking is None or not tail or booking.phone[-4:] != tail:
        raise ValidationError({"tail": str(WRONG_PAIR)})
    if booking.status != BookingStatus.BOOKED:
        raise TransitionNotAllowed(_("该预约当前为“%(status)s”，不能取消") % {"status": booking.get_status_display()})
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now or timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    return booking


def _arrive(booking: Booking, at: dt.datetime):
    from hall.models import Priority
    from hall.services.queue import take_ticket

    if booking.status != BookingStatus.BOOKED:
        raise TransitionNotAllowed(
            _("该预约当前为“%(status)s”，不能登记到场") % {"status": booking.get_status_display()}
        )
    if booking.day != timezone.localdate(at):
        raise TransitionNotAllowed(
            _("该预约的日期是 %(day)s，请在预约当日到场") % {"day": formats.date_format(booking.day, "Y-m-d")}
        )
    ticket = take_ticket(
        group=booking.group,
        priority=Priority.BOOKED,
        local_item=booking.local_item,
        phone=booking.phone,
        booking=booking,
        at=at,
    )
    booking.status = BookingStatus.ARRIVED
    booking.arrived_at = at
    booking.save(update_fields=["status", "arrived_at"])
    return ticket


@transaction.atomic
def booking_arrive(*, actor: User, booking: Booking, at: dt.datetime | None = None):
    """Hall staff register the applicant's arrival: the booking is ARRIVED and a priority (预约) queue number is
    taken for it. Returns the ticket."""
    booking = Booking.objects.select_for_update().select_related("group__hall").get(pk=booking.pk)
    if not permissions.can_register_arrival(actor, booking):
        raise PermissionDenied(_("只能为本大厅的预约登记到场"))
    return _arrive(booking, at or timezone.now())


@transaction.atomic
def booking_check_in(*, hall: Hall, code: str, at: dt.datetime | None = None):
    """The kiosk: the applicant types the booking code at the hall's kiosk and gets a priority number."""
    booking = (
        Booking.objects.select_for_update()
        .select_related("group__hall")
        .filter(code=(code or "").strip().upper(), group__hall=hall)
        .first()
    )
    if booking is None:
        raise ValidationError({"code": _("没有找到该预约码，请核对或到服务台咨询")})
    return _arrive(booking, at or timezone.now())


def mark_no_shows(*, now: dt.datetime | None = None) -> int:
    """Bookings still waiting after their half-day ended become no-shows; returns how many. Each hall's hours
    decide when its half-days end."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today, time_now = local.date(), local.time()
    marked = 0
    hall_ids = (
        Booking.objects.filter(status=BookingStatus.BOOKED, day__lte=today)
        .values_list("group__hall_id", flat=True)
        .distinct()
    )
    for hall in Hall.objects.filter(pk__in=list(hall_ids)):
        ended = Q(day__lt=today)
        if time_now >= hall.morning_closes:
            ended |= Q(day=today, half_day=HalfDay.MORNING)
        if time_now >= hall.afternoon_closes:
            ended |= Q(day=today, half_day=HalfDay.AFTERNOON)
        with transaction.atomic():
            marked += Booking.objects.filter(ended, status=BookingStatus.BOOKED, group__hall=hall).update(
                status=BookingStatus.NO_SHOW, no_show_at=now
            )
    return marked
