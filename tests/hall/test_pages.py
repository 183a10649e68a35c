"""The hall's pages: the anonymous kiosk and display, the caller for the window's staff only (forged posts change
nothing), 受理 linking the accepted case to the number, management and figures for whom they are meant."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from hall.models import Priority, Ticket, TicketEventKind, TicketStatus, WindowStaff
from hall.services import queue
from tests.cases.flow import materials
from tests.hall.conftest import OPEN_MOMENT, at

pytestmark = pytest.mark.django_db
DAY = "2026-10-09"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_kiosk_takes_a_number_and_shows_who_waits_ahead(hallbed, open_now):
    hall = hallbed["hall"]
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    page = Client().get(reverse("hall:kiosk", args=[hall.pk]))
    assert page.status_code == 200 and "综合业务" in page.content.decode()
    answer = Client().post(
        reverse("hall:kiosk", args=[hall.pk]),
        {"group": hallbed["A"].pk, "priority": Priority.ELDERLY, "phone": "13800001234"},
        follow=True,
    )
    body = answer.content.decode()
    ticket = Ticket.objects.get(number="A002")
    assert ticket.priority == Priority.ELDERLY and ticket.phone == "13800001234"
    assert "A002" in body and "您前面还有 1 人" in body


def test_kiosk_puts_a_bad_phone_at_the_field(hallbed, open_now):
    answer = Client().post(
        reverse("hall:kiosk", args=[hallbed["hall"].pk]), {"group": hallbed["A"].pk, "phone": "12345"}
    )
    assert answer.status_code == 400 and "请输入11位手机号码" in answer.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_refuses_on_a_holiday(hallbed, open_now):
    open_now["now"] = at("2026-10-02", "10:00")
    page = Client().get(reverse("hall:kiosk", args=[hallbed["hall"].pk]))
    assert "休息日" in page.content.decode()
    answer = Client().post(reverse("hall:kiosk", args=[hallbed["hall"].pk]), {"group": hallbed["A"].pk})
    assert answer.status_code == 400 and "休息日" in answer.content.decode()
    assert not Ticket.objects.exists()


def test_ticket_slip_address_cannot_be_guessed(hallbed, open_now):
    answer = Client().get(reverse("hall:kiosk_ticket", args=[hallbed["hall"].pk, "1"]))
    assert answer.status_code == 404


def test_caller_calls_starts_and_finishes(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    client = client_for(hallbed["center_window"])
    url = reverse("hall:act", args=[hallbed["a01"].pk])
    page = client.post(url, {"action": "call"}, follow=True)
    assert "请A001号到A01窗口" in page.content.decode()
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.CALLED
    page = client.post(url, {"action": "recall", "ticket": ticket.pk}, follow=True)
    assert "距上次叫号不足2分钟" in page.content.decode()
    client.post(url, {"action": "start", "ticket": ticket.pk})
    client.post(url, {"action": "finish", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE


def test_caller_page_shows_the_number_in_hand_and_waiting_counts(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:31"))
    queue.call_next(hallbed["center_window"], hallbed["a01"])
    body = client_for(hallbed["hall_backup"]).get(reverse("hall:caller", args=[hallbed["a01"].pk])).content.decode()
    assert "A001" in body and "重呼" in body and "过号" in body and "受理" in body and "转窗口" in body


def test_a_forged_post_by_someone_not_on_the_window_changes_nothing(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    url = reverse("hall:act", args=[hallbed["a01"].pk])
    for user in (hallbed["center_supervisor"], hallbed["window"], hallbed["outsider"]):
        assert client_for(user).post(url, {"action": "call"}).status_code in (403, 404)
    assert (
        client_for(hallbed["center_supervisor"]).get(reverse("hall:caller", args=[hallbed["a01"].pk])).status_code
        == 403
    )
    assert client_for(hallbed["window"]).get(reverse("hall:caller", args=[hallbed["a01"].pk])).status_code == 404
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_an_off_duty_post_is_refused_at_the_door(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    WindowStaff.objects.filter(user=hallbed["hall_backup"]).update(is_active=False)
    answer = client_for(hallbed["hall_backup"]).post(reverse("hall:act", args=[hallbed["a01"].pk]), {"action": "call"})
    assert answer.status_code == 403
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_another_windows_number_cannot_be_finished_from_here(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    ticket = queue.call_next(hallbed["center_window"], hallbed["a01"])
    page = client_for(hallbed["window"]).post(
        reverse("hall:act", args=[hallbed["b01"].pk]), {"action": "no_show", "ticket": ticket.pk}, follow=True
    )
    assert "不能在本窗口进行此操作" in page.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED


def test_transfer_from_the_caller(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    ticket = queue.call_next(hallbed["center_window"], hallbed["a01"])
    client = client_for(hallbed["center_window"])
    url = reverse("hall:act", args=[hallbed["a01"].pk])
    page = client.post(url, {"action": "transfer", "ticket": ticket.pk, "to_window": hallbed["b01"].pk}, follow=True)
    assert "请填写转窗口的原因" in page.content.decode()
    client.post(url, {"action": "transfer", "ticket": ticket.pk, "to_window": hallbed["b01"].pk, "reason": "专窗"})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING and ticket.transferred_to == hallbed["b01"]


def test_accept_links_the_case_to_the_number(hallbed, open_now):
    """受理 opens the cases acceptance page for the number's item; the case registered there is linked to it."""
    queue.take_ticket(group=hallbed["A"], local_item=hallbed["item"], at=at(DAY, "09:30"))
    ticket = queue.call_next(hallbed["center_window"], hallbed["a01"])
    client = client_for(hallbed["center_window"])
    answer = client.post(reverse("hall:accept", args=[hallbed["a01"].pk, ticket.pk]))
    expected = f"{reverse('cases:accept')}?local_item={hallbed['item'].pk}&situation=new"
    assert answer.status_code == 302 and answer.url == expected
    assert 'name="applicant_name"' in client.get(answer.url).content.decode()  # the checklist form, not the picker
    data = {
        "local_item": hallbed["item"].pk,
        "situation": "new",
        "applicant_kind": "1",
        "applicant_name": "张三",
        "applicant_phone": "13800001234",
        "outcome": "accept",
        **{f"material_{m.pk}": "on" for m in materials(hallbed).values()},
    }
    client.post(reverse("cases:accept"), data)
    case = Case.objects.get()
    ticket.refresh_from_db()
    assert ticket.case == case
    assert ticket.events.filter(kind=TicketEventKind.CASE_LINKED, note=case.number).exists()
    # a second acceptance without 受理 links nothing more
    client.post(reverse("cases:accept"), {**data, "applicant_name": "李四"})
    assert Ticket.objects.filter(case__isnull=False).count() == 1


def test_accept_refuses_a_number_not_at_this_window(hallbed, open_now):
    ticket = queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    client = client_for(hallbed["center_window"])
    client.post(reverse("hall:accept", args=[hallbed["a01"].pk, ticket.pk]))
    assert "hall_accepting_ticket" not in client.session


@pytest.mark.parametrize("count", [5, 500])
def test_display_json_costs_bounded_queries(hallbed, open_now, count, django_assert_max_num_queries):
    Ticket.objects.bulk_create(
        Ticket(
            hall=hallbed["hall"],
            group=hallbed["A"],
            day=dt.date(2026, 10, 9),
            serial=i + 1,
            number=f"A{i + 1:03d}",
            status=TicketStatus.CALLED if i % 5 == 0 else TicketStatus.WAITING,
            taken_at=OPEN_MOMENT,
            last_called_at=OPEN_MOMENT + dt.timedelta(seconds=i) if i % 5 == 0 else None,
            window=hallbed["a01"] if i % 5 == 0 else None,
            evaluation_token=f"j{count}-{i}",
        )
        for i in range(count)
    )
    client = Client()
    with django_assert_max_num_queries(3):
        answer = client.get(reverse("hall:display_json", args=[hallbed["hall"].pk]))
    data = answer.json()
    assert answer.status_code == 200 and answer["Cache-Control"].startswith("max-age=0")
    assert data["groups"][0] == {"prefix": "A", "name": "综合业务", "waiting": count - len(range(0, count, 5))}
    assert data["calls"][0]["number"] == f"A{5 * ((count - 1) // 5) + 1:03d}" and data["calls"][0]["window"] == "A01"


def test_display_page_is_public(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    queue.call_next(hallbed["center_window"], hallbed["a01"])
    body = Client().get(reverse("hall:display", args=[hallbed["hall"].pk])).content.decode()
    assert "A001" in body and "hall_display.js" in body and "<script>" not in body


def test_figures_for_managers_and_supervisors_only(hallbed, open_now, geo):
    url = reverse("hall:figures", args=[hallbed["hall"].pk])
    assert client_for(hallbed["center_supervisor"]).get(url, {"day": "2026-10-09"}).status_code == 200
    assert client_for(hallbed["city"]).get(url).status_code == 200
    assert client_for(hallbed["center_window"]).get(url).status_code == 403
    assert client_for(hallbed["qx_window"]).get(url).status_code == 403
    page = client_for(hallbed["center_supervisor"]).get(url, {"day": "not-a-day"})
    assert page.status_code == 200 and "请输入有效的日期" in page.content.decode()


def test_management_edits_window_staff_and_items(hallbed, open_now):
    client = client_for(hallbed["center_supervisor"])
    page = client.get(reverse("hall:manage", args=[hallbed["hall"].pk]))
    assert page.status_code == 200 and "A01" in page.content.decode() and "B岗" in page.content.decode()
    url = reverse("hall:window_edit", args=[hallbed["hall"].pk, hallbed["a01"].pk])
    both = client.post(url, {"primary": [hallbed["center_window"].pk], "backup": [hallbed["center_window"].pk]})
    assert both.status_code == 400 and "同一人不能同时为A岗和B岗" in both.content.decode()
    client.post(url, {"primary": [hallbed["hall_backup"].pk], "items": [hallbed["item"].pk]})
    on_duty = WindowStaff.objects.filter(window=hallbed["a01"], is_active=True)
    assert [(s.user, s.role) for s in on_duty] == [(hallbed["hall_backup"], "A")]
    assert WindowStaff.objects.filter(window=hallbed["a01"], user=hallbed["center_window"], is_active=False).exists()
    assert client_for(hallbed["center_window"]).get(url).status_code == 403
    assert client_for(hallbed["city"]).get(url).status_code == 403


def test_the_workbench_lists_the_users_windows_with_their_queue(hallbed, open_now):
    queue.take_ticket(group=hallbed["A"], at=at(DAY, "09:30"))
    queue.take_ticket(group=hallbed["B"], at=at(DAY, "09:31"))
    sections = {s.key: s for s in client_for(hallbed["window"]).get(reverse("home")).context["sections"]}
    (entry,) = sections["hall_windows"].entries
    assert entry.url == reverse("hall:caller", args=[hallbed["b01"].pk]) and entry.badges == ("等候 2 人",)
    quiet = {s.key for s in client_for(hallbed["center_supervisor"]).get(reverse("home")).context["sections"]}
    assert "hall_windows" not in quiet
