"""The case figures (办件与电子监察) on a small known set, their snapshots, the supervisor's page and the progress
report's sheet.

清城区教育局's item (清城区, 清远市), promised limit 10 working days; the figures are taken on Tuesday 20 October 2026
(after the National Day holiday, Oct 1–7 off, Sat Oct 10 worked):

| case | state | promised due | counts as |
|---|---|---|---|
| ON_TIME | finished 10-16 | 10-16 (accepted 09-28, across the holiday) | finished, on time |
| EARLY | finished 10-15 | 10-16 | finished, on time, early |
| LATE | finished 10-19 | 10-16 | finished, late |
| OVERDUE | in review | 10-16 | in progress, overdue; two red alerts, one 督办 past its reply date, one replied |
| RUNNING | in review | 10-26 (accepted 10-12) | in progress; a yellow alert |
| PAUSED | suspended | 10-16 | in progress, not overdue (its clocks are stopped) |
| REFUSED | not accepted | — | not accepted |
| WAITING | waiting for 补正 | — | nothing but its division |

LATE also has a red alert that was cleared and a closed 督办: neither counts. 清新区's item has one case finished on
time, so 清远市 sums both counties.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cases import clocks
from cases.models import Alert, AlertLevel, AlertRule, Case, CaseStatus, Oversight, OversightState
from reporting.case_figures.figures import CaseFigures, case_compute, item_figures
from reporting.case_figures.services import case_snapshots_store
from reporting.models import CaseSnapshot, ScopeKind
from reporting.rates import percent
from tests.cases.conftest import casebed  # noqa: F401  (the fixture)

TODAY = dt.date(2026, 10, 20)
SEP_28, OCT_12 = dt.date(2026, 9, 28), dt.date(2026, 10, 12)


def make_case(bed, number: str, *, item=None, status=CaseStatus.IN_PROGRESS, accepted_on=SEP_28, finished_on=None):
    item = item or bed["item"]
    case = Case(
        number=number,
        local_item=item,
        standard=bed["standard"] if item == bed["item"] else None,
        organization=item.organization,
        division=item.division,
        applicant_name="张三",
        received_at=timezone.now(),
        status=status,
        legal_limit=20,
        promised_limit=10,
    )
    if accepted_on:
        case.accepted_on, case.accepted_at = accepted_on, timezone.now()
    if finished_on:
        case.finished_on, case.finished_at = finished_on, timezone.now()
    clocks.refresh(case, today=TODAY)
    case.save()
    return case


def alert(case, level, rule=AlertRule.PROMISED_OVER, *, cleared=False):
    return Alert.objects.create(
        case=case, rule=rule, level=level, cleared_at=timezone.now() if cleared else None, key=f"{rule}-{level}"
    )


def oversight(case, an_alert, state, reply_due):
    return Oversight.objects.create(
        case=case, alert=an_alert, organization=case.organization, state=state, reply_due=reply_due
    )


@pytest.fixture
def known(casebed):  # noqa: F811
    bed = casebed
    f = CaseStatus.FINISHED
    make_case(bed, "ON_TIME", status=f, finished_on=dt.date(2026, 10, 16))
    make_case(bed, "EARLY", status=f, finished_on=dt.date(2026, 10, 15))
    late = make_case(bed, "LATE", status=f, finished_on=dt.date(2026, 10, 19))
    overdue = make_case(bed, "OVERDUE")
    running = make_case(bed, "RUNNING", accepted_on=OCT_12)
    make_case(bed, "PAUSED", status=CaseStatus.SUSPENDED)
    make_case(bed, "REFUSED", status=CaseStatus.NOT_ACCEPTED, accepted_on=None)
    make_case(bed, "WAITING", status=CaseStatus.SUPPLEMENT, accepted_on=None)
    make_case(bed, "QX", item=bed["other_item"], status=f, finished_on=dt.date(2026, 10, 16))

    oversight(overdue, alert(overdue, AlertLevel.RED), OversightState.OPEN, dt.date(2026, 10, 19))
    oversight(overdue, alert(overdue, AlertLevel.RED, AlertRule.LEGAL_OVER), OversightState.REPLIED, TODAY)
    alert(running, AlertLevel.YELLOW, AlertRule.PROMISED_NEAR)
    oversight(late, alert(late, AlertLevel.RED, cleared=True), OversightState.CLOSED, dt.date(2026, 10, 1))
    return bed


QC = CaseFigures(
    accepted=6,
    finished=3,
    on_time=2,
    early=1,
    late=1,
    in_progress=3,
    open_overdue=1,
    not_accepted=1,
    yellow=1,
    red=2,
    oversight_open=2,
    oversight_overdue=1,
)


@pytest.mark.django_db
def test_the_figures_of_a_known_set_per_county_department_item_and_rolled_up(known):
    assert clocks.due_date(SEP_28, 10) == dt.date(2026, 10, 16)  # the holiday week is not counted
    figures = {(scope.kind, scope.key): f for scope, f in case_compute(TODAY).items()}
    edu, item = known["edu"], known["item"]
    assert figures[(ScopeKind.COUNTY, "441802")] == QC
    assert figures[(ScopeKind.DEPARTMENT, f"441802/{edu.pk}")] == QC
    assert item_figures(edu.pk, TODAY) == {item.pk: QC}
    qx = figures[(ScopeKind.COUNTY, known["other_item"].division_id)]
    assert (qx.accepted, qx.finished, qx.on_time, qx.early, qx.red) == (1, 1, 1, 0, 0)
    city = figures[(ScopeKind.CITY, "441800")]
    assert (city.accepted, city.finished, city.on_time, city.late, city.open_overdue) == (7, 4, 3, 1, 1)
    assert figures[(ScopeKind.PROVINCE, "440000")] == city
    # 2 of 3 on time: 66.6 %, rounded down like every rate shown; 1 of 3 early: 33.3 %.
    assert percent(QC.on_time_rate) == 66.6
    assert percent(QC.early_rate) == 33.3
    assert percent(city.on_time_rate) == 75.0


@pytest.mark.django_db
def test_nothing_is_overdue_on_the_due_date_itself(known):
    """On 16 October the open case is due that very day and both 督办 still have time to reply."""
    qc = {(s.kind, s.key): f for s, f in case_compute(dt.date(2026, 10, 16)).items()}[(ScopeKind.COUNTY, "441802")]
    assert (qc.open_overdue, qc.oversight_overdue, qc.oversight_open) == (0, 0, 2)


@pytest.mark.django_db
def test_compute_rates_stores_the_case_snapshots_of_the_day_once(known):
    from reporting.services import rates_compute

    rates_compute(date=TODAY)
    rates_compute(date=TODAY)  # again: replaced, not doubled
    county = CaseSnapshot.objects.get(date=TODAY, scope_key="441802")
    assert CaseFigures.of(county) == QC
    assert county.kind == ScopeKind.COUNTY
    department = CaseSnapshot.objects.get(date=TODAY, kind=ScopeKind.DEPARTMENT, organization=known["edu"])
    assert (department.division_id, department.scope_key) == ("441802", f"441802/{known['edu'].pk}")
    assert CaseFigures.of(department) == QC
    assert CaseSnapshot.objects.filter(date=TODAY, kind=ScopeKind.PROVINCE).count() == 1


def _cases(bed, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        c = make_case(bed, f"BULK{i}", status=CaseStatus.FINISHED, finished_on=dt.date(2026, 10, 16))
        alert(c, AlertLevel.RED)


@pytest.mark.django_db
def test_storing_the_figures_costs_the_same_queries_for_5_and_50_cases(casebed):  # noqa: F811
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            case_snapshots_store(date=TODAY, computed_at=timezone.now())
        return len(captured)

    _cases(casebed, 5)
    few = queries()
    _cases(casebed, 45, start=5)
    assert queries() == few
    assert CaseSnapshot.objects.get(date=TODAY, scope_key="441802").red == 50


# --- the supervisor's page -------------------------------------------------------------------------------------------


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.django_db
def test_the_service_centre_supervisor_sees_the_county_drills_to_the_department_and_its_items(known, client):
    from reporting.services import rates_compute

    rates_compute(date=TODAY)
    response = _get(client, known["center_supervisor"], "/reporting/cases/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "清城区 · 办件与电子监察" in page
    assert 'id="case-on-time-rate">66.6%<' in page
    assert "口径说明" in page and "按时办结率 = 按时办结数 ÷ 办结数" in page
    department = f"/reporting/cases/departments/{known['edu'].pk}/"
    assert department in page
    items = _get(client, known["center_supervisor"], department).content.decode()
    assert known["item"].name in items and "各事项" in items
    # Not the city above, nor the neighbouring county.
    assert _get(client, known["center_supervisor"], "/reporting/cases/441800/").status_code == 404
    qx = known["other_item"].division_id
    assert _get(client, known["center_supervisor"], f"/reporting/cases/{qx}/").status_code == 404


@pytest.mark.django_db
def test_the_city_supervisor_ranks_the_counties_and_an_outsider_is_refused(known, client):
    from reporting.services import rates_compute

    rates_compute(date=TODAY)
    page = _get(client, known["city"], "/reporting/cases/441800/").content.decode()
    assert "各县（市、区）" in page and "按时办结率排名" in page
    ranking = page[page.index('class="list-unstyled small mb-0 case-ranking"') :]
    assert ranking.index("清新区") < ranking.index("清城区")  # 100 % before 66.6 %
    assert _get(client, known["outsider"], "/reporting/cases/").status_code == 403
    assert _get(client, known["approver"], "/reporting/cases/441802/").status_code == 403


def _department_snapshots(bed, n: int, prefix: str) -> None:
    from tests.factories import OrganizationFactory

    now = timezone.now()
    for i in range(n):
        org = OrganizationFactory(division=bed["item"].division, name=f"{prefix}部门{i:03d}")
        CaseSnapshot.objects.create(
            date=TODAY,
            kind=ScopeKind.DEPARTMENT,
            division=org.division,
            organization=org,
            scope_key=f"{org.division_id}/{org.pk}",
            computed_at=now,
            accepted=10 + i,
            finished=10,
            on_time=i % 10,
        )


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_5_and_50_departments(casebed, client):  # noqa: F811
    client.force_login(casebed["bianban"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reporting/cases/441802/").status_code == 200
        return len(captured)

    _department_snapshots(casebed, 5, "甲")
    few = queries()
    CaseSnapshot.objects.all().delete()
    _department_snapshots(casebed, 50, "乙")
    many = queries()
    assert many == few


# --- the progress report's sheet -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_has_a_sheet_of_case_figures_per_unit_frozen_once_sent(known):
    from reporting.services import progress_report_build, progress_report_create, progress_report_send

    report = progress_report_create(
        actor=known["city"],
        division=known["item"].division.__class__.objects.get(code="441800"),
        period_start=dt.date(2026, 10, 1),
        period_end=timezone.localdate(),
    )
    report = progress_report_build(report_id=report.pk)
    sheet = load_workbook(report.file.path)["办件与监察"]
    header = [c.value for c in sheet[1]]
    rows = {(r[0], r[3]): dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    qc = rows[("441802", "清城区")]
    # Taken after October: both open cases are past their promised date (the suspended one is not), both 督办 too.
    assert (qc["受理数"], qc["办结数"], qc["按时办结数"], qc["提前办结数"], qc["超期办结数"]) == (6, 3, 2, 1, 1)
    assert (qc["超期在办数"], qc["黄色预警"], qc["红色警告"], qc["督办未办结"], qc["督办超期"]) == (2, 1, 2, 2, 2)
    assert qc["按时办结率"] == 0.666 and qc["提前办结率"] == 0.333
    assert qc["层级"] == "县（区）" and qc["按时办结率排名"] == 2
    assert rows[("441800", "清远市")]["受理数"] == 7
    assert rows[("441802", "清城区教育局")]["所在区划"] == "清城区"
    assert sheet.freeze_panes == "A2"
    assert report.figures["cases"]["accepted"] == 7

    progress_report_send(actor=known["city"], report=report)
    make_case(known, "AFTER", status=CaseStatus.FINISHED, finished_on=dt.date(2026, 10, 16))
    again = progress_report_build(report_id=report.pk)
    assert again.figures["cases"]["accepted"] == 7
    assert again.case_rows.get(scope_key="441802").accepted == 6
    body = io.BytesIO(again.file.read())
    assert load_workbook(body)["办件与监察"].cell(row=2, column=5).value is not None
