"""The periodic sweep: idempotent, clears what no longer holds, opens 督办 for red alerts, and costs the same number
of SQL statements for 5 cases as for 50."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Alert, AlertLevel, AlertRule, Case, CaseStatus, Oversight, OversightState
from cases.supervision import sweep
from cases.tasks import supervision_sweep
from core.models import Notification
from tests.cases.supervision_kit import keys, make_case

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(Alert.objects.values_list("case_id", "rule", "key", "level", "raised_at", "cleared_at", "evidence"))


def test_sweeping_twice_on_the_same_day_changes_nothing(casebed):
    for _ in range(3):
        make_case(casebed, current_step="review", current_step_due=dt.date(2026, 9, 29))
    first = sweep(dt.date(2026, 9, 30))
    assert first.raised == 6  # near the promised limit and the current step over, for each
    alerts, oversights = snapshot(), list(Oversight.objects.values_list("pk", "alert_id"))
    second = sweep(dt.date(2026, 9, 30))
    assert (second.raised, second.raised_again, second.cleared, second.oversights, second.levels) == (0, 0, 0, 0, 0)
    assert snapshot() == alerts
    assert list(Oversight.objects.values_list("pk", "alert_id")) == oversights


def test_a_case_back_at_the_window_loses_its_yellow_and_gets_it_back_in_place(casebed):
    case = make_case(casebed)
    sweep(dt.date(2026, 9, 30))
    near = Alert.objects.get(case=case, rule=AlertRule.PROMISED_NEAR)
    # The applicant's material is questioned: back at the window, the clocks do not run, the yellow goes.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUPPLEMENT)
    assert sweep(dt.date(2026, 9, 30)).cleared == 1
    near.refresh_from_db()
    assert near.cleared_at is not None
    assert Case.objects.get(pk=case.pk).alert_level == AlertLevel.NONE
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
    assert sweep(dt.date(2026, 10, 8)).raised_again == 1
    near.refresh_from_db()
    assert near.cleared_at is None and near.evidence["today"] == "2026-10-08"
    assert Alert.objects.filter(case=case, rule=AlertRule.PROMISED_NEAR).count() == 1
    assert keys(case, AlertRule.PROMISED_NEAR) == [""]


def test_a_red_alert_opens_a_dupan_with_a_reply_due_in_working_days_and_tells_the_department(casebed):
    case = make_case(casebed)
    result = sweep(dt.date(2026, 10, 10))  # the worked Saturday, one day past the promised limit
    assert result.oversights == 1
    oversight = Oversight.objects.get(case=case)
    assert oversight.alert.rule == AlertRule.PROMISED_OVER and oversight.state == OversightState.OPEN
    assert oversight.organization == casebed["edu"]
    assert oversight.reply_due == dt.date(2026, 10, 14)  # Oct 12, 13, 14: three working days (Sunday 11 off)
    told = Notification.objects.get(key=f"oversight:{oversight.pk}")
    assert told.recipient == casebed["head"] and case.number in told.title
    # Yellow alerts open none, and the next sweep opens no second one.
    assert sweep(dt.date(2026, 10, 12)).oversights == 0
    assert Oversight.objects.count() == 1


def test_the_task_runs_the_sweep_for_the_day_it_is_given(casebed):
    case = make_case(casebed)
    result = supervision_sweep.delay("2026-10-12").get()
    assert result["raised"] == 1 and result["oversights"] == 1
    assert keys(case, AlertRule.PROMISED_OVER) == [""]


def _statements(bed, n: int) -> int:
    Case.objects.all().update(status=CaseStatus.FINISHED, finished_at=dt.datetime.now(dt.UTC))
    for i in range(n):
        # A mix: near, past the promised limit, the current step late, quiet.
        accepted = [dt.date(2026, 9, 24), dt.date(2026, 9, 10), dt.date(2026, 9, 28), dt.date(2026, 9, 30)][i % 4]
        make_case(bed, accepted_on=accepted, current_step="review", current_step_due=dt.date(2026, 9, 28))
    with CaptureQueriesContext(connection) as queries:
        result = sweep(dt.date(2026, 9, 30))
    assert result.raised >= n  # every case got at least one alert
    return len(queries)


def test_the_sweep_costs_the_same_number_of_statements_for_5_and_50_cases(casebed):
    assert _statements(casebed, 5) == _statements(casebed, 50)


def test_the_sweep_tells_the_department_exactly_as_a_dupan_opened_one_by_one_would(casebed):
    from cases.services.oversight import tell_departments

    make_case(casebed)
    make_case(casebed)
    sweep(dt.date(2026, 10, 10))
    oversights = list(Oversight.objects.select_related("case", "alert").order_by("pk"))
    assert len(oversights) == 2
    fields = ("recipient_id", "kind", "key", "title", "body", "title_data", "body_data", "url")
    swept = sorted(Notification.objects.values_list(*fields))
    assert len(swept) == 2 and all(row[1] == Notification.Kind.OVERSIGHT for row in swept)
    Notification.objects.all().delete()
    assert tell_departments(oversights) == 2
    assert sorted(Notification.objects.values_list(*fields)) == swept
