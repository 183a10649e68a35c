"""The case API for staff: signed in, scoped like the pages, personal data always masked, filters checked, and a
page costs the same number of queries whatever its size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cases.models import AlertLevel, Case, CaseMaterial, CaseStatus, CaseStep, StepKind
from tests.factories import UserFactory

LIST = "/api/v1/cases/"


def make_case(bed, number: str, **fields) -> Case:
    values = {
        "number": number,
        "local_item": bed["item"],
        "standard": bed["standard"],
        "organization": bed["edu"],
        "division": bed["item"].division,
        "applicant_name": "张三",
        "applicant_id_number": "440102199001011234",
        "applicant_phone": "13800001234",
        "received_at": timezone.now(),
    }
    values.update(fields)
    return Case.objects.create(**values)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def numbers(response) -> list[str]:
    return [row["number"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_anonymous_callers_are_refused_with_json(casebed):
    make_case(casebed, "N1")
    for url in (LIST, f"{LIST}N1/"):
        response = Client().get(url)
        assert response.status_code == 401
        assert response.json()["status"] == 401


@pytest.mark.django_db
def test_a_user_without_a_case_role_is_refused(casebed):
    response = client_for(UserFactory(username="nobody")).get(LIST)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_the_list_and_the_case_are_scoped_like_the_pages(casebed):
    make_case(casebed, "N1")
    make_case(
        casebed,
        "N2",
        local_item=casebed["other_item"],
        organization=casebed["other_item"].organization,
        division=casebed["other_item"].division,
    )
    assert numbers(client_for(casebed["window"]).get(LIST)) == ["N1"]
    assert numbers(client_for(casebed["qx_window"]).get(LIST)) == ["N2"]
    assert numbers(client_for(casebed["outsider"]).get(LIST)) == []
    assert client_for(casebed["outsider"]).get(f"{LIST}N1/").status_code == 404
    assert sorted(numbers(client_for(casebed["city"]).get(LIST))) == ["N1", "N2"]


@pytest.mark.django_db
def test_a_staff_token_opens_the_list(casebed):
    make_case(casebed, "N1")
    token = Token.objects.create(user=casebed["approver"])
    response = Client(HTTP_AUTHORIZATION=f"Token {token.key}").get(LIST)
    assert numbers(response) == ["N1"]
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_id_number_and_phone_are_masked_in_list_and_detail_even_for_the_handling_staff(casebed):
    make_case(casebed, "N1")
    client = client_for(casebed["approver"])
    row = client.get(LIST).json()["results"][0]
    detail = client.get(f"{LIST}N1/").json()
    for body in (row, detail):
        assert body["applicant_id_number"] == "4401**********1234"
        assert body["applicant_phone"] == "138****1234"
    for response in (client.get(LIST), client.get(f"{LIST}N1/")):
        assert b"440102199001011234" not in response.content
        assert b"13800001234" not in response.content


@pytest.mark.django_db
def test_the_detail_nests_steps_materials_and_labels(casebed):
    case = make_case(casebed, "N1", status=CaseStatus.IN_PROGRESS, current_step=StepKind.REVIEW)
    CaseStep.objects.create(case=case, seq=1, kind=StepKind.ACCEPT, actor_name="李四", opinion="齐全")
    CaseStep.objects.create(case=case, seq=2, kind=StepKind.REVIEW, actor_name="王五")
    CaseMaterial.objects.create(case=case, name="申请书", received=True)
    body = client_for(casebed["approver"]).get(f"{LIST}N1/").json()
    assert [(s["seq"], s["kind"], s["kind_label"], s["actor_name"]) for s in body["steps"]] == [
        (1, "accept", "受理", "李四"),
        (2, "review", "审查", "王五"),
    ]
    assert body["materials"][0]["name"] == "申请书"
    assert (body["status_label"], body["item_code"]) == ("在办", casebed["item"].code)


@pytest.mark.django_db
def test_filters_narrow_the_list_and_a_wrong_value_is_a_400_naming_it(casebed):
    make_case(casebed, "A", status=CaseStatus.IN_PROGRESS, accepted_at=timezone.now(), accepted_on=dt.date(2026, 9, 30))
    make_case(
        casebed,
        "B",
        status=CaseStatus.SUPPLEMENT,
        alert_level=AlertLevel.RED,
        received_at=timezone.now() - dt.timedelta(1),
    )
    client = client_for(casebed["window"])
    assert numbers(client.get(LIST, {"status": "in_progress"})) == ["A"]
    assert numbers(client.get(LIST, {"alert_level": "red"})) == ["B"]
    assert numbers(client.get(LIST, {"alert_level": "none"})) == ["A"]
    assert numbers(client.get(LIST, {"accepted_from": "2026-09-30", "accepted_to": "2026-10-08"})) == ["A"]
    assert numbers(client.get(LIST, {"accepted_from": "2026-10-08"})) == []
    assert numbers(client.get(LIST, {"item": casebed["item"].code.lower()})) == ["A", "B"]
    assert numbers(client.get(LIST, {"organization": casebed["edu"].uscc})) == ["A", "B"]
    assert numbers(client.get(LIST, {"division": "441803"})) == []
    for params in ({"status": "lost"}, {"accepted_from": "2026-02-30"}, {"alert_level": "green"}, {"page_size": "0"}):
        response = client.get(LIST, params)
        assert response.status_code == 400, params
        assert set(response.json()["errors"]) == set(params)


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_page_costs_the_same_queries_for_20_or_100_rows(casebed, sender_for_api):
    now = timezone.now()
    Case.objects.bulk_create(
        [
            Case(
                number=f"N{i:03}",
                local_item=casebed["item"],
                organization=casebed["edu"],
                division=casebed["item"].division,
                applicant_name="张三",
                applicant_phone="13800001234",
                received_at=now - dt.timedelta(minutes=i),
                external_system=sender_for_api if i % 2 else None,
            )
            for i in range(100)
        ]
    )
    client = client_for(casebed["window"])
    small = _queries(client, LIST, {"page_size": 20})
    large = _queries(client, LIST, {"page_size": 100})
    assert small == large


@pytest.mark.django_db
def test_the_case_page_costs_the_same_queries_for_2_or_20_steps(casebed):
    few, many = make_case(casebed, "FEW"), make_case(casebed, "MANY")
    for case, count in ((few, 2), (many, 20)):
        CaseStep.objects.bulk_create(CaseStep(case=case, seq=i + 1, kind=StepKind.REVIEW) for i in range(count))
        CaseMaterial.objects.bulk_create(CaseMaterial(case=case, name=f"材料{i}") for i in range(count))
    client = client_for(casebed["window"])
    assert _queries(client, f"{LIST}FEW/") == _queries(client, f"{LIST}MANY/")


@pytest.fixture
def sender_for_api(casebed):
    from cases.external import external_system_issue

    return external_system_issue(name="省平台", division=casebed["item"].division)[0]
