"""A guide-accuracy complaint opens a revision task on the item's standard (inbox of the department's clerks and
heads, with a link to the standard, and a record); a finished case with no evaluation is invited once, never twice."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.urls import reverse

from cases.models import CaseStatus
from core.models import Notification
from evaluation.models import Invitation, RevisionRequest
from evaluation.services import (
    EvaluationInput,
    evaluation_submit_for_case,
    evaluation_submit_for_visit,
    invitations_send,
)
from evaluation.services.invitations import invitation_cutoff
from evaluation.tasks import invite_evaluations

from .conftest import make_case, make_ticket

ONLINE = ("overall", "efficiency", "guide_accuracy", "convenience", "usability")
COUNTER = ("overall", "efficiency", "service_level", "attitude")


def online(overall: int, guide: int, **kw) -> EvaluationInput:
    return EvaluationInput(grades=dict.fromkeys(ONLINE, overall) | {"guide_accuracy": guide}, **kw)


def test_guide_accuracy_graded_dissatisfied_opens_a_revision_task_for_the_department(casebed):
    evaluation = evaluation_submit_for_case(case=make_case(casebed), data=online(4, 2, comment="材料清单与实际不符"))
    request = RevisionRequest.objects.get(evaluation=evaluation)
    assert (request.local_item, request.standard, request.organization) == (
        casebed["item"],
        casebed["standard"],
        casebed["edu"],
    )
    told = Notification.objects.filter(key=f"eval-guide:{evaluation.pk}")
    clerk = User.objects.get(username="clerk")
    assert set(told.values_list("recipient", flat=True)) == {clerk.pk, casebed["head"].pk}
    assert request.notified == 2
    assert told.first().url == reverse("standards:detail", args=[casebed["standard"].pk])
    assert "材料清单与实际不符" in told.first().body


def test_guide_accuracy_basic_or_better_opens_nothing(casebed):
    evaluation_submit_for_case(case=make_case(casebed), data=online(1, 3))
    evaluation_submit_for_case(case=make_case(casebed), data=online(5, 5))
    assert not RevisionRequest.objects.exists()
    assert not Notification.objects.filter(key__startswith="eval-guide:").exists()


def test_a_bad_visit_grade_with_the_guide_category_opens_the_revision_task(hallbed):
    grades = dict.fromkeys(COUNTER, 2)
    guide = evaluation_submit_for_visit(ticket=make_ticket(hallbed), data=EvaluationInput(grades, category="guide"))
    other = evaluation_submit_for_visit(ticket=make_ticket(hallbed), data=EvaluationInput(grades, category="attitude"))
    happy = evaluation_submit_for_visit(
        ticket=make_ticket(hallbed), data=EvaluationInput(dict.fromkeys(COUNTER, 5), category="guide")
    )
    assert list(RevisionRequest.objects.values_list("evaluation", flat=True)) == [guide.pk]
    assert (other.category, happy.category) == ("attitude", "")


def test_the_invitation_waits_three_working_days_across_the_holiday(casebed):
    case = make_case(casebed, finished="2026-09-30")
    # Oct 1–7 are closed: on Oct 7 no working day has passed since Sep 30, however many calendar days did.
    assert invitation_cutoff(dt.date(2026, 10, 7), 3) < dt.date(2026, 9, 30)
    assert invitations_send(today=dt.date(2026, 10, 7)) == 0
    assert invitations_send(today=dt.date(2026, 10, 8)) == 0  # one working day (Oct 8)
    assert invitations_send(today=dt.date(2026, 10, 9)) == 0  # two
    assert invitations_send(today=dt.date(2026, 10, 10)) == 1  # three: the make-up Saturday counts
    invitation = Invitation.objects.get()
    assert (invitation.case, invitation.channel, invitation.phone) == (case, "sms", "13800005678")


def test_a_case_is_invited_once_never_twice(casebed):
    make_case(casebed, finished="2026-09-21")
    assert invite_evaluations("2026-09-30") == 1
    assert invite_evaluations("2026-09-30") == 0
    assert invite_evaluations("2026-10-12") == 0
    assert Invitation.objects.count() == 1


def test_an_evaluated_an_open_or_an_ancient_case_is_not_invited(casebed, settings):
    evaluated = make_case(casebed, finished="2026-09-21")
    evaluation_submit_for_case(case=evaluated, data=online(5, 5))
    make_case(casebed, status=CaseStatus.IN_PROGRESS)
    make_case(casebed, finished="2026-06-01")  # months before: switching the job on does not reach it
    make_case(casebed, finished="2026-09-21", applicant_phone="")  # no number to send to
    assert invitations_send(today=dt.date(2026, 9, 30)) == 0
    assert not Invitation.objects.exists()


def test_the_standard_page_lists_the_guide_complaints_for_its_readers(casebed):
    from django.test import Client

    url = reverse("standards:detail", args=[casebed["standard"].pk])
    clerk = Client()
    clerk.force_login(User.objects.get(username="clerk"))
    assert "办事指南精确度投诉" not in clerk.get(url).content.decode()
    evaluation_submit_for_case(case=make_case(casebed), data=online(3, 1, comment="收费标准写错了"))
    page = clerk.get(url).content.decode()
    assert "办事指南精确度投诉" in page and "收费标准写错了" in page
    outsider = Client()
    outsider.force_login(casebed["qx_window"])
    assert "收费标准写错了" not in outsider.get(url).content.decode()
