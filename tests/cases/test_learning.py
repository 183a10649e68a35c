"""What a standard learns from its cases: the panel on the standard's page, for its department and the reviewers
who read it, with the 补正 per material, the steps over their limit and the refusal reasons counted right."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.learning import learning, standard_panels
from cases.models import Case, CaseMaterial, CaseStatus, CaseStep, Decision, StepKind

AT = timezone.make_aware(dt.datetime(2026, 10, 9, 10, 0))  # Friday 9 October, the first working day after the holiday


def _case(bed, number, **fields) -> Case:
    values = {
        "number": number,
        "local_item": bed["item"],
        "standard": bed["standard"],
        "organization": bed["edu"],
        "division": bed["item"].division,
        "applicant_name": "张三",
        "received_at": AT,
        "status": CaseStatus.IN_PROGRESS,
    }
    values.update(fields)
    return Case.objects.create(**values)


def _missing(case, *names):
    for position, name in enumerate(("申请书", "营业执照", "场地证明")):
        CaseMaterial.objects.create(case=case, name=name, position=position, missing_at_acceptance=name in names)


def _step(case, seq, kind, due_on, at=AT):
    CaseStep.objects.create(case=case, seq=seq, kind=kind, due_on=due_on, at=at)


@pytest.fixture
def taught(casebed):
    bed = casebed
    a, b, c = (_case(bed, f"L{i}") for i in range(3))
    _missing(a, "营业执照")
    _missing(b, "营业执照", "场地证明")
    _missing(c)
    # 审查 due on 30 September, recorded on 9 October: over (the holiday in between changes nothing); due that very
    # day: not over; 决定 due on 12 October: not over.
    _step(a, 1, StepKind.REVIEW, dt.date(2026, 9, 30))
    _step(b, 1, StepKind.REVIEW, dt.date(2026, 10, 9))
    _step(c, 1, StepKind.REVIEW, dt.date(2026, 9, 30))
    _step(c, 2, StepKind.DECIDE, dt.date(2026, 10, 12))
    _step(c, 3, StepKind.ARCHIVE, None)
    for i, reason in enumerate(("材料不齐全", "材料不齐全", "不属于本机关职权范围")):
        _case(bed, f"R{i}", status=CaseStatus.NOT_ACCEPTED, refusal_reason=reason)
    _case(bed, "D0", status=CaseStatus.FINISHED, finished_at=AT, decision=Decision.DENY, decision_reason="场地不达标")
    _case(bed, "D1", status=CaseStatus.FINISHED, finished_at=AT, decision=Decision.DENY, decision_reason="")
    # Another county's item: never counted here.
    other = _case(bed, "OTHER", local_item=bed["other_item"], organization=bed["other_item"].organization)
    _missing(other, "申请书")
    return bed


@pytest.mark.django_db
def test_the_counts_of_what_the_cases_teach(taught):
    lesson = learning(taught["standard"])
    assert (lesson.cases, lesson.supplements) == (8, 2)
    assert lesson.missing == [{"name": "营业执照", "count": 2}, {"name": "场地证明", "count": 1}]
    assert [(o["kind"], o["overrun"], o["timed"]) for o in lesson.overruns] == [(StepKind.REVIEW, 2, 3)]
    assert lesson.overruns[0]["label"] == "审查"
    refusals = [(str(r["label"]), r["reason"], r["count"]) for r in lesson.refusals]
    assert refusals[0] == ("不予受理", "材料不齐全", 2)
    others = {("不予受理", "不属于本机关职权范围", 1), ("不予许可", "场地不达标", 1), ("不予许可", "", 1)}
    assert set(refusals[1:]) == others


@pytest.mark.django_db
def test_an_item_without_cases_teaches_nothing(casebed):
    lesson = learning(casebed["standard"])
    assert (lesson.cases, lesson.missing, lesson.overruns, lesson.refusals) == (0, [], [], [])


@pytest.mark.django_db
def test_the_panel_costs_the_same_queries_for_few_and_many_cases(taught):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            learning(taught["standard"])
        return len(captured)

    few = queries()
    for i in range(40):
        case = _case(taught, f"M{i}", status=CaseStatus.NOT_ACCEPTED, refusal_reason=f"理由{i % 12}")
        _missing(case, "申请书")
        _step(case, 1, StepKind.ACCEPT, dt.date(2026, 9, 30))
    assert queries() == few
    assert len(learning(taught["standard"]).refusals) == 10  # the ten most cited


@pytest.mark.django_db
def test_the_panel_is_shown_to_the_department_and_the_reviewers_and_hidden_from_an_outsider(taught, client):
    standard = taught["standard"]
    for name in ("head", "bianban", "city"):
        assert standard_panels(taught[name], standard), name
    assert standard_panels(taught["outsider"], standard) == []

    client.force_login(taught["head"])
    page = client.get(f"/standards/{standard.pk}/").content.decode()
    assert "办件反馈：下一版本的依据" in page
    assert "营业执照" in page and "材料不齐全" in page and "未说明理由" in page
    client.force_login(taught["outsider"])
    assert client.get(f"/standards/{standard.pk}/").status_code == 404
