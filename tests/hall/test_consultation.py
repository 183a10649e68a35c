"""Consultation with 首问责任: due dates in working days across 国庆 2026, who owns a question and who may act on it,
the hand-over record, overdue and answered-on-time figures, and FAQ proposals approved into a draft revision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from core.exceptions import ConflictError, TransitionNotAllowed
from hall import permissions, selectors
from hall.models import Consultation, ConsultationChannel, ConsultationHandoff, ConsultationStatus
from hall.services.consultation import (
    consultation_answer,
    consultation_approve_faq,
    consultation_due_date,
    consultation_hand_over,
    consultation_propose_faq,
    consultation_record,
    consultation_refuse_faq,
    consultation_submit_web,
    consultation_take,
)
from standards.models import Faq, ItemStandard, StandardState
from tests.hall.conftest import at

pytestmark = pytest.mark.django_db


# --- due dates ------------------------------------------------------------------------------------------------------


def test_due_date_crosses_national_day_and_counts_the_make_up_saturday():
    # Wed 30 Sep + 3 working days (core.workdays): Oct 1–7 closed, Thu 8 (1), Fri 9 (2), Sat 10 make-up day (3).
    assert consultation_due_date(dt.date(2026, 9, 30)) == dt.date(2026, 10, 10)


def test_due_date_on_ordinary_days_is_three_working_days():
    # Mon 14 Sep → Thu 17 Sep: no holiday in between, so nothing is skipped.
    assert consultation_due_date(dt.date(2026, 9, 14)) == dt.date(2026, 9, 17)


def test_question_received_on_a_holiday_counts_from_the_next_working_day():
    # Received on Oct 3 (closed): Oct 8 is day 0, then 9, 10 (make-up Saturday), 12 — Sunday 11 skipped.
    assert consultation_due_date(dt.date(2026, 10, 3)) == dt.date(2026, 10, 12)


@override_settings(HALL_CONSULTATION_WORKDAYS=5)
def test_due_date_follows_the_setting():
    # Mon 14 Sep + 5: 15, 16, 17, 18, and Sunday 20 — a make-up working day before 国庆.
    assert consultation_due_date(dt.date(2026, 9, 14)) == dt.date(2026, 9, 20)


# --- recording and 首问责任 -------------------------------------------------------------------------------------------


def test_window_question_is_owned_by_whoever_logged_it(hallbed):
    c = consultation_record(
        actor=hallbed["center_window"],
        channel=ConsultationChannel.WINDOW,
        question="办学许可证遗失怎么补办？",
        local_item=hallbed["item"],
        at=at("2026-09-30"),
    )
    assert c.owner == hallbed["center_window"]
    assert c.organization == hallbed["edu"]  # the item's implementing unit answers for it
    assert c.status == ConsultationStatus.OPEN
    assert c.due_date == dt.date(2026, 10, 10)


def test_answer_given_on_the_spot_closes_the_question(hallbed):
    c = consultation_record(
        actor=hallbed["window"],
        channel=ConsultationChannel.PHONE,
        question="周六办公吗？",
        local_item=hallbed["item"],
        answer="法定节假日调休上班的周六正常办公。",
        at=at("2026-09-14"),
    )
    assert c.status == ConsultationStatus.ANSWERED and c.answered_by == hallbed["window"]


def test_recording_refuses_the_web_channel_and_items_out_of_sight(hallbed):
    with pytest.raises(ValidationError) as exc:
        consultation_record(
            actor=hallbed["window"], channel=ConsultationChannel.WEB, question="问", local_item=hallbed["item"]
        )
    assert "channel" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        consultation_record(
            actor=hallbed["window"], channel=ConsultationChannel.PHONE, question="问", local_item=hallbed["other_item"]
        )
    assert "local_item" in exc.value.message_dict
    assert not Consultation.objects.exists()


def test_someone_without_a_role_may_not_record(hallbed):
    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        consultation_record(
            actor=UserFactory(), channel=ConsultationChannel.PHONE, question="问", local_item=hallbed["item"]
        )


def web_question(bed, day="2026-09-30") -> Consultation:
    return consultation_submit_web(
        local_item=bed["item"], question="民办学校变更校长需要什么材料？", asker_name="李女士", at=at(day)
    )


def test_web_question_has_no_owner_until_a_staff_member_of_the_unit_takes_it(hallbed):
    c = web_question(hallbed)
    assert c.owner is None and c.organization == hallbed["edu"] and c.channel == ConsultationChannel.WEB
    with pytest.raises(PermissionDenied):
        consultation_answer(actor=hallbed["approver"], consultation=c, answer="需提交变更申请。")
    with pytest.raises(PermissionDenied):  # another department's staff
        consultation_take(actor=hallbed["outsider"], consultation=c)
    c = consultation_take(actor=hallbed["approver"], consultation=c)
    assert c.owner == hallbed["approver"]
    with pytest.raises(ConflictError):  # the second taker is told it is taken
        consultation_take(actor=hallbed["window"], consultation=c)


def test_only_the_owner_answers(hallbed):
    c = consultation_take(actor=hallbed["approver"], consultation=web_question(hallbed))
    with pytest.raises(PermissionDenied):
        consultation_answer(actor=hallbed["window"], consultation=c, answer="需提交变更申请表。")
    c = consultation_answer(actor=hallbed["approver"], consultation=c, answer="需提交变更申请表。", at=at("2026-10-09"))
    assert c.status == ConsultationStatus.ANSWERED and c.answered_by == hallbed["approver"]
    with pytest.raises(TransitionNotAllowed):
        consultation_answer(actor=hallbed["approver"], consultation=c, answer="再答一次可以吗")


def test_hand_over_writes_the_record_and_moves_responsibility(hallbed):
    c = consultation_record(
        actor=hallbed["center_window"],
        channel=ConsultationChannel.WINDOW,
        question="教师资格证怎么认定？",
        local_item=hallbed["item"],
        at=at("2026-09-30"),
    )
    handoff = consultation_hand_over(
        actor=hallbed["center_window"],
        consultation=c,
        to_user=hallbed["approver"],
        to_organization=hallbed["edu"],
        reason="属教育局业务，转业务科室答复",
        at=at("2026-09-30", "11:00"),
    )
    assert ConsultationHandoff.objects.filter(consultation=c).count() == 1
    assert (handoff.from_user, handoff.to_user, handoff.reason) == (
        hallbed["center_window"],
        hallbed["approver"],
        "属教育局业务，转业务科室答复",
    )
    c.refresh_from_db()
    assert c.owner == hallbed["approver"] and c.due_date == dt.date(2026, 10, 10)  # no extra time
    # The first owner is no longer responsible: they can neither answer nor hand on again.
    with pytest.raises(PermissionDenied):
        consultation_answer(actor=hallbed["center_window"], consultation=c, answer="已答复申请人")
    assert permissions.can_answer_consultation(hallbed["approver"], c)


def test_hand_over_refuses_people_outside_the_units_and_oneself(hallbed):
    c = consultation_record(
        actor=hallbed["approver"], channel=ConsultationChannel.PHONE, question="问题", local_item=hallbed["item"]
    )
    with pytest.raises(ValidationError):
        consultation_hand_over(
            actor=hallbed["approver"],
            consultation=c,
            to_user=hallbed["qx_window"],  # 清新区: another county
            to_organization=hallbed["qx_window"].memberships.get().organization,
            reason="转办",
        )
    with pytest.raises(ValidationError):
        consultation_hand_over(
            actor=hallbed["approver"],
            consultation=c,
            to_user=hallbed["approver"],
            to_organization=hallbed["edu"],
            reason="转办",
        )
    with pytest.raises(PermissionDenied):  # not the owner
        consultation_hand_over(
            actor=hallbed["window"],
            consultation=c,
            to_user=hallbed["backup"],
            to_organization=hallbed["edu"],
            reason="转办",
        )
    assert not ConsultationHandoff.objects.exists()


# --- overdue and figures --------------------------------------------------------------------------------------------


def test_overdue_fires_after_the_due_date_and_stays_quiet_on_it(hallbed):
    c = web_question(hallbed)  # due Sat Oct 10, the make-up day
    on_due = selectors.ConsultationFilters(overdue=True)
    assert not selectors.consultation_list(hallbed["head"], on_due, today=dt.date(2026, 10, 10)).exists()
    assert list(selectors.consultation_list(hallbed["head"], on_due, today=dt.date(2026, 10, 11))) == [c]
    # answered questions are never overdue
    consultation_take(actor=hallbed["approver"], consultation=c)
    consultation_answer(actor=hallbed["approver"], consultation=c, answer="已电话答复。", at=at("2026-10-14"))
    assert not selectors.consultation_list(hallbed["head"], on_due, today=dt.date(2026, 10, 20)).exists()


def test_answered_on_time_per_organization(hallbed):
    on_time = web_question(hallbed)  # due Oct 10 (across 国庆)
    late = web_question(hallbed)
    still_open = web_question(hallbed)
    for c, day in ((on_time, "2026-10-10"), (late, "2026-10-12")):
        consultation_take(actor=hallbed["approver"], consultation=c)
        consultation_answer(actor=hallbed["approver"], consultation=c, answer="答复内容", at=at(day, "16:00"))
    rows = selectors.consultation_figures(
        [hallbed["edu"].pk], dt.date(2026, 9, 1), dt.date(2026, 9, 30), today=dt.date(2026, 10, 20)
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row["received"], row["answered"], row["on_time"], row["open"], row["overdue"]) == (3, 2, 1, 1, 1)
    assert row["on_time_rate"] == pytest.approx(1 / 3)
    assert still_open.status == ConsultationStatus.OPEN


def test_visibility_follows_the_units(hallbed):
    c = web_question(hallbed)
    assert permissions.can_see_consultation(hallbed["approver"], c)
    assert permissions.can_see_consultation(hallbed["center_supervisor"], c)  # the county's service centre
    assert not permissions.can_see_consultation(hallbed["outsider"], c)
    assert not permissions.can_see_consultation(hallbed["qx_window"], c)


# --- FAQ ------------------------------------------------------------------------------------------------------------


def answered_web(bed) -> Consultation:
    c = consultation_take(actor=bed["approver"], consultation=web_question(bed))
    return consultation_answer(actor=bed["approver"], consultation=c, answer="提交变更申请表和新校长任职材料。")


def test_only_answered_web_questions_may_be_proposed(hallbed):
    c = consultation_record(
        actor=hallbed["approver"],
        channel=ConsultationChannel.PHONE,
        question="电话咨询",
        local_item=hallbed["item"],
        answer="电话答复内容",
    )
    assert not permissions.can_propose_faq(hallbed["approver"], c)
    with pytest.raises(PermissionDenied):
        consultation_propose_faq(actor=hallbed["approver"], consultation=c, question="问题内容", answer="答复内容")
    open_web = web_question(hallbed)
    assert not permissions.can_propose_faq(hallbed["approver"], open_web)


def test_faq_approval_opens_a_draft_revision_and_leaves_the_published_version_untouched(hallbed):
    published = hallbed["standard"]
    faqs_before = list(published.faqs.values_list("question", "answer"))
    c = answered_web(hallbed)
    c = consultation_propose_faq(
        actor=hallbed["approver"], consultation=c, question="民办学校变更校长要什么材料？", answer="提交变更申请表。"
    )
    assert c.faq_pending
    with pytest.raises(PermissionDenied):  # the proposer is not the department head
        consultation_approve_faq(actor=hallbed["approver"], consultation=c)
    c = consultation_approve_faq(actor=hallbed["head"], consultation=c)

    draft = c.faq_standard
    assert draft.state == StandardState.DRAFT and draft.version == published.version + 1
    assert draft.based_on_id == published.pk
    assert list(draft.faqs.values_list("question", "answer"))[-1] == (
        "民办学校变更校长要什么材料？",
        "提交变更申请表。",
    )
    published = ItemStandard.objects.get(pk=published.pk)
    assert published.state == StandardState.PUBLISHED
    assert list(published.faqs.values_list("question", "answer")) == faqs_before
    assert c.faq_approved_by == hallbed["head"] and not c.faq_pending


def test_second_approval_goes_into_the_draft_already_open(hallbed):
    first = consultation_propose_faq(
        actor=hallbed["approver"], consultation=answered_web(hallbed), question="第一个问题？", answer="第一个答复。"
    )
    second = consultation_propose_faq(
        actor=hallbed["approver"], consultation=answered_web(hallbed), question="第二个问题？", answer="第二个答复。"
    )
    draft = consultation_approve_faq(actor=hallbed["head"], consultation=first).faq_standard
    again = consultation_approve_faq(actor=hallbed["head"], consultation=second).faq_standard
    assert again.pk == draft.pk
    assert ItemStandard.objects.filter(local_item=hallbed["item"]).count() == 2
    assert {"第一个问题？", "第二个问题？"} <= set(
        Faq.objects.filter(standard=draft).values_list("question", flat=True)
    )


def test_approval_refused_while_a_version_is_under_review(hallbed):
    c = consultation_propose_faq(
        actor=hallbed["approver"], consultation=answered_web(hallbed), question="问题一个？", answer="答复一个。"
    )
    from standards.services import standard_start

    under_review = standard_start(actor=hallbed["head"], local_item=hallbed["item"])
    ItemStandard.objects.filter(pk=under_review.pk).update(state=StandardState.COMPLIANCE_REVIEW)
    with pytest.raises(ConflictError):
        consultation_approve_faq(actor=hallbed["head"], consultation=c)
    c.refresh_from_db()
    assert c.faq_pending and c.faq_standard is None
    assert not Faq.objects.filter(standard=under_review, question="问题一个？").exists()


def test_refusal_records_the_reason_and_allows_a_new_proposal(hallbed):
    c = consultation_propose_faq(
        actor=hallbed["approver"], consultation=answered_web(hallbed), question="问题一个？", answer="答复一个。"
    )
    c = consultation_refuse_faq(actor=hallbed["head"], consultation=c, reason="个案问题，不宜公开")
    assert not c.faq_pending and c.faq_refusal == "个案问题，不宜公开" and c.faq_standard is None
    assert permissions.can_propose_faq(hallbed["approver"], c)
    assert ItemStandard.objects.filter(local_item=hallbed["item"]).count() == 1
