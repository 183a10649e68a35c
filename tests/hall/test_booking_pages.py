"""The booking pages: the panel on the public guide page, booking there, the booking page with the materials checklist
of the chosen situation, cancelling with the phone's last four digits, and the staff arrival desk."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from hall.models import Booking, BookingStatus, Priority, Ticket
from hall.services import booking as bookings
from tests.factories import UserFactory
from tests.hall.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def guide_url(bed) -> str:
    return reverse("guides:guide", args=[bed["item"].code])


def new_url(bed) -> str:
    return reverse("bookings:new", args=[bed["item"].code])


def slot_key(bed, day="2026-10-10", half="am", group="A") -> str:
    return f"{bed[group].pk}:{day}:{half}"


def post_booking(bed, client=None, **changes):
    data = {"slot": slot_key(bed), "situation": "new", "name": "张三", "phone": "13800138000", **changes}
    return (client or Client()).post(new_url(bed), data)


def test_guide_page_shows_the_booking_panel_for_bookable_items(bookbed, frozen):
    frozen(at("2026-09-29"))
    html = Client().get(guide_url(bookbed)).content.decode()
    assert "网上预约" in html and f'action="{new_url(bookbed)}"' in html
    assert f'value="{slot_key(bookbed)}"' in html  # the make-up Saturday
    assert f'value="{bookbed["A"].pk}:2026-10-05:am"' not in html  # 国庆


def test_no_panel_when_the_group_is_not_bookable(bookbed, frozen):
    frozen(at("2026-09-29"))
    type(bookbed["A"]).objects.update(is_bookable=False)
    assert "网上预约" not in Client().get(guide_url(bookbed)).content.decode()
    assert post_booking(bookbed).status_code == 404
    assert not Booking.objects.exists()


def test_booking_on_the_guide_page_leads_to_the_booking_page_with_the_checklist(bookbed, frozen):
    frozen(at("2026-09-29"))
    response = post_booking(bookbed)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bookings:detail", args=[booking.code])
    page = Client().get(response["Location"])
    html = page.content.decode()
    assert booking.code in html and "138****8000" in html and "13800138000" not in html
    # the checklist the window accepts against (cases acceptance), for the situation booked
    expected = [m.name for m in bookings.materials_for(bookbed["standard"], "new")]
    assert expected and all(name in html for name in expected)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "请填写 11 位手机号"),
        ({"name": ""}, "name", "请填写姓名"),
        ({"slot": ""}, "slot", "请选择预约时段"),
        ({"slot": "999:2026-10-10:am"}, "slot", "该时段已约满或不可预约，请另选"),
    ],
)
def test_booking_form_errors_stay_at_the_field(bookbed, frozen, changes, field, message):
    frozen(at("2026-09-29"))
    response = post_booking(bookbed, **changes)
    assert response.status_code == 400 and message in response.content.decode()
    assert field in response.context["panel"]["context"]["form"].errors
    assert not Booking.objects.exists()


def test_full_slot_is_refused_on_the_page(bookbed, frozen):
    frozen(at("2026-09-29"))
    group = bookbed["B"]
    group.minutes_per_visit = 180  # one place a morning
    group.save()
    assert post_booking(bookbed, slot=slot_key(bookbed, group="B"), phone="13800000001").status_code == 302
    response = post_booking(bookbed, slot=slot_key(bookbed, group="B"), phone="13800000002")
    assert response.status_code == 400
    assert Booking.objects.count() == 1


def test_blocked_phone_gets_the_chinese_message(bookbed, frozen):
    frozen(at("2026-09-29"))
    for n, day in enumerate(["2026-08-03", "2026-09-07", "2026-09-14"]):
        Booking.objects.create(
            group=bookbed["A"],
            local_item=bookbed["item"],
            day=day,
            half_day="am",
            name="王五",
            phone="13900001111",
            code=f"NOSHOW{n}",
            status=BookingStatus.NO_SHOW,
        )
    response = post_booking(bookbed, phone="13900001111")
    assert response.status_code == 400 and "暂停网上预约" in response.content.decode()


def test_honeypot_booking_saves_nothing(bookbed, frozen):
    frozen(at("2026-09-29"))
    assert post_booking(bookbed, website="x").status_code == 302
    assert not Booking.objects.exists()


@override_settings(HALL_PUBLIC_TRIES=1)
def test_cancel_with_the_wrong_tail_is_refused_and_tries_are_limited(bookbed, frozen):
    frozen(at("2026-09-29"))
    post_booking(bookbed)
    booking = Booking.objects.get()
    url = reverse("bookings:detail", args=[booking.code])
    client = Client()
    wrong = client.post(url, {"tail": "0000"})
    assert wrong.status_code == 400 and str(bookings.WRONG_PAIR) in wrong.content.decode()
    assert client.post(url, {"tail": "8000"}).status_code == 429  # one try per window here
    assert Booking.objects.get().status == BookingStatus.BOOKED
    cache.clear()
    assert client.post(url, {"tail": "8000"}).status_code == 302
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert "取消预约" not in client.get(url).content.decode().split("</h1>", 1)[1]


def test_unknown_booking_code_is_404(db):
    assert Client().get(reverse("bookings:detail", args=["NOSUCH00"])).status_code == 404


def test_arrival_desk_marks_arrival_and_gives_a_priority_number(bookbed, frozen):
    frozen(at("2026-09-29"))
    post_booking(bookbed, slot=slot_key(bookbed, day="2026-09-30"))
    booking = Booking.objects.get()
    frozen(at("2026-09-30", "09:20"))
    client = client_for(bookbed["center_window"])
    page = client.get(reverse("bookings:arrive"))
    assert booking.code in page.content.decode()
    response = client.post(reverse("bookings:arrive"), {"code": booking.code.lower()}, follow=True)
    ticket = Ticket.objects.get()
    assert ticket.priority == Priority.BOOKED and ticket.booking_id == booking.pk
    assert ticket.number in response.content.decode()
    assert Booking.objects.get().status == BookingStatus.ARRIVED


def test_arrival_desk_is_for_hall_staff_and_refuses_another_halls_codes(bookbed, frozen):
    frozen(at("2026-09-29"))
    post_booking(bookbed, slot=slot_key(bookbed, day="2026-09-30"))
    code = Booking.objects.get().code
    assert client_for(bookbed["approver"]).get(reverse("bookings:arrive")).status_code == 403
    assert client_for(UserFactory()).post(reverse("bookings:arrive"), {"code": code}).status_code == 403
    frozen(at("2026-09-30", "09:20"))
    qx = client_for(bookbed["qx_window"])
    assert qx.post(reverse("bookings:arrive"), {"code": code}).status_code == 403  # no hall of theirs
    assert Booking.objects.get().status == BookingStatus.BOOKED and not Ticket.objects.exists()


def test_arrival_on_the_wrong_day_is_told_at_the_field(bookbed, frozen):
    frozen(at("2026-09-29"))
    post_booking(bookbed)  # booked for Oct 10
    frozen(at("2026-09-30", "09:20"))
    response = client_for(bookbed["center_window"]).post(
        reverse("bookings:arrive"), {"code": Booking.objects.get().code}
    )
    assert response.status_code == 400 and "请在预约当日到场" in response.content.decode()
    assert not Ticket.objects.exists()


def test_kiosk_check_in_with_the_code_prints_a_priority_number(bookbed, frozen):
    frozen(at("2026-09-29"))
    post_booking(bookbed, slot=slot_key(bookbed, day="2026-09-30"))
    booking = Booking.objects.get()
    url = reverse("bookings:kiosk", args=[bookbed["hall"].pk])
    frozen(at("2026-09-30", "09:20"))
    wrong = Client().post(url, {"code": "ZZZZ2222"})
    assert wrong.status_code == 400 and "没有找到该预约码" in wrong.content.decode()
    response = Client().post(url, {"code": booking.code.lower()}, follow=True)
    ticket = Ticket.objects.get()
    assert ticket.priority == Priority.BOOKED and ticket.number in response.content.decode()
    assert Booking.objects.get().status == BookingStatus.ARRIVED
    again = Client().post(url, {"code": booking.code})
    assert again.status_code == 400 and Ticket.objects.count() == 1
