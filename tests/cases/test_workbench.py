"""The home page of the people who handle cases: the window sees the applications waiting for 补正, the department
its cases in hand with the nearest promised date first, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import Outcome
from tests.cases.flow import receive


def _sections(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}


@pytest.mark.django_db
def test_the_window_sees_what_waits_for_supplement_and_the_department_its_cases(client, casebed):
    waiting = receive(casebed, missing=("营业执照",), outcome=Outcome.SUPPLEMENT, when="2026-12-01")
    accepted = receive(casebed, when="2026-12-02")
    window = _sections(client, casebed["center_window"])["supplement"]
    assert window.count == 1 and window.entries[0].url == reverse("cases:detail", args=[waiting.number])
    approver = _sections(client, casebed["approver"])
    assert approver["cases"].count == 1
    assert approver["cases"].entries[0].url == reverse("cases:detail", args=[accepted.number])
    assert "supplement" not in approver
    assert _sections(client, casebed["outsider"])["cases"].count == 0  # another department's approver


@pytest.mark.django_db
def test_the_case_sections_cost_the_same_queries_for_2_and_12_cases(client, casebed):
    client.force_login(casebed["head"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    for _ in range(2):
        receive(casebed, when="2026-12-02")
    queries()
    few = queries()
    for _ in range(10):
        receive(casebed, when="2026-12-03")
    assert queries() == few
