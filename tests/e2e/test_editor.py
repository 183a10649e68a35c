"""The standard editor in a real browser: rows added, reordered and removed by its script, then saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from catalogue.services import local_item_build
from tests.e2e.test_catalogue_pages import sign_in
from tests.standards.factories import complete_standard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(geo, orgs, general, people):
    item = local_item_build(
        general_item=general["plain"], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
    )
    return complete_standard(people["clerk"], item)


def test_clerk_adds_reorders_and_removes_rows(page, live_server, people, draft):
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/standards/{draft.pk}/edit/")
    materials = page.locator('[data-rows="materials"] [data-row]')
    assert materials.count() == 2
    page.click('[data-add-row="materials"]')
    assert materials.count() == 3
    new_row = materials.nth(2)
    new_row.locator('input[name$="-name"]').fill("法定代表人身份证明")
    new_row.locator('select[name$="-material_type"]').select_option("original")
    # Move the new row to the top, and remove the former second row.
    new_row.locator('[data-move="up"]').click()
    page.locator('[data-rows="materials"] [data-row]').nth(1).locator('[data-move="up"]').click()
    page.locator('[data-rows="materials"] [data-row]').nth(2).locator("[data-remove-row]").click()
    with page.expect_navigation():
        page.click('.editor-actions button[value="save"]')
    assert "已保存" in page.locator(".alert-success").inner_text()
    assert list(draft.materials.values_list("name", flat=True)) == ["法定代表人身份证明", "申请书"]
    assert page.locator('[data-rows="materials"] [data-row]').count() == 2


def test_unsaved_changes_are_not_lost_silently(page, live_server, people, draft):
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/standards/{draft.pk}/edit/")
    page.fill("#id_guide-hall_name", "修改后未保存")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):
        page.goto(f"{live_server.url}/standards/")  # dismissing the warning keeps the user on the editor
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/standards/{draft.pk}/edit/")
    assert page.input_value("#id_guide-hall_name") == "修改后未保存"
