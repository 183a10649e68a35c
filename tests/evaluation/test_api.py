# ruff: noqa: F811  (pytest fixtures imported from the figures tests)
"""GET /api/v1/evaluations/: the national exchange shape, scoped like the pages, ``since``, pages of constant cost,
and the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from evaluation.exchange import EXCHANGE_KEYS
from tests.factories import UserFactory

from .conftest import at
from .test_figures import figures_set, visit  # noqa: F401  (the fixture)

LIST = "/api/v1/evaluations/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_list_is_in_the_exchange_shape_and_scoped_like_the_pages(figures_set):
    bed = figures_set
    response = client_for(bed["center_supervisor"]).get(LIST)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    rows = response.json()["results"]
    assert len(rows) == 7 and tuple(rows[0]) == EXCHANGE_KEYS
    case_rows = [r for r in rows if r["evaluateTarget"] == "case"]
    assert {r["taskCode"] for r in case_rows} == {bed["item"].code} and all(r["projectNo"] for r in case_rows)
    late = next(r for r in rows if r["evaluateLevel"] == 2 and r["windowNo"] == "Z01")
    assert (late["rectifyState"], late["rectifyLate"], late["evaluateChannel"]) == ("closed", True, "qr")
    assert late["indicators"] == {"overall": 2, "efficiency": 2, "service_level": 2, "attitude": 2}
    assert sum(r["excluded"] for r in rows) == 1
    # The department's approver sees its own unit's only; a clerk of another county none; a stranger is refused.
    assert len(client_for(bed["approver"]).get(LIST).json()["results"]) == 5
    assert client_for(bed["qx_window"]).get(LIST).json()["results"] == []
    assert client_for(UserFactory(username="nobody")).get(LIST).status_code == 403
    assert Client().get(LIST).status_code == 401


@pytest.mark.django_db
def test_since_narrows_the_list_and_a_wrong_value_is_a_400_naming_it(figures_set):
    client = client_for(figures_set["center_supervisor"])
    assert len(client.get(LIST, {"since": "2026-10-01"}).json()["results"]) == 2  # the case evaluations, given today
    assert len(client.get(LIST, {"since": at("2026-09-30", 9).isoformat()}).json()["results"]) == 7
    for wrong in ("yesterday", "2026-13-01", ""):
        response = client.get(LIST, {"since": wrong})
        assert response.status_code == 400 and "since" in response.json()["errors"], wrong


@pytest.mark.django_db
def test_a_page_costs_the_same_queries_for_few_or_many_rows(figures_set):
    client = client_for(figures_set["center_supervisor"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"page_size": 100}).status_code == 200
        return len(captured)

    few = queries()
    for grade in (5, 4, 3, 5, 4, 5, 1, 5):
        visit(figures_set, grade)
    assert queries() == few


@pytest.mark.django_db
def test_the_schema_documents_the_list_and_its_fields(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][LIST]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"since", "cursor", "page_size"}
    assert "/api/v1/evaluations/{id}/" not in schema["paths"]  # read-only list, no detail
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    item = schema["components"]["schemas"][ref]["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][item]["properties"]) == set(EXCHANGE_KEYS)
