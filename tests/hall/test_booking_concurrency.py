"""Overbooking under concurrency: several people taking the last place of a slot at the same moment, on separate
PostgreSQL connections. The group's row lock makes the count and the new booking one step: exactly one gets the
place, the others are told the slot is full."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from hall.models import Booking, HalfDay
from hall.services import booking as bookings
from tests.hall.conftest import at
from tests.services import need_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    need_postgres()


def test_the_last_place_goes_to_exactly_one_of_several_at_once(postgres, bookbed):
    group = bookbed["B"]
    group.minutes_per_visit = 180  # 180 // 180 × 1 person on B01 = one place in the morning
    group.save()
    start = threading.Barrier(4)
    outcomes: dict[int, object] = {}

    def book(n: int) -> None:
        try:
            start.wait(timeout=10)
            bookings.booking_create(
                group=group,
                local_item=bookbed["item"],
                day=dt.date(2026, 10, 10),
                half_day=HalfDay.MORNING,
                name=f"申请人{n}",
                phone=f"1380000000{n}",
                now=at("2026-09-29"),
            )
            outcomes[n] = "booked"
        except ValidationError as exc:
            outcomes[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    booked = [n for n, outcome in outcomes.items() if outcome == "booked"]
    refused = [outcome for outcome in outcomes.values() if outcome != "booked"]
    assert len(booked) == 1 and len(refused) == 3, outcomes
    assert all(exc.message_dict["slot"] == [str(bookings.SLOT_FULL)] for exc in refused)
    assert Booking.objects.filter(group=group).count() == 1
    assert connection.vendor == "postgresql"
