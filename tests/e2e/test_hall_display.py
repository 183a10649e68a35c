"""The hall display in a real browser: the big screen is open in one page, the window's clerk calls a number from
the caller in another, and the screen shows the number and its window without being reloaded. The kiosk works on a
phone: a visitor takes a number and sees how many wait ahead."""

from __future__ import annotations

import pytest

from hall.models import Ticket, TicketStatus
from hall.services import queue
from tests.e2e.conftest import sideways_overflow
from tests.e2e.test_main_flow import as_user
from tests.hall.conftest import at, casebed, hallbed, open_now  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_display_shows_a_call_without_reload(browser, live_server, hallbed, open_now):  # noqa: F811
    hall = hallbed["hall"]
    queue.take_ticket(group=hallbed["A"], at=at("2026-10-09", "09:30"))
    queue.take_ticket(group=hallbed["A"], at=at("2026-10-09", "09:40"))

    screen = browser.new_context(locale="zh-CN", viewport={"width": 1600, "height": 900}).new_page()
    screen.goto(f"{live_server.url}/hall/{hall.pk}/display/")
    assert screen.locator("#display-calls").inner_text().strip() == "暂无叫号"
    assert screen.locator(".display-group[data-prefix=A] strong").inner_text() == "2"
    screen.evaluate("window.__notReloaded = true")

    clerk = as_user(browser, live_server, "center_window")
    clerk.goto(f"{live_server.url}/hall/windows/{hallbed['a01'].pk}/")
    with clerk.expect_navigation():
        clerk.click("#call-next")
    assert clerk.locator("#caller-current").inner_text() == "A001"
    assert Ticket.objects.get(number="A001").status == TicketStatus.CALLED

    latest = screen.locator("#display-calls tr.is-latest")
    latest.wait_for()
    screen.wait_for_function("document.querySelector('#display-calls tr.is-latest')?.dataset.number === 'A001'")
    assert "A01" in latest.inner_text()
    screen.wait_for_function("document.querySelector('.display-group[data-prefix=A] strong').textContent === '1'")
    assert screen.evaluate("window.__notReloaded") is True


def test_the_kiosk_on_a_phone(phone, live_server, hallbed, open_now):  # noqa: F811
    queue.take_ticket(group=hallbed["A"], at=at("2026-10-09", "09:30"))
    phone.goto(f"{live_server.url}/hall/{hallbed['hall'].pk}/kiosk/")
    assert sideways_overflow(phone) <= 0
    phone.check("input[name=priority][value=elderly]")
    with phone.expect_navigation():
        phone.click(f"button.kiosk-group[value='{hallbed['A'].pk}']")
    assert phone.locator("#ticket-number").inner_text() == "A002"
    assert "您前面还有 1 人" in phone.locator("#ticket-ahead").inner_text()
    assert sideways_overflow(phone) <= 0
