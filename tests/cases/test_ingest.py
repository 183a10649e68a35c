"""Case events from other systems: what a sending platform relies on — its token, its division, events applied whole
or not at all, each one once, and the same clocks and supervision as the portal's own cases."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from cases.external import external_case_number, external_system_issue, token_digest
from cases.models import Case, CaseSource, CaseStatus, CaseStep, Decision, ExternalEvent, ExternalSystem, StepKind
from cases.services import ingest, ingest_batch
from standards.models import ItemStandard

URL = "/api/v1/case-events/"
LOCAL = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def sender(casebed):
    system, token = external_system_issue(name="广东省政务服务一体化平台", division=casebed["item"].division)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    return {"system": system, "token": token, "client": client}


def post(client: Client, body) -> object:
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def step(number: int, name: str, actor: str, opinion: str, time: str) -> dict:
    return {"stepNo": number, "stepName": name, "actorName": actor, "opinion": opinion, "time": time}


def event(bed, **fields) -> dict:
    values = {
        "eventNo": "1",
        "projectNo": "P2026000123",
        "taskCode": bed["item"].code,
        "proStatus": "2",
        "projectType": "2",
        "userProp": "1",
        "applyName": "张三",
        "applyCardNumber": "440102199001011234",
        "contactMobile": "13800001234",
        "acceptDate": "2026-09-30 09:30:00",
        "promiseDays": 3,
        "steps": [
            step(1, "受理", "李四", "材料齐全", "2026-09-30 09:30:00"),
            step(2, "review", "王五", "符合条件", "2026-10-09 10:00:00"),
        ],
    }
    values.update(fields)
    return values


def the_case(sender, project_no: str = "P2026000123") -> Case:
    return Case.objects.get(number=external_case_number(sender["system"].pk, project_no))


@pytest.mark.django_db
def test_an_accepted_case_is_created_with_its_steps_and_both_clocks_across_the_holiday(casebed, sender):
    # The standard in force on 30 September (published before it) is bound, with the guide's legal limit.
    ItemStandard.objects.filter(pk=casebed["standard"].pk).update(published_at=dt.datetime(2026, 9, 1, tzinfo=LOCAL))
    response = post(sender["client"], event(casebed))
    assert response.status_code == 200
    body = response.json()
    assert body["applied"] == 1 and body["failed"] == 0
    case = the_case(sender)
    assert body["results"][0] == {
        "index": 0,
        "eventNo": "1",
        "projectNo": "P2026000123",
        "status": "applied",
        "case": case.number,
        "errors": [],
    }
    assert case.number == f"EX{sender['system'].pk}-P2026000123"
    assert (case.source, case.external_system, case.status) == (
        CaseSource.EXTERNAL,
        sender["system"],
        CaseStatus.IN_PROGRESS,
    )
    assert (case.organization, case.division, case.standard_id) == (
        casebed["edu"],
        casebed["item"].division,
        casebed["standard"].pk,
    )
    assert case.accepted_on == dt.date(2026, 9, 30)
    assert case.accepted_at == dt.datetime(2026, 9, 30, 9, 30, tzinfo=LOCAL)
    # Oct 1–7 off, Saturday Oct 10 worked: three working days after 30 September end on 10 October.
    assert (case.promised_limit, case.promised_due) == (3, dt.date(2026, 10, 10))
    assert case.legal_limit == 20
    assert case.phone_tail == "1234"
    steps = list(case.steps.order_by("seq"))
    assert [(s.kind, s.actor_id, s.actor_name, s.external_event_no, s.external_step_no) for s in steps] == [
        (StepKind.ACCEPT, None, "李四", "1", 1),
        (StepKind.REVIEW, None, "王五", "1", 2),
    ]
    assert case.current_step == StepKind.REVIEW


@pytest.mark.django_db
def test_a_case_accepted_before_any_published_standard_has_none_and_no_legal_limit(casebed, sender):
    post(sender["client"], event(casebed))
    case = the_case(sender)
    assert case.standard is None and case.legal_limit is None and case.promised_limit == 3


@pytest.mark.django_db
def test_every_event_runs_supervision_once_on_the_whole_event(casebed, sender, monkeypatch):
    seen = []
    monkeypatch.setattr(
        "cases.supervision.rules.check_cases", lambda entries: [seen.append(step) or [] for _c, step, _d in entries]
    )
    post(sender["client"], event(casebed))
    assert [s.kind for s in seen] == [StepKind.REVIEW]  # after its last step: 受理 and 审查 recorded
    assert the_case(sender).steps.count() == 2
    post(sender["client"], event(casebed, eventNo="2", steps=[], promiseDays=5))
    assert seen[-1] is None and len(seen) == 2


@pytest.mark.django_db
def test_the_same_event_twice_answers_the_same_and_changes_nothing(casebed, sender):
    first = post(sender["client"], event(casebed)).json()
    updated = the_case(sender).updated_at
    again = post(sender["client"], event(casebed)).json()
    assert again["results"][0]["status"] == "duplicate"
    assert again["results"][0]["case"] == first["results"][0]["case"]
    assert (again["applied"], again["duplicates"]) == (0, 1)
    assert CaseStep.objects.filter(case__number=first["results"][0]["case"]).count() == 2
    assert ExternalEvent.objects.count() == 1
    assert the_case(sender).updated_at == updated


@pytest.mark.django_db
def test_an_event_number_reused_for_other_content_is_refused(casebed, sender):
    post(sender["client"], event(casebed))
    body = post(sender["client"], event(casebed, promiseDays=9)).json()
    assert body["results"][0]["status"] == "error"
    assert body["results"][0]["errors"][0]["field"] == "eventNo"
    assert the_case(sender).promised_limit == 3


@pytest.mark.django_db
def test_steps_already_recorded_are_not_recorded_again(casebed, sender):
    post(sender["client"], event(casebed))
    steps = [*event(casebed)["steps"], step(3, "决定", "赵六", "准予", "2026-10-10 09:00:00")]
    post(sender["client"], event(casebed, eventNo="2", steps=steps, result="grant"))
    case = the_case(sender)
    assert list(case.steps.order_by("seq").values_list("external_step_no", flat=True)) == [1, 2, 3]
    assert (case.status, case.decision) == (CaseStatus.DECIDED, Decision.GRANT)


@pytest.mark.django_db
def test_a_bad_event_is_refused_alone_and_the_good_one_of_the_batch_is_applied(casebed, sender):
    bad = event(casebed, projectNo="P-BAD", taskCode="11440000006939756B2440101007999")
    good = event(casebed, projectNo="P-GOOD")
    body = post(sender["client"], [bad, good]).json()
    assert [r["status"] for r in body["results"]] == ["error", "applied"]
    assert body["results"][0]["index"] == 0
    assert body["results"][0]["errors"] == [
        {"field": "taskCode", "message": "没有实施编码为 11440000006939756B2440101007999 的事项"}
    ]
    assert not Case.objects.filter(number__endswith="P-BAD").exists()
    assert the_case(sender, "P-GOOD").steps.count() == 2


@pytest.mark.django_db
def test_an_event_failing_half_way_leaves_nothing_behind(casebed, sender, monkeypatch):
    real = ingest.record_step
    calls = []

    def failing(case, kind, **kwargs):
        calls.append(kind)
        if len(calls) == 2:
            raise ingest.ValidationError({"steps": "模拟的失败"})
        return real(case, kind, **kwargs)

    def bulk_write_fails(entries):
        raise IntegrityError("a concurrent writer took the row")

    # The batch's bulk write fails, so the request is applied again event by event, where the first one fails.
    monkeypatch.setattr(ingest_batch, "record_steps", bulk_write_fails)
    monkeypatch.setattr(ingest, "record_step", failing)
    body = post(sender["client"], [event(casebed), event(casebed, eventNo="9", projectNo="P-OTHER", steps=[])]).json()
    assert [r["status"] for r in body["results"]] == ["error", "applied"]
    assert calls[:2] == [StepKind.ACCEPT, StepKind.REVIEW]
    assert not Case.objects.filter(number=external_case_number(sender["system"].pk, "P2026000123")).exists()
    assert not CaseStep.objects.filter(external_event_no="1").exists()
    assert list(ExternalEvent.objects.values_list("case_no", flat=True)) == ["P-OTHER"]


@pytest.mark.django_db
def test_field_errors_name_the_event_and_the_field(casebed, sender):
    broken = event(casebed, proStatus="7", steps=[{"stepNo": 1, "stepName": "喝茶", "time": "2026-09-30"}])
    del broken["userProp"]
    body = post(sender["client"], [event(casebed), broken]).json()
    errors = body["results"][1]["errors"]
    assert body["results"][1]["status"] == "error" and body["results"][1]["index"] == 1
    fields = {e["field"] for e in errors}
    assert fields == {"proStatus", "steps[0].stepName"}
    assert "喝茶" in next(e["message"] for e in errors if e["field"] == "steps[0].stepName")


@pytest.mark.django_db
def test_a_new_case_needs_its_applicant_and_an_accepted_one_its_acceptance_time(casebed, sender):
    incomplete = event(casebed)
    del incomplete["applyName"], incomplete["acceptDate"]
    body = post(sender["client"], incomplete).json()
    assert {e["field"] for e in body["results"][0]["errors"]} == {"applyName"}
    body = post(sender["client"], event(casebed, acceptDate=None) | {"eventNo": "2"}).json()
    assert body["results"][0]["status"] == "error"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("2026-09-30T09:30:00+16:00", "时区偏移不能超过 ±15:59"),
        ("2026-09-30T09:30:00-23:59", "时区偏移不能超过 ±15:59"),
        ("2026-13-01 09:30:00", "时间格式应为 yyyy-MM-dd HH:mm:ss 或 ISO 8601"),
        ("30/09/2026", "时间格式应为 yyyy-MM-dd HH:mm:ss 或 ISO 8601"),
        ("0001-01-01T00:00:00+15:00", "时间须在 2000 年至 2099 年之间"),
        ("2099-01-01 00:00:00", "时间不能晚于当前时间"),
    ],
)
def test_a_bad_date_or_offset_is_that_events_error_never_a_server_error(casebed, sender, moment, message):
    body = post(sender["client"], [event(casebed, acceptDate=moment), event(casebed, projectNo="P2")]).json()
    assert body["results"][0]["errors"] == [{"field": "acceptDate", "message": message}]
    assert body["results"][1]["status"] == "applied"


@pytest.mark.django_db
def test_an_offset_inside_the_range_is_read_as_its_moment(casebed, sender):
    post(sender["client"], event(casebed, acceptDate="2026-09-30T01:30:00Z", steps=[]))
    case = the_case(sender)
    assert case.accepted_at == dt.datetime(2026, 9, 30, 9, 30, tzinfo=LOCAL)
    assert case.accepted_on == dt.date(2026, 9, 30)
    # Late in the evening in UTC is the next day in Beijing.
    post(sender["client"], event(casebed, eventNo="2", projectNo="P3", acceptDate="2026-09-29T17:00:00-00:00"))
    assert the_case(sender, "P3").accepted_on == dt.date(2026, 9, 30)


@pytest.mark.django_db
def test_a_handling_item_code_finds_its_item_and_is_kept(casebed, sender):
    code = casebed["item"].code + "01"
    post(sender["client"], event(casebed, taskCode=code))
    case = the_case(sender)
    assert (case.local_item, case.handling_item_code) == (casebed["item"], code)
    body = post(sender["client"], event(casebed, eventNo="2", projectNo="P4", taskHandleItem="99" + code[2:])).json()
    assert body["results"][0]["errors"][0]["field"] == "taskHandleItem"


@pytest.mark.django_db
def test_an_item_outside_the_systems_division_is_refused(casebed, sender, geo):
    body = post(sender["client"], event(casebed, taskCode=casebed["other_item"].code)).json()
    assert body["results"][0]["errors"][0]["field"] == "taskCode"
    assert "清城区" in body["results"][0]["errors"][0]["message"]
    assert not Case.objects.exists()
    # A city's platform sends for all its counties.
    _, token = external_system_issue(name="清远市平台", division=geo["qy"])
    city = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert post(city, event(casebed, taskCode=casebed["other_item"].code)).json()["applied"] == 1


@pytest.mark.django_db
def test_a_finished_case_records_decision_and_end_and_cannot_reopen(casebed, sender):
    post(sender["client"], event(casebed))
    finished = event(
        casebed,
        eventNo="2",
        proStatus="3",
        result="deny",
        resultReason="不符合条件",
        resultDate="2026-10-12T18:30:00+00:00",
        steps=[],
    )
    assert post(sender["client"], finished).json()["applied"] == 1
    case = the_case(sender)
    assert case.status == CaseStatus.FINISHED
    assert case.finished_on == dt.date(2026, 10, 13)  # 02:30 the next morning in Beijing
    assert (case.decision, case.decision_reason) == (Decision.DENY, "不符合条件")
    assert list(case.steps.order_by("seq").values_list("kind", flat=True))[-2:] == [StepKind.DECIDE, StepKind.FINISH]
    assert case.steps.get(kind=StepKind.FINISH).actor_name == sender["system"].name
    assert case.current_step == ""
    body = post(sender["client"], event(casebed, eventNo="3", steps=[])).json()
    assert body["results"][0]["errors"][0]["field"] == "proStatus"
    assert the_case(sender).status == CaseStatus.FINISHED


@pytest.mark.django_db
def test_finished_needs_a_result_date_not_before_acceptance(casebed, sender):
    body = post(sender["client"], event(casebed, proStatus="3")).json()
    assert body["results"][0]["errors"] == [{"field": "resultDate", "message": "已办结的办件须填写办结时间"}]
    body = post(sender["client"], event(casebed, proStatus="3", resultDate="2026-09-29 09:00:00")).json()
    assert body["results"][0]["errors"][0]["field"] == "resultDate"


@pytest.mark.django_db
def test_a_waiting_case_has_no_clocks(casebed, sender):
    waiting = event(casebed, proStatus="1", applyDate="2026-09-30 08:00:00", steps=[])
    del waiting["acceptDate"]
    assert post(sender["client"], waiting).json()["applied"] == 1
    case = the_case(sender)
    assert (case.status, case.accepted_on, case.promised_due) == (CaseStatus.RECEIVED, None, None)


# --- who may send -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_token_a_wrong_token_or_an_inactive_system_is_401_json(casebed, sender):
    for client in (Client(), Client(HTTP_AUTHORIZATION="Bearer wrong"), Client(HTTP_AUTHORIZATION="Bearer")):
        response = post(client, event(casebed))
        assert response.status_code == 401
        assert response.json()["status"] == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    ExternalSystem.objects.filter(pk=sender["system"].pk).update(is_active=False)
    assert post(sender["client"], event(casebed)).status_code == 401
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_signed_in_staff_member_cannot_send_events(casebed):
    client = Client()
    client.force_login(casebed["window"])
    assert post(client, event(casebed)).status_code == 401


@pytest.mark.django_db
def test_a_body_that_is_not_events_is_400_json(casebed, sender):
    client = sender["client"]
    for body in ("", "not json", "[1, 2]", "[]", '"text"'):
        response = client.post(URL, data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.json()["status"] == 400
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_token_is_printed_once_and_only_its_digest_kept(casebed):
    out = io.StringIO()
    call_command("issue_case_token", "清城区一体化平台", division=casebed["item"].division.code, stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    system = ExternalSystem.objects.get(name="清城区一体化平台")
    assert system.token_hash == token_digest(token) and system.token_hint == token[:8]
    assert token not in system.token_hash
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert post(client, event(casebed)).status_code == 200
    with pytest.raises(CommandError):
        call_command("issue_case_token", "清城区一体化平台", division=casebed["item"].division.code, stdout=out)
    out = io.StringIO()
    call_command("issue_case_token", "清城区一体化平台", division="441802", rotate=True, stdout=out)
    assert post(client, event(casebed, eventNo="2")).status_code == 401
    assert timezone.now()  # the command needs no clock of its own
