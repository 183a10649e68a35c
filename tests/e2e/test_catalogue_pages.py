"""The catalogue in a real browser: signing in, claiming items with the checkboxes, and the public list on a phone."""

from __future__ import annotations

import pytest

from catalogue.models import Claim, LocalItem
from catalogue.services import local_item_build
from tests.e2e.conftest import sideways_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_wrong_password_is_refused_in_chinese(page, live_server, people):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    assert "请输入一个正确的" in page.locator(".alert-danger").inner_text()


def test_clerk_claims_items_with_the_checkboxes(page, live_server, people, general, orgs):
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/catalogue/claims/")
    assert page.locator("h1").inner_text().startswith("事项认领")
    page.check(f"#gi{general['sub1'].pk}")
    page.check(f"#gi{general['plain'].pk}")
    with page.expect_navigation():
        page.click("text=认领所选事项")
    assert "已认领 2 个事项" in page.locator(".alert-success").inner_text()
    assert Claim.objects.filter(organization=orgs["edu"], status="pending").count() == 2
    # The claimed items left the list of what can still be claimed.
    assert page.locator(f"#gi{general['sub1'].pk}").count() == 0


def test_public_list_fits_a_phone_and_searches(phone, live_server, general, geo, orgs, people):
    for key in ("sub1", "sub2", "plain"):
        local_item_build(
            general_item=general[key], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
        )
    phone.goto(f"{live_server.url}/public/441802/")
    assert phone.locator(".list-group-item").count() == 3
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"page is {overflow}px wider than the phone"
    phone.fill("#q", "学前")
    with phone.expect_navigation():
        phone.click("main button[type=submit]")
    assert phone.locator(".list-group-item").count() == 1
    item = LocalItem.objects.get(general_item=general["sub1"])
    with phone.expect_navigation():
        phone.click(".list-group-item")
    assert item.code in phone.locator("main").inner_text()
