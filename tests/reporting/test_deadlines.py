"""The overdue bulletin and the forecasts use the work plan's milestones (``reporting.deadlines``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import RateSnapshot
from reporting.rates import Figures
from reporting.selectors import forecast
from reporting.services import progress_report_build, progress_report_create, rates_compute
from workflow.deadlines.models import Milestone, WorkPlan


@pytest.fixture
def plan(geo):
    plan = WorkPlan.objects.create(title="标准化工作计划", province=geo["gd"], issued_on=dt.date(2026, 1, 10))
    Milestone.objects.create(
        plan=plan,
        title="县级审批标准录入",
        level="county",
        kind="entered",
        due_on=dt.date.today() - dt.timedelta(days=5),
    )
    return plan


def test_bulletin_names_the_counties_behind_and_by_how_much(small, plan, people, geo):
    report = progress_report_create(
        actor=people["supervisor"], division=geo["qy"], period_start=dt.date.today(), period_end=dt.date.today()
    )
    report = progress_report_build(report_id=report.pk)
    behind = report.figures["bulletin"]
    assert [(b["code"], b["shortfall"], b["days_overdue"]) for b in behind] == [(geo["qc"].code, 1, 5)]
    assert behind[0]["situation"] == "尚差 1 项"
    sheet = load_workbook(report.file.path)["超期通报"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][3:6] == (geo["qc"].code, "清城区", "尚差 1 项")


@pytest.mark.django_db  # working days read the override table (cached for a few minutes, so only a long run noticed)
def test_forecast_at_the_current_pace():
    before = Figures(active=100, submitted=40)
    now = Figures(active=100, submitted=60)
    pace, when = forecast(now, before, 10, dt.date(2026, 11, 20))
    assert pace == pytest.approx(0.02)
    assert when == dt.date(2026, 12, 18)  # 40 % left at 2 % a working day: 20 working days after Friday 20 November
    assert forecast(now, now, 10, dt.date(2026, 11, 20)) == (0.0, None)  # no progress: never
    assert forecast(Figures(active=5, submitted=5), before, 10, dt.date(2026, 11, 20)) == (None, None)  # done


def test_dashboard_flags_a_unit_that_misses_its_deadline(client, small, plan, people, geo):
    today = dt.date.today()
    rates_compute(date=today - dt.timedelta(days=7))
    rates_compute(date=today)
    assert RateSnapshot.objects.filter(scope_key=geo["qc"].code).count() == 2
    client.force_login(people["supervisor"])
    page = client.get(reverse("reporting:division", kwargs={"code": geo["qy"].code})).content.decode()
    row = page[page.index(">清城区</a>") - 400 : page.index(">清城区</a>") + 1200]
    assert 'class="table-danger"' in row
    assert "按当前进度无法完成" in row
    assert "尚差 1 项" in page  # the overdue bulletin on the page
