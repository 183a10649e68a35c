"""The draw (reproducible from its seed), scoring (refusals save nothing), permissions, and the rectification's
flow and lateness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.inspection import draw as drawing
from cases.inspection import services
from cases.inspection.selectors import inspection_figures
from cases.models import InspectedCase, Inspection, RectificationState, ScoreLine
from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError
from core.models import Notification

from .inspection_kit import good_case

pytestmark = pytest.mark.django_db
PERIOD = (dt.date(2026, 9, 1), dt.date(2026, 10, 31))


def plan(bed, actor, **fields) -> Inspection:
    values = {
        "title": "第三季度抽查", "kind": "periodic", "method": "random", "division": bed["item"].division,
        "period_from": PERIOD[0], "period_to": PERIOD[1], "stratify_by": "department", "sample_total": 3,
    }  # fmt: skip
    values.update(fields)
    return services.inspection_plan(actor=actor, plan=services.Plan(**values))


@pytest.fixture
def finished(casebed, orgs):
    cases = [good_case(casebed) for _ in range(5)]
    cases += [good_case(casebed, organization=orgs["other_dept"]) for _ in range(3)]
    return cases


def test_the_draw_is_reproducible_from_its_seed(casebed, finished):
    inspection = plan(casebed, casebed["center_supervisor"])
    inspection = services.inspection_draw(inspection=inspection, actor=casebed["center_supervisor"], seed=4242)
    assert inspection.seed == 4242 and len(inspection.drawn_case_ids) == 3
    assert list(inspection.sampled.values_list("case_id", flat=True)) == inspection.drawn_case_ids
    again = services.draw_of(inspection, 4242)
    assert again.case_ids == inspection.drawn_case_ids and again.strata == inspection.strata
    assert sum(s["population"] for s in inspection.strata) == 8
    assert sorted(s["drawn"] for s in inspection.strata) == [1, 2]  # 3 split 5:3
    seeds = {tuple(services.draw_of(inspection, seed).case_ids) for seed in range(1, 30)}
    assert len(seeds) > 1  # the seed matters


def test_allocation_and_per_stratum():
    assert drawing.allocate([5, 3], 3) == [2, 1]
    assert drawing.allocate([1, 1], 5) == [1, 1]
    members = [drawing.Member(i, i % 2, str(i % 2)) for i in range(1, 11)]
    result = drawing.draw(members, seed=7, per_stratum=2)
    assert [s["drawn"] for s in result.strata] == [2, 2]
    assert drawing.draw(list(reversed(members)), seed=7, per_stratum=2).case_ids == result.case_ids


def test_point_and_fixed_methods(casebed, finished, orgs):
    sup = casebed["center_supervisor"]
    chosen = plan(casebed, sup, method="point", chosen_numbers=(finished[2].number, finished[0].number))
    chosen = services.inspection_draw(inspection=chosen, actor=sup)
    assert chosen.drawn_case_ids == [finished[2].pk, finished[0].pk] and chosen.seed is None
    fixed = plan(casebed, sup, method="fixed", organization=orgs["other_dept"], sample_total=None)
    fixed = services.inspection_draw(inspection=fixed, actor=sup, seed=1)
    assert sorted(fixed.drawn_case_ids) == sorted(c.pk for c in finished[5:])
    wrong = plan(casebed, sup, method="point", chosen_numbers=("NO-SUCH",))
    with pytest.raises(ValidationError):
        services.inspection_draw(inspection=wrong, actor=sup)
    assert not wrong.sampled.exists()


def test_plans_are_checked(casebed):
    with pytest.raises(ValidationError) as caught:
        plan(casebed, casebed["center_supervisor"], sample_total=None, period_to=dt.date(2026, 8, 1))
    assert {"per_stratum", "period_to"} <= set(caught.value.message_dict)
    assert not Inspection.objects.exists()


def test_other_county_and_departments_may_not_plan_or_draw(casebed, people, finished):
    with pytest.raises(PermissionDenied):
        plan(casebed, people["qx_compliance"])
    with pytest.raises(PermissionDenied):
        plan(casebed, casebed["head"])
    inspection = plan(casebed, casebed["bianban"])
    with pytest.raises(PermissionDenied):
        services.inspection_draw(inspection=inspection, actor=people["qx_compliance"])


def _drawn(bed):
    inspection = plan(bed, bed["center_supervisor"], sample_total=2)
    return services.inspection_draw(inspection=inspection, actor=bed["center_supervisor"], seed=99)


def _scores(sampled, **override):
    return {line.pk: services.LineScore(override.get(line.key, line.suggested)) for line in sampled.lines.all()}


def test_scoring_refuses_points_above_the_maximum_and_saves_nothing(casebed, finished):
    sampled = _drawn(casebed).sampled.first()
    scores = _scores(sampled, **{"rubric:limit": 16})
    with pytest.raises(ValidationError) as caught:
        services.sampled_score(sampled=sampled, actor=casebed["center_supervisor"], scores=scores)
    line = sampled.lines.get(key="rubric:limit")
    assert services.line_field(line, "points") in caught.value.message_dict
    assert not ScoreLine.objects.filter(points__isnull=False).exists()
    assert InspectedCase.objects.get(pk=sampled.pk).score is None


def test_an_override_needs_a_comment_and_the_score_is_out_of_100(casebed, finished):
    sampled = _drawn(casebed).sampled.first()
    scores = _scores(sampled, **{"rubric:limit": 5})
    with pytest.raises(ValidationError) as caught:
        services.sampled_score(sampled=sampled, actor=casebed["center_supervisor"], scores=scores)
    assert list(caught.value.message_dict) == [services.line_field(sampled.lines.get(key="rubric:limit"), "comment")]
    line = sampled.lines.get(key="rubric:limit")
    scores[line.pk] = services.LineScore(5, "案卷第3页", "超时10天")
    sampled = services.sampled_score(sampled=sampled, actor=casebed["center_supervisor"], scores=scores)
    total = sum(sampled.lines.values_list("max_points", flat=True))
    assert sampled.points == total - 10 and sampled.max_points == total
    assert sampled.score == services.hundred(total - 10, total)
    with pytest.raises(PermissionDenied):
        services.sampled_score(sampled=sampled, actor=casebed["head"], scores=scores)


def test_rectification_flow_lateness_and_inbox(casebed, finished):
    inspection = _drawn(casebed)
    sampled = inspection.sampled.filter(organization=casebed["edu"]).first()
    sup, head = casebed["center_supervisor"], casebed["head"]
    with pytest.raises(ValidationError):
        services.rectification_open(sampled=sampled, actor=sup, finding=" ", workdays=0)
    r = services.rectification_open(
        sampled=sampled, actor=sup, finding="告知书缺失", workdays=5, today=dt.date(2026, 9, 30)
    )
    assert r.due == dt.date(2026, 10, 13)  # Oct 1–7 off, Saturday Oct 10 worked
    assert Notification.objects.filter(recipient=head, key=f"inspection-rectification:{r.pk}").exists()
    assert not services.is_late(r, dt.date(2026, 10, 13)) and services.is_late(r, dt.date(2026, 10, 14))
    with pytest.raises(PermissionDenied):
        services.rectification_reply(rectification=r, actor=casebed["outsider"], reply="x")
    with pytest.raises(TransitionNotAllowed):
        services.rectification_close(rectification=r, actor=sup)
    r = services.rectification_reply(rectification=r, actor=head, reply="已补发告知书", evidence="补发记录")
    with pytest.raises(ValidationError):
        services.rectification_return(rectification=r, actor=sup, note="")
    r = services.rectification_return(rectification=r, actor=sup, note="请附佐证")
    assert (r.state, r.returned_count) == (RectificationState.OPEN, 1)
    r = services.rectification_reply(rectification=r, actor=head, reply="已补发", evidence="附件")
    with pytest.raises(PermissionDenied):
        services.rectification_close(rectification=r, actor=head)
    r = services.rectification_close(rectification=r, actor=sup, today=dt.date(2026, 10, 14))
    assert r.state == RectificationState.CLOSED and services.is_late(r, dt.date(2026, 10, 20))
    figures = inspection_figures(
        division_codes=[casebed["item"].division.code], date_from=dt.date(2026, 10, 1), date_to=dt.date(2026, 10, 31)
    )
    assert figures[casebed["edu"].pk].rectifications_due == 1
    assert figures[casebed["edu"].pk].rectifications_on_time == 0


def test_finishing_needs_every_case_scored(casebed, finished):
    inspection = _drawn(casebed)
    sup = casebed["center_supervisor"]
    with pytest.raises(ValidationError):
        services.inspection_finish(inspection=inspection, actor=sup)
    for sampled in inspection.sampled.all():
        services.sampled_score(sampled=sampled, actor=sup, scores=_scores(sampled))
    assert services.inspection_finish(inspection=inspection, actor=sup).state == "finished"
    figures = inspection_figures(organization_ids=[casebed["edu"].pk], date_from=dt.date(2000, 1, 1),
                                 date_to=dt.date(2100, 1, 1))  # fmt: skip
    assert figures[casebed["edu"].pk].inspected == inspection.sampled.filter(organization=casebed["edu"]).count()


def test_inspection_figures_take_three_queries(casebed, finished, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        inspection_figures(division_codes=["441802"], date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31))


def test_other_county_gets_404_and_departments_see_only_their_lines(client, casebed, finished, people):
    inspection = _drawn(casebed)
    client.force_login(people["qx_compliance"])
    assert client.get(reverse("cases:inspection", args=[inspection.pk])).status_code in (403, 404)
    sampled = inspection.sampled.first()
    assert client.get(reverse("cases:inspection_score", args=[sampled.pk])).status_code in (403, 404)
    client.force_login(casebed["head"])
    response = client.get(reverse("cases:inspection", args=[inspection.pk]))
    assert response.status_code == 200
    assert {s.organization_id for s in response.context["sample"]} == {casebed["edu"].pk}
