"""The rules read from a case's log on every event: a step over its own limit, 逆程序, 超权限, a refusal without
reason, a fee off the standard, a late 补正 notice — each fired and kept quiet, and at a bounded cost per event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import (
    Alert,
    AlertLevel,
    AlertRule,
    CaseFee,
    CaseSource,
    CaseStatus,
    Decision,
    Notice,
    NoticeKind,
    StepKind,
)
from cases.services.log import record_step
from cases.supervision.rules import check_case
from standards.models import FeeItem, ServiceGuide
from tests.cases.supervision_kit import at, keys, make_case, step

pytestmark = pytest.mark.django_db


def the_alert(case, rule):
    (alert,) = Alert.objects.filter(case=case, rule=rule, cleared_at__isnull=True)
    return alert


# --- a step over its own limit --------------------------------------------------------------------------------------


def test_a_step_recorded_after_its_due_date_while_the_case_is_on_time_is_yellow(casebed):
    case = make_case(casebed)  # promised due Oct 9
    step(casebed, case, "accept", "window", dt.date(2026, 9, 24))
    late = step(casebed, case, "review", "approver", dt.date(2026, 10, 8), due_on=dt.date(2026, 9, 30))
    alert = the_alert(case, AlertRule.STEP_OVER)
    assert alert.key == str(late.seq) and alert.level == AlertLevel.YELLOW
    assert alert.evidence["due"] == "2026-09-30" and alert.evidence["done"] == "2026-10-08"


def test_a_step_on_its_due_date_or_one_late_with_the_case_late_is_no_step_alert(casebed):
    case = make_case(casebed)
    step(casebed, case, "accept", "window", dt.date(2026, 9, 24))
    step(casebed, case, "review", "approver", dt.date(2026, 9, 30), due_on=dt.date(2026, 9, 30))
    # Past the case's own promised limit (Oct 9): that is promised_over, not a step over.
    step(casebed, case, "decide", "head", dt.date(2026, 10, 12), due_on=dt.date(2026, 10, 8))
    assert keys(case, AlertRule.STEP_OVER) == []


# --- 逆程序 -----------------------------------------------------------------------------------------------------------


def test_the_manual_order_kept_raises_nothing(casebed):
    case = make_case(casebed)
    for kind, who in [("receive", "window"), ("accept", "window"), ("review", "approver"), ("decide", "head")]:
        step(casebed, case, kind, who)
    step(casebed, case, "deliver", "window")
    step(casebed, case, "finish", "window")
    assert keys(case, AlertRule.OUT_OF_ORDER) == []


def test_a_decision_before_acceptance_is_red(casebed):
    case = make_case(casebed)
    decided = step(casebed, case, "decide", "head")
    alert = the_alert(case, AlertRule.OUT_OF_ORDER)
    assert alert.level == AlertLevel.RED and alert.key == str(decided.seq)
    assert "decide_before_accept" in alert.evidence["problems"]
    case.refresh_from_db()
    assert case.alert_level == AlertLevel.RED


def test_a_manual_step_before_an_earlier_one_not_recorded_names_what_was_skipped(casebed):
    case = make_case(casebed)
    step(casebed, case, "accept", "window")
    decided = step(casebed, case, "decide", "head")
    alert = the_alert(case, AlertRule.OUT_OF_ORDER)
    assert alert.key == str(decided.seq) and alert.evidence["missing"] == ["review"]
    # Recording the review afterwards does not make the decision's order right.
    step(casebed, case, "review", "approver")
    assert keys(case, AlertRule.OUT_OF_ORDER) == [str(decided.seq)]


def test_finishing_without_review_and_delivering_before_deciding_are_red(casebed):
    case = make_case(casebed)
    step(casebed, case, "accept", "window")
    delivered = step(casebed, case, "deliver", "window")
    finished = step(casebed, case, "finish", "window")
    assert keys(case, AlertRule.OUT_OF_ORDER) == [str(delivered.seq), str(finished.seq)]
    problems = {a.key: a.evidence["problems"] for a in Alert.objects.filter(case=case, rule=AlertRule.OUT_OF_ORDER)}
    assert problems[str(finished.seq)] == ["finish_without_review"]
    assert problems[str(delivered.seq)] == ["deliver_before_decide"]


def test_an_immediate_case_may_finish_without_review(casebed):
    case = make_case(casebed, is_immediate=True)
    step(casebed, case, "accept", "window")
    record_step(case, StepKind.FINISH, actor=casebed["window"], at=at(dt.date(2026, 9, 24)))
    assert keys(case, AlertRule.OUT_OF_ORDER) == []


def test_external_steps_without_manual_rows_are_compared_by_kind(casebed):
    case = make_case(casebed, source=CaseSource.EXTERNAL)
    record_step(case, StepKind.ACCEPT, actor=None, actor_name="window", at=at(dt.date(2026, 9, 24)))
    record_step(case, StepKind.DECIDE, actor=None, actor_name="head", at=at(dt.date(2026, 9, 28)))
    alert = the_alert(case, AlertRule.OUT_OF_ORDER)
    assert alert.evidence["missing"] == ["review"]


# --- 超权限 -----------------------------------------------------------------------------------------------------------


def test_holders_and_registered_backups_of_the_post_act_within_their_authority(casebed):
    case = make_case(casebed)
    step(casebed, case, "accept", "center_window")  # the service centre's clerk holds 窗口受理岗 of the body
    step(casebed, case, "review", "approver")
    step(casebed, case, "review", "backup")  # the approver's registered B岗
    record_step(case, StepKind.SUSPEND, actor=casebed["head"], at=at(dt.date(2026, 9, 29)))  # no post: a member
    assert keys(case, AlertRule.BEYOND_AUTHORITY) == []


def test_an_actor_without_the_post_or_from_another_body_is_red_and_named(casebed):
    case = make_case(casebed)
    step(casebed, case, "accept", "window")
    wrong_post = step(casebed, case, "review", "window")
    outsider = record_step(case, StepKind.SUSPEND, actor=casebed["outsider"], at=at(dt.date(2026, 9, 29)))
    alerts = {a.key: a for a in Alert.objects.filter(case=case, rule=AlertRule.BEYOND_AUTHORITY)}
    assert set(alerts) == {str(wrong_post.seq), str(outsider.seq)}
    assert alerts[str(wrong_post.seq)].evidence["post"] == "审查岗"
    assert alerts[str(wrong_post.seq)].evidence["actor"] == "window"
    assert alerts[str(wrong_post.seq)].evidence["held_posts"] == ["窗口受理岗"]
    assert alerts[str(outsider.seq)].evidence["actor"] == "outsider"
    assert all(a.level == AlertLevel.RED for a in alerts.values())


def test_external_steps_are_matched_to_holders_by_name(casebed):
    case = make_case(casebed, source=CaseSource.EXTERNAL)
    record_step(case, StepKind.ACCEPT, actor=None, actor_name="window", post="窗口受理岗", at=at(dt.date(2026, 9, 24)))
    unknown = record_step(
        case, StepKind.REVIEW, actor=None, actor_name="王五", post="审查岗", at=at(dt.date(2026, 9, 28))
    )
    assert keys(case, AlertRule.BEYOND_AUTHORITY) == [str(unknown.seq)]
    assert the_alert(case, AlertRule.BEYOND_AUTHORITY).evidence["actor"] == "王五"


# --- refusals -------------------------------------------------------------------------------------------------------


def test_a_refusal_without_reason_is_red_and_one_with_reason_is_quiet(casebed):
    refused = make_case(casebed, accepted_on=None, status=CaseStatus.NOT_ACCEPTED)
    record_step(refused, StepKind.NOT_ACCEPT, actor=casebed["window"], at=at(dt.date(2026, 9, 24)))
    assert keys(refused, AlertRule.REFUSAL_WITHOUT_REASON) == ["not_accept"]
    explained = make_case(
        casebed, accepted_on=None, status=CaseStatus.NOT_ACCEPTED, refusal_reason="不属于本机关职权范围"
    )
    record_step(explained, StepKind.NOT_ACCEPT, actor=casebed["window"], at=at(dt.date(2026, 9, 24)))
    assert keys(explained, AlertRule.REFUSAL_WITHOUT_REASON) == []


def test_a_denial_without_reason_is_red_until_the_reason_is_written(casebed):
    case = make_case(casebed, decision=Decision.DENY)
    step(casebed, case, "accept", "window")
    assert keys(case, AlertRule.REFUSAL_WITHOUT_REASON) == ["decision"]
    case.decision_reason = "申请人不具备法定条件"
    step(casebed, case, "review", "approver")
    assert keys(case, AlertRule.REFUSAL_WITHOUT_REASON) == []
    assert Alert.objects.get(case=case, rule=AlertRule.REFUSAL_WITHOUT_REASON).cleared_at is not None
    granted = make_case(casebed, decision=Decision.GRANT)
    step(casebed, granted, "accept", "window")
    assert keys(granted, AlertRule.REFUSAL_WITHOUT_REASON) == []


# --- fees -----------------------------------------------------------------------------------------------------------


def _fee(case, bed, name, row=True):
    item = FeeItem.objects.get(standard=bed["standard"]) if row else None
    fee = CaseFee.objects.create(case=case, fee_item=item, name=name, amount=Decimal("10.00"))
    record_step(case, StepKind.FEE, actor=bed["window"], at=at(dt.date(2026, 9, 28)))
    return fee


def test_a_fee_of_the_standard_is_quiet_and_one_off_it_is_red(casebed):
    case = make_case(casebed)
    _fee(case, casebed, "证书工本费")
    assert keys(case, AlertRule.FEE_OFF_STANDARD) == []
    extra = _fee(case, casebed, "加急费", row=False)
    alert = the_alert(case, AlertRule.FEE_OFF_STANDARD)
    assert alert.key == f"fee:{extra.pk}" and alert.evidence["fee"] == "加急费"
    assert alert.evidence["amount"] == "10.00" and alert.evidence["standard_fees"] == ["证书工本费"]


def test_any_fee_is_red_when_the_guide_says_not_charged(casebed):
    ServiceGuide.objects.filter(standard=casebed["standard"]).update(is_charged=False)
    case = make_case(casebed)
    _fee(case, casebed, "证书工本费")
    assert the_alert(case, AlertRule.FEE_OFF_STANDARD).evidence["problems"] == ["not_charged"]


# --- the 补正 notice --------------------------------------------------------------------------------------------------


def _supplement(bed, received: dt.date, noticed: dt.date):
    case = make_case(bed, accepted_on=None, status=CaseStatus.SUPPLEMENT, received_at=at(received, 9))
    Notice.objects.create(case=case, kind=NoticeKind.SUPPLEMENT, number=f"BZ-{case.number}", issued_at=at(noticed))
    record_step(case, StepKind.SUPPLEMENT_NOTICE, actor=bed["window"], at=at(noticed))
    return case


def test_a_supplement_notice_on_the_fifth_working_day_is_on_time_across_the_holiday(casebed):
    # Received Tuesday Sep 29: Sep 30, Oct 8, Oct 9, Saturday Oct 10 (worked), Oct 12 — the fifth working day.
    case = _supplement(casebed, dt.date(2026, 9, 29), dt.date(2026, 10, 12))
    assert keys(case, AlertRule.LATE_SUPPLEMENT_NOTICE) == []


def test_a_supplement_notice_on_the_sixth_working_day_is_late(casebed):
    case = _supplement(casebed, dt.date(2026, 9, 29), dt.date(2026, 10, 13))
    alert = the_alert(case, AlertRule.LATE_SUPPLEMENT_NOTICE)
    assert alert.level == AlertLevel.YELLOW
    assert alert.evidence == {"received_on": "2026-09-29", "notice_on": "2026-10-13", "limit_on": "2026-10-12"}


# --- idempotence and cost -------------------------------------------------------------------------------------------


def test_checking_again_raises_nothing_twice(casebed):
    case = make_case(casebed)
    step(casebed, case, "decide", "window")
    check_case(case)  # the event was judged on its own day; today the case is also late
    before = list(Alert.objects.filter(case=case).values_list("pk", "rule", "key", "raised_at", "cleared_at"))
    check_case(case)
    check_case(case)
    assert list(Alert.objects.filter(case=case).values_list("pk", "rule", "key", "raised_at", "cleared_at")) == before


def _event_queries(bed, steps: int) -> int:
    case = make_case(bed)
    for _ in range(steps):
        step(bed, case, "review", "approver")
    CaseFee.objects.create(case=case, name="加急费", amount=Decimal("1"))
    with CaptureQueriesContext(connection) as queries:
        step(bed, case, "decide", "outsider")
    return len(queries)


def test_an_event_costs_the_same_number_of_queries_with_a_short_or_a_long_log(casebed):
    assert _event_queries(casebed, 2) == _event_queries(casebed, 12)
