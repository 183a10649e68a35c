"""Giving an evaluation: one per case and one per visit, the indicator set's version kept, the unit that owns a grade,
and a bad grade opening its rectification while a good one opens nothing."""

from __future__ import annotations

import pytest

from cases.models import CaseStatus
from core.exceptions import TransitionNotAllowed, ValidationError
from evaluation.models import Evaluation, EvaluationScore, Indicator, IndicatorKind, IndicatorSet, Rectification, Stage
from evaluation.services import (
    AlreadyEvaluated,
    EvaluationInput,
    evaluation_submit_for_case,
    evaluation_submit_for_visit,
)
from hall.models import TicketStatus

from .conftest import at, make_case, make_ticket

ONLINE = ("overall", "efficiency", "guide_accuracy", "convenience", "usability")
COUNTER = ("overall", "efficiency", "service_level", "attitude")


def online(grade: int, **kw) -> EvaluationInput:
    grades = dict.fromkeys(ONLINE, grade) | kw.pop("grades", {})
    return EvaluationInput(grades=grades, **kw)


def counter(grade: int, **kw) -> EvaluationInput:
    grades = dict.fromkeys(COUNTER, grade) | kw.pop("grades", {})
    return EvaluationInput(grades=grades, **kw)


def test_a_case_is_evaluated_once_and_a_second_try_changes_nothing(casebed):
    case = make_case(casebed)
    first = evaluation_submit_for_case(case=case, data=online(5, comment="很好"), at=at("2026-09-30"))
    with pytest.raises(AlreadyEvaluated):
        evaluation_submit_for_case(case=case, data=online(1, comment="改主意了"), at=at("2026-10-09"))
    assert list(Evaluation.objects.values_list("pk", "grade", "comment")) == [(first.pk, 5, "很好")]
    assert EvaluationScore.objects.count() == len(ONLINE)
    assert not Rectification.objects.exists()


def test_the_database_keeps_one_evaluation_per_case_even_past_the_service(casebed):
    case = make_case(casebed)
    evaluation_submit_for_case(case=case, data=online(4))
    original = Evaluation.objects.get()
    duplicate = Evaluation(
        target="case",
        indicator_set=original.indicator_set,
        grade=3,
        channel="online",
        case=case,
        organization=casebed["edu"],
        division=original.division,
        submitted_at=original.submitted_at,
    )
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, whichever database
        duplicate.save()


def test_a_visit_is_evaluated_once(hallbed):
    ticket = make_ticket(hallbed)
    evaluation_submit_for_visit(ticket=ticket, data=counter(5))
    with pytest.raises(AlreadyEvaluated):
        evaluation_submit_for_visit(ticket=ticket, data=counter(1))
    assert Evaluation.objects.get().grade == 5


def test_a_visit_that_became_a_case_and_the_case_are_two_evaluations(hallbed):
    case = make_case(hallbed)
    ticket = make_ticket(hallbed, case=case)
    visit = evaluation_submit_for_visit(ticket=ticket, data=counter(5))
    whole = evaluation_submit_for_case(case=case, data=online(4))
    assert visit.case == case and whole.case == case
    assert visit.indicator_set.kind == IndicatorKind.COUNTER and whole.indicator_set.kind == IndicatorKind.ONLINE
    # The case's evaluation names the window the visit was served at.
    assert whole.window == hallbed["dept_window"]


def test_a_case_is_evaluated_after_its_result_and_a_visit_after_the_window_served_it(hallbed):
    with pytest.raises(TransitionNotAllowed):
        evaluation_submit_for_case(case=make_case(hallbed, status=CaseStatus.IN_PROGRESS), data=online(5))
    with pytest.raises(TransitionNotAllowed):
        evaluation_submit_for_visit(ticket=make_ticket(hallbed, status=TicketStatus.WAITING), data=counter(5))
    assert not Evaluation.objects.exists()
    # A refusal at the window has a result too.
    assert evaluation_submit_for_case(case=make_case(hallbed, status=CaseStatus.NOT_ACCEPTED), data=online(3))


def test_every_indicator_needs_its_stars_and_a_real_name_needs_name_and_phone(casebed):
    case = make_case(casebed)
    with pytest.raises(ValidationError) as missing:
        evaluation_submit_for_case(case=case, data=online(5, grades={"usability": None}))
    assert "grade_usability" in missing.value.message_dict
    with pytest.raises(ValidationError) as real:
        evaluation_submit_for_case(case=case, data=online(5, real_name=True, name="", phone="123"))
    assert set(real.value.message_dict) == {"name", "phone"}
    assert not Evaluation.objects.exists()
    named = evaluation_submit_for_case(case=case, data=online(5, real_name=True, name="张三", phone="13912345678"))
    assert (named.is_real_name, named.name, named.phone) == (True, "张三", "13912345678")


def test_an_anonymous_evaluation_keeps_no_name_even_if_typed(casebed):
    evaluation = evaluation_submit_for_case(case=make_case(casebed), data=online(5, name="张三", phone="13912345678"))
    assert (evaluation.is_real_name, evaluation.name, evaluation.phone) == (False, "", "")


def test_the_evaluation_keeps_the_indicator_set_version_it_was_given_under(casebed):
    old = evaluation_submit_for_case(case=make_case(casebed), data=online(5))
    v1 = IndicatorSet.objects.get(kind=IndicatorKind.ONLINE, version=1)
    v1.is_current = False
    v1.save()
    v2 = IndicatorSet.objects.create(kind=IndicatorKind.ONLINE, version=2)
    Indicator.objects.create(indicator_set=v2, code="overall", name="整体满意度", position=0)
    Indicator.objects.create(indicator_set=v2, code="speed", name="办事速度", position=1)
    new = evaluation_submit_for_case(case=make_case(casebed), data=EvaluationInput(grades={"overall": 4, "speed": 4}))
    old.refresh_from_db()
    assert (old.indicator_set.version, new.indicator_set.version) == (1, 2)
    assert old.scores.count() == 5 and new.scores.count() == 2


def test_a_bad_grade_opens_a_rectification_owned_by_the_case_unit_and_a_good_one_does_not(casebed):
    good = evaluation_submit_for_case(case=make_case(casebed), data=online(3), at=at("2026-09-28"))
    bad = evaluation_submit_for_case(case=make_case(casebed), data=online(2), at=at("2026-09-28"))
    worst = evaluation_submit_for_case(case=make_case(casebed), data=online(1), at=at("2026-09-28"))
    assert not Rectification.objects.filter(evaluation=good).exists()
    assert set(Rectification.objects.values_list("evaluation_id", flat=True)) == {bad.pk, worst.pk}
    r = Rectification.objects.get(evaluation=bad)
    assert (r.organization, r.stage) == (casebed["edu"], Stage.VERIFY)


def test_the_overall_grade_is_the_evaluation_grade_not_the_lowest_indicator(casebed):
    evaluation = evaluation_submit_for_case(case=make_case(casebed), data=online(4, grades={"usability": 1}))
    assert evaluation.grade == 4
    assert not Rectification.objects.exists()


def test_a_visit_grade_belongs_to_the_window_department_or_at_a_general_window_to_the_hall(hallbed):
    at_department = evaluation_submit_for_visit(ticket=make_ticket(hallbed), data=counter(1))
    at_general = evaluation_submit_for_visit(
        ticket=make_ticket(hallbed, window=hallbed["general_window"], staff=hallbed["center_window"]), data=counter(2)
    )
    assert at_department.organization == hallbed["edu"]
    assert at_department.rectification.organization == hallbed["edu"]
    assert at_general.organization == hallbed["center"]
    assert at_general.rectification.organization == hallbed["center"]
    assert (at_general.window, at_general.staff) == (hallbed["general_window"], hallbed["center_window"])


def test_a_bad_grade_tells_the_unit_heads_with_a_link_to_the_rectification(casebed):
    from django.urls import reverse

    from core.models import Notification

    evaluation_submit_for_case(case=make_case(casebed), data=online(5))
    assert not Notification.objects.filter(key__startswith="eval-rect:").exists()
    bad = evaluation_submit_for_case(case=make_case(casebed), data=online(2), at=at("2026-09-30"))
    told = Notification.objects.get(key=f"eval-rect:{bad.rectification.pk}")
    assert told.recipient == casebed["head"]
    assert told.url == reverse("evaluation:rectification", args=[bad.rectification.pk])
    assert "2026-10-13" in told.body
