"""A bad grade's rectification: four stages, each due a number of working days after the previous one closed (国庆
2026 as ``core.workdays`` has it: Oct 1–7 closed, Oct 8 open, Saturday Oct 10 a make-up working day), on time or
late, the real-name follow-up call, and only the owning unit working it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User

from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError
from evaluation.models import Rectification, RectificationStep, Stage
from evaluation.services import EvaluationInput, evaluation_submit_for_case, rectification_advance

from .conftest import at, make_case

ONLINE = ("overall", "efficiency", "guide_accuracy", "convenience", "usability")


def bad(bed, when="2026-09-30", **kw) -> Rectification:
    data = EvaluationInput(grades=dict.fromkeys(ONLINE, 2) | {"guide_accuracy": 3}, **kw)
    evaluation = evaluation_submit_for_case(case=make_case(bed), data=data, at=at(when))
    return Rectification.objects.get(evaluation=evaluation)


def advance(r: Rectification, who, when: str, **kw) -> Rectification:
    return rectification_advance(rectification=r, actor=who, note=kw.pop("note", "已核实情况并记录"), at=at(when), **kw)


def test_the_first_due_date_skips_the_national_day_holiday(casebed):
    r = bad(casebed, "2026-09-30")
    # Wednesday Sep 30 + 5 working days: Oct 8, 9, 10 (make-up Saturday), 12, 13 — Oct 1–7 are closed.
    assert r.stage_due == dt.date(2026, 10, 13)
    assert r.stage_started_on == dt.date(2026, 9, 30)


def test_each_stage_is_due_after_the_previous_closed_counting_the_make_up_saturday(casebed, settings):
    settings.EVALUATION_STAGE_WORKDAYS = {"verify": 5, "rectify": 3, "reply": 5, "follow_up": 5}
    r = bad(casebed, "2026-09-30")
    r = advance(r, casebed["approver"], "2026-10-10")  # the make-up Saturday is a working day
    assert (r.stage, r.stage_due) == (Stage.RECTIFY, dt.date(2026, 10, 14))  # Oct 12, 13, 14
    step = RectificationStep.objects.get(rectification=r, stage=Stage.VERIFY)
    assert (step.due_on, step.on_time, step.actor) == (dt.date(2026, 10, 13), True, casebed["approver"])


def test_a_stage_closed_after_its_due_date_is_late_and_on_time_stays_on_time(casebed):
    on_time = bad(casebed, "2026-09-30")
    for day in ("2026-10-13", "2026-10-14", "2026-10-15", "2026-10-16"):
        on_time = advance(on_time, casebed["approver"], day)
    assert (on_time.stage, on_time.late) == (Stage.CLOSED, False)
    assert on_time.closed_at is not None and on_time.stage_due is None

    late = bad(casebed, "2026-09-30")
    late = advance(late, casebed["approver"], "2026-10-14")  # due Oct 13
    assert late.late is True
    assert RectificationStep.objects.get(rectification=late, stage=Stage.VERIFY).on_time is False


def test_overdue_is_an_open_stage_past_its_due_date(casebed):
    r = bad(casebed, "2026-09-30")
    assert not Rectification.objects.overdue(dt.date(2026, 10, 13)).exists()
    assert list(Rectification.objects.overdue(dt.date(2026, 10, 14))) == [r]
    # Eight calendar days later, the holiday between, it is not overdue.
    assert not Rectification.objects.overdue(dt.date(2026, 10, 8)).exists()


def _to_follow_up(bed, **kw) -> Rectification:
    r = bad(bed, "2026-09-30", **kw)
    for day in ("2026-10-09", "2026-10-09", "2026-10-10"):
        r = advance(r, bed["approver"], day)
    assert r.stage == Stage.FOLLOW_UP
    return r


def test_a_real_name_bad_grade_cannot_close_without_the_follow_up_call(casebed):
    r = _to_follow_up(casebed, real_name=True, name="李四", phone="13912345678")
    with pytest.raises(ValidationError) as refused:
        advance(r, casebed["approver"], "2026-10-12", note="已短信回复")
    assert set(refused.value.message_dict) == {"call_at", "call_by", "call_result"}
    r.refresh_from_db()
    assert r.stage == Stage.FOLLOW_UP and not r.followed_up
    r = advance(r, casebed["approver"], "2026-10-12", call_at=at("2026-10-12", 15), call_by="王五", call_result="满意")
    assert (r.stage, r.followed_up) == (Stage.CLOSED, True)
    call = RectificationStep.objects.get(rectification=r, stage=Stage.FOLLOW_UP)
    assert (call.call_by, call.call_result) == ("王五", "满意")


def test_an_anonymous_bad_grade_closes_its_follow_up_with_the_record_alone(casebed):
    r = _to_follow_up(casebed)
    r = advance(r, casebed["approver"], "2026-10-12", note="匿名评价，无法电话回访，已公示整改结果")
    assert (r.stage, r.followed_up) == (Stage.CLOSED, False)


def test_a_stage_needs_its_written_record(casebed):
    r = bad(casebed)
    with pytest.raises(ValidationError) as refused:
        advance(r, casebed["approver"], "2026-10-09", note=" ")
    assert "note" in refused.value.message_dict
    r.refresh_from_db()
    assert r.stage == Stage.VERIFY and not r.steps.exists()


def test_only_the_owning_unit_works_the_rectification(casebed):
    r = bad(casebed)
    clerk = User.objects.get(username="clerk")  # an entry clerk of the unit writes standards, not rectifications
    for outsider in (casebed["outsider"], casebed["qx_window"], casebed["city"], clerk):
        with pytest.raises(PermissionDenied):
            advance(r, outsider, "2026-10-09")
    r.refresh_from_db()
    assert r.stage == Stage.VERIFY and not r.steps.exists()
    for insider in ("window", "approver", "head"):
        assert advance(r, casebed[insider], "2026-10-09").stage != Stage.VERIFY
        r.refresh_from_db()


def test_a_closed_rectification_takes_no_more_stages(casebed):
    r = bad(casebed)
    for day in ("2026-10-09", "2026-10-09", "2026-10-09", "2026-10-09"):
        r = advance(r, casebed["approver"], day)
    with pytest.raises(TransitionNotAllowed):
        advance(r, casebed["approver"], "2026-10-09")
