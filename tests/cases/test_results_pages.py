"""The public pages of published results: anonymous, searchable, paginated at a constant number of queries, no
personal data beyond the rules; withdrawal by the supervising office only; hostile input answered without a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import PublishedResult
from cases.results.publishing import publish_due_results
from tests.cases.flow import at
from tests.cases.results_kit import ORGANIZATION, PERSON, decided

pytestmark = pytest.mark.django_db

NOW = at("2026-11-30")


@pytest.fixture
def results(casebed):
    decided(casebed, 1, day="2026-11-02", applicant=ORGANIZATION)
    decided(casebed, 2, day="2026-11-03", applicant=PERSON, decision="deny")
    decided(casebed, 3, day="2026-10-12", applicant=PERSON, item=casebed["other_item"])
    publish_due_results(now=NOW)
    return {r.case.number: r for r in PublishedResult.objects.select_related("case")}


def test_the_list_is_public_and_masks_persons(client, results):
    response = client.get(reverse("results:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "清远市示范培训学校有限公司" in body and "91441802MA4UXXXX1X" in body
    assert "欧阳*" in body
    for secret in ("欧阳娜娜", PERSON["applicant_id_number"], PERSON["applicant_phone"], "人民路8号"):
        assert secret not in body


def test_the_detail_shows_the_decision_and_basis_and_no_personal_data(client, results):
    person = results["RESULT-2"]
    body = client.get(reverse("results:detail", args=[person.pk])).content.decode()
    assert "不予" in body and "欧阳*" in body and "清教许字〔2026〕2号" in body
    assert person.basis and person.basis[0]["law"] in body
    for secret in ("欧阳娜娜", PERSON["applicant_id_number"], PERSON["applicant_phone"], "人民路8号", "场地不符合要求"):
        assert secret not in body
    assert "撤回公开" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"RESULT-1", "RESULT-2", "RESULT-3"}),
        ({"decision": "deny"}, {"RESULT-2"}),
        ({"division": "441803"}, {"RESULT-3"}),
        ({"division": "441800"}, {"RESULT-1", "RESULT-2", "RESULT-3"}),
        ({"date_from": "2026-11-01", "date_to": "2026-11-02"}, {"RESULT-1"}),
        ({"q": "继续教育"}, {"RESULT-1", "RESULT-2", "RESULT-3"}),
        ({"q": "没有这个事项"}, set()),
    ],
)
def test_the_list_filters(client, results, query, expected):
    response = client.get(reverse("results:list"), query)
    assert response.status_code == 200
    shown = {n for n, r in results.items() if reverse("results:detail", args=[r.pk]) in response.content.decode()}
    assert shown == expected


def test_filters_by_department_and_item_code(client, results, casebed):
    response = client.get(reverse("results:list"), {"department": casebed["edu"].pk, "q": casebed["item"].code})
    body = response.content.decode()
    assert reverse("results:detail", args=[results["RESULT-1"].pk]) in body
    assert reverse("results:detail", args=[results["RESULT-3"].pk]) not in body


def test_empty_state_and_bad_values_told_at_the_field(client, db):
    assert "暂无公开的行政许可结果" in client.get(reverse("results:list")).content.decode()
    response = client.get(reverse("results:list"), {"date_from": "2026-13-01", "decision": "maybe", "department": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写有效日期" in body and "请从列表中选择" in body
    response = client.get(reverse("results:list"), {"date_from": "2026-11-05", "date_to": "2026-11-01"})
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_withdrawn_results_are_gone_from_the_public_pages(client, results, casebed):
    result = results["RESULT-1"]
    client.force_login(casebed["center_supervisor"])
    assert "撤回公开" in client.get(reverse("results:detail", args=[result.pk])).content.decode()
    response = client.post(reverse("results:withdraw", args=[result.pk]), {"reason": ""})
    assert response.status_code == 400 and "请写明撤回理由" in response.content.decode()
    response = client.post(reverse("results:withdraw", args=[result.pk]), {"reason": "决定已被依法撤销"})
    assert response.status_code == 302
    client.logout()
    assert client.get(reverse("results:detail", args=[result.pk])).status_code == 404
    assert reverse("results:detail", args=[result.pk]) not in client.get(reverse("results:list")).content.decode()
    assert PublishedResult.objects.get(pk=result.pk).withdrawn_by == casebed["center_supervisor"]


def test_withdrawal_is_refused_outside_the_supervising_office(client, results, casebed):
    result = results["RESULT-1"]
    response = client.get(reverse("results:withdraw", args=[result.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    for name in ("outsider", "approver", "qx_window", "city"):
        client.force_login(casebed[name])
        assert client.post(reverse("results:withdraw", args=[result.pk]), {"reason": "越权撤回"}).status_code == 404
    assert PublishedResult.objects.get(pk=result.pk).withdrawn_at is None


def test_the_list_costs_the_same_queries_whatever_the_page_size(client, casebed, django_assert_num_queries):
    for n in range(30):
        decided(casebed, 100 + n, day=dt.date(2026, 10, 1) + dt.timedelta(days=n % 20))
    publish_due_results(now=NOW)
    url = reverse("results:list")
    client.get(url)  # warm the session and caches
    with django_assert_num_queries(4) as few:
        client.get(url, {"q": "继续"})
    PublishedResult.objects.filter(pk__in=PublishedResult.objects.values("pk")[:25]).update(item_name="继续教育2")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url, {"q": "继续", "page": 2})


@pytest.mark.parametrize(
    "query",
    [
        {"department": "99999999999999999999999"},
        {"department": "-1"},
        {"division": "\x00"},
        {"q": "x" * 500},
        {"q": "%_\\'\""},
        {"date_from": "9999-99-99"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
    ],
)
def test_hostile_input_never_breaks_the_list(client, results, query):
    assert client.get(reverse("results:list"), query).status_code in (200, 400)


def test_hostile_ids(client, results):
    assert client.get("/results/99999999999999999999/").status_code == 404
    assert client.get("/results/0/").status_code == 404


def test_the_supervision_page_counts_decisions_not_published_in_time(client, casebed, people):
    overdue = decided(casebed, 1, day="2026-10-12")
    decided(casebed, 2, day="2026-10-12", item=casebed["other_item"])  # 清新区: not the supervisor's county
    client.force_login(casebed["center_supervisor"])
    response = client.get(reverse("cases:supervision"))
    assert response.context["figures"]["unpublished"] == 1
    assert 'data-figure="unpublished">1<' in response.content.decode()
    publish_due_results(case_ids=[overdue.pk])
    PublishedResult.objects.filter(case=overdue).update(published_late=False)  # as if published in time
    assert client.get(reverse("cases:supervision")).context["figures"]["unpublished"] == 0
    client.force_login(people["qx_compliance"])
    assert client.get(reverse("cases:supervision")).context["figures"]["unpublished"] == 1
