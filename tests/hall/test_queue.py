"""The queue's rules, each firing and staying quiet: opening days and hours, serials, weighted order, recall wait,
staff-only actions (B岗 included), transfer keeping its place, and the record of every change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from core.exceptions import TransitionNotAllowed
from hall.models import Priority, Ticket, TicketEvent, TicketEventKind, TicketStatus
from hall.services import queue
from tests.hall.conftest import at

DAY = "2026-10-09"  # a Friday after 国庆


def test_numbers_run_per_group_and_day(hallbed):
    a1 = queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    a2 = queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:01"))
    b1 = queue.take_ticket(group=hallbed["B"], at=at(DAY, "09:02"))
    next_day = queue.take_ticket(group=hallbed["A"], at=at("2026-10-10", "09:00"))
    assert [a1.number, a2.number, b1.number, next_day.number] == ["A001", "A002", "B001", "A001"]
    assert a1.evaluation_token != a2.evaluation_token and len(a1.evaluation_token) == 32
    assert TicketEvent.objects.filter(ticket=a1, kind=TicketEventKind.TAKEN).count() == 1


@pytest.mark.parametrize("day", ["2026-10-01", "2026-10-07", "2026-10-11"])
def test_closed_on_holidays_and_weekends(hallbed, day):
    with pytest.raises(ValidationError) as refused:
        queue.take_ticket(group=hallbed["A"], at=at(day, "10:00"))
    assert "休息日" in refused.value.messages[0]
    assert not Ticket.objects.exists()


def test_open_on_the_make_up_working_day(hallbed):
    ticket = queue.take_ticket(group=hallbed["A"], at=at("2026-10-10", "10:00"))  # Saturday, 调休上班
    assert ticket.day == dt.date(2026, 10, 10)


@pytest.mark.parametrize("hhmm", ["08:59", "12:00", "12:30", "17:30", "20:00"])
def test_out_of_hours_refused(hallbed, hhmm):
    with pytest.raises(ValidationError) as refused:
        queue.take_ticket(group=hallbed["A"], at=at(DAY, hhmm))
    assert "办公时间" in refused.value.messages[0]


@pytest.mark.parametrize("hhmm", ["09:00", "11:59", "13:30", "17:29"])
def test_in_hours_accepted(hallbed, hhmm):
    assert queue.take_ticket(group=hallbed["A"], at=at(DAY, hhmm)).status == TicketStatus.WAITING


def test_priority_weighs_rather_than_jumps(hallbed):
    """At 10:30 a normal number taken at 10:00 has waited 30 min (30); an elderly number taken at 10:15 has 15 × 1.5
    = 22.5 — the normal one goes first. One taken at 10:05 has 25 × 1.5 = 37.5 and goes before both."""
    staff, window = hallbed["center_window"], hallbed["a01"]
    normal = queue.take_ticket(group=hallbed["A"], at=at(DAY, "10:00"))
    late_elderly = queue.take_ticket(group=hallbed["A"], priority=Priority.ELDERLY, at=at(DAY, "10:15"))
    assert queue.call_next(staff, window, at=at(DAY, "10:30")) == normal
    queue.mark_no_show(staff, window, normal, at=at(DAY, "10:31"))
    assert queue.call_next(staff, window, at=at(DAY, "10:32")) == late_elderly


def test_weighted_elderly_overtakes_a_shorter_normal_wait(hallbed):
    staff, window = hallbed["center_window"], hallbed["a01"]
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "10:10"))
    elderly = queue.take_ticket(group=hallbed["A"], priority=Priority.ELDERLY, at=at(DAY, "10:05"))
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "10:00"))
    # 10:30: normal 10:00 → 30; elderly 10:05 → 37.5; normal 10:10 → 20
    assert queue.call_next(staff, window, at=at(DAY, "10:30")) == elderly


@override_settings(HALL_PRIORITY_WEIGHTS={"elderly": 1.0})
def test_weights_come_from_settings(hallbed):
    staff, window = hallbed["center_window"], hallbed["a01"]
    normal = queue.take_ticket(group=hallbed["A"], at=at(DAY, "10:00"))
    queue.take_ticket(group=hallbed["A"], priority=Priority.ELDERLY, at=at(DAY, "10:05"))
    assert queue.call_next(staff, window, at=at(DAY, "10:30")) == normal


def test_window_calls_only_the_groups_it_serves(hallbed):
    b = queue.take_ticket(group=hallbed["B"], at=at(DAY, "09:00"))
    a = queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    assert queue.call_next(hallbed["center_window"], hallbed["a01"], at=at(DAY, "10:00")) == a
    assert queue.call_next(hallbed["window"], hallbed["b01"], at=at(DAY, "10:00")) == b


def test_nobody_waiting_calls_nothing(hallbed):
    assert queue.call_next(hallbed["center_window"], hallbed["a01"], at=at(DAY, "10:00")) is None


def test_a_window_with_a_number_in_hand_calls_no_other(hallbed):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:01"))
    queue.call_next(hallbed["center_window"], hallbed["a01"], at=at(DAY, "10:00"))
    with pytest.raises(TransitionNotAllowed):
        queue.call_next(hallbed["center_window"], hallbed["a01"], at=at(DAY, "10:01"))


def test_recall_only_after_the_minimum_wait(hallbed):
    staff, window = hallbed["center_window"], hallbed["a01"]
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    ticket = queue.call_next(staff, window, at=at(DAY, "10:00"))
    with pytest.raises(ValidationError) as refused:
        queue.recall(staff, window, ticket, at=at(DAY, "10:01"))
    assert "重呼" in refused.value.messages[0]
    ticket.refresh_from_db()
    assert ticket.call_count == 1
    ticket = queue.recall(staff, window, ticket, at=at(DAY, "10:02"))
    assert ticket.call_count == 2
    assert ticket.called_at == at(DAY, "10:00") and ticket.last_called_at == at(DAY, "10:02")
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEventKind.RECALLED).count() == 1


def test_full_visit_writes_every_event(hallbed):
    staff, window = hallbed["center_window"], hallbed["a01"]
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    ticket = queue.call_next(staff, window, at=at(DAY, "09:10"))
    queue.start(staff, window, ticket, at=at(DAY, "09:12"))
    ticket = queue.finish(staff, window, ticket, at=at(DAY, "09:30"))
    assert ticket.status == TicketStatus.DONE and ticket.staff == staff
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == [TicketEventKind.TAKEN, TicketEventKind.CALLED, TicketEventKind.STARTED, TicketEventKind.FINISHED]


def test_states_are_checked(hallbed):
    staff, window = hallbed["center_window"], hallbed["a01"]
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    ticket = queue.call_next(staff, window, at=at(DAY, "09:10"))
    with pytest.raises(TransitionNotAllowed):
        queue.finish(staff, window, ticket, at=at(DAY, "09:11"))  # not started
    with pytest.raises(TransitionNotAllowed):
        queue.start(hallbed["window"], hallbed["b01"], ticket, at=at(DAY, "09:11"))  # another window's number


def test_only_the_windows_staff_act(hallbed):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    for outsider in (hallbed["window"], hallbed["center_supervisor"], hallbed["approver"]):
        with pytest.raises(PermissionDenied):
            queue.call_next(outsider, hallbed["a01"], at=at(DAY, "09:10"))
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_backup_staff_may_act(hallbed):
    """The B岗 finishes the number its A岗 called."""
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    ticket = queue.call_next(hallbed["center_window"], hallbed["a01"], at=at(DAY, "09:10"))
    ticket = queue.start(hallbed["hall_backup"], hallbed["a01"], ticket, at=at(DAY, "09:11"))
    assert ticket.status == TicketStatus.SERVING and ticket.staff == hallbed["hall_backup"]


def test_inactive_post_may_not_act(hallbed):
    hallbed["a01"].staff.filter(user=hallbed["hall_backup"]).update(is_active=False)
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    with pytest.raises(PermissionDenied):
        queue.call_next(hallbed["hall_backup"], hallbed["a01"], at=at(DAY, "09:10"))


def test_transfer_keeps_the_place(hallbed):
    """A number transferred to B01 at 10:20 is called there before a number taken at 10:00, since it was taken at
    09:00; and A01 does not call it back."""
    staff, a01, b01 = hallbed["center_window"], hallbed["a01"], hallbed["b01"]
    moved = queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    queue.call_next(staff, a01, at=at(DAY, "09:10"))
    queue.take_ticket(group=hallbed["B"], at=at(DAY, "10:00"))
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "10:05"))
    with pytest.raises(ValidationError):
        queue.transfer(staff, a01, moved, b01, "", at=at(DAY, "10:20"))
    queue.start(staff, a01, moved, at=at(DAY, "10:15"))
    moved = queue.transfer(staff, a01, moved, b01, "需教育局专窗办理", at=at(DAY, "10:20"))
    assert moved.status == TicketStatus.WAITING and moved.transferred_to == b01 and moved.number == "A001"
    assert moved.started_at is None  # served again from the start at B01; the wait keeps its first call
    other = queue.call_next(staff, a01, at=at(DAY, "10:21"))
    assert other.number == "A002"
    called = queue.call_next(hallbed["window"], b01, at=at(DAY, "10:30"))
    assert called == moved and called.called_at == at(DAY, "09:10") and called.window == b01
    assert TicketEvent.objects.filter(ticket=moved, kind=TicketEventKind.TRANSFERRED, note__contains="B01").exists()


def test_transfer_to_own_window_refused(hallbed):
    staff, a01 = hallbed["center_window"], hallbed["a01"]
    ticket = queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:00"))
    queue.call_next(staff, a01, at=at(DAY, "09:10"))
    with pytest.raises(ValidationError):
        queue.transfer(staff, a01, ticket, a01, "原因", at=at(DAY, "09:11"))


def test_booking_arrival_takes_a_booked_number(hallbed):
    from hall.models import Booking

    booking = Booking.objects.create(
        group=hallbed["A"],
        local_item=hallbed["item"],
        day=dt.date(2026, 10, 9),
        half_day="am",
        name="张三",
        phone="13800000000",
        code="BK1",
    )
    ticket = queue.take_ticket(group=hallbed["A"], booking=booking, at=at(DAY, "09:00"))
    assert ticket.priority == Priority.BOOKED and ticket.phone == "13800000000" and ticket.local_item == hallbed["item"]
