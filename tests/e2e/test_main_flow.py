"""The main flow as people walk it, in a real browser: a clerk completes and submits a standard, the department head
confirms, the compliance reviewer returns it with a reason, the clerk fixes and resubmits, both reviews pass, the
establishment office publishes, and the anonymous public guide shows the published version."""

from __future__ import annotations

import pytest

from catalogue.services import local_item_build
from reviews.models import ReviewTask
from standards.models import ItemStandard
from tests.standards.factories import complete_standard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(geo, orgs, general, people):
    item = local_item_build(
        general_item=general["plain"], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
    )
    # The clerk still has the address to fill in.
    return complete_standard(people["clerk"], item, address="")


def as_user(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations pages ask before deciding
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


def act_on_story(page, live_server, standard, label, note=""):
    page.goto(f"{live_server.url}/workflow/standards/{standard.pk}/")
    form = page.locator("form", has=page.locator(f"button:text-is('{label}')"))
    if note:
        form.locator("textarea").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()[:500]


def decide_task(page, live_server, standard, *, reason_code=None, note=""):
    task = ReviewTask.objects.get(standard=standard, closed_at__isnull=True)
    page.goto(f"{live_server.url}/reviews/tasks/{task.pk}/")
    decide_here(page, reason_code=reason_code, note=note)


def decide_here(page, *, reason_code=None, note=""):
    """Pass the task of the review screen open in ``page``, or return it with a reason when ``reason_code`` is given."""
    decision = "return" if reason_code else "pass"
    form = page.locator(f"form:has(input[name=decision][value={decision}])")
    if reason_code:
        form.locator(f"label:has-text('{reason_code}')").first.click()
    if note:
        form.locator("textarea").first.fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def save_editor(page, live_server, standard, **fields):
    page.goto(f"{live_server.url}/standards/{standard.pk}/edit/")
    for selector, value in fields.items():
        page.fill(f"#id_guide-{selector}", value)
    with page.expect_navigation():
        page.click('.editor-actions button[value="save"]')
    assert page.locator(".alert-success").count() == 1, page.locator(".alert-danger").all_inner_texts()


def submit_from_editor(page, live_server, standard, **fields):
    """提交部门确认 in the editor: the changes are saved and the version submitted in one step."""
    page.goto(f"{live_server.url}/standards/{standard.pk}/edit/")
    for selector, value in fields.items():
        page.fill(f"#id_guide-{selector}", value)
    with page.expect_navigation():
        page.click('.editor-actions button[value="submit"]')
    assert page.url.endswith(f"/standards/{standard.pk}/"), page.url
    assert "已提交部门确认" in " ".join(page.locator(".alert-success").all_inner_texts())


def publish_here(page, note):
    """Confirm the publication on the confirmation page open in ``page``, with ``note`` for the public."""
    page.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="确认发布").click()
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()[:500]


def test_clerk_to_public_guide(browser, live_server, people, draft, return_reasons):
    code = draft.local_item.code
    clerk = as_user(browser, live_server, "clerk")
    save_editor(clerk, live_server, draft, address="清远市清城区人民一路28号政务服务中心二楼12号窗口")
    act_on_story(clerk, live_server, draft, "提交")

    head = as_user(browser, live_server, "depthead")
    decide_task(head, live_server, draft)
    assert ItemStandard.objects.get(pk=draft.pk).state == "compliance_review"

    compliance = as_user(browser, live_server, "compliance")
    decide_task(compliance, live_server, draft, reason_code="C06", note="请补充到达政务服务中心的交通指引")
    assert ItemStandard.objects.get(pk=draft.pk).state == "returned"

    # The clerk hears of it in the inbox and finds the reason in the editor.
    clerk.goto(f"{live_server.url}/inbox/")
    with clerk.expect_navigation():
        clerk.locator(".inbox-item", has_text="标准被退回修改").first.click()
    assert clerk.url.endswith(f"/standards/{draft.pk}/edit/")
    assert "C06" in clerk.locator("#return-notes").inner_text()

    submit_from_editor(clerk, live_server, draft, traffic_guide="乘坐3路、7路公交车至政务服务中心站下车")

    decide_task(head, live_server, draft)
    decide_task(compliance, live_server, draft)
    legality = as_user(browser, live_server, "legality")
    decide_task(legality, live_server, draft)
    assert ItemStandard.objects.get(pk=draft.pk).state == "approved"
    # The publisher is told in the inbox and publishes after the confirmation page.
    compliance.goto(f"{live_server.url}/inbox/")
    with compliance.expect_navigation():
        compliance.locator(".inbox-item", has_text="待发布").first.click()
    assert compliance.url.endswith(f"/reviews/publish/{draft.pk}/")
    publish_here(compliance, "首次发布")

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{live_server.url}/guides/{code}/")
    body = public.locator("main").inner_text()
    assert "二楼12号窗口" in body and "乘坐3路、7路公交车" in body and "首次发布" in body
    assert public.locator("svg").count() >= 1
