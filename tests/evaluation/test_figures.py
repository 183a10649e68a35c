"""The figures per window, staff member, item, department and county, on a hand-made set: each one SQL query."""

from __future__ import annotations

import pytest

from evaluation import selectors
from evaluation.services import (
    EvaluationInput,
    appeal_decide,
    appeal_file,
    evaluation_submit_for_case,
    evaluation_submit_for_visit,
    rectification_advance,
)

from .conftest import at, make_case, make_ticket

ONLINE = ("overall", "efficiency", "guide_accuracy", "convenience", "usability")
COUNTER = ("overall", "efficiency", "service_level", "attitude")


def visit(bed, grade: int, window=None, **kw):
    staff = bed["center_window"] if window is not None else bed["window"]
    ticket = make_ticket(bed, window=window, staff=staff)
    return evaluation_submit_for_visit(
        ticket=ticket, data=EvaluationInput(dict.fromkeys(COUNTER, grade), **kw), at=at("2026-09-30")
    )


def close(evaluation, who, days: list[str], **call) -> None:
    r = evaluation.rectification
    for i, day in enumerate(days):
        extra = call if i == len(days) - 1 else {}
        r = rectification_advance(rectification=r, actor=who, note="已办理并记录", at=at(day), **extra)


@pytest.fixture
def figures_set(hallbed):
    """A01 (教育局): 5, 4, and a real-name 1 followed up on time; Z01 (the centre): 3, and an anonymous 2 rectified
    late; two case evaluations of 教育局: 5, and a 2 whose appeal was upheld."""
    bed = hallbed
    visit(bed, 5)
    visit(bed, 4)
    worst = visit(bed, 1, real_name=True, name="李四", phone="13912345678")
    close(worst, bed["approver"], ["2026-10-09"] * 4, call_at=at("2026-10-09", 15), call_by="王五", call_result="满意")
    visit(bed, 3, window=bed["general_window"])
    late = visit(bed, 2, window=bed["general_window"])
    close(late, bed["center_supervisor"], ["2026-10-14", "2026-10-14", "2026-10-14", "2026-10-14"])
    evaluation_submit_for_case(case=make_case(bed), data=EvaluationInput(dict.fromkeys(ONLINE, 5)))
    appealed = evaluation_submit_for_case(
        case=make_case(bed), data=EvaluationInput(dict.fromkeys(ONLINE, 2) | {"guide_accuracy": 3})
    )
    appeal = appeal_file(evaluation=appealed, actor=bed["head"], reason="mistaken", statement="申请人误点差评")
    appeal_decide(appeal=appeal, actor=bed["center_supervisor"], upheld=True, note="已核实")
    return bed


def by_key(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_department_figures(figures_set, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = by_key(selectors.department_figures(None), "organization_id")
    edu, center = rows[figures_set["edu"].pk], rows[figures_set["center"].pk]
    assert {k: edu[k] for k in ("evaluations", "satisfied", "satisfaction", "mean_grade", "bad")} == {
        "evaluations": 4,
        "satisfied": 3,
        "satisfaction": 0.75,
        "mean_grade": 3.75,
        "bad": 1,
    }
    assert (edu["rectified_on_time"], edu["on_time_rate"], edu["real_name_bad"], edu["follow_up_rate"]) == (
        1,
        1.0,
        1,
        1.0,
    )
    assert (edu["appeals"], edu["appeals_upheld"]) == (1, 1)
    assert (center["evaluations"], center["satisfaction"], center["mean_grade"], center["bad"]) == (2, 0.0, 2.5, 1)
    assert (center["rectified"], center["rectified_on_time"], center["on_time_rate"]) == (1, 0, 0.0)
    assert (center["real_name_bad"], center["follow_up_rate"], center["appeals"]) == (0, None, 0)


def test_window_staff_item_and_county_figures(figures_set, django_assert_num_queries):
    bed = figures_set
    with django_assert_num_queries(1):
        windows = by_key(selectors.window_figures(None), "window_id")
    assert set(windows) == {bed["dept_window"].pk, bed["general_window"].pk}  # the cases were not served at one
    a01 = windows[bed["dept_window"].pk]
    assert (a01["window__number"], a01["evaluations"], a01["satisfied"], a01["mean_grade"]) == ("A01", 3, 2, 3.33)

    staff = by_key(selectors.staff_figures(None), "staff_id")
    # The cases' evaluations go to the clerk who accepted them (``window``).
    assert (staff[bed["window"].pk]["evaluations"], staff[bed["center_window"].pk]["evaluations"]) == (4, 2)

    (item,) = selectors.item_figures(None)
    assert (item["local_item_id"], item["evaluations"], item["satisfaction"], item["bad"]) == (
        bed["item"].pk,
        6,
        0.5,
        2,
    )
    (county,) = selectors.county_figures(None)
    assert (county["division__name"], county["evaluations"], county["appeals_upheld"]) == ("清城区", 6, 1)


def test_figures_follow_the_reader_scope_and_the_dates(figures_set):
    bed = figures_set
    assert selectors.department_figures(bed["qx_window"]) == []
    mine = selectors.department_figures(bed["approver"])
    assert [row["organization_id"] for row in mine] == [bed["edu"].pk]
    (visits,) = selectors.county_figures(None, end=at("2026-09-30").date())
    assert (visits["evaluations"], visits["bad"]) == (5, 2)
    (cases,) = selectors.county_figures(None, start=at("2026-10-01").date())
    assert (cases["evaluations"], cases["appeals"]) == (1, 1)  # the case evaluations were given later (today)
