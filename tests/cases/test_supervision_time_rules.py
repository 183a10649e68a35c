"""The date rules — near the promised limit, past the promised or the legal limit, the current step past its due
date — fire and stay quiet the same way whether a case event or the periodic sweep checks them, counted in working
days across the 2026 National Day holiday."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.models import Alert, AlertLevel, AlertRule, CaseStatus
from cases.supervision import sweep
from cases.supervision.rules import check_case
from tests.cases.supervision_kit import keys, make_case

pytestmark = pytest.mark.django_db

PROMISED_DUE = dt.date(2026, 10, 9)  # five working days after Thursday Sep 24, across Sep 25 and Oct 1–7 off
LEGAL_DUE = dt.date(2026, 10, 29)  # twenty, counting the worked Saturday Oct 10


def run(how: str, case, today: dt.date) -> None:
    if how == "event":
        check_case(case, today=today)
    else:
        sweep(today)
    case.refresh_from_db()


both = pytest.mark.parametrize("how", ["event", "sweep"])


def test_the_bed_case_has_its_limits_across_the_holiday(casebed):
    case = make_case(casebed)
    assert (case.promised_due, case.legal_due) == (PROMISED_DUE, LEGAL_DUE)


@both
def test_yellow_when_the_promised_limit_is_two_working_days_away_across_the_holiday(casebed, how):
    case = make_case(casebed)
    # Sep 30: nine calendar days before the due date, but only two working days (Oct 1–7 are off).
    run(how, case, dt.date(2026, 9, 30))
    (alert,) = Alert.objects.filter(case=case, rule=AlertRule.PROMISED_NEAR)
    assert alert.level == AlertLevel.YELLOW and alert.cleared_at is None
    assert alert.evidence["due"] == "2026-10-09" and alert.evidence["workdays"] == 2
    assert case.alert_level == AlertLevel.YELLOW


@both
def test_no_yellow_three_working_days_ahead_nor_for_a_suspended_or_unaccepted_case(casebed, how):
    early = make_case(casebed)
    suspended = make_case(casebed, status=CaseStatus.SUSPENDED, suspended_since=dt.date(2026, 9, 29))
    waiting = make_case(casebed, accepted_on=None, status=CaseStatus.SUPPLEMENT)
    run(how, early, dt.date(2026, 9, 29))  # Sep 30, Oct 8, Oct 9: three working days
    assert keys(early, AlertRule.PROMISED_NEAR) == [] and early.alert_level == AlertLevel.NONE
    for case in (suspended, waiting):
        run(how, case, dt.date(2026, 9, 30))
    for case in (suspended, waiting):
        assert keys(case, AlertRule.PROMISED_NEAR) == [], case.status
        assert case.alert_level == AlertLevel.NONE


@both
def test_red_the_working_day_after_the_promised_limit(casebed, how):
    case = make_case(casebed)
    run(how, case, PROMISED_DUE)
    assert keys(case, AlertRule.PROMISED_OVER) == []
    assert keys(case, AlertRule.PROMISED_NEAR) == [""]
    run(how, case, dt.date(2026, 10, 10))  # the worked Saturday
    assert keys(case, AlertRule.PROMISED_OVER) == [""]
    near = Alert.objects.get(case=case, rule=AlertRule.PROMISED_NEAR)
    assert near.cleared_at is not None  # cleared, never deleted
    assert case.alert_level == AlertLevel.RED


def test_a_case_finished_late_keeps_its_red_alert_as_evidence_and_one_on_time_has_none(casebed):
    late = make_case(
        casebed, status=CaseStatus.FINISHED, finished_at=dt.datetime.now(dt.UTC), finished_on=dt.date(2026, 10, 10)
    )
    on_time = make_case(
        casebed, status=CaseStatus.FINISHED, finished_at=dt.datetime.now(dt.UTC), finished_on=PROMISED_DUE
    )
    for case in (late, on_time):
        check_case(case, today=dt.date(2026, 11, 30))
        case.refresh_from_db()
    (alert,) = Alert.objects.filter(case=late, rule=AlertRule.PROMISED_OVER)
    assert alert.evidence["finished_on"] == "2026-10-10" and alert.cleared_at is None
    assert late.alert_level == AlertLevel.RED
    assert keys(on_time, AlertRule.PROMISED_OVER) == [] and on_time.alert_level == AlertLevel.NONE
    # The sweep leaves finished cases to their last event.
    sweep(dt.date(2026, 12, 1))
    assert keys(late, AlertRule.PROMISED_OVER) == [""]


@both
def test_red_past_the_legal_limit_and_quiet_on_its_last_day(casebed, how):
    case = make_case(casebed, promised_limit=None)
    run(how, case, LEGAL_DUE)
    assert keys(case, AlertRule.LEGAL_OVER) == []
    run(how, case, dt.date(2026, 10, 30))
    assert keys(case, AlertRule.LEGAL_OVER) == [""]
    assert case.alert_level == AlertLevel.RED


@both
def test_the_current_step_past_its_due_date_while_the_case_is_on_time(casebed, how):
    case = make_case(casebed, current_step="review", current_step_due=dt.date(2026, 9, 29))
    run(how, case, dt.date(2026, 9, 29))
    assert keys(case, AlertRule.STEP_OVER) == []
    run(how, case, dt.date(2026, 9, 30))
    assert keys(case, AlertRule.STEP_OVER) == ["current"]
    alert = Alert.objects.get(case=case, rule=AlertRule.STEP_OVER)
    assert alert.level == AlertLevel.YELLOW and alert.evidence["step"] == "review"
    # Once the case as a whole is late, that is the promised limit's red alert, not the step's.
    run(how, case, dt.date(2026, 10, 10))
    assert keys(case, AlertRule.STEP_OVER) == []
    assert keys(case, AlertRule.PROMISED_OVER) == [""]


@both
def test_a_suspended_case_keeps_what_was_late_before_and_gets_nothing_new(casebed, how):
    case = make_case(casebed)
    run(how, case, dt.date(2026, 10, 10))
    assert keys(case, AlertRule.PROMISED_OVER) == [""]
    case.status, case.suspended_since = CaseStatus.SUSPENDED, dt.date(2026, 10, 10)
    case.save()
    run(how, case, dt.date(2026, 11, 30))
    assert keys(case, AlertRule.PROMISED_OVER) == [""]
    assert keys(case, AlertRule.LEGAL_OVER) == []
