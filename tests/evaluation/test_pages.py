"""The pages: the applicant's star pages (once only, bad input at the field, forged links 404), the evaluation link on
the progress page and the notice, the window's QR page, and the staff pages with their scope, forged POSTs refused
and bounded queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cases.models import CaseStatus, Notice
from evaluation.models import Appeal, AppealState, Evaluation, Rectification, Stage
from evaluation.services import EvaluationInput, appeal_file, evaluation_submit_for_case
from evaluation.tokens import case_path, case_token
from portal.navigation import navigation_for

from .conftest import at, make_case, make_ticket

ONLINE = ("overall", "efficiency", "guide_accuracy", "convenience", "usability")
COUNTER = ("overall", "efficiency", "service_level", "attitude")


def stars(codes, grade: int, **extra) -> dict:
    return {f"grade_{c}": str(grade) for c in codes} | extra


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def bad_case(bed, when="2026-09-30", **kw) -> Evaluation:
    data = EvaluationInput(dict.fromkeys(ONLINE, 1) | {"guide_accuracy": 3}, **kw)
    return evaluation_submit_for_case(case=make_case(bed), data=data, at=at(when))


# --- the applicant's pages ------------------------------------------------------------------------------------------


def test_the_case_page_asks_every_indicator_and_a_second_submission_says_already_evaluated(casebed):
    case = make_case(casebed)
    url = case_path(case)
    page = Client().get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="star-rating"') == 5 and "办事指南精确度" in html
    done = Client().post(url, stars(ONLINE, 5, comment="办事很快"))
    assert done.status_code == 200 and "评价成功" in done.content.decode()
    again = Client().post(url, stars(ONLINE, 1, comment="再评一次"))
    assert again.status_code == 200 and "已评价" in again.content.decode()
    assert list(Evaluation.objects.values_list("grade", "comment", "channel")) == [(5, "办事很快", "online")]
    assert "已评价" in Client().get(url).content.decode()


def test_bad_input_is_told_at_the_field_and_changes_nothing(casebed):
    url = case_path(make_case(casebed))
    missing = Client().post(url, stars(ONLINE[:-1], 4))
    assert missing.status_code == 400 and "请为“平台操作性”选择 1 至 5 星" in missing.content.decode()
    real = Client().post(url, stars(ONLINE, 4, real_name="on", name="", phone="12"))
    assert real.status_code == 400
    assert "实名评价请填写姓名" in real.content.decode() and "11 位手机号码" in real.content.decode()
    out_of_range = Client().post(url, stars(ONLINE, 9))
    assert out_of_range.status_code == 400
    assert not Evaluation.objects.exists()


def test_a_forged_or_altered_link_opens_nothing(casebed):
    case = make_case(casebed)
    token = case_token(case)
    assert Client().get(reverse("evaluate:case", args=[token[:-2] + "xx"])).status_code == 404
    assert Client().get(reverse("evaluate:case", args=[str(case.pk)])).status_code == 404
    assert Client().get(reverse("evaluate:visit", args=["0" * 32])).status_code == 404


def test_an_open_case_is_not_yet_evaluated_and_its_page_says_so(casebed):
    url = case_path(make_case(casebed, status=CaseStatus.IN_PROGRESS))
    page = Client().get(url)
    assert page.status_code == 200 and "办理完成后才能评价" in page.content.decode()
    assert Client().post(url, stars(ONLINE, 5)).status_code == 200
    assert not Evaluation.objects.exists()


def test_the_visit_page_uses_the_counter_indicators_once(hallbed):
    ticket = make_ticket(hallbed)
    url = reverse("evaluate:visit", args=[ticket.evaluation_token])
    html = Client().get(url).content.decode()
    assert html.count('class="star-rating"') == 4 and "服务态度" in html and "A01" in html
    assert Client().post(url, stars(COUNTER, 2, category="attitude")).status_code == 200
    assert "已评价" in Client().post(url, stars(COUNTER, 5)).content.decode()
    evaluation = Evaluation.objects.get()
    assert (evaluation.grade, evaluation.channel, evaluation.category) == (2, "qr", "attitude")
    assert Rectification.objects.filter(evaluation=evaluation).exists()


# --- links on the cases' pages --------------------------------------------------------------------------------------


def test_the_progress_page_of_a_finished_case_links_to_its_evaluation(casebed):
    cache.clear()
    case = make_case(casebed)
    page = Client().post("/progress/", {"no": case.number, "tail": "5678"})
    assert case_path(case) in page.content.decode()
    evaluation_submit_for_case(case=case, data=EvaluationInput(dict.fromkeys(ONLINE, 5)))
    page = Client().post("/progress/", {"no": case.number, "tail": "5678"})
    assert "已评价" in page.content.decode() and case_path(case) not in page.content.decode()
    cache.clear()


def test_the_printed_notice_carries_the_evaluation_qr_code(casebed):
    case = make_case(casebed)
    Notice.objects.create(case=case, kind="accept", number=f"{case.number}-SL", content={"item": "x"})
    page = client_for(casebed["window"]).get(reverse("cases:notice", args=[f"{case.number}-SL"]))
    html = page.content.decode()
    assert page.status_code == 200 and "扫码评价" in html and html.count("<svg") >= 2


def test_the_window_shows_the_visit_qr_code_and_nobody_else_does(hallbed):
    ticket = make_ticket(hallbed)
    url = reverse("evaluation:ticket_code", args=[ticket.pk])
    page = client_for(hallbed["window"]).get(url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert ticket.evaluation_token in page.content.decode()
    assert client_for(hallbed["center_window"]).get(url).status_code == 200  # a clerk of the hall's centre
    assert client_for(hallbed["stranger_window"]).get(url).status_code == 404
    assert client_for(hallbed["approver"]).get(url).status_code == 404


# --- staff pages ----------------------------------------------------------------------------------------------------


def test_the_rectification_list_shows_due_dates_filters_overdue_and_pages(casebed, django_assert_max_num_queries):
    for _ in range(25):
        bad_case(casebed, "2026-09-30")
    recent = bad_case(casebed, dt.date.today().isoformat())
    client = client_for(casebed["head"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluation:rectifications"))
    html = page.content.decode()
    assert page.status_code == 200 and "2026-10-13" in html and "超期" in html
    assert "共 26 条" in html
    with django_assert_max_num_queries(12):
        overdue = client.get(reverse("evaluation:rectifications"), {"overdue": "1", "size": "50"})
    assert overdue.content.decode().count("evaluation/rectifications/") - 0 >= 25
    assert f"/evaluation/rectifications/{recent.rectification.pk}/" not in overdue.content.decode()
    stage = client.get(reverse("evaluation:rectifications"), {"stage": "closed"})
    assert "没有符合条件的差评整改" in stage.content.decode()
    searched = client.get(reverse("evaluation:rectifications"), {"q": "不存在的事项"})
    assert "没有符合条件的差评整改" in searched.content.decode()


def test_another_county_sees_none_and_a_forged_post_by_another_unit_is_refused(casebed):
    r = bad_case(casebed).rectification
    url = reverse("evaluation:rectification", args=[r.pk])
    advance = reverse("evaluation:rectification_advance", args=[r.pk])
    assert (
        "没有符合条件的差评整改"
        in client_for(casebed["qx_window"]).get(reverse("evaluation:rectifications")).content.decode()
    )
    assert client_for(casebed["qx_window"]).get(url).status_code == 404
    # Another department of the same county cannot see it; the service centre's supervisor sees it but cannot work it.
    assert client_for(casebed["outsider"]).post(advance, {"note": "伪造的办理记录"}).status_code == 404
    assert client_for(casebed["center_supervisor"]).get(url).status_code == 200
    assert client_for(casebed["center_supervisor"]).post(advance, {"note": "伪造的办理记录"}).status_code == 403
    r.refresh_from_db()
    assert r.stage == Stage.VERIFY and not r.steps.exists()
    done = client_for(casebed["approver"]).post(advance, {"note": "已核实情况"})
    assert done.status_code == 302
    r.refresh_from_db()
    assert r.stage == Stage.RECTIFY


def test_the_follow_up_form_of_a_real_name_grade_says_at_the_field_what_is_missing(casebed):
    r = bad_case(casebed, real_name=True, name="李四", phone="13912345678").rectification
    client = client_for(casebed["approver"])
    advance = reverse("evaluation:rectification_advance", args=[r.pk])
    for _ in range(3):
        client.post(advance, {"note": "已办理本阶段"})
    refused = client.post(advance, {"note": "已回复"})
    assert refused.status_code == 400 and "实名差评须电话回访" in refused.content.decode()
    r.refresh_from_db()
    assert r.stage == Stage.FOLLOW_UP
    closed = client.post(
        advance, {"note": "已回访", "call_at": "2026-10-12T15:00", "call_by": "王五", "call_result": "满意"}
    )
    assert closed.status_code == 302
    r.refresh_from_db()
    assert (r.stage, r.followed_up) == (Stage.CLOSED, True)


def test_appeals_are_filed_by_the_unit_and_decided_on_the_supervisors_queue(casebed):
    r = bad_case(casebed).rectification
    head = client_for(casebed["head"])
    filed = head.post(
        reverse("evaluation:appeal_file", args=[r.pk]), {"reason": "malicious", "statement": "系恶意差评，有录像"}
    )
    assert filed.status_code == 302
    appeal = Appeal.objects.get()
    decide = reverse("evaluation:appeal_decide", args=[appeal.pk])
    form = {f"a{appeal.pk}-upheld": "1", f"a{appeal.pk}-note": "录像证实"}
    assert head.post(decide, form).status_code == 403  # the unit has no appeal queue at all
    queue = client_for(casebed["center_supervisor"]).get(reverse("evaluation:appeals"))
    assert queue.status_code == 200 and "系恶意差评，有录像" in queue.content.decode()
    assert client_for(casebed["center_supervisor"]).post(decide, form).status_code == 302
    appeal.refresh_from_db()
    r.refresh_from_db()
    assert appeal.state == AppealState.UPHELD and r.stage == Stage.VOID
    assert Evaluation.objects.get().excluded


def test_a_forged_appeal_decision_from_another_county_is_refused(casebed, orgs):
    evaluation = bad_case(casebed)
    appeal = appeal_file(
        evaluation=evaluation, actor=casebed["head"], reason="mistaken", statement="误评，申请人点错了"
    )
    from catalogue.models import OrganizationKind, Role
    from tests.factories import OrganizationFactory, UserFactory, member

    qx_center = OrganizationFactory(division=orgs["qx_edu"].division, kind=OrganizationKind.SERVICE_CENTER)
    qx_supervisor = member(UserFactory(username="qx_sup"), qx_center, Role.CENTER_SUPERVISOR)
    form = {f"a{appeal.pk}-upheld": "1", f"a{appeal.pk}-note": "成立"}
    answer = client_for(qx_supervisor).post(reverse("evaluation:appeal_decide", args=[appeal.pk]), form)
    assert answer.status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == AppealState.PENDING


def test_the_evaluations_list_filters_and_runs_bounded_queries(casebed, django_assert_max_num_queries):
    for grade in (5, 4, 3, 2, 1):
        evaluation_submit_for_case(case=make_case(casebed), data=EvaluationInput(dict.fromkeys(ONLINE, grade)))
    client = client_for(casebed["center_supervisor"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("evaluation:list"))
    assert page.status_code == 200 and "共 5 条" not in page.content.decode()  # one page, no pager
    assert len(re.findall(r"evaluation/rectifications/\d+/", page.content.decode())) == 2
    only_bad = client.get(reverse("evaluation:list"), {"grade": "1"}).content.decode()
    assert "非常不满意" in only_bad and "非常满意</span>" not in only_bad
    assert client_for(casebed["qx_window"]).get(reverse("evaluation:list")).status_code == 200
    assert "没有符合条件的评价" in client_for(casebed["qx_window"]).get(reverse("evaluation:list")).content.decode()


@pytest.mark.parametrize(
    ("who", "entries"),
    [
        ("head", {"好差评", "差评整改"}),
        ("center_supervisor", {"好差评", "差评整改", "申诉审核"}),
        ("city", {"好差评", "差评整改", "申诉审核"}),
    ],
)
def test_navigation_offers_the_pages_that_let_the_user_in(casebed, who, entries):
    shown = {e["label"] for e in navigation_for(casebed[who])} & {"好差评", "差评整改", "申诉审核"}
    assert shown == entries
    client = client_for(casebed[who])
    for name, label in (
        ("evaluation:list", "好差评"),
        ("evaluation:rectifications", "差评整改"),
        ("evaluation:appeals", "申诉审核"),
    ):
        assert client.get(reverse(name)).status_code == (200 if label in entries else 403)
