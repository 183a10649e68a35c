"""Streamed exports of a division's published catalogue (CSV, JSON, xlsx) and the CPSV-AP open-data export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook


def body(response) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")
    return b"".join(response.streaming_content)


def test_csv_streams_the_division_subtree_published_only(api, items, general, people):
    response = api.get(reverse("api:export-csv"), {"division": "441802"})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert 'filename="catalogue-441802-' in response["Content-Disposition"]
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["实施编码", "事项名称", "事项类型"]
    assert {r[0] for r in rows[1:]} == {items[k].code for k in ("qc", "qc_service", "dc")}
    qc = next(r for r in rows if r[0] == items["qc"].code)
    assert qc[2] == "行政许可" and qc[11] == "1"


def test_json_export(api, items):
    data = json.loads(body(api.get(reverse("api:export-json"), {"division": "441800", "item_type": "01"})))
    assert data["division"] == {"code": "441800", "name": "清远市"}
    assert {i["code"] for i in data["items"]} == {items["qc"].code, items["qx"].code}
    assert {i["organization_uscc"] for i in data["items"]} == {
        items["qc"].organization.uscc,
        items["qx"].organization.uscc,
    }


def test_xlsx_export(api, items):
    response = api.get(reverse("api:export-xlsx"), {"division": "441803"})
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "实施编码" and [r[0] for r in rows[1:]] == [items["qx"].code]


@pytest.mark.parametrize("name", ["api:export-csv", "api:export-json", "api:export-xlsx", "api:open-data-cpsv"])
def test_exports_need_a_valid_division_and_answer_json_errors(api, items, name):
    for query in ({}, {"division": "4418"}, {"division": "441802", "item_type": "77"}):
        response = api.get(reverse(name), query, HTTP_ACCEPT="text/csv")
        assert response.status_code == 400 and response["Content-Type"] == "application/json"
        assert response.json()["code"] == "invalid"


def test_cpsv_ap_json_ld_of_the_published_services(api, items):
    response = api.get(reverse("api:open-data-cpsv"), {"division": "441800"})
    assert response["Content-Type"].startswith("application/ld+json")
    data = json.loads(body(response))
    assert data["@context"]["cpsv"] == "http://purl.org/vocab/cpsv#"
    assert data["@context"]["cv"] == "http://data.europa.eu/m8g/"
    (service,) = data["@graph"]  # only 清城区's item has a published guide
    item = items["qc"]
    assert service["@type"] == "cpsv:PublicService"
    assert service["dct:identifier"] == item.code
    assert service["@id"].endswith(f"/guides/{item.code}/")
    assert service["cv:hasCompetentAuthority"]["dct:identifier"] == item.organization.uscc
    assert service["dct:spatial"]["@id"] == "urn:gb2260:441802"
    assert [e["dct:title"]["@value"] for e in service["cpsv:hasInput"]] == ["申请书", "营业执照"]
    assert service["cv:hasCost"] == [
        {
            "@type": "cv:Cost",
            "cv:value": 0,
            "cv:currency": {"@id": "http://publications.europa.eu/resource/authority/currency/CNY"},
        }
    ]
    assert service["cpsv:produces"]["dct:title"]["@value"] == "准予行政许可决定书"
    assert "承诺办结时限 10" in service["dct:temporal"]["@value"]  # working days have no ISO 8601 duration
    assert {r["eli:id_local"] for r in service["cv:hasLegalResource"]} >= {"主席令第7号"}
