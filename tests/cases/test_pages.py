"""The staff pages of cases: the list masks personal data and runs the same queries for 20 or 100 cases; the window
lays out the checklist and puts errors at the field; the case page offers each user only their next actions, refuses
forged posts, audits a whole view of personal data, and runs the same queries for 20 or 100 records; notices print
with a QR code of the progress page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, CaseStep, NoticeKind, StepKind
from cases.services import Outcome, case_do_step, case_request_extension
from core.models import AuditEvent
from standards.models import DiscretionBenchmark, ItemStandard, StandardState
from tests.cases.flow import materials, receive, reload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def many_cases(bed, n: int, start: int = 0) -> None:
    Case.objects.bulk_create(
        Case(
            number=f"T{start + i:08d}",
            local_item=bed["item"],
            standard=bed["standard"],
            organization=bed["edu"],
            division=bed["item"].division,
            applicant_name=f"申请人{i}",
            applicant_id_number="440102198001011234",
            applicant_phone="13800001234",
            received_at=timezone.now(),
            status=CaseStatus.IN_PROGRESS,
        )
        for i in range(n)
    )


def test_the_list_masks_id_numbers_and_phones(casebed):
    receive(casebed, applicant_id_number="440102198001011234", applicant_phone="138-1234-5678")
    page = client_for(casebed["approver"]).get(reverse("cases:list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "4401**********1234" in body and "138****5678" in body
    assert "440102198001011234" not in body and "13812345678" not in body


def test_the_list_searches_and_filters(casebed):
    case = receive(casebed, applicant_name="清城示范学校")
    refused = receive(casebed, outcome=Outcome.REFUSE, reason="不属于本机关职权", applicant_name="其他单位")
    client = client_for(casebed["head"])
    body = client.get(reverse("cases:list"), {"q": "示范"}).content.decode()
    assert case.number in body and refused.number not in body
    body = client.get(reverse("cases:list"), {"status": "not_accepted"}).content.decode()
    assert refused.number in body and case.number not in body
    body = client.get(reverse("cases:list"), {"alert": "red", "sort": "promised_due"}).content.decode()
    assert case.number not in body


def test_the_list_shows_only_cases_the_user_may_see(casebed):
    case = receive(casebed)
    assert case.number not in client_for(casebed["outsider"]).get(reverse("cases:list")).content.decode()
    assert client_for(UserFactory(username="nobody")).get(reverse("cases:list")).status_code == 403


def test_the_list_runs_the_same_queries_for_20_or_100_cases(casebed):
    client = client_for(casebed["approver"])
    many_cases(casebed, 20)
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(reverse("cases:list"), {"size": 100}).status_code == 200
    many_cases(casebed, 80, start=20)
    with CaptureQueriesContext(connection) as hundred:
        page = client.get(reverse("cases:list"), {"size": 100})
    assert page.content.decode().count("cases/T000") == 100
    assert len(hundred) == len(twenty)


def test_the_window_lays_out_the_checklist_and_accepts(casebed):
    client = client_for(casebed["window"])
    page = client.get(reverse("cases:accept"), {"local_item": casebed["item"].pk, "situation": "new"})
    body = page.content.decode()
    assert page.status_code == 200 and "申请书" in body and "营业执照" in body and "复印件 1 份" in body
    data = {
        "local_item": casebed["item"].pk,
        "situation": "new",
        "applicant_kind": "2",
        "applicant_name": "清远示范公司",
        "applicant_phone": "13800001234",
        "outcome": "accept",
        **{f"material_{m.pk}": "on" for m in materials(casebed).values()},
    }
    answer = client.post(reverse("cases:accept"), data)
    case = Case.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("cases:detail", args=[case.number])
    assert case.status == CaseStatus.IN_PROGRESS


def test_the_window_puts_errors_at_the_field_and_saves_nothing(casebed):
    client = client_for(casebed["window"])
    base = {"local_item": casebed["item"].pk, "situation": "new", "applicant_kind": "1"}
    answer = client.post(reverse("cases:accept"), {**base, "applicant_name": "", "outcome": "refuse"})
    body = answer.content.decode()
    assert answer.status_code == 400 and "请填写申请人名称" in body and "不予受理须写明理由" in body
    answer = client.post(reverse("cases:accept"), {**base, "applicant_name": "张三", "outcome": "accept"})
    assert answer.status_code == 400 and "尚缺必要材料" in answer.content.decode()
    assert not Case.objects.exists()


def test_the_window_refuses_items_and_people_outside_it(casebed):
    client = client_for(casebed["window"])
    answer = client.post(
        reverse("cases:accept"),
        {"local_item": casebed["other_item"].pk, "situation": "new", "applicant_name": "张三", "outcome": "accept"},
    )
    assert answer.status_code == 400 and "所选事项不在您可受理的范围内" in answer.content.decode()
    assert client_for(casebed["approver"]).get(reverse("cases:accept")).status_code == 403
    # An item whose standard is withdrawn is not offered at the window, and cannot be picked by address either.
    ItemStandard.objects.filter(pk=casebed["standard"].pk).update(state=StandardState.WITHDRAWN)
    assert casebed["item"].name not in client.get(reverse("cases:accept")).content.decode()
    page = client.get(reverse("cases:accept"), {"local_item": casebed["item"].pk, "situation": "new"})
    assert "所选事项不在您可受理的范围内" in page.content.decode()
    assert not Case.objects.exists()


def test_the_case_page_offers_the_next_step_to_its_post_holder_only(casebed):
    case = receive(casebed)
    url = reverse("cases:detail", args=[case.number])
    body = client_for(casebed["approver"]).get(url).content.decode()
    assert "办理环节：审查（审查岗）" in body and "法定时限" in body and "承诺时限" in body
    assert "办理环节" not in client_for(casebed["window"]).get(url).content.decode()
    answer = client_for(casebed["approver"]).post(url, {"action": "step", "opinion": "同意"})
    assert answer.status_code == 400 and "不少于4个字" in answer.content.decode()
    answer = client_for(casebed["approver"]).post(url, {"action": "step", "opinion": "材料齐全，符合条件"})
    assert answer.status_code == 302
    assert reload(case).current_step == "decide"


def test_forged_posts_on_the_case_page_are_refused(casebed):
    case = receive(casebed)
    url = reverse("cases:detail", args=[case.number])
    answer = client_for(casebed["window"]).post(url, {"action": "step", "opinion": "材料齐全，符合条件"})
    assert answer.status_code == 403
    answer = client_for(casebed["approver"]).post(url, {"action": "decide", "decision": "grant", "opinion": "同意准予"})
    assert answer.status_code == 403
    assert client_for(casebed["outsider"]).get(url).status_code == 404
    assert reload(case).steps.count() == 2


def test_the_decision_form_shows_the_discretion_benchmarks(casebed):
    DiscretionBenchmark.objects.create(
        standard=casebed["standard"],
        clause_ref="第十条",
        discretion_point="许可有效期",
        situation="一般",
        standard_text="三年",
    )
    case = receive(casebed)
    review = casebed["standard"].manual_steps.get(step="review")
    case_do_step(actor=casebed["approver"], case=case, manual_step=review, opinion="材料齐全，符合条件")
    body = client_for(casebed["head"]).get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "裁量基准" in body and "许可有效期" in body and "作出决定" in body


def test_a_whole_view_of_personal_data_is_audited_and_refused_to_watchers(casebed):
    case = receive(casebed, applicant_id_number="440102198001011234")
    url = reverse("cases:personal", args=[case.number])
    page = client_for(casebed["approver"]).post(url)
    assert page.status_code == 200 and "440102198001011234" in page.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERSONAL_DATA_VIEW)
    assert event.user == casebed["approver"] and case.number in event.detail
    assert client_for(casebed["city"]).post(url).status_code == 403
    assert client_for(casebed["center_supervisor"]).post(url).status_code == 403
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PERSONAL_DATA_VIEW).count() == 1
    page = client_for(casebed["city"]).get(reverse("cases:detail", args=[case.number]))
    assert "440102198001011234" not in page.content.decode() and "显示完整信息" not in page.content.decode()


def test_the_case_page_runs_the_same_queries_for_20_or_100_records(casebed):
    case = receive(casebed)
    client = client_for(casebed["approver"])
    url = reverse("cases:detail", args=[case.number])

    def add_records(n: int, start: int) -> None:
        CaseStep.objects.bulk_create(
            CaseStep(case=case, seq=100 + start + i, kind=StepKind.FEE, actor=casebed["approver"], opinion="记录")
            for i in range(n)
        )

    add_records(18, 0)  # with 收件 and 受理: 20 records
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_records(80, 18)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_supplement_notice_prints_the_missing_material_and_a_qr_code(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.SUPPLEMENT)
    notice = case.notices.get(kind=NoticeKind.SUPPLEMENT)
    page = client_for(casebed["window"]).get(reverse("cases:notice", args=[notice.number]))
    body = page.content.decode()
    assert page.status_code == 200
    assert notice.number in body and "营业执照" in body and "申请书" not in body.split("notice-body")[1]
    assert "<svg" in body and "css/notice.css" in body and "（印章）" in body
    assert client_for(casebed["outsider"]).get(reverse("cases:notice", args=[notice.number])).status_code == 404


def test_the_acceptance_notice_names_limits_and_clerk(casebed):
    case = receive(casebed, when="2026-09-28")
    notice = case.notices.get()
    body = client_for(casebed["approver"]).get(reverse("cases:notice", args=[notice.number])).content.decode()
    assert "2026-10-16" in body and "2026-10-30" in body and "受理人：window" in body


def test_the_extension_queue_is_the_heads(casebed):
    case = receive(casebed)
    case_request_extension(actor=casebed["approver"], case=case, reason="需核实场地产权", days=5)
    page = client_for(casebed["head"]).get(reverse("cases:extensions"))
    assert page.status_code == 200 and case.number in page.content.decode()
    assert client_for(casebed["approver"]).get(reverse("cases:extensions")).status_code == 403
    url = reverse("cases:detail", args=[case.number])
    answer = client_for(casebed["approver"]).post(url, {"action": "extension_decide", "approve": "1"})
    assert answer.status_code == 403
    extension = case.extensions.get()
    answer = client_for(casebed["head"]).post(
        url, {"action": "extension_decide", "extension": extension.pk, "approve": "1", "opinion": "同意"}
    )
    assert answer.status_code == 302 and reload(case).extension_days == 5


def test_the_whole_path_through_the_case_page(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.SUPPLEMENT)
    url = reverse("cases:detail", args=[case.number])
    line = case.materials.get(name="营业执照")
    window, approver, head = (client_for(casebed[n]) for n in ("window", "approver", "head"))
    assert window.post(url, {"action": "supplement", "material_ids": [line.pk]}).status_code == 302
    assert reload(case).status == CaseStatus.IN_PROGRESS and reload(case).accepted_on == timezone.localdate()
    assert approver.post(url, {"action": "step", "opinion": "材料齐全，符合条件"}).status_code == 302
    answer = head.post(url, {"action": "decide", "decision": "deny", "opinion": "不符合条件", "reason": ""})
    assert answer.status_code == 400 and "不予许可须写明理由" in answer.content.decode()
    assert head.post(url, {"action": "decide", "decision": "grant", "opinion": "符合条件准予"}).status_code == 302
    answer = window.post(url, {"action": "deliver", "method": "post", "address": ""})
    assert answer.status_code == 400 and "邮寄送达须填写送达地址" in answer.content.decode()
    assert window.post(url, {"action": "deliver", "method": "window"}).status_code == 302
    assert window.post(url, {"action": "finish"}).status_code == 302
    assert reload(case).status == CaseStatus.FINISHED


def test_the_window_finds_items_by_name(casebed):
    client = client_for(casebed["window"])
    body = client.get(reverse("cases:accept"), {"q": "继续教育", "local_item": ""}).content.decode()
    assert casebed["item"].code in body and "is-invalid" not in body
    body = client.get(reverse("cases:accept"), {"q": "不存在的事项"}).content.decode()
    assert casebed["item"].code not in body
