"""Handling along the manual: steps in order by their posts (or registered backups), written opinions for 审查 and
决定, the decision with its remedies, delivery by the guide's methods, 办结, special procedures stopping the clocks,
extensions approved by the head, and fees as charged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import CaseStatus, ExtensionState, NoticeKind, StepKind
from cases.services import (
    case_charge,
    case_decide,
    case_decide_extension,
    case_deliver,
    case_do_step,
    case_finish,
    case_receive,
    case_request_extension,
    case_resume,
    case_suspend,
)
from core.exceptions import TransitionNotAllowed
from standards.models import ManualStep
from tests.cases.flow import at, materials, receive, reload

pytestmark = pytest.mark.django_db


def steps(bed) -> dict[str, ManualStep]:
    return {s.step: s for s in bed["standard"].manual_steps.all()}


def reviewed(bed, when="2026-09-30"):
    case = receive(bed, when="2026-09-28")
    return case_do_step(
        actor=bed["approver"], case=case, manual_step=steps(bed)["review"], opinion="材料齐全，符合条件", at=at(when)
    )


def test_the_review_step_keeps_its_start_due_post_and_opinion_and_points_at_the_decision(casebed):
    case = reviewed(casebed, when="2026-10-09")
    record = case.steps.order_by("-seq").first()
    assert (record.kind, record.post, record.opinion) == (StepKind.REVIEW, "审查岗", "材料齐全，符合条件")
    assert record.started_on == dt.date(2026, 9, 28)
    # Five working days from Monday 28 September, across the national holiday: Saturday 10 October.
    assert record.due_on == dt.date(2026, 10, 10)
    assert case.current_step == "decide"
    # The decision's three working days run from Friday 9 October: 10, 12, 13 October.
    assert case.current_step_due == dt.date(2026, 10, 13)


def test_a_registered_backup_may_do_the_step_and_others_may_not(casebed):
    case = receive(casebed)
    review = steps(casebed)["review"]
    for name in ("window", "outsider", "center_supervisor"):
        with pytest.raises(PermissionDenied):
            case_do_step(actor=casebed[name], case=case, manual_step=review, opinion="同意受理意见")
    case = case_do_step(actor=casebed["backup"], case=case, manual_step=review, opinion="材料齐全，符合条件")
    assert case.steps.order_by("-seq").first().actor == casebed["backup"]


def test_review_needs_a_written_opinion(casebed):
    case = receive(casebed)
    for blank in ("", "   ", "同意"):
        with pytest.raises(ValidationError) as raised:
            case_do_step(actor=casebed["approver"], case=case, manual_step=steps(casebed)["review"], opinion=blank)
        assert "opinion" in raised.value.message_dict
    assert reload(case).current_step == "review"


def test_steps_out_of_the_manuals_order_are_refused(casebed):
    case = receive(casebed)
    with pytest.raises(TransitionNotAllowed):
        case_decide(actor=casebed["head"], case=case, decision="grant", opinion="同意准予许可")
    case = reviewed(casebed)
    with pytest.raises(TransitionNotAllowed):
        case_do_step(actor=casebed["approver"], case=case, manual_step=steps(casebed)["review"], opinion="再审一次看看")


def test_the_decision_by_the_post_holder_with_remedies_then_delivery_and_finish(casebed):
    case = reviewed(casebed)
    with pytest.raises(PermissionDenied):
        case_decide(actor=casebed["approver"], case=case, decision="grant", opinion="同意准予许可")
    with pytest.raises(ValidationError):
        case_decide(actor=casebed["head"], case=case, decision="deny", opinion="不予许可", reason="")
    case = case_decide(
        actor=casebed["head"], case=case, decision="deny", opinion="经审查不符合条件", reason="办学场地不符合要求"
    )
    assert case.status == CaseStatus.DECIDED and case.decision_reason == "办学场地不符合要求"
    notice = case.notices.get(kind=NoticeKind.DECISION)
    assert notice.content["reason"] == "办学场地不符合要求"
    assert "人民政府" in notice.content["review_channel"] and "人民法院" in notice.content["litigation_channel"]
    with pytest.raises(ValidationError):
        case_deliver(actor=casebed["window"], case=case, method="electronic")
    with pytest.raises(TransitionNotAllowed):
        case_finish(actor=casebed["window"], case=case)
    case = case_deliver(actor=casebed["window"], case=case, method="post", address="清城区人民一路1号")
    assert case.status == CaseStatus.DELIVERED and case.delivery_address == "清城区人民一路1号"
    case = case_finish(actor=casebed["window"], case=case, at=at("2026-10-12"))
    assert case.status == CaseStatus.FINISHED and case.finished_on == dt.date(2026, 10, 12)
    assert list(case.steps.order_by("seq").values_list("kind", flat=True)) == [
        StepKind.RECEIVE,
        StepKind.ACCEPT,
        StepKind.REVIEW,
        StepKind.DECIDE,
        StepKind.DELIVER,
        StepKind.FINISH,
    ]
    assert case.current_step == ""


def test_a_grant_needs_no_reason(casebed):
    case = case_decide(actor=casebed["head"], case=reviewed(casebed), decision="grant", opinion="符合条件，准予许可")
    assert case.decision == "grant" and case.notices.get(kind=NoticeKind.DECISION).content["decision"] == "grant"


def test_a_special_procedure_stops_both_clocks_for_its_working_days(casebed):
    case = receive(casebed, when="2026-09-28")
    assert case.promised_due == dt.date(2026, 10, 16)
    with pytest.raises(ValidationError):
        case_suspend(actor=casebed["approver"], case=case, special_procedure="听证", reason="需听证", planned_days=5)
    suspension = case_suspend(
        actor=casebed["approver"],
        case=case,
        special_procedure="专家评审",
        reason="需组织专家评审办学条件",
        planned_days=5,
        at=at("2026-09-30"),
    )
    notice = suspension.notice
    assert notice.kind == NoticeKind.SUSPENSION and notice.content["planned_days"] == 5
    case = reload(case)
    assert case.status == CaseStatus.SUSPENDED and case.suspended_since == dt.date(2026, 9, 30)
    with pytest.raises(TransitionNotAllowed):
        case_do_step(actor=casebed["approver"], case=case, manual_step=steps(casebed)["review"], opinion="材料齐全")
    # Ended Friday 9 October: the working days after 30 September are 8 and 9 October.
    case = case_resume(actor=casebed["approver"], case=case, at=at("2026-10-09"))
    assert case.status == CaseStatus.IN_PROGRESS and case.suspended_days == 2 and case.suspended_since is None
    assert case.promised_due == dt.date(2026, 10, 20)
    assert case.suspensions.get().counted_days == 2


def test_suspension_needs_a_reason_and_planned_days(casebed):
    case = receive(casebed)
    with pytest.raises(ValidationError):
        case_suspend(actor=casebed["approver"], case=case, special_procedure="专家评审", reason="", planned_days=5)
    with pytest.raises(ValidationError):
        case_suspend(actor=casebed["approver"], case=case, special_procedure="专家评审", reason="评审", planned_days=0)
    with pytest.raises(TransitionNotAllowed):
        case_resume(actor=casebed["approver"], case=case)


def test_an_extension_approved_by_the_head_moves_both_clocks_and_tells_the_reason(casebed):
    case = receive(casebed, when="2026-09-28")
    with pytest.raises(ValidationError):
        case_request_extension(actor=casebed["approver"], case=case, reason="情况复杂", days=11)
    extension = case_request_extension(actor=casebed["approver"], case=case, reason="需核实办学场地产权")
    with pytest.raises(TransitionNotAllowed):
        case_request_extension(actor=casebed["approver"], case=case, reason="再申请", days=1)
    with pytest.raises(PermissionDenied):
        case_decide_extension(actor=casebed["approver"], extension=extension, approve=True)
    extension = case_decide_extension(actor=casebed["head"], extension=extension, approve=True, opinion="同意")
    assert extension.state == ExtensionState.APPROVED
    case = reload(case)
    assert case.extension_days == 10
    assert case.legal_due == dt.date(2026, 11, 13) and case.promised_due == dt.date(2026, 10, 30)
    assert extension.notice.content["reason"] == "需核实办学场地产权"
    assert extension.notice.content["legal_due"] == "2026-11-13"
    with pytest.raises(ValidationError):
        case_request_extension(actor=casebed["approver"], case=case, reason="还要再延", days=1)


def test_a_refused_extension_changes_no_clock_and_needs_an_opinion(casebed):
    case = receive(casebed)
    extension = case_request_extension(actor=casebed["approver"], case=case, reason="情况复杂", days=5)
    with pytest.raises(ValidationError):
        case_decide_extension(actor=casebed["head"], extension=extension, approve=False, opinion="")
    extension = case_decide_extension(
        actor=casebed["head"], extension=extension, approve=False, opinion="可在承诺时限内办结"
    )
    assert extension.state == ExtensionState.REFUSED and extension.notice is None
    assert reload(case).extension_days == 0 and reload(case).promised_due == case.promised_due


def test_fees_are_recorded_as_charged_on_or_off_the_standard(casebed):
    case = receive(casebed)
    row = casebed["standard"].fees.get()
    on = case_charge(actor=casebed["window"], case=case, fee_item=row, amount="10")
    off = case_charge(actor=casebed["window"], case=case, fee_item="资料费", amount=Decimal("5.50"))
    assert (on.fee_item, on.amount) == (row, Decimal("10"))
    assert (off.fee_item, off.name) == (None, "资料费")
    with pytest.raises(ValidationError):
        case_charge(actor=casebed["window"], case=case, fee_item=row, amount="-1")
    with pytest.raises(PermissionDenied):
        case_charge(actor=casebed["outsider"], case=case, fee_item=row, amount="10")
    assert case.steps.filter(kind=StepKind.FEE).count() == 2


def test_steps_after_the_decision_come_before_delivery(casebed):
    ManualStep.objects.create(
        standard=casebed["standard"], position=5, business_kind="new", step="certify", responsible_post="审查岗"
    )
    case = case_decide(actor=casebed["head"], case=reviewed(casebed), decision="grant", opinion="符合条件，准予许可")
    assert case.current_step == "certify"
    with pytest.raises(TransitionNotAllowed):
        case_deliver(actor=casebed["window"], case=case, method="window")
    certify = steps(casebed)["certify"]
    case = case_do_step(actor=casebed["backup"], case=case, manual_step=certify, opinion="")
    assert case.status == CaseStatus.DECIDED and case.current_step == ""
    assert case_deliver(actor=casebed["window"], case=case, method="window").status == CaseStatus.DELIVERED


def test_a_situation_without_steps_of_its_own_follows_the_new_application_steps(casebed):
    received = {m.pk: True for m in materials(casebed).values()}
    case = case_receive(
        actor=casebed["window"],
        local_item=casebed["item"],
        situation="change",
        applicant_name="张三",
        received=received,
    )
    assert case.current_step == "review"
    assert [m.name for m in case.materials.all()] == ["申请书", "营业执照"]
