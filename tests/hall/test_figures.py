"""Figures per window on a hand-made day, and the display's query bound."""

from __future__ import annotations

import datetime as dt

import pytest

from hall import selectors
from hall.models import Priority, Ticket, TicketStatus
from hall.services import queue
from tests.hall.conftest import at

DAY = "2026-10-09"


def _visit(bed, window, staff, taken, called, started=None, finished=None, no_show=False):
    queue.take_ticket(group=bed["A"], local_item=bed["item"], at=at(DAY, taken))
    ticket = queue.call_next(staff, window, at=at(DAY, called))
    if no_show:
        return queue.mark_no_show(staff, window, ticket, at=at(DAY, called))
    queue.start(staff, window, ticket, at=at(DAY, started))
    return queue.finish(staff, window, ticket, at=at(DAY, finished))


def test_figures_on_a_hand_made_day(hallbed):
    a01, staff = hallbed["a01"], hallbed["center_window"]
    # waits 10, 20, 30, 40 min (no-show 40); walks 2, 4, 6; services 10, 20, 30
    _visit(hallbed, a01, staff, "09:00", "09:10", "09:12", "09:22")
    _visit(hallbed, a01, staff, "09:10", "09:30", "09:34", "09:54")
    _visit(hallbed, a01, staff, "09:30", "10:00", "10:06", "10:36")
    _visit(hallbed, a01, staff, "10:00", "10:40", no_show=True)
    queue.take_ticket(group=hallbed["B"], at=at(DAY, "11:00"))  # still waiting, no window
    figures = {f.window.number: f for f in selectors.window_figures(hallbed["hall"], dt.date(2026, 10, 9))}
    a = figures["A01"]
    assert a.tickets == 4 and a.no_shows == 1
    assert a.mean_wait == dt.timedelta(minutes=25)
    assert a.p90_wait == dt.timedelta(minutes=40)  # ⌈0.9 × 4⌉ = 4th of 10, 20, 30, 40
    assert a.mean_walk == dt.timedelta(minutes=4)
    assert a.mean_service == dt.timedelta(minutes=20)
    b = figures["B01"]
    assert (b.tickets, b.no_shows, b.mean_wait, b.p90_wait) == (0, 0, None, None)
    busiest = selectors.busiest_items(hallbed["hall"], dt.date(2026, 10, 9))
    assert busiest == [{"local_item_id": hallbed["item"].pk, "local_item__name": hallbed["item"].name, "tickets": 4}]
    totals = selectors.hall_totals(hallbed["hall"], dt.date(2026, 10, 9))
    assert totals == {"taken": 5, "waiting": 1, "done": 3, "no_shows": 1}


def test_p90_by_nearest_rank_of_ten(hallbed):
    a01, staff = hallbed["a01"], hallbed["center_window"]
    for minute in range(10):  # waits 1..10 min
        queue.take_ticket(group=hallbed["A"], at=at(DAY, f"09:{minute:02d}"))
        ticket = queue.call_next(staff, a01, at=at(DAY, f"09:{2 * minute + 1:02d}"))
        queue.mark_no_show(staff, a01, ticket, at=at(DAY, f"09:{2 * minute + 1:02d}"))
    (a, _b) = selectors.window_figures(hallbed["hall"], dt.date(2026, 10, 9))
    assert a.p90_wait == dt.timedelta(minutes=9)
    assert a.mean_wait == dt.timedelta(minutes=5.5)


def test_figures_of_another_day_are_empty(hallbed):
    _visit(hallbed, hallbed["a01"], hallbed["center_window"], "09:00", "09:10", "09:12", "09:22")
    (a, _b) = selectors.window_figures(hallbed["hall"], dt.date(2026, 10, 10))
    assert (a.tickets, a.mean_wait, a.p90_wait) == (0, None, None)


@pytest.mark.parametrize("count", [5, 500])
def test_display_state_costs_bounded_queries(hallbed, count, django_assert_max_num_queries):
    hall, day = hallbed["hall"], dt.date(2026, 10, 9)
    Ticket.objects.bulk_create(
        Ticket(
            hall=hall,
            group=hallbed["A"] if i % 2 else hallbed["B"],
            day=day,
            serial=i + 1,
            number=f"{'A' if i % 2 else 'B'}{i + 1:03d}",
            priority=Priority.NORMAL,
            status=TicketStatus.CALLED if i % 7 == 0 else TicketStatus.WAITING,
            taken_at=at(DAY, "09:00"),
            last_called_at=at(DAY, "09:30") if i % 7 == 0 else None,
            window=hallbed["a01"] if i % 7 == 0 else None,
            evaluation_token=f"t{count}-{i}",
        )
        for i in range(count)
    )
    with django_assert_max_num_queries(2):
        state = selectors.display_state(hall, day)
    assert sum(g["waiting"] for g in state["groups"]) == Ticket.objects.filter(status=TicketStatus.WAITING).count()
    assert len(state["calls"]) == min(selectors.DISPLAY_LATEST, len(range(0, count, 7)))
