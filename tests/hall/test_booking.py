"""Appointments: the booking days across 国庆 2026, capacity arithmetic from the hall's hours and the A岗 staff on
duty, overbooking refused, cancelling with the code and the phone's last four digits, arrival taking a priority
number, the no-show sweep and the no-show limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from core.exceptions import TransitionNotAllowed
from hall.models import Booking, BookingStatus, HalfDay, Priority, StaffRole, Ticket, WindowStaff
from hall.services import booking as bookings
from hall.tasks import mark_no_shows
from tests.hall.conftest import at

pytestmark = pytest.mark.django_db

TUESDAY = dt.date(2026, 9, 29)


# --- days and capacity ----------------------------------------------------------------------------------------------


def test_booking_days_skip_national_day_and_include_the_make_up_saturday():
    days = bookings.booking_days(TUESDAY)
    assert days == [
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 10),  # Saturday, a make-up working day
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 13),
        dt.date(2026, 10, 14),
        dt.date(2026, 10, 15),
        dt.date(2026, 10, 16),
        dt.date(2026, 10, 19),
    ]
    assert not any(dt.date(2026, 10, 1) <= d <= dt.date(2026, 10, 7) for d in days)


@override_settings(HALL_BOOKING_DAYS=3)
def test_booking_days_follow_the_setting_and_start_tomorrow():
    assert bookings.booking_days(dt.date(2026, 9, 14)) == [
        dt.date(2026, 9, 15),
        dt.date(2026, 9, 16),
        dt.date(2026, 9, 17),
    ]


def test_capacity_is_minutes_over_visit_length_times_primary_staff(bookbed):
    group_a, group_b = bookbed["A"], bookbed["B"]
    # The hall is open 9:00–12:00 (180 min) and 13:30–17:30 (240 min); 15 minutes a visit.
    # Group A: windows A01 (A岗 center_window; hall_backup is only B岗) and B01 (A岗 window) → 2 people.
    assert bookings.active_primary_staff(group_a) == 2
    assert bookings.slot_capacity(group_a, HalfDay.MORNING) == 180 // 15 * 2 == 24
    assert bookings.slot_capacity(group_a, HalfDay.AFTERNOON) == 240 // 15 * 2 == 32
    # Group B: B01 only → 1 person; 25 minutes a visit rounds down (180 // 25 = 7).
    group_b.minutes_per_visit = 25
    group_b.save()
    assert bookings.slot_capacity(group_b, HalfDay.MORNING) == 7
    assert bookings.slot_capacity(group_b, HalfDay.AFTERNOON) == 9


def test_capacity_follows_staff_on_duty(bookbed):
    group = bookbed["A"]
    WindowStaff.objects.filter(user=bookbed["window"]).update(is_active=False)
    assert bookings.slot_capacity(group, HalfDay.MORNING) == 12
    # the same person A岗 on two windows of the group counts once
    WindowStaff.objects.filter(user=bookbed["window"]).update(is_active=True)
    WindowStaff.objects.create(window=bookbed["a01"], user=bookbed["window"], role=StaffRole.PRIMARY)
    assert bookings.slot_capacity(group, HalfDay.MORNING) == 24
    # a window closed takes its staff out
    bookbed["b01"].is_active = False
    bookbed["b01"].save()
    assert bookings.slot_capacity(group, HalfDay.MORNING) == 24  # window still A岗 at A01
    WindowStaff.objects.filter(window=bookbed["a01"]).update(is_active=False)
    assert bookings.slot_capacity(group, HalfDay.MORNING) == 0


def test_slots_count_bookings_from_the_database(bookbed):
    book(bookbed, day=dt.date(2026, 10, 10), phone="13800000001")
    cancelled = book(bookbed, day=dt.date(2026, 10, 10), phone="13800000002")
    bookings.booking_cancel(code=cancelled.code, tail="0002")
    slots = {(s.day, s.half_day, s.group_id): s for s in bookings.group_slots([bookbed["A"]], TUESDAY)}
    slot = slots[(dt.date(2026, 10, 10), "am", bookbed["A"].pk)]
    assert (slot.capacity, slot.booked, slot.remaining) == (24, 1, 23)
    assert all(s.day not in (dt.date(2026, 10, 1), dt.date(2026, 10, 11)) for s in slots.values())


# --- booking --------------------------------------------------------------------------------------------------------


def book(bed, *, day=dt.date(2026, 9, 30), half=HalfDay.MORNING, phone="13800138000", group="A", now=None):
    return bookings.booking_create(
        group=bed[group],
        local_item=bed["item"],
        day=day,
        half_day=half,
        name="张三",
        phone=phone,
        now=now or at("2026-09-29"),
    )


def test_booking_gets_a_code_and_holds_a_place(bookbed):
    booking = book(bookbed)
    assert booking.status == BookingStatus.BOOKED
    assert len(booking.code) == bookings.CODE_LENGTH and set(booking.code) <= set(bookings.CODE_ALPHABET)


def test_full_slot_refuses_the_next_booking(bookbed):
    group = bookbed["B"]
    group.minutes_per_visit = 90  # 180 // 90 × 1 person = 2 places in the morning
    group.save()
    book(bookbed, group="B", phone="13800000001")
    book(bookbed, group="B", phone="13800000002")
    with pytest.raises(ValidationError) as exc:
        book(bookbed, group="B", phone="13800000003")
    assert exc.value.message_dict["slot"] == [str(bookings.SLOT_FULL)]
    assert Booking.objects.filter(group=group).count() == 2
    # the afternoon still has room, and a cancelled booking gives its place back
    book(bookbed, group="B", phone="13800000003", half=HalfDay.AFTERNOON)
    first = Booking.objects.filter(group=group, phone="13800000001").get()
    bookings.booking_cancel(code=first.code, tail="0001")
    book(bookbed, group="B", phone="13800000004")


def test_holiday_and_far_days_are_refused(bookbed):
    for day in (dt.date(2026, 10, 1), dt.date(2026, 10, 11), dt.date(2026, 10, 20), dt.date(2026, 9, 29)):
        with pytest.raises(ValidationError) as exc:
            book(bookbed, day=day)
        assert "slot" in exc.value.message_dict
    assert book(bookbed, day=dt.date(2026, 10, 10)).day == dt.date(2026, 10, 10)  # the make-up Saturday is open


def test_item_whose_guide_says_no_booking_is_refused(hallbed):
    with pytest.raises(ValidationError):
        book(hallbed)
    assert not Booking.objects.exists()


def test_same_phone_may_not_hold_two_bookings_of_one_item(bookbed):
    book(bookbed)
    with pytest.raises(ValidationError) as exc:
        book(bookbed, day=dt.date(2026, 10, 9))
    assert "phone" in exc.value.message_dict


# --- cancelling -----------------------------------------------------------------------------------------------------


def test_cancel_with_the_wrong_phone_tail_is_refused(bookbed):
    booking = book(bookbed)
    with pytest.raises(ValidationError) as exc:
        bookings.booking_cancel(code=booking.code, tail="0000")
    assert exc.value.message_dict["tail"] == [str(bookings.WRONG_PAIR)]
    with pytest.raises(ValidationError):
        bookings.booking_cancel(code="NOSUCH99", tail="8000")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    booking = bookings.booking_cancel(code=booking.code.lower(), tail="8000")
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_at is not None
    with pytest.raises(TransitionNotAllowed):
        bookings.booking_cancel(code=booking.code, tail="8000")


# --- arrival --------------------------------------------------------------------------------------------------------


def test_arrival_takes_a_booked_priority_ticket(bookbed):
    booking = book(bookbed)
    ticket = bookings.booking_arrive(actor=bookbed["center_window"], booking=booking, at=at("2026-09-30", "09:40"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ARRIVED and booking.arrived_at is not None
    assert ticket.priority == Priority.BOOKED and ticket.booking == booking and ticket.phone == booking.phone
    assert ticket.group == bookbed["A"] and ticket.number.startswith("A")
    with pytest.raises(TransitionNotAllowed):  # one arrival per booking
        bookings.booking_arrive(actor=bookbed["center_window"], booking=booking, at=at("2026-09-30", "09:50"))


def test_arrival_on_another_day_is_refused(bookbed):
    booking = book(bookbed, day=dt.date(2026, 10, 8))
    with pytest.raises(TransitionNotAllowed):
        bookings.booking_arrive(actor=bookbed["center_window"], booking=booking, at=at("2026-09-30"))
    assert not Ticket.objects.exists()


def test_arrival_by_someone_outside_the_hall_is_refused(bookbed):
    booking = book(bookbed)
    with pytest.raises(PermissionDenied):
        bookings.booking_arrive(actor=bookbed["approver"], booking=booking, at=at("2026-09-30"))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_kiosk_check_in_with_the_code(bookbed):
    booking = book(bookbed)
    ticket = bookings.booking_check_in(hall=bookbed["hall"], code=booking.code.lower(), at=at("2026-09-30", "14:00"))
    assert ticket.priority == Priority.BOOKED
    with pytest.raises(ValidationError):
        bookings.booking_check_in(hall=bookbed["hall"], code="ZZZZZZZZ", at=at("2026-09-30", "14:00"))


# --- no-shows -------------------------------------------------------------------------------------------------------


def test_no_show_fires_at_the_end_of_the_half_day_and_not_before(bookbed):
    morning = book(bookbed, phone="13800000001")
    afternoon = book(bookbed, phone="13800000002", half=HalfDay.AFTERNOON)
    arrived = book(bookbed, phone="13800000003")
    bookings.booking_arrive(actor=bookbed["center_window"], booking=arrived, at=at("2026-09-30", "09:30"))

    assert bookings.mark_no_shows(now=at("2026-09-30", "11:59")) == 0
    assert bookings.mark_no_shows(now=at("2026-09-30", "12:00")) == 1
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses[morning.pk] == BookingStatus.NO_SHOW
    assert statuses[afternoon.pk] == BookingStatus.BOOKED
    assert statuses[arrived.pk] == BookingStatus.ARRIVED
    # the beat task wraps the same service
    assert mark_no_shows.apply(kwargs={"now": at("2026-09-30", "17:30").isoformat()}).get() == 1
    assert Booking.objects.get(pk=afternoon.pk).status == BookingStatus.NO_SHOW


def test_no_show_task_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["hall-mark-no-shows"]
    assert entry["task"] == "hall.tasks.mark_no_shows"


def no_shows(bed, phone, days):
    for day in days:
        Booking.objects.create(
            group=bed["A"],
            local_item=bed["item"],
            day=day,
            half_day=HalfDay.MORNING,
            name="王五",
            phone=phone,
            code=f"NS{day:%m%d}{phone[-2:]}",
            status=BookingStatus.NO_SHOW,
        )


def test_repeated_no_shows_block_booking(bookbed):
    phone = "13900001111"
    no_shows(bookbed, phone, [dt.date(2026, 7, 6), dt.date(2026, 8, 3), dt.date(2026, 9, 7)])
    with pytest.raises(ValidationError) as exc:
        book(bookbed, phone=phone)
    message = exc.value.message_dict["phone"][0]
    assert "3 次预约未按时到场" in message and "90 天" in message
    assert not Booking.objects.filter(phone=phone, status=BookingStatus.BOOKED).exists()


def test_no_shows_below_the_limit_or_out_of_the_window_stay_quiet(bookbed):
    phone = "13900002222"
    # two within 90 days, one long before: not blocked
    no_shows(bookbed, phone, [dt.date(2026, 5, 4), dt.date(2026, 8, 3), dt.date(2026, 9, 7)])
    assert book(bookbed, phone=phone).status == BookingStatus.BOOKED


@override_settings(HALL_NO_SHOW_LIMIT=2, HALL_NO_SHOW_DAYS=30)
def test_no_show_limit_follows_the_settings(bookbed):
    phone = "13900003333"
    no_shows(bookbed, phone, [dt.date(2026, 9, 7), dt.date(2026, 9, 14)])
    with pytest.raises(ValidationError) as exc:
        book(bookbed, phone=phone)
    assert "30 天" in exc.value.message_dict["phone"][0]
