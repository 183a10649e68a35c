"""Acceptance at the window: every outcome of art. 32 with its notice and records, the standard bound to the case,
the 补正 path ending in acceptance on the day the last material arrives, and refusals of what a clerk may not do."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import Case, CaseStatus, NoticeKind, StepKind
from cases.services import (
    Outcome,
    case_accept,
    case_receive,
    case_refuse,
    case_request_supplement,
    case_supplement_received,
)
from core.exceptions import TransitionNotAllowed
from standards.models import ItemStandard, Material, StandardState
from standards.services import standard_start
from tests.cases.conftest import publish
from tests.cases.flow import at, materials, receive, reload

pytestmark = pytest.mark.django_db


def kinds(case: Case) -> list[str]:
    return list(case.steps.order_by("seq").values_list("kind", flat=True))


def test_accepting_with_every_required_material_starts_both_clocks_across_the_holiday(casebed):
    case = receive(casebed, when="2026-09-28")
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.accepted_on == dt.date(2026, 9, 28) and case.accepted_by == casebed["window"]
    assert (case.legal_limit, case.promised_limit, case.is_immediate) == (20, 10, False)
    # Oct 1–7 off, Saturday Oct 10 worked.
    assert case.promised_due == dt.date(2026, 10, 16)
    assert case.current_step == "review" and case.current_step_due == dt.date(2026, 10, 10)
    assert kinds(case) == [StepKind.RECEIVE, StepKind.ACCEPT]
    notice = case.notices.get()
    assert notice.kind == NoticeKind.ACCEPTANCE and notice.number.startswith(case.number)
    assert [m["name"] for m in notice.content["materials"]] == ["申请书", "营业执照"]
    assert notice.content["promised_due"] == "2026-10-16" and notice.content["clerk"] == "window"
    assert [(m.name, m.required, m.original_count, m.copy_count) for m in case.materials.all()] == [
        ("申请书", True, 1, 0),
        ("营业执照", True, 0, 1),
    ]


def test_the_case_number_says_body_year_item_and_serial_and_never_repeats(casebed):
    first, second = receive(casebed), receive(casebed)
    item = casebed["item"]
    prefix = casebed["edu"].uscc[8:17] + "2026" + item.general_item.code
    assert first.number == prefix + "00001"
    assert second.number == prefix + "00002"


def test_the_case_keeps_the_version_published_on_acceptance_day(casebed):
    case = receive(casebed)
    bound = casebed["standard"]
    draft = standard_start(actor=casebed["head"], local_item=casebed["item"])
    newer = publish(draft, casebed["bianban"])
    assert newer.pk != bound.pk
    assert ItemStandard.objects.get(pk=bound.pk).state == StandardState.SUPERSEDED
    assert reload(case).standard_id == bound.pk
    assert receive(casebed).standard_id == newer.pk


def test_an_item_without_a_published_standard_cannot_be_received(casebed):
    ItemStandard.objects.filter(pk=casebed["standard"].pk).update(state=StandardState.WITHDRAWN)
    with pytest.raises(ValidationError) as raised:
        receive(casebed)
    assert "local_item" in raised.value.message_dict
    assert not Case.objects.exists()


def test_missing_material_gives_a_supplement_notice_naming_exactly_it(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.SUPPLEMENT)
    assert case.status == CaseStatus.SUPPLEMENT and case.accepted_on is None
    notice = case.notices.get()
    assert notice.kind == NoticeKind.SUPPLEMENT
    assert [m["name"] for m in notice.content["missing"]] == ["营业执照"]
    assert list(case.materials.filter(missing_at_acceptance=True).values_list("name", flat=True)) == ["营业执照"]
    assert kinds(case) == [StepKind.RECEIVE, StepKind.SUPPLEMENT_NOTICE]


def test_accepting_with_a_required_material_missing_is_refused_and_saves_nothing(casebed):
    with pytest.raises(ValidationError) as raised:
        receive(casebed, missing=("申请书",), outcome=Outcome.ACCEPT)
    assert "申请书" in raised.value.message_dict["outcome"][0]
    assert not Case.objects.exists()


def test_a_supplement_with_nothing_missing_is_refused(casebed):
    with pytest.raises(ValidationError):
        receive(casebed, outcome=Outcome.SUPPLEMENT)


def test_an_optional_material_missing_does_not_stop_acceptance(casebed):
    Material.objects.create(standard=casebed["standard"], position=5, name="荣誉证书", necessity="optional")
    case = receive(casebed, missing=("荣誉证书",))
    assert case.status == CaseStatus.IN_PROGRESS
    assert not case.materials.get(name="荣誉证书").required


def test_the_last_supplement_accepts_the_case_that_day(casebed):
    # Received Wednesday 30 September, told at once; the material arrives Friday 9 October, after the holiday.
    case = receive(casebed, missing=("营业执照", "申请书"), outcome=Outcome.SUPPLEMENT, when="2026-09-30")
    lines = {m.name: m.pk for m in case.materials.all()}
    case = case_supplement_received(
        actor=casebed["window"], case=case, material_ids=[lines["申请书"]], at=at("2026-10-08")
    )
    assert case.status == CaseStatus.SUPPLEMENT and case.accepted_on is None
    case = case_supplement_received(
        actor=casebed["center_window"], case=case, material_ids=[lines["营业执照"]], at=at("2026-10-09")
    )
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.accepted_on == dt.date(2026, 10, 9)
    # Ten working days from Friday 9 October: Sat 10 (worked), 12–16, 19–22.
    assert case.promised_due == dt.date(2026, 10, 22)
    assert case.notices.filter(kind=NoticeKind.ACCEPTANCE).count() == 1
    assert kinds(case)[-3:] == [StepKind.SUPPLEMENT_RECEIVED, StepKind.SUPPLEMENT_RECEIVED, StepKind.ACCEPT]


def test_a_material_already_received_cannot_be_ticked_again(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.SUPPLEMENT)
    done = case.materials.get(name="申请书")
    with pytest.raises(ValidationError):
        case_supplement_received(actor=casebed["window"], case=case, material_ids=[done.pk])


def test_a_clerk_may_receive_first_and_tell_what_is_missing_later(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.RECEIVE)
    assert case.status == CaseStatus.RECEIVED and not case.notices.exists()
    with pytest.raises(ValidationError):
        case_accept(actor=casebed["window"], case=case)
    case = case_request_supplement(actor=casebed["window"], case=case, at=at("2026-10-09"))
    assert case.status == CaseStatus.SUPPLEMENT
    assert case.notices.get().content["missing"][0]["name"] == "营业执照"
    with pytest.raises(TransitionNotAllowed):
        case_request_supplement(actor=casebed["window"], case=case)


def test_a_complete_application_received_first_can_be_accepted_later(casebed):
    case = receive(casebed, outcome=Outcome.RECEIVE, when="2026-09-30")
    case = case_accept(actor=casebed["window"], case=case, at=at("2026-10-08"))
    assert case.accepted_on == dt.date(2026, 10, 8)


def test_refusal_needs_a_reason_and_names_the_competent_body(casebed):
    with pytest.raises(ValidationError) as raised:
        receive(casebed, outcome=Outcome.REFUSE, reason="  ")
    assert "reason" in raised.value.message_dict
    case = receive(casebed, outcome=Outcome.REFUSE, reason="不属于本机关职权范围", competent_body="清远市教育局")
    assert case.status == CaseStatus.NOT_ACCEPTED and case.refusal_reason == "不属于本机关职权范围"
    notice = case.notices.get()
    assert notice.kind == NoticeKind.NOT_ACCEPTED
    assert notice.content["competent_body"] == "清远市教育局" and notice.content["reason"] == "不属于本机关职权范围"
    assert kinds(case) == [StepKind.RECEIVE, StepKind.NOT_ACCEPT]


def test_a_received_case_can_be_refused_later_but_not_twice(casebed):
    case = receive(casebed, outcome=Outcome.RECEIVE)
    case = case_refuse(actor=casebed["window"], case=case, reason="申请事项依法不需要取得行政许可")
    assert case.status == CaseStatus.NOT_ACCEPTED
    with pytest.raises(TransitionNotAllowed):
        case_refuse(actor=casebed["window"], case=case, reason="再次")


def test_immediate_items_are_accepted_decided_and_finished_at_once(casebed):
    guide = casebed["standard"].guide
    guide.case_type, guide.promised_limit_unit, guide.promised_limit = "1", "instant", None
    guide.save()
    case = receive(casebed, outcome=Outcome.IMMEDIATE, when="2026-10-09")
    assert case.status == CaseStatus.FINISHED and case.is_immediate
    assert case.decision == "grant" and case.accepted_on == case.finished_on == dt.date(2026, 10, 9)
    assert case.promised_limit == 0 and case.promised_due == dt.date(2026, 10, 9)
    assert kinds(case) == [StepKind.RECEIVE, StepKind.ACCEPT, StepKind.DECIDE, StepKind.FINISH]
    assert set(case.notices.values_list("kind", flat=True)) == {NoticeKind.ACCEPTANCE, NoticeKind.DECISION}


def test_an_item_not_marked_immediate_cannot_be_done_at_once(casebed):
    with pytest.raises(ValidationError) as raised:
        receive(casebed, outcome=Outcome.IMMEDIATE)
    assert "outcome" in raised.value.message_dict


def test_only_clerks_of_the_item_may_receive_it(casebed):
    for name in ("approver", "outsider", "qx_window", "center_supervisor", "city"):
        with pytest.raises(PermissionDenied):
            receive(casebed, actor=casebed[name])
    assert not Case.objects.exists()
    assert receive(casebed, actor=casebed["center_window"]).received_by == casebed["center_window"]


def test_only_clerks_of_the_item_may_act_on_a_case_at_the_window(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.SUPPLEMENT)
    line = case.materials.get(name="营业执照")
    with pytest.raises(PermissionDenied):
        case_supplement_received(actor=casebed["qx_window"], case=case, material_ids=[line.pk])
    with pytest.raises(PermissionDenied):
        case_refuse(actor=casebed["approver"], case=case, reason="理由")
    assert reload(case).status == CaseStatus.SUPPLEMENT


def test_a_material_of_another_situation_cannot_be_ticked(casebed):
    other = Material.objects.create(standard=casebed["standard"], position=9, name="变更申请", situation="change")
    with pytest.raises(ValidationError) as raised:
        case_receive(
            actor=casebed["window"],
            local_item=casebed["item"],
            applicant_name="张三",
            received={**{m.pk: True for m in materials(casebed).values() if m.situation == "new"}, other.pk: True},
        )
    assert "received" in raised.value.message_dict


def test_a_material_arriving_before_the_notice_completes_the_application(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.RECEIVE, when="2026-09-30")
    line = case.materials.get(name="营业执照")
    case = case_supplement_received(actor=casebed["window"], case=case, material_ids=[line.pk], at=at("2026-10-08"))
    assert case.status == CaseStatus.IN_PROGRESS and case.accepted_on == dt.date(2026, 10, 8)
    assert not case.notices.filter(kind=NoticeKind.SUPPLEMENT).exists()
