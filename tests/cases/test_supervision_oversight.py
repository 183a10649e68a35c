"""督办: opened by a red alert, answered by the department, closed or sent back by the supervising office; nobody
else may answer or close it, and a supervisor of another county does not see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.models import AlertRule, Oversight, OversightState
from cases.services.oversight import overdue_q, oversight_close, oversight_reply, oversight_send_back
from cases.supervision import sweep
from core.exceptions import TransitionNotAllowed
from tests.cases.supervision_kit import make_case, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def oversight(casebed) -> Oversight:
    case = make_case(casebed)
    step(casebed, case, "decide", "head")  # before acceptance: 逆程序, red, opened at once
    return Oversight.objects.get(case=case, alert__rule=AlertRule.OUT_OF_ORDER)


def test_a_red_alert_of_an_event_opens_its_dupan_at_once(casebed, oversight):
    assert oversight.alert.rule == AlertRule.OUT_OF_ORDER
    assert oversight.state == OversightState.OPEN and oversight.organization == casebed["edu"]
    assert oversight.opened_by is None and oversight.instruction


def test_the_department_replies_and_the_service_centre_closes(casebed, oversight):
    replied = oversight_reply(
        oversight=oversight, actor=casebed["head"], explanation="受理环节漏录。", correction="已补录受理记录。"
    )
    assert replied.state == OversightState.REPLIED and replied.replied_by == casebed["head"]
    closed = oversight_close(oversight=oversight, actor=casebed["center_supervisor"], note="整改到位。")
    assert closed.state == OversightState.CLOSED and closed.closed_by == casebed["center_supervisor"]
    assert Oversight.objects.get(pk=oversight.pk).close_note == "整改到位。"


def test_sent_back_it_is_open_again_with_the_note_and_a_new_deadline(casebed, oversight):
    oversight_reply(oversight=oversight, actor=casebed["approver"], explanation="说明", correction="措施")
    with pytest.raises(ValidationError):
        oversight_send_back(oversight=oversight, actor=casebed["bianban"], note=" ")
    back = oversight_send_back(
        oversight=oversight, actor=casebed["bianban"], note="请补充整改完成时间。", today=dt.date(2026, 9, 30)
    )
    assert back.state == OversightState.OPEN and back.close_note == "请补充整改完成时间。"
    assert back.reply_due == dt.date(2026, 10, 10)  # Oct 8, 9 and the worked Saturday


def test_a_department_user_cannot_close_and_a_watcher_cannot_reply(casebed, oversight):
    with pytest.raises(PermissionDenied):
        oversight_reply(oversight=oversight, actor=casebed["center_supervisor"], explanation="x", correction="y")
    with pytest.raises(PermissionDenied):
        oversight_reply(oversight=oversight, actor=casebed["outsider"], explanation="x", correction="y")
    oversight_reply(oversight=oversight, actor=casebed["head"], explanation="x", correction="y")
    for name in ("head", "approver", "city"):
        with pytest.raises(PermissionDenied):
            oversight_close(oversight=oversight, actor=casebed[name])
    assert Oversight.objects.get(pk=oversight.pk).state == OversightState.REPLIED


def test_a_supervisor_of_another_county_can_neither_see_nor_close(casebed, oversight, people):
    from cases import permissions

    other = people["qx_compliance"]
    assert not Oversight.objects.filter(permissions.visible_cases_q(other, prefix="case__")).exists()
    oversight_reply(oversight=oversight, actor=casebed["head"], explanation="x", correction="y")
    with pytest.raises(PermissionDenied):
        oversight_close(oversight=oversight, actor=other)


def test_the_states_are_kept_in_order(casebed, oversight):
    with pytest.raises(TransitionNotAllowed):
        oversight_close(oversight=oversight, actor=casebed["center_supervisor"])
    with pytest.raises(ValidationError) as refused:
        oversight_reply(oversight=oversight, actor=casebed["head"], explanation="", correction="")
    assert set(refused.value.message_dict) == {"explanation", "correction"}
    oversight_reply(oversight=oversight, actor=casebed["head"], explanation="x", correction="y")
    with pytest.raises(TransitionNotAllowed):
        oversight_reply(oversight=oversight, actor=casebed["head"], explanation="x", correction="y")


def test_an_open_dupan_past_its_reply_date_is_overdue_and_a_replied_one_is_not(casebed):
    case = make_case(casebed)
    sweep(dt.date(2026, 10, 10))
    oversight = Oversight.objects.get(case=case)  # reply due Oct 14
    assert not Oversight.objects.filter(overdue_q(dt.date(2026, 10, 14))).exists()
    assert Oversight.objects.filter(overdue_q(dt.date(2026, 10, 15))).get() == oversight
    oversight_reply(oversight=oversight, actor=casebed["head"], explanation="x", correction="y")
    assert not Oversight.objects.filter(overdue_q(dt.date(2026, 10, 15))).exists()
