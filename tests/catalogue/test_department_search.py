"""The department filter's search box: the departments in the user's scope whose name holds the typed text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue import department_filter
from catalogue.models import Organization
from tests.factories import OrganizationFactory

URL = reverse("catalogue:department_search")


def names(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_only_departments_in_the_users_scope_are_offered(client, people, orgs):
    client.force_login(people["compliance"])  # 清城区编办
    assert names(client, q="教育局") == ["清城区教育局"]
    assert names(client, q="编办") == []  # a 编办 is no department to filter by
    client.force_login(people["province"])
    assert names(client, q="教育局") == ["清城区教育局", "清新区教育局"]
    assert names(client, q="教育局", division="441803") == ["清新区教育局"]


def test_a_division_out_of_scope_or_unknown_gives_nothing(client, people, orgs):
    client.force_login(people["compliance"])
    assert names(client, q="教育局", division="441803") == []
    assert names(client, q="教育局", division="999999") == []


def test_at_most_twenty_by_name(client, people, geo):
    for n in range(25):
        OrganizationFactory(division=geo["qc"], name=f"清城区第{n:02d}局")
    client.force_login(people["compliance"])
    found = names(client, q="清城区第")
    assert found == [f"清城区第{n:02d}局" for n in range(20)]


@pytest.mark.parametrize("text", ["", "   ", "%", "_", "x" * 5000, "' OR 1=1--", "{{7*7}}"])
def test_hostile_text_gives_an_empty_list_not_an_error(client, people, orgs, text):
    client.force_login(people["province"])
    assert names(client, q=text) == []
    assert client.get(URL, {"q": "\x00教育"}).status_code == 400  # the input guard's answer to a NUL


def test_staff_only(client, people):
    assert client.get(URL, {"q": "局"}).status_code == 302


def test_the_widget_is_a_select_for_a_few_dozen_else_a_search_box(orgs, monkeypatch):
    candidates = Organization.objects.filter(division_id="441802", kind="department")
    assert [o.name for o in department_filter.department_filter(candidates, selected=None).choices] == [
        "清城区教育局",
        "清城区民政局",
    ]
    monkeypatch.setattr(department_filter, "MAX_LISTED", 1)
    assert department_filter.department_filter(candidates, selected=None).choices is None
    assert department_filter.department_filter(None, selected=None, name="教育").name == "教育"
