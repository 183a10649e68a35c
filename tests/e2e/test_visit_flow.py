"""The whole visit in a real browser, on a pinned clock (``timezone.now`` frozen, moved forward by hand): on the
evening of Tuesday 2026-09-29 the applicant books the next working day (computed from ``core.workdays``, so the test
does not hang on today's date) on the public guide page with a phone, cancels with the phone's last four digits, and
books again. On that day — the last before 国庆 — the hall's clerk registers the arrival at the arrival desk (the
booking code gives a priority number), the department window's clerk calls the number on the caller page and presses
受理, which opens the cases acceptance page and links the new case to the number. The case is then handled on the
case pages (review opinion, decision, delivery, 办结) by the people who do it, every step through the pages. The
applicant opens the progress page on a phone, follows its evaluation link and grades the service 不满意; the bad grade
opens a rectification that the department's head finds in the rectification list, due five working days later —
after the holiday, as ``core.workdays`` counts it. Staff sessions end after 30 idle minutes
(``SESSION_COOKIE_AGE``), so whoever comes back after the clock has moved on signs in again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from cases.models import Case, CaseStatus
from core.workdays import add_workdays, is_workday
from evaluation.models import Evaluation, Rectification, Stage
from evaluation.services.common import stage_workdays
from hall.models import Booking, BookingStatus, Priority, Ticket, TicketStatus
from tests.e2e.test_case_flow import act
from tests.e2e.test_main_flow import as_user
from tests.evaluation.conftest import indicator_sets  # noqa: F401  (fixture: the seeded indicator sets)
from tests.hall.conftest import at, bookbed, casebed, frozen, hallbed  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOOKED_ON = dt.date(2026, 9, 29)
PHONE = "13800138000"


def phone_page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def book(page, live_server, bed, day: dt.date) -> Booking:
    """Book the morning of ``day`` on the guide page's panel; the booking page shows the code and the checklist."""
    page.goto(f"{live_server.url}/guides/{bed['item'].code}/")
    panel = page.locator("section.hall-booking")
    panel.locator(f"label[for='slot-{bed['A'].pk}{day.isoformat()}am']").click()
    panel.get_by_label("姓名").fill("张三")
    panel.get_by_label("手机号").fill(PHONE)
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()
    booking = Booking.objects.filter(status=BookingStatus.BOOKED).get()
    assert page.locator("[data-code]").inner_text().strip() == booking.code
    assert booking.day == day and booking.half_day == "am"
    assert "申请书" in page.locator("main").inner_text()  # the checklist to bring
    return booking


def test_book_cancel_book_arrive_call_accept_finish_and_grade_it_poorly(browser, live_server, bookbed, frozen):  # noqa: F811
    cache.clear()
    bed = bookbed
    visit_day = add_workdays(BOOKED_ON, 1)
    assert is_workday(visit_day) and not is_workday(visit_day + dt.timedelta(days=1))  # the eve of 国庆

    # The evening before: book, cancel, book again — on a phone.
    frozen(at(BOOKED_ON.isoformat(), "20:00"))
    applicant = phone_page(browser)
    first = book(applicant, live_server, bed, visit_day)
    applicant.get_by_label("手机号后四位").fill(PHONE[-4:])
    with applicant.expect_navigation():
        applicant.locator("section:has(#cancel-h) button[type=submit]").click()
    assert applicant.locator("[data-status]").get_attribute("data-status") == "cancelled"
    assert Booking.objects.get(pk=first.pk).status == BookingStatus.CANCELLED
    second = book(applicant, live_server, bed, visit_day)
    assert second.code != first.code

    # The visit day: the arrival desk turns the booking code into a priority number.
    frozen(at(visit_day.isoformat(), "09:20"))
    desk = as_user(browser, live_server, "center_window")
    desk.goto(f"{live_server.url}/hall/bookings/arrive/")
    desk.get_by_label("预约码").fill(second.code)
    with desk.expect_navigation():
        desk.locator("main form button[type=submit]").click()
    ticket = Ticket.objects.get()
    assert ticket.priority == Priority.BOOKED and ticket.booking_id == second.pk
    assert ticket.number in desk.locator("main").inner_text()

    # The department's window calls it and accepts the application from the caller.
    frozen(at(visit_day.isoformat(), "09:30"))
    clerk = as_user(browser, live_server, "window")
    clerk.goto(f"{live_server.url}/hall/windows/{bed['b01'].pk}/")
    with clerk.expect_navigation():
        clerk.click("#call-next")
    assert clerk.locator("#caller-current").inner_text() == ticket.number
    with clerk.expect_navigation():
        clerk.locator("form[action*='/accept/'] button").click()
    assert "/cases/accept/" in clerk.url
    for box in clerk.locator("input[name^=material]").all():
        box.check()
    clerk.select_option("#id_applicant_kind", "1")
    clerk.fill("#id_applicant_name", "张三")
    clerk.fill("#id_applicant_id_number", "44180219800101123X")
    clerk.fill("#id_applicant_phone", PHONE)
    clerk.check("input[name=outcome][value=accept]")
    with clerk.expect_navigation():
        clerk.click("text=提交并出具文书")
    case = Case.objects.get()
    ticket.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and ticket.case_id == case.pk
    assert ticket.status in (TicketStatus.SERVING, TicketStatus.CALLED, TicketStatus.DONE)
    assert "办件已关联排队号" in clerk.locator("main").inner_text()

    # Handled to 办结 on the case pages, the same day.
    frozen(at(visit_day.isoformat(), "11:00"))
    approver = as_user(browser, live_server, "approver")
    approver.goto(f"{live_server.url}/cases/{case.number}/")
    act(approver, "step", lambda form: form.locator("textarea").fill("材料齐全，符合法定条件，建议准予许可。"))
    head = as_user(browser, live_server, "depthead")
    head.goto(f"{live_server.url}/cases/{case.number}/")

    def decide(form):
        form.locator("input[name=decision][value=grant]").check()
        form.locator("textarea[name=opinion]").fill("同意审查意见，准予许可。")

    act(head, "decide", decide)
    frozen(at(visit_day.isoformat(), "15:00"))
    # Four idle hours end a staff session (the idle timeout), so the approver signs in again after lunch.
    approver = as_user(browser, live_server, "approver")
    approver.goto(f"{live_server.url}/cases/{case.number}/")
    act(approver, "deliver", lambda form: form.locator("select[name=method]").select_option("window"))
    act(approver, "finish")
    case.refresh_from_db()
    assert case.status == CaseStatus.FINISHED

    # The applicant, on a phone: progress page → 去评价 → 不满意 (2 stars on every indicator).
    frozen(at(visit_day.isoformat(), "17:00"))
    applicant.goto(f"{live_server.url}/progress/?no={case.number}")
    applicant.fill("input[name=tail]", PHONE[-4:])
    with applicant.expect_navigation():
        applicant.locator("main form button[type=submit]").click()
    assert "已办结" in applicant.locator("main").inner_text()
    with applicant.expect_navigation():
        applicant.locator(".evaluation-panel a.btn").click()
    questions = applicant.locator("fieldset.star-question")
    assert questions.count() == 5  # the online indicator set (一事一评)
    for question in questions.all():
        question.locator("label[for$='-2']").click()
    applicant.locator("textarea[name=comment]").fill("等候时间太长，窗口说明不清楚。")
    with applicant.expect_navigation():
        applicant.locator("main form button[type=submit]").click()
    assert "评价成功" in applicant.locator("main").inner_text()
    evaluation = Evaluation.objects.get()
    assert (evaluation.grade, evaluation.case_id) == (2, case.pk)
    assert evaluation.get_grade_display() == "不满意"

    # The rectification is the department's, due five working days on — across 国庆 (Oct 1–7, make-up day Oct 10).
    rectification = Rectification.objects.get(evaluation=evaluation)
    due = add_workdays(visit_day, stage_workdays(Stage.VERIFY))
    assert rectification.stage == Stage.VERIFY and rectification.stage_due == due
    assert due > dt.date(2026, 10, 8) and due - visit_day > dt.timedelta(days=stage_workdays(Stage.VERIFY) + 7)
    head = as_user(browser, live_server, "depthead")  # signed in again: the morning's session has timed out
    head.goto(f"{live_server.url}/evaluation/rectifications/")
    row = head.locator("table.rectification-list tbody tr", has=head.locator(f"text={case.number}"))
    assert row.count() == 1
    text = row.inner_text()
    assert "不满意" in text and due.isoformat() in text and "超期" not in text
