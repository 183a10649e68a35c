"""Computing a scorecard: each indicator kind's figures on small known sets, the scores and ranking they give, the
bounded number of queries, and freezing (a frozen scorecard does not change when the data does)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Oversight, OversightState
from catalogue.models import LocalItemStatus, Role
from reporting.models import ScorecardStatus, ScoreResult, UnitKind
from reporting.scorecards import services
from tests.cases.conftest import casebed  # noqa: F401  (fixture)
from tests.evaluation.conftest import hallbed, indicator_sets  # noqa: F401  (fixtures)
from tests.evaluation.test_figures import figures_set  # noqa: F401  (fixture)
from tests.factories import OrganizationFactory, UserFactory, member
from tests.reporting.test_case_figures import TODAY, known  # noqa: F401  (fixture)
from workflow.deadlines.models import Milestone, MilestoneFiling, WorkPlan

YEAR = 2026


def make_scorecard(people, geo, kinds=None, year=YEAR):
    rows = services.default_indicators()
    if kinds is not None:
        rows = [r for r in rows if r["kind"] in kinds]
        share = (D(100) / len(rows)).quantize(D("0.01"))
        for r in rows:
            r["weight"] = share
        rows[-1]["weight"] = D(100) - share * (len(rows) - 1)
        for r in rows:
            if r["rule"] == "deduction":
                r["cap"] = min(r["cap"], share)
    return services.scorecard_save(
        actor=people["supervisor"], indicators=rows, year=year, division=geo["qy"], title=f"清远市{year}年度考核"
    )


def compute(scorecard, people, today=TODAY):
    return services.scorecard_compute(scorecard_id=scorecard.pk, actor=people["supervisor"], today=today)


def line(result: ScoreResult, kind: str) -> dict:
    return next(x for x in result.lines if x["kind"] == kind)


def result_of(scorecard, **kwargs) -> ScoreResult:
    return ScoreResult.objects.get(scorecard=scorecard, **kwargs)


@pytest.mark.django_db
def test_the_standards_rates_per_county_and_department(small, people, geo, orgs):
    """清城区: 7 active items, 6 submitted, 3 passed (A, B, E), 2 of them without a return (``tests/reporting``'s
    ``small``); 清城区教育局: 4 active, 3 submitted, 2 passed, both first time; 清新区 has no items."""
    scorecard = compute(make_scorecard(people, geo, ["submission_rate", "approval_rate", "first_pass_rate"]), people)
    qc = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    kinds = ("submission_rate", "approval_rate", "first_pass_rate")
    figures = [(line(qc, k)["numerator"], line(qc, k)["denominator"], line(qc, k)["value"]) for k in kinds]
    assert figures == [(6, 7, 85.7), (3, 6, 50.0), (2, 3, 66.6)]
    edu = result_of(scorecard, kind=UnitKind.DEPARTMENT, organization=orgs["edu"])
    assert [(line(edu, k)["numerator"], line(edu, k)["denominator"]) for k in kinds] == [(3, 4), (2, 3), (2, 2)]
    # Weights 33.33, 33.33, 33.34; submission: floor 60, target 100: (85.7 − 60) ÷ 40 × 33.33 = 21.41.
    assert line(qc, "submission_rate")["score"] == "21.41"
    assert line(qc, "approval_rate")["score"] == "0.00"  # 50 % is below the floor of 60 %
    qx = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qx"])
    assert line(qx, "submission_rate")["value"] is None and line(qx, "submission_rate")["score"] == "33.33"
    assert "按满分计" in line(qx, "submission_rate")["note"]
    assert (qx.rank, qc.rank) == (1, 2)
    assert qc.total == sum(D(x["score"]) for x in qc.lines)
    # 东莞 is outside 清远市: not a unit of this assessment.
    assert not ScoreResult.objects.filter(scorecard=scorecard, county_code="441900").exists()


@pytest.mark.django_db
def test_case_figures_red_alerts_and_oversight_answered_on_time(known, people, geo):  # noqa: F811
    """``tests/reporting/test_case_figures``'s set on 20 October: 清城区 finished 3 cases, 2 on time, 2 red alerts
    open; three 督办 fell due this year: one answered on time, one late, one not at all."""
    replied = Oversight.objects.get(state=OversightState.REPLIED)
    replied.replied_at = timezone.make_aware(dt.datetime(2026, 10, 19, 10))
    replied.save()
    closed = Oversight.objects.get(state=OversightState.CLOSED)  # due 1 October, answered on the 3rd: late
    closed.replied_at = timezone.make_aware(dt.datetime(2026, 10, 3, 10))
    closed.save()
    scorecard = compute(make_scorecard(people, geo, ["on_time_rate", "red_alerts", "oversight_on_time"]), people)
    qc = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    assert (line(qc, "on_time_rate")["numerator"], line(qc, "on_time_rate")["denominator"]) == (2, 3)
    assert line(qc, "on_time_rate")["value"] == 66.6
    assert line(qc, "red_alerts")["numerator"] == 2
    # Weight 33.33, 2 points per red alert, capped at 10: 33.33 − 4.
    assert line(qc, "red_alerts")["score"] == "29.33"
    assert (line(qc, "oversight_on_time")["numerator"], line(qc, "oversight_on_time")["denominator"]) == (1, 3)
    edu = result_of(scorecard, kind=UnitKind.DEPARTMENT, organization=known["edu"])
    assert line(edu, "red_alerts")["numerator"] == 2
    qx = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qx"])
    assert line(qx, "red_alerts")["score"] == "33.33"  # quiet: no red alert, the full weight
    assert line(qx, "on_time_rate")["value"] == 100.0


@pytest.mark.django_db
def test_the_red_alert_cap_holds(known, people, geo):  # noqa: F811
    from tests.reporting.test_case_figures import _cases

    _cases(known, 8)  # eight more red alerts: 10 in all, 20 points at 2 each, capped at 10
    scorecard = compute(make_scorecard(people, geo, ["red_alerts", "on_time_rate"]), people)
    qc = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    assert line(qc, "red_alerts")["numerator"] == 10
    assert line(qc, "red_alerts")["score"] == "40.00"  # 50 − 10, not 50 − 20


@pytest.mark.django_db
def test_milestones_met_per_county(small, people, geo):
    plan = WorkPlan.objects.create(title="标准化工作计划", province=geo["gd"], issued_on=dt.date(2026, 1, 10))
    filed = Milestone.objects.create(
        plan=plan, title="报送工作方案", level="county", kind="plan_filed", due_on=dt.date(2026, 3, 31)
    )
    Milestone.objects.create(plan=plan, title="县级录入", level="county", kind="entered", due_on=dt.date(2026, 6, 30))
    Milestone.objects.create(plan=plan, title="明年的节点", level="county", kind="entered", due_on=dt.date(2026, 12, 1))
    MilestoneFiling.objects.create(milestone=filed, division=geo["qc"], filed_on=dt.date(2026, 3, 30))
    MilestoneFiling.objects.create(milestone=filed, division=geo["qx"], filed_on=dt.date(2026, 4, 2))
    scorecard = compute(make_scorecard(people, geo, ["milestones_met", "submission_rate"]), people)
    qc = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    # 清城区 filed on time and has not entered everything: 1 of 2; 清新区 filed late and has no items: 0 of 1.
    assert (line(qc, "milestones_met")["numerator"], line(qc, "milestones_met")["denominator"]) == (1, 2)
    qx = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qx"])
    assert (line(qx, "milestones_met")["numerator"], line(qx, "milestones_met")["denominator"]) == (0, 1)
    department = ScoreResult.objects.filter(scorecard=scorecard, kind=UnitKind.DEPARTMENT).first()
    assert line(department, "milestones_met")["note"] == "不适用于该类单位，按满分计"


# --- query count, permissions, freezing -----------------------------------------------------------------------------


def _more_departments(geo, n: int, prefix: str) -> None:
    for i in range(n):
        OrganizationFactory(division=geo["qc"] if i % 2 else geo["qx"], name=f"{prefix}{i}局")


@pytest.mark.django_db
def test_computing_costs_the_same_queries_for_2_and_10_units(small, people, geo):
    scorecard = make_scorecard(people, geo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute(scorecard, people)
        return len(captured)

    few = queries()
    count_few = ScoreResult.objects.filter(scorecard=scorecard).count()
    _more_departments(geo, 8, "新增")
    assert queries() == few
    assert ScoreResult.objects.filter(scorecard=scorecard).count() == count_few + 8


@pytest.mark.django_db
def test_only_the_scopes_supervisors_configure_compute_and_freeze(small, people, geo):
    scorecard = make_scorecard(people, geo)
    dongguan = member(UserFactory(username="dg_supervisor"), OrganizationFactory(division=geo["dg"]), Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.scorecard_compute(scorecard_id=scorecard.pk, actor=dongguan)
    with pytest.raises(PermissionDenied):
        services.scorecard_save(actor=dongguan, scorecard=scorecard, indicators=services.default_indicators())
    with pytest.raises(PermissionDenied):
        services.scorecard_freeze(actor=people["compliance"], scorecard=scorecard)
    with pytest.raises(PermissionDenied):
        make_scorecard({"supervisor": dongguan}, geo, year=2027)


@pytest.mark.django_db
def test_weights_not_adding_up_are_refused_by_the_service(people, geo):
    rows = services.default_indicators()
    rows[0]["weight"] += 5
    with pytest.raises(ValidationError) as caught:
        services.scorecard_save(actor=people["supervisor"], indicators=rows, year=YEAR, division=geo["qy"], title="x")
    assert "各指标权重之和须为 100 分，当前为 105 分" in caught.value.messages


@pytest.mark.django_db
def test_editing_a_draft_is_versioned_and_attributed(small, people, geo):
    scorecard = compute(make_scorecard(people, geo), people)
    rows = services.default_indicators()
    rows[0]["target"] = D(95)
    scorecard = services.scorecard_save(actor=people["supervisor"], scorecard=scorecard, indicators=rows)
    assert (scorecard.version, scorecard.status) == (2, ScorecardStatus.DRAFT)
    assert not scorecard.results.exists()  # computed under the old configuration: dropped
    changes = list(scorecard.changes.order_by("pk").values_list("version", "action", "actor__username"))
    assert changes == [(1, "创建", "supervisor"), (1, "计算", "supervisor"), (2, "修改指标", "supervisor")]
    assert scorecard.changes.order_by("pk").last().config[0]["target"] == "95"


def _page_and_export(client, people, scorecard):
    client.force_login(people["supervisor"])
    page = client.get(f"/reporting/scorecards/{scorecard.pk}/").content.decode()
    table = page[page.index('id="county-table"') : page.index("年度关账") if "年度关账" in page else None]
    export = client.get(f"/reporting/scorecards/{scorecard.pk}/bulletin/?kind=department&n=50&format=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content)))["通报"].iter_rows(values_only=True))
    return table.split("变更记录")[0], rows


@pytest.mark.django_db
def test_a_frozen_scorecard_does_not_change_when_the_data_does(small, people, geo, client):
    scorecard = compute(make_scorecard(people, geo), people)
    scorecard = services.scorecard_freeze(actor=people["supervisor"], scorecard=scorecard)
    before_results = list(ScoreResult.objects.filter(scorecard=scorecard).values_list("name", "total", "lines"))
    before_page, before_rows = _page_and_export(client, people, scorecard)
    assert len(before_rows) > 1

    # The data changes: items cancelled, a department added.
    small["items"]["A"].status = LocalItemStatus.CANCELLED
    small["items"]["A"].cancel_date = timezone.localdate()
    small["items"]["A"].save()
    _more_departments(geo, 2, "后来")

    with pytest.raises(ValidationError, match="考核已关账"):
        compute(scorecard, people)
    with pytest.raises(ValidationError):
        services.scorecard_save(
            actor=people["supervisor"], scorecard=scorecard, indicators=services.default_indicators()
        )
    assert list(ScoreResult.objects.filter(scorecard=scorecard).values_list("name", "total", "lines")) == before_results
    assert _page_and_export(client, people, scorecard) == (before_page, before_rows)
    # The page offers neither recomputing nor editing.
    page = client.get(f"/reporting/scorecards/{scorecard.pk}/").content.decode()
    assert "重新计算" not in page and "修改指标" not in page


@pytest.mark.django_db
def test_a_scorecard_not_yet_frozen_follows_the_data(small, people, geo):
    """Quiet side of freezing: recomputing a computed scorecard picks up the change."""
    scorecard = compute(make_scorecard(people, geo, ["submission_rate"]), people)
    qc_before = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    small["items"]["D"].status = LocalItemStatus.CANCELLED  # the unsubmitted draft: 6 of 6 submitted now
    small["items"]["D"].cancel_date = timezone.localdate()
    small["items"]["D"].save()
    compute(scorecard, people)
    qc_after = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    assert (line(qc_before, "submission_rate")["value"], line(qc_after, "submission_rate")["value"]) == (85.7, 100.0)


@pytest.mark.django_db
def test_satisfaction_and_bad_grades_rectified_on_time(figures_set, people, geo):  # noqa: F811
    """``tests/evaluation/test_figures``'s set: 教育局 4 evaluations counted, 3 satisfied, 1 bad grade rectified on
    time; the service centre (not ranked, counted for its county) 2 evaluations, none satisfied, 1 bad grade
    rectified late."""
    scorecard = make_scorecard(people, geo, ["satisfaction", "rectification_on_time"])
    scorecard = compute(scorecard, people, today=dt.date(2026, 12, 31))
    edu = result_of(scorecard, kind=UnitKind.DEPARTMENT, organization=figures_set["edu"])
    assert (line(edu, "satisfaction")["numerator"], line(edu, "satisfaction")["denominator"]) == (3, 4)
    assert (line(edu, "rectification_on_time")["numerator"], line(edu, "rectification_on_time")["denominator"]) == (
        1,
        1,
    )
    qc = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    assert (line(qc, "satisfaction")["numerator"], line(qc, "satisfaction")["denominator"]) == (3, 6)
    assert (line(qc, "rectification_on_time")["numerator"], line(qc, "rectification_on_time")["denominator"]) == (1, 2)
    assert not ScoreResult.objects.filter(scorecard=scorecard, organization=figures_set["center"]).exists()
    # Satisfaction 50 % is below the floor of 90 %: nothing; rectification 50 % is at its floor of 50 %: nothing.
    assert (line(qc, "satisfaction")["score"], line(qc, "rectification_on_time")["score"]) == ("0.00", "0.00")
    assert line(edu, "rectification_on_time")["score"] == "50.00"


@pytest.mark.django_db
def test_inspection_scores_and_rectifications_per_department_and_county(casebed, people, geo):  # noqa: F811
    """Two cases of 清城区教育局 scored in an inspection, two rectifications due in the year (one closed on time,
    one late): the department's and the county's mean score and on-time rate; 清新区, not inspected, keeps quiet."""
    from cases.inspection import services as inspection
    from cases.models import InspectedCase
    from tests.cases.inspection_kit import good_case

    for _ in range(2):
        good_case(casebed)
    sup = casebed["center_supervisor"]
    plan = inspection.Plan(
        title="第三季度抽查", kind="periodic", method="random", division=casebed["item"].division,
        period_from=dt.date(2026, 9, 1), period_to=dt.date(2026, 10, 31), stratify_by="department", sample_total=2,
    )  # fmt: skip
    drawn = inspection.inspection_draw(inspection=inspection.inspection_plan(actor=sup, plan=plan), actor=sup, seed=7)
    first, second = drawn.sampled.order_by("pk")
    for sampled, lost in ((first, 0), (second, 15)):  # the second loses the 时限 line's 15 points
        scores = {line.pk: inspection.LineScore(line.suggested) for line in sampled.lines.all()}
        limit = sampled.lines.get(key="rubric:limit")
        scores[limit.pk] = inspection.LineScore(limit.max_points - lost, comment="超期" if lost else "")
        inspection.sampled_score(sampled=sampled, actor=sup, scores=scores)
    InspectedCase.objects.update(scored_at=timezone.make_aware(dt.datetime(2026, 11, 2, 10)))
    on_time = inspection.rectification_open(
        sampled=first, actor=sup, finding="告知书缺失", workdays=5, today=dt.date(2026, 11, 2)
    )
    late = inspection.rectification_open(
        sampled=second, actor=sup, finding="超期未说明", workdays=5, today=dt.date(2026, 11, 2)
    )
    for r, closed_on in ((on_time, dt.date(2026, 11, 5)), (late, dt.date(2026, 11, 20))):
        r = inspection.rectification_reply(rectification=r, actor=casebed["head"], reply="已整改", evidence="记录")
        inspection.rectification_close(rectification=r, actor=sup, today=closed_on)
    scores = sorted(InspectedCase.objects.values_list("score", flat=True))
    assert scores[0] < scores[1]  # the rule fired: the late line cost points

    kinds = ["inspection_score", "inspection_rectification_on_time"]
    scorecard = compute(make_scorecard(people, geo, kinds), people, today=dt.date(2026, 12, 31))
    mean = float((sum(scores) / 2).quantize(D("0.1"), rounding=ROUND_HALF_UP))
    edu = result_of(scorecard, kind=UnitKind.DEPARTMENT, organization=casebed["edu"])
    assert (line(edu, "inspection_score")["denominator"], line(edu, "inspection_score")["value"]) == (2, mean)
    line_on_time = line(edu, "inspection_rectification_on_time")
    assert (line_on_time["numerator"], line_on_time["denominator"], line_on_time["value"]) == (1, 2, 50.0)
    qc = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qc"])
    assert line(qc, "inspection_score")["value"] == mean
    qx = result_of(scorecard, kind=UnitKind.COUNTY, division=geo["qx"])
    assert line(qx, "inspection_score")["value"] is None and line(qx, "inspection_score")["score"] == "50.00"
