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


def test_saving_an_unchanged_page_from_the_browser_records_no_change(page, live_server, people, draft):
    """The browser sends every textarea back with CR LF; the multi-line texts stay as they were, with no history."""
    from standards.models import Material

    assert "\n" in draft.guide.acceptance_conditions
    guide_history = draft.guide.history.count()
    material_history = Material.history.count()
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/standards/{draft.pk}/edit/")
    with page.expect_navigation():
        page.click('.editor-actions button[value="save"]')
    assert "已保存" in page.locator(".alert-success").inner_text()
    draft.guide.refresh_from_db()
    assert "\r" not in draft.guide.acceptance_conditions
    assert draft.guide.history.count() == guide_history and Material.history.count() == material_history


def test_a_refused_save_leads_to_the_refused_field(page, live_server, people, draft):
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/standards/{draft.pk}/edit/")
    page.fill("#id_guide-legal_limit", "-5")
    page.fill("#id_guide-address", "")  # a quality finding of the input, not of the saved draft
    with page.expect_navigation():
        page.click('.editor-actions button[value="save"]')
    summary = page.locator("#editor-errors")
    assert "1 处需要修改" in summary.inner_text()
    assert "质量检查未发现问题" not in page.content()
    assert "F02" in page.locator("#findings").inner_text()
    summary.locator('a[href="#f-guide-legal_limit"]').click()
    page.wait_for_function("location.hash === '#f-guide-legal_limit'")
    assert page.locator("#f-guide-legal_limit").is_visible()
    assert page.locator('.editor-toc a[href="#limits"] .section-errors').inner_text().strip().startswith("1")
