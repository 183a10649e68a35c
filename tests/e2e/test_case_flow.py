"""A case as people handle it, in a real browser: the window clerk accepts with one material missing and prints the
补正 notice; the material arrives and the case is accepted (受理通知书); the approver reviews with an opinion, the
head decides, the approver delivers and finishes; the applicant's progress page shows 办结. A case past its promised
limit shows red on the supervisor's page."""

from __future__ import annotations

import pytest

from cases.models import Case, CaseStatus, NoticeKind
from cases.supervision import sweep
from tests.cases.conftest import casebed  # noqa: F401  (fixture)
from tests.cases.flow import receive
from tests.e2e.test_main_flow import as_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page, name: str, fill=None) -> None:
    """Submit the case page's form of action ``name`` after ``fill(form)``; the page comes back with a success."""
    form = page.locator(f"form:has(input[name=action][value={name}])")
    if fill:
        fill(form)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()[:800]


def test_the_window_to_the_applicants_progress_page(browser, live_server, casebed):  # noqa: F811
    window = as_user(browser, live_server, "window")
    window.goto(f"{live_server.url}/cases/accept/")
    window.select_option("#id_local_item", str(casebed["item"].pk))
    with window.expect_navigation():
        window.click("text=载入清单")
    window.get_by_label("申请书", exact=True).check()  # 营业执照 did not come
    window.select_option("#id_applicant_kind", "4")
    window.fill("#id_applicant_name", "清远市示范培训学校")
    window.fill("#id_applicant_id_number", "52441802MJ0000001X")
    window.fill("#id_applicant_phone", "138-1234-5678")
    window.check("input[name=outcome][value=supplement]")
    with window.expect_navigation():
        window.click("text=提交并出具文书")
    case = Case.objects.get()
    assert case.status == CaseStatus.SUPPLEMENT and f"/cases/{case.number}/" in window.url

    notice = case.notices.get(kind=NoticeKind.SUPPLEMENT)
    window.goto(f"{live_server.url}/cases/notices/{notice.number}/")
    paper = window.locator("main").inner_text()
    assert "补正材料通知书" in paper and "营业执照" in paper and "申请书" not in paper.split("营业执照")[0][-20:]
    assert window.locator("svg").count() >= 1  # the QR code to the progress page

    window.goto(f"{live_server.url}/cases/{case.number}/")
    act(window, "supplement", lambda form: form.get_by_label("营业执照").check())
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.notices.filter(kind=NoticeKind.ACCEPTANCE).exists()

    approver = as_user(browser, live_server, "approver")
    approver.goto(f"{live_server.url}/cases/{case.number}/")
    act(approver, "step", lambda form: form.locator("textarea").fill("材料齐全，符合法定条件，建议准予许可。"))
    head = as_user(browser, live_server, "depthead")
    head.goto(f"{live_server.url}/cases/{case.number}/")

    def decide(form):
        form.locator("input[name=decision][value=grant]").check()
        form.locator("textarea[name=opinion]").fill("同意审查意见，准予许可。")

    act(head, "decide", decide)
    approver.goto(f"{live_server.url}/cases/{case.number}/")
    act(approver, "deliver", lambda form: form.locator("select[name=method]").select_option("window"))
    act(approver, "finish")
    case.refresh_from_db()
    assert case.status == CaseStatus.FINISHED
    log = approver.locator("main").inner_text()
    assert "材料齐全，符合法定条件" in log and "同意审查意见" in log

    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 800}, is_mobile=True).new_page()
    public.goto(f"{live_server.url}/progress/?no={case.number}")
    public.fill("input[name=tail]", "5678")
    with public.expect_navigation():
        public.locator("main form button[type=submit]").click()
    shown = public.locator("main").inner_text()
    assert "已办结" in shown and "清远市示范培训学校" in shown
    assert "52441802MJ0000001X" not in shown and "5678" not in shown.replace(case.number, "")


def test_a_case_past_its_promised_limit_is_red_on_the_supervisors_page(browser, live_server, casebed):  # noqa: F811
    late = receive(casebed, when="2026-11-02")  # promised 10 working days: due 16 November
    sweep()
    watcher = as_user(browser, live_server, "center_sup")
    watcher.goto(f"{live_server.url}/cases/supervision/")
    row = watcher.locator("tr", has=watcher.locator(f"text={late.number}")).filter(has_text="超承诺时限")
    assert row.count() == 1
    assert "table-danger" in (row.first.get_attribute("class") or "")
