"""Divisions (tree, lookup by code), organizations and the general catalogue over REST."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Organization


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_division_lookup_with_ancestors_and_children(api, geo):
    response = api.get(reverse("api:division-detail", kwargs={"code": "441802"}))
    data = response.json()
    assert data["name"] == "清城区" and data["level"] == "county" and data["parent"] == "441800"
    assert [a["code"] for a in data["ancestors"]] == ["440000", "441800"]
    assert [c["code"] for c in data["children"]] == ["441802001"]
    assert api.get(response.request["PATH_INFO"], HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_division_tree_by_parent_and_subtree(api, geo):
    assert [d["code"] for d in results(api.get(reverse("api:division-list"), {"parent": "441800"}))] == [
        "441802",
        "441803",
    ]
    within = results(api.get(reverse("api:division-list"), {"within": "441900"}))
    assert [d["code"] for d in within] == ["441900", "441900003"]
    assert {d["code"] for d in results(api.get(reverse("api:division-list"), {"level": "province"}))} == {
        "440000",
        "500000",
    }
    assert [d["code"] for d in results(api.get(reverse("api:division-list"), {"q": "奉节"}))] == ["500236"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (reverse("api:division-detail", kwargs={"code": "12"}), 400),
        (reverse("api:division-detail", kwargs={"code": "999999"}), 404),
        (reverse("api:division-list") + "?level=village", 400),
        (reverse("api:division-list") + "?parent=abc", 400),
        (reverse("api:organization-detail", kwargs={"code": "short"}), 400),
        (reverse("api:organization-detail", kwargs={"code": "91440000MA4UQWERT0"}), 404),
        (reverse("api:organization-list") + "?kind=army", 400),
        (reverse("api:general-item-detail", kwargs={"code": "44-01"}), 400),
        (reverse("api:general-item-detail", kwargs={"code": "440199999999"}), 404),
        (reverse("api:general-item-list") + "?sector=abc", 400),
        (reverse("api:general-item-list") + "?updated_since=2026-13-01", 400),
    ],
)
def test_bad_codes_and_values(api, geo, url, status):
    response = api.get(url)
    assert response.status_code == status
    assert response.json()["status"] == status


def test_organizations_by_division_subtree_kind_and_code(api, orgs):
    in_qc = {o["name"] for o in results(api.get(reverse("api:organization-list"), {"division": "441802"}))}
    assert in_qc == {"清城区编办", "清城区司法局", "清城区教育局", "清城区民政局"}
    justice = results(api.get(reverse("api:organization-list"), {"kind": "justice"}))
    assert [o["name"] for o in justice] == ["清城区司法局"]
    edu = orgs["edu"]
    data = api.get(reverse("api:organization-detail", kwargs={"code": edu.uscc})).json()
    assert data["name"] == "清城区教育局" and data["division"]["code"] == "441802"


def test_inactive_organizations_only_for_staff_in_scope(api, orgs, people):
    Organization.objects.filter(pk=orgs["other_dept"].pk).update(is_active=False)
    url = reverse("api:organization-detail", kwargs={"code": orgs["other_dept"].uscc})
    assert api.get(url).status_code == 404
    api.force_login(people["compliance"])
    assert api.get(url).status_code == 200
    api.force_login(people["qx_compliance"])
    assert api.get(url).status_code == 404


def test_general_catalogue_filters_and_lookup(api, general):
    url = reverse("api:general-item-list")
    assert {g["code"] for g in results(api.get(url, {"province": "440000", "level": "5"}))} == {
        general["township"].code
    }
    assert {g["code"] for g in results(api.get(url, {"node_kind": "sub"}))} == {
        general["sub1"].code,
        general["sub2"].code,
    }
    assert {g["code"] for g in results(api.get(url, {"item_type": "20"}))} == {general["township"].code}
    assert {g["code"] for g in results(api.get(url, {"sector": "02", "q": "中外合作"}))} == {
        general["main"].code,
        general["sub1"].code,
        general["sub2"].code,
    }
    data = api.get(reverse("api:general-item-detail", kwargs={"code": general["sub1"].code})).json()
    assert data["parent"] == general["main"].code and data["levels"] == ["3", "4"]
    assert results(api.get(url, {"status": "cancelled"})) == []
