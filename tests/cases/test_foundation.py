"""The case model's own invariants and the clocks' arithmetic across a public holiday."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import clocks, permissions
from cases.models import Case, CaseStatus


def _case(bed, **fields) -> Case:
    values = {
        "number": "N1",
        "local_item": bed["item"],
        "standard": bed["standard"],
        "organization": bed["edu"],
        "division": bed["item"].division,
        "applicant_name": "张三",
        "applicant_phone": "138-0000-1234",
        "received_at": timezone.now(),
    }
    values.update(fields)
    return Case.objects.create(**values)


@pytest.mark.django_db
def test_a_case_keeps_the_last_four_phone_digits_and_cannot_be_deleted(casebed):
    case = _case(casebed)
    assert case.phone_tail == "1234"
    with pytest.raises(ValidationError):
        case.delete()


def test_the_promised_clock_runs_past_the_national_day_holiday():
    # Accepted Wednesday 2026-09-30; Oct 1–7 are holidays, Oct 10 (Saturday) a make-up working day.
    assert clocks.due_date(dt.date(2026, 9, 30), 2) == dt.date(2026, 10, 9)
    assert clocks.due_date(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)


def test_a_suspension_over_a_holiday_costs_only_its_working_days():
    assert clocks.suspended_workdays(dt.date(2026, 9, 30), dt.date(2026, 10, 9)) == 2
    assert clocks.suspended_workdays(dt.date(2026, 10, 9), dt.date(2026, 10, 9)) == 0


@pytest.mark.django_db
def test_refresh_moves_both_clocks_by_suspension_and_extension(casebed):
    case = _case(
        casebed,
        status=CaseStatus.IN_PROGRESS,
        accepted_at=timezone.now(),
        accepted_on=dt.date(2026, 9, 28),
        legal_limit=20,
        promised_limit=10,
    )
    clocks.refresh(case)
    # Oct 1–7 off, Oct 10 (Saturday) worked: ten working days after Monday 28 September end on 16 October.
    assert case.promised_due == dt.date(2026, 10, 16)
    case.suspended_days, case.extension_days = 2, 10
    clocks.refresh(case)
    assert case.promised_due == dt.date(2026, 11, 3)
    assert case.legal_due == dt.date(2026, 11, 17)
    legal, promised = clocks.clocks(case, today=dt.date(2026, 11, 5))
    assert promised.overdue and promised.remaining == -2
    assert not legal.overdue


@pytest.mark.django_db
def test_cases_are_seen_by_their_department_and_county_watchers_only(casebed):
    case = _case(casebed)
    for name in ("window", "approver", "head", "center_supervisor", "bianban", "city", "center_window"):
        assert permissions.can_see_case(casebed[name], case), name
        assert permissions.visible_cases(casebed[name]).filter(pk=case.pk).exists(), name
    for name in ("outsider", "qx_window"):
        assert not permissions.can_see_case(casebed[name], case), name
    assert permissions.can_accept_for(casebed["center_window"], casebed["item"])
    assert not permissions.can_accept_for(casebed["center_window"], casebed["other_item"])
    assert permissions.can_do_step(casebed["backup"], case, "审查岗")
    assert not permissions.can_do_step(casebed["window"], case, "审查岗")
    assert permissions.can_supervise(casebed["center_supervisor"], case)
    assert not permissions.can_supervise(casebed["city"], case)
