"""结果公开: which decisions are published and when, what is copied, the applicant as the rules allow, withdrawal,
and the overdue signal of electronic supervision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import override_settings

from cases.models import Case, PublishedResult
from cases.results.publishing import (
    latest_decision_day,
    publication_due,
    publish_due_results,
    published_result_withdraw,
)
from cases.results.selectors import overdue_publication_count, public_results
from cases.services import case_decide
from cases.tasks import publish_results
from catalogue.models import LocalItem
from core.exceptions import TransitionNotAllowed
from tests.cases.flow import at
from tests.cases.results_kit import ORGANIZATION, PERSON, decided
from tests.cases.test_handling import reviewed

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)  # a Friday


def day_due(today: dt.date, offset: int = 0) -> dt.date:
    """The latest decision day whose publication falls due on ``today`` (offset: days later)."""
    day = latest_decision_day(today)
    return day + dt.timedelta(days=offset)


def test_due_today_is_published_not_yet_due_is_not_and_nothing_twice(casebed):
    due = decided(casebed, 1, day=day_due(TODAY))
    assert publication_due(due.decided_at.date()) <= TODAY
    not_yet = decided(casebed, 2, day=TODAY - dt.timedelta(days=1))
    assert publication_due(TODAY - dt.timedelta(days=1)) > TODAY
    made = publish_due_results(now=at(TODAY, 1))
    assert [r.case_id for r in made] == [due.pk]
    assert not PublishedResult.objects.filter(case=not_yet).exists()
    assert publish_due_results(now=at(TODAY, 2)) == []
    assert PublishedResult.objects.count() == 1
    # Named cases (right after a decision) are published whatever their due day, once.
    assert [r.case_id for r in publish_due_results(now=at(TODAY), case_ids=[not_yet.pk, due.pk])] == [not_yet.pk]


@override_settings(CASE_RESULT_PUBLISH_WORKDAYS=2)
def test_the_limit_comes_from_the_setting(casebed):
    # Tuesday 17 November + 2 working days = Thursday 19th: due before Friday 20th.
    assert publication_due(dt.date(2026, 11, 17)) == dt.date(2026, 11, 19)
    case = decided(casebed, 1, day="2026-11-18")
    assert [r.case_id for r in publish_due_results(now=at(TODAY))] == [case.pk]


def test_only_licensing_items_and_only_grant_or_deny(casebed):
    day = day_due(TODAY, -3)
    grant = decided(casebed, 1, day=day)
    deny = decided(casebed, 2, day=day, decision="deny")
    undecided = decided(casebed, 3, day=day)
    Case.objects.filter(pk=undecided.pk).update(decision="", decided_at=None)
    other = decided(casebed, 4, day=day, item=casebed["other_item"])
    LocalItem.objects.filter(pk=casebed["other_item"].pk).update(item_type="20")  # 公共服务, not 行政许可
    publish_due_results(now=at(TODAY))
    assert set(PublishedResult.objects.values_list("case_id", flat=True)) == {grant.pk, deny.pk}
    assert not PublishedResult.objects.filter(case__in=[undecided, other]).exists()


def test_the_result_is_a_snapshot_with_basis_and_document_number(casebed):
    case = decided(casebed, 1, day=day_due(TODAY), decision="deny")
    (result,) = publish_due_results(now=at(TODAY))
    assert (result.item_name, result.item_code) == (casebed["item"].name, casebed["item"].code)
    assert (result.department_name, result.division_name) == ("清城区教育局", "清城区")
    assert result.decision == "deny" and result.document_number == "清教许字〔2026〕1号"
    laws = [b["law"] for b in result.basis]
    assert laws and "《中华人民共和国行政许可法》" not in laws  # 条件依据 is not a basis of the decision
    Case.objects.filter(pk=case.pk).update(applicant_name="改过的名称", decision="grant")
    LocalItem.objects.filter(pk=casebed["item"].pk).update(name="改过的事项")
    result.refresh_from_db()
    assert (result.applicant_display, result.decision, result.item_name) == (
        ORGANIZATION["applicant_name"],
        "deny",
        casebed["item"].name,
    )


def test_a_case_without_standard_takes_the_catalogues_founding_basis(casebed):
    case = decided(casebed, 1, day=day_due(TODAY))
    Case.objects.filter(pk=case.pk).update(standard=None)
    (result,) = publish_due_results(now=at(TODAY))
    assert result.basis == [{"law": "《教师资格条例》", "doc_number": "国务院令第188号", "article": "第十三条"}]


def test_an_organization_is_shown_with_its_credit_code_a_person_only_masked(casebed):
    day = day_due(TODAY)
    org = decided(casebed, 1, day=day, applicant=ORGANIZATION)
    person = decided(casebed, 2, day=day, applicant=PERSON)
    publish_due_results(now=at(TODAY))
    org_result = PublishedResult.objects.get(case=org)
    assert (org_result.applicant_display, org_result.applicant_credit_code) == (
        "清远市示范培训学校有限公司",
        "91441802MA4UXXXX1X",
    )
    person_result = PublishedResult.objects.get(case=person)
    assert (person_result.applicant_display, person_result.applicant_credit_code) == ("欧阳*", "")
    stored = " ".join(str(v) for v in PublishedResult.objects.filter(case=person).values().first().values())
    for secret in ("欧阳娜娜", PERSON["applicant_id_number"], PERSON["applicant_phone"], "人民路8号", "1234"):
        assert secret not in stored


def test_a_decision_through_the_service_is_published_when_it_commits(casebed, django_capture_on_commit_callbacks):
    case = reviewed(casebed)
    with django_capture_on_commit_callbacks(execute=True):
        case_decide(actor=casebed["head"], case=case, decision="grant", opinion="同意准予许可", at=at("2026-10-09"))
    result = PublishedResult.objects.get(case=case)
    assert result.decided_on == dt.date(2026, 10, 9) and result.published_by is None
    assert result.document_number == case.notices.get(kind="decision").number


def test_the_beat_task_wraps_the_service_and_is_scheduled(casebed):
    decided(casebed, 1, day="2026-01-05")
    assert publish_results() == 1 and publish_results() == 0
    assert settings.CELERY_BEAT_SCHEDULE["cases-publish-results"]["task"] == "cases.tasks.publish_results"


def test_withdrawal_by_the_supervising_office_with_a_reason(casebed):
    decided(casebed, 1, day=day_due(TODAY))
    (result,) = publish_due_results(now=at(TODAY))
    for name in ("outsider", "approver", "city", "qx_window"):
        with pytest.raises(PermissionDenied):
            published_result_withdraw(actor=casebed[name], result=result, reason="信息有误需撤回")
    with pytest.raises(ValidationError) as raised:
        published_result_withdraw(actor=casebed["center_supervisor"], result=result, reason="  ")
    assert "reason" in raised.value.message_dict
    assert public_results().filter(pk=result.pk).exists()
    result = published_result_withdraw(actor=casebed["center_supervisor"], result=result, reason="决定已被依法撤销")
    assert result.withdrawn_by == casebed["center_supervisor"] and result.withdrawal_reason == "决定已被依法撤销"
    assert not public_results().filter(pk=result.pk).exists()
    assert PublishedResult.objects.filter(pk=result.pk).exists()  # kept
    with pytest.raises(TransitionNotAllowed):
        published_result_withdraw(actor=casebed["bianban"], result=result, reason="再撤回一次")
    with pytest.raises(ValidationError):
        result.delete()
    assert publish_due_results(now=at(TODAY)) == []  # a withdrawn result is never published again


def test_overdue_publication_counts_unpublished_past_due_and_published_late(casebed, django_assert_num_queries):
    late_day = day_due(TODAY) - dt.timedelta(days=7)
    overdue = decided(casebed, 1, day=late_day)
    decided(casebed, 2, day=day_due(TODAY))  # due today: not overdue yet
    decided(casebed, 3, day=TODAY)  # not due
    with django_assert_num_queries(1):
        assert overdue_publication_count(Case.objects.all(), TODAY) == 1
    publish_due_results(now=at(TODAY))  # published today, past its limit: late
    assert PublishedResult.objects.get(case=overdue).published_late
    with django_assert_num_queries(1):
        assert overdue_publication_count(Case.objects.all(), TODAY) == 1
    on_time = PublishedResult.objects.exclude(case=overdue)
    assert not on_time.filter(published_late=True).exists()
    # Quiet: nothing overdue when everything was published in time.
    PublishedResult.objects.filter(case=overdue).update(published_late=False)
    assert overdue_publication_count(Case.objects.all(), TODAY) == 0
