"""The page 好差评与大厅: figures on a hand-made set (an upheld appeal excluded, a late and an overdue rectification,
across 国庆 2026), drill-down, scope refusals, constant query counts, and the national exchange download."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from catalogue.models import Division
from evaluation.exchange import EXCHANGE_KEYS
from evaluation.services import EvaluationInput, evaluation_submit_for_visit
from hall.models import Window, WindowKind
from reporting.evaluation_figures.figures import evaluation_board
from tests.cases.conftest import casebed  # noqa: F401  (fixtures)
from tests.evaluation.conftest import at, hallbed, indicator_sets, make_ticket  # noqa: F401
from tests.evaluation.test_figures import COUNTER, figures_set, visit  # noqa: F401  (fixture)

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


@pytest.fixture
def evset(figures_set):  # noqa: F811
    """``figures_set`` plus an anonymous 不满意 at A01 on 30 September nobody worked: its verification fell due in
    October, after 国庆."""
    stale = visit(figures_set, 2)
    return {**figures_set, "stale": stale}


def board(bed, code: str, today: dt.date, organization=None):
    return evaluation_board(Division.objects.get(code=code), organization, today=today, start=START, end=END)


@pytest.mark.django_db
def test_the_county_figures_lead_with_overdue_and_handling_and_exclude_the_upheld_appeal(evset):
    due = evset["stale"].rectification.stage_due
    assert due > dt.date(2026, 10, 8)  # the working days skipped 国庆
    county = evset["item"].division_id
    after = board(evset, county, due + dt.timedelta(days=1))
    e = after.headline.evaluation
    assert (e["evaluations"], e["satisfied"], e["bad"], e["appeals"], e["appeals_upheld"]) == (7, 3, 3, 1, 1)
    assert (e["rectified"], e["rectified_on_time"], e["rectifying"], e["overdue"]) == (2, 1, 1, 1)
    assert e["satisfaction"] == round(3 / 7, 4) and e["mean_grade"] == round(22 / 7, 2)
    assert e["on_time_rate"] == round(1 / 3, 4) and e["follow_up_rate"] == 1.0
    assert e["handling_days"] == 11.5  # 9 days (closed 9 October) and 14 days (closed 14 October)
    rows = {r.key: r for r in after.rows}
    assert after.child_kind == "department"
    assert rows[evset["edu"].pk].figures.evaluation["overdue"] == 1
    assert rows[evset["center"].pk].figures.evaluation["overdue"] == 0
    # The hall: every visit took a number; the comprehensive window's belong to the centre.
    assert (rows[evset["edu"].pk].figures.hall["tickets"], rows[evset["center"].pk].figures.hall["tickets"]) == (4, 2)
    # On its due date the open rectification is not yet overdue.
    assert board(evset, county, due).headline.evaluation["overdue"] == 0


@pytest.mark.django_db
def test_the_city_and_province_roll_up_the_county(evset):
    county = board(evset, evset["item"].division_id, END).headline.evaluation
    for code in ("441800", "440000"):
        up = board(evset, code, END)
        assert up.headline.evaluation["evaluations"] == county["evaluations"] == 7
        assert up.headline.evaluation["handling_days"] == county["handling_days"]
    assert board(evset, "440000", END).child_kind == "city"
    assert board(evset, "441800", END).child_kind == "county"


@pytest.mark.django_db
def test_a_department_shows_its_windows_staff_and_items(evset):
    edu = board(evset, evset["item"].division_id, END, organization=evset["edu"])
    assert edu.headline.evaluation["evaluations"] == 5
    assert [r.name for r in edu.rows] == ["A01 教育窗口"]
    assert {r.key for r in edu.staff_rows} == {evset["window"].pk}
    (item,) = edu.item_rows
    assert (item.key, item.figures.evaluation["bad"]) == (evset["item"].pk, 2)


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.django_db
def test_the_page_drills_down_and_refuses_other_counties(evset, client):
    county = evset["item"].division_id
    page = _get(client, evset["center_supervisor"], "/reporting/evaluations/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "清城区 · 好差评与大厅" in text and 'id="eval-overdue">1<' in text
    assert f"/reporting/evaluations/departments/{evset['edu'].pk}/" in text
    assert "好差评统计" in text  # the navigation entry
    department = _get(client, evset["center_supervisor"], f"/reporting/evaluations/departments/{evset['edu'].pk}/")
    assert "各工作人员" in department.content.decode() and "A01 教育窗口" in department.content.decode()
    qx = evset["other_item"].division_id
    assert _get(client, evset["center_supervisor"], f"/reporting/evaluations/{qx}/").status_code == 404
    assert _get(client, evset["center_supervisor"], f"/reporting/evaluations/{qx}/export/").status_code == 404
    assert _get(client, evset["center_supervisor"], "/reporting/evaluations/441800/").status_code == 404
    assert _get(client, evset["outsider"], "/reporting/evaluations/").status_code == 403
    assert "好差评统计" not in _get(client, evset["outsider"], "/").content.decode()
    city = _get(client, evset["city"], "/reporting/evaluations/441800/").content.decode()
    assert f"/reporting/evaluations/{county}/" in city


@pytest.mark.django_db
def test_a_wrong_period_is_said_at_the_field(evset, client):
    page = _get(client, evset["center_supervisor"], "/reporting/evaluations/?start=2026-12-01&end=2026-11-01")
    assert page.status_code == 200
    assert "开始日期不能晚于结束日期" in page.content.decode()
    page = _get(client, evset["center_supervisor"], "/reporting/evaluations/?start=abc")
    assert page.status_code == 200 and "is-invalid" in page.content.decode()


def _more_departments(bed, n: int, prefix: str) -> None:
    from tests.factories import OrganizationFactory

    for i in range(n):
        org = OrganizationFactory(division=bed["item"].division, name=f"{prefix}部门{i:03d}")
        window = Window.objects.create(
            hall=bed["hall"], number=f"{prefix[0]}{i:02d}", name="窗口", kind=WindowKind.DEPARTMENT, department=org
        )
        ticket = make_ticket(bed, window=window)
        evaluation_submit_for_visit(
            ticket=ticket, data=EvaluationInput(dict.fromkeys(COUNTER, 1 + i % 5)), at=at("2026-09-30")
        )


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_few_and_many_units(evset, client):
    client.force_login(evset["bianban"])
    county = evset["item"].division_id

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    department = f"/reporting/evaluations/departments/{evset['edu'].pk}/"
    urls = [f"/reporting/evaluations/{county}/", department]
    few = [queries(u) for u in urls]
    client.force_login(evset["city"])
    few_city = queries("/reporting/evaluations/441800/")
    _more_departments(evset, 12, "乙")
    for _i in range(5):
        visit(evset, 4)
    assert queries("/reporting/evaluations/441800/") == few_city
    client.force_login(evset["bianban"])
    assert [queries(u) for u in urls] == few


@pytest.mark.django_db
def test_the_export_has_one_row_per_evaluation_in_the_national_shape(evset, client):
    county = evset["item"].division_id
    response = _get(client, evset["center_supervisor"], f"/reporting/evaluations/{county}/export/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == EXCHANGE_KEYS
    assert len(rows) == 8  # every evaluation, the excluded one flagged
    assert sum(r["excluded"] == "1" for r in rows) == 1
    case_rows = [r for r in rows if r["evaluateTarget"] == "case"]
    assert all(r["projectNo"] and r["taskCode"] == evset["item"].code for r in case_rows)
    stale = next(r for r in rows if r["evaluationId"] == str(evset["stale"].pk))
    assert (stale["evaluateLevel"], stale["rectifyState"], stale["evaluateChannel"]) == ("2", "verify", "qr")
    assert stale["indicators"] == "overall:2;efficiency:2;service_level:2;attitude:2"
    assert stale["evaluateTime"].startswith("2026-09-30T10:00:00+08:00")
    assert "13912345678" not in text and "李四" not in text  # no personal data
    workbook = _get(client, evset["center_supervisor"], f"/reporting/evaluations/{county}/export/?format=xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content)), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert tuple(values[0]) == EXCHANGE_KEYS and len(values) == 9


@pytest.mark.django_db
def test_the_report_has_sheets_of_evaluation_and_hall_figures_frozen_once_sent(evset):
    from reporting.services import progress_report_build, progress_report_create, progress_report_send

    report = progress_report_create(
        actor=evset["city"],
        division=Division.objects.get(code="441800"),
        period_start=dt.date(2026, 9, 1),
        period_end=timezone.localdate(),
    )
    report = progress_report_build(report_id=report.pk)
    workbook = load_workbook(report.file.path)
    sheet = workbook["好差评"]
    header = [c.value for c in sheet[1]]
    assert header[4:6] == ["差评整改超期", "平均整改用时（天）"]  # bad-grade handling leads
    rows = {(r[0], r[3]): dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    county = rows[("441802", "清城区")]
    assert (county["评价数"], county["差评数"], county["申诉成立数"], county["差评整改超期"]) == (7, 3, 1, 1)
    assert county["平均整改用时（天）"] == 11.5 and county["层级"] == "县（区）"
    edu = rows[("441802", "清城区教育局")]
    assert (edu["所在区划"], edu["评价数"], edu["差评数"]) == ("清城区", 5, 2)
    hall = workbook["服务大厅"]
    hall_header = [c.value for c in hall[1]]
    hall_rows = {
        (r[0], r[3]): dict(zip(hall_header, r, strict=True)) for r in hall.iter_rows(min_row=2, values_only=True)
    }
    assert hall_rows[("441802", "清城区")]["取号数"] == 6
    assert report.figures["evaluations"]["total"]["evaluations"] == 7

    progress_report_send(actor=evset["city"], report=report)
    visit(evset, 1)
    again = progress_report_build(report_id=report.pk)
    assert again.figures["evaluations"]["total"]["evaluations"] == 7
