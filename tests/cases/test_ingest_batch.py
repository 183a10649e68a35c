"""A request of case events is applied as a batch: what a sender relies on does not change with it — the same cases,
logs, alerts and 督办 as event by event, events of one case applied in the order sent — and a request costs a fixed
number of queries whatever the number of events in it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.api.events import CaseEventSerializer
from cases.external import external_case_number
from cases.models import Alert, AlertRule, Case, CaseStatus, CaseStep, ExternalEvent, Oversight, StepKind
from cases.services import ingest
from core.models import Notification
from standards.models import ItemStandard
from tests.cases import test_ingest
from tests.cases.test_ingest import LOCAL, event, post, step

sender = test_ingest.sender  # the fixture: a system of the casebed county and its client


def events_of(bed, prefix: str) -> list[dict]:
    """Events that fire rules: steps by people holding no post (超权限), a refusal without reason, a decision before
    acceptance (逆程序), a case still waiting, and a second event of the first case in the same request."""
    finished = event(
        bed,
        projectNo=f"{prefix}-2",
        proStatus="3",
        result="deny",
        resultDate="2026-10-12 18:30:00",
        steps=[step(1, "受理", "窗口", "", "2026-09-30 09:30:00")],
    )
    backwards = event(
        bed,
        projectNo=f"{prefix}-3",
        steps=[
            step(1, "决定", "赵六", "准予", "2026-09-30 09:00:00"),
            step(2, "受理", "李四", "", "2026-09-30 09:30:00"),
        ],
    )
    waiting = event(bed, projectNo=f"{prefix}-4", proStatus="1", applyDate="2026-09-30 08:00:00", steps=[])
    del waiting["acceptDate"]
    later = event(
        bed,
        projectNo=f"{prefix}-1",
        eventNo="2",
        result="grant",
        steps=[step(3, "决定", "赵六", "准予", "2026-10-12 09:00:00")],
    )
    return [event(bed, projectNo=f"{prefix}-1"), finished, backwards, waiting, later]


def outcome_of(system, prefix: str) -> dict:
    """Everything the events left, by the sender's project number (so two runs under other numbers compare)."""
    seen = {}
    for case in Case.objects.filter(number__startswith=external_case_number(system.pk, prefix)).order_by("number"):
        key = case.number.rsplit("-", 1)[1]
        seen[key] = {
            "case": (case.status, case.accepted_on, case.promised_due, case.legal_due, case.current_step),
            "level": case.alert_level,
            "steps": list(
                case.steps.order_by("seq").values_list("seq", "kind", "actor_name", "at", "external_step_no")
            ),
            "alerts": sorted(
                (r, k, lv, e, c is None)
                for r, k, lv, e, c in case.alerts.values_list("rule", "key", "level", "evidence", "cleared_at")
            ),
            "oversights": sorted(
                Oversight.objects.filter(case=case).values_list("alert__rule", "alert__key", "reply_due")
            ),
            "events": sorted(ExternalEvent.objects.filter(case=case).values_list("event_no", flat=True)),
        }
    return seen


@pytest.mark.django_db
def test_a_request_leaves_what_the_same_events_leave_one_by_one(casebed, sender):
    ItemStandard.objects.filter(pk=casebed["standard"].pk).update(published_at=dt.datetime(2026, 9, 1, tzinfo=LOCAL))
    system = sender["system"]
    body = post(sender["client"], events_of(casebed, "B")).json()
    assert [r["status"] for r in body["results"]] == ["applied"] * 5
    for index, payload in enumerate(events_of(casebed, "S")):
        validated = CaseEventSerializer(data=payload)
        assert validated.is_valid(), validated.errors
        with transaction.atomic():
            outcome = ingest.case_event_apply(
                system=system, event=validated.validated_data, payload=payload, index=index
            )
        assert outcome.status == "applied", outcome.errors
    batch, single = outcome_of(system, "B"), outcome_of(system, "S")
    assert batch == single
    # The rules did fire, so the comparison says something.
    rules = {rule for case in batch.values() for rule, *_ in case["alerts"]}
    assert {AlertRule.BEYOND_AUTHORITY, AlertRule.REFUSAL_WITHOUT_REASON, AlertRule.OUT_OF_ORDER} <= rules
    assert all(case["oversights"] for key, case in batch.items() if key != "4")
    # The second event of case 1 came after its first, in the same request: decided, the log numbered on.
    assert batch["1"]["case"][0] == CaseStatus.DECIDED
    assert [s[4] for s in batch["1"]["steps"]] == [1, 2, 3]
    assert batch["1"]["events"] == ["1", "2"]
    # The department heads heard of every 督办, once.
    oversights = Oversight.objects.filter(case__number__startswith=external_case_number(system.pk, "B"))
    keys = set(Notification.objects.values_list("key", flat=True))
    assert {f"oversight:{pk}" for pk in oversights.values_list("pk", flat=True)} <= keys


@pytest.mark.django_db
def test_an_event_sent_twice_in_one_request_is_taken_once_and_reused_content_refused(casebed, sender):
    first = event(casebed)
    body = post(sender["client"], [first, first, event(casebed, promiseDays=9)]).json()
    assert [r["status"] for r in body["results"]] == ["applied", "duplicate", "error"]
    assert body["results"][2]["errors"][0]["field"] == "eventNo"
    case = Case.objects.get(number=external_case_number(sender["system"].pk, "P2026000123"))
    assert (case.promised_limit, case.steps.count(), ExternalEvent.objects.count()) == (3, 2, 1)


@pytest.mark.django_db
def test_a_refused_event_writes_nothing_while_the_others_of_its_round_are_applied(casebed, sender):
    finished_late = event(casebed, projectNo="P-BAD", proStatus="3", resultDate="2026-09-29 09:00:00")
    body = post(sender["client"], [event(casebed, projectNo="P-A"), finished_late, event(casebed, projectNo="P-B")])
    results = body.json()["results"]
    assert [r["status"] for r in results] == ["applied", "error", "applied"]
    assert results[1]["errors"][0]["field"] == "resultDate"
    assert not Case.objects.filter(number__endswith="P-BAD").exists()
    assert not CaseStep.objects.filter(case__number__endswith="P-BAD").exists()
    assert sorted(ExternalEvent.objects.values_list("case_no", flat=True)) == ["P-A", "P-B"]
    assert all(Case.objects.get(number__endswith=no).steps.count() == 2 for no in ("P-A", "P-B"))


def statements(captured: CaptureQueriesContext) -> int:
    """The statements of a request, a bulk write counted once: SQLite takes at most 999 parameters a statement, so
    Django sends one bulk INSERT or UPDATE of many rows as several consecutive statements there (PostgreSQL as one)."""
    count, previous = 0, None
    for query in captured.captured_queries:
        head = query["sql"][:40]
        if head != previous or not head.startswith(("INSERT", "UPDATE")):
            count += 1
        previous = head
    return count


def _request(casebed, sender, count: int, prefix: str) -> tuple[int, int]:
    """Queries of one request of ``count`` events for new cases whose steps fire rules (alerts, 督办 and the heads'
    messages), and of a second request updating all of them."""
    events = [event(casebed, projectNo=f"{prefix}{n:03d}") for n in range(count)]
    with CaptureQueriesContext(connection) as first:
        body = post(sender["client"], events).json()
    assert body["applied"] == count
    finish = [
        event(
            casebed,
            projectNo=f"{prefix}{n:03d}",
            eventNo="2",
            proStatus="3",
            result="grant",
            resultDate="2026-10-12 18:30:00",
            steps=[step(3, "决定", "赵六", "准予", "2026-10-12 09:00:00")],
        )
        for n in range(count)
    ]
    with CaptureQueriesContext(connection) as second:
        body = post(sender["client"], finish).json()
    assert body["applied"] == count
    return statements(first), statements(second)


@pytest.mark.django_db
def test_a_request_costs_the_same_queries_for_10_or_50_events(casebed, sender):
    _request(casebed, sender, 2, "W")  # what is read once per process (the working-day overrides) is read
    ten = _request(casebed, sender, 10, "T")
    fifty = _request(casebed, sender, 50, "F")
    assert fifty == ten
    assert max(ten) <= 40
    # 受理, 审查, 决定 by people holding no post, and the 办结 the platform records itself: four per case.
    assert Alert.objects.filter(case__number__contains="-F", rule=AlertRule.BEYOND_AUTHORITY).count() == 200
    finished = Case.objects.filter(number__contains="-F", status=CaseStatus.FINISHED)
    assert finished.count() == 50
    # The changed columns were written, the others kept (the bulk UPDATE sets only what some event changed).
    assert set(finished.values_list("finished_on", "decision", "current_step", "phone_tail", "promised_limit")) == {
        (dt.date(2026, 10, 12), "grant", "", "1234", 3)
    }
    assert all(c.updated_at > c.created_at for c in finished)
    assert CaseStep.objects.filter(case__number__contains="-F", kind=StepKind.FINISH).count() == 50
