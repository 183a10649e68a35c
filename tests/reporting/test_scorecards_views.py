"""The scorecard pages: configuration with its formset (messages at the field, nothing saved on bad input), the
ranking and the "how" of a score, who sees what, computing and closing the year from the page, the bulletin and its
workbook, constant query counts."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from catalogue.models import Role
from reporting.models import Scorecard, ScorecardStatus, ScoreResult, UnitKind
from reporting.scorecards import services
from tests.factories import OrganizationFactory, UserFactory, member
from tests.reporting.test_scorecards_compute import TODAY, _more_departments, compute, make_scorecard

URL = "/reporting/scorecards/"


def _post_data(rows, **fields) -> dict:
    data = {"year": 2026, "division": "441800", "title": "清远市2026年度考核", **fields}
    data.update(
        {"ind-TOTAL_FORMS": len(rows), "ind-INITIAL_FORMS": len(rows), "ind-MIN_NUM_FORMS": 0, "ind-MAX_NUM_FORMS": 20}
    )
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"ind-{n}-{key}"] = "" if value is None else str(value)
    return data


@pytest.mark.django_db
def test_the_supervisor_creates_a_scorecard_with_the_default_indicators(small, people, client):
    client.force_login(people["supervisor"])
    page = client.get(f"{URL}new/").content.decode()
    assert "标准录入提交率" in page and 'name="ind-8-kind"' in page  # the nine default indicators, and one empty row
    response = client.post(f"{URL}new/", _post_data(services.default_indicators()))
    scorecard = Scorecard.objects.get()
    assert response.status_code == 302 and response.url == f"{URL}{scorecard.pk}/"
    assert (scorecard.indicators.count(), scorecard.created_by, scorecard.version) == (11, people["supervisor"], 1)


@pytest.mark.django_db
def test_weights_not_adding_up_and_bad_rules_are_said_at_the_field_and_nothing_is_saved(small, people, client):
    client.force_login(people["supervisor"])
    rows = services.default_indicators()
    rows[0]["weight"] = 15
    page = client.post(f"{URL}new/", _post_data(rows)).content.decode()
    assert "各指标权重之和须为 100 分，当前为 105 分" in page
    rows = services.default_indicators()
    rows[1]["target"] = 50  # below its floor of 60
    page = client.post(f"{URL}new/", _post_data(rows)).content.decode()
    assert "目标值须大于下限" in page and 'id="id_ind-1-target"' in page
    rows = services.default_indicators()
    rows[0]["weight"] = "abc"
    assert client.post(f"{URL}new/", _post_data(rows, year="x")).status_code == 200
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_only_supervisors_and_admins_may_create(small, people, client):
    client.force_login(people["compliance"])  # reads the figures, does not run the assessment
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}new/").status_code == 403
    client.force_login(people["clerk"])
    assert client.get(URL).status_code == 403


def _computed(people, geo):
    return compute(make_scorecard(people, geo), people)


@pytest.mark.django_db
def test_the_page_ranks_and_explains_each_score(small, people, geo, client):
    scorecard = _computed(people, geo)
    client.force_login(people["supervisor"])
    page = client.get(f"{URL}{scorecard.pk}/").content.decode()
    assert "各县（市、区）排名" in page and "清城区" in page and "清新区" in page and "各部门县内排名" in page
    qc = ScoreResult.objects.get(scorecard=scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    unit = client.get(f"{URL}{scorecard.pk}/units/{qc.pk}/").content.decode()
    assert "6 ÷ 7" in unit and "85.7%" in unit  # submission rate: the figures it came from
    assert "满分 10 分：达到 100% 得满分，不高于 60% 不得分，其间按比例" in unit
    assert f"{qc.total} 分" in unit


@pytest.mark.django_db
def test_another_citys_supervisor_is_refused(small, people, geo, client):
    scorecard = _computed(people, geo)
    dongguan = member(UserFactory(username="dg_sup"), OrganizationFactory(division=geo["dg"]), Role.SUPERVISOR)
    client.force_login(dongguan)
    assert client.get(f"{URL}{scorecard.pk}/").status_code == 404
    assert client.get(f"{URL}{scorecard.pk}/bulletin/").status_code == 404
    assert client.post(f"{URL}{scorecard.pk}/compute/").status_code == 404
    assert client.post(f"{URL}{scorecard.pk}/freeze/", {"confirm": "yes"}).status_code == 404
    assert str(scorecard.title) not in client.get(URL).content.decode()
    # The county's reviewer reads it (the city's assessment of their county) but may not compute it.
    client.force_login(people["compliance"])
    assert client.get(f"{URL}{scorecard.pk}/").status_code == 200
    assert client.post(f"{URL}{scorecard.pk}/compute/").status_code == 403


@pytest.mark.django_db
def test_a_department_head_sees_the_departments_own_row_only(small, people, geo, orgs, client):
    scorecard = _computed(people, geo)
    client.force_login(people["depthead"])
    page = client.get(f"{URL}{scorecard.pk}/").content.decode()
    assert orgs["edu"].name in page and orgs["other_dept"].name not in page and "各县（市、区）排名" not in page
    other = ScoreResult.objects.get(scorecard=scorecard, organization=orgs["other_dept"])
    assert client.get(f"{URL}{scorecard.pk}/units/{other.pk}/").status_code == 404
    own = ScoreResult.objects.get(scorecard=scorecard, organization=orgs["edu"])
    assert client.get(f"{URL}{scorecard.pk}/units/{own.pk}/").status_code == 200


@pytest.mark.django_db
def test_computing_and_closing_the_year_from_the_page(small, people, geo, client):
    scorecard = make_scorecard(people, geo)
    client.force_login(people["supervisor"])
    response = client.post(f"{URL}{scorecard.pk}/compute/")
    assert response.status_code == 302
    scorecard.refresh_from_db()
    assert scorecard.status == ScorecardStatus.COMPUTED and scorecard.results.exists()
    client.post(f"{URL}{scorecard.pk}/freeze/")  # not confirmed: refused
    scorecard.refresh_from_db()
    assert scorecard.status == ScorecardStatus.COMPUTED
    client.post(f"{URL}{scorecard.pk}/freeze/", {"confirm": "yes"})
    scorecard.refresh_from_db()
    assert (scorecard.status, scorecard.frozen_by) == (ScorecardStatus.FROZEN, people["supervisor"])
    client.post(f"{URL}{scorecard.pk}/compute/")
    assert "考核已关账" in client.get(f"{URL}{scorecard.pk}/").content.decode()
    assert client.get(f"{URL}{scorecard.pk}/edit/").status_code == 302


@pytest.mark.django_db
def test_the_bulletin_names_the_lowest_units_and_its_workbook_opens(small, people, geo, client):
    scorecard = _computed(people, geo)
    client.force_login(people["supervisor"])
    page = client.get(f"{URL}{scorecard.pk}/bulletin/?kind=county&n=1").content.decode()
    assert "末位通报" in page and "清城区" in page and 'id="bulletin-table"' in page
    assert page.count("<tr>") == 2  # the header and the lowest county
    response = client.get(f"{URL}{scorecard.pk}/bulletin/?kind=department&n=2&format=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["通报", "得分明细"]
    rows = list(workbook["通报"].iter_rows(values_only=True))
    assert rows[0] == ("排名", "单位", "所在县（市、区）", "总分") and len(rows) >= 3
    kinds = len(services.default_indicators())
    assert len(list(workbook["得分明细"].iter_rows(values_only=True))) == 1 + kinds * (len(rows) - 1)
    for hostile in ("?n=-1", "?n=abc", "?kind=x", "?n=99999999999", "?n=0"):
        assert client.get(f"{URL}{scorecard.pk}/bulletin/{hostile}").status_code == 200


@pytest.mark.django_db
def test_the_scorecard_page_costs_the_same_queries_for_few_and_many_units(small, people, geo, client):
    scorecard = _computed(people, geo)
    client.force_login(people["supervisor"])
    client.get(f"{URL}{scorecard.pk}/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{URL}{scorecard.pk}/").status_code == 200
        return len(captured)

    few = queries()
    _more_departments(geo, 8, "又一")
    compute(scorecard, people, today=TODAY)
    assert queries() == few
