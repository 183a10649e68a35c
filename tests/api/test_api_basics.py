"""Throttling, the schema and the docs page."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse


def test_anonymous_clients_are_throttled_with_a_clear_429(api, geo):
    url = reverse("api:division-list")
    with override_settings(API_THROTTLE_RATES={"anon": "2/minute", "user": None}):
        assert api.get(url).status_code == 200
        assert api.get(url).status_code == 200
        response = api.get(url)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and body["status"] == 429
    assert 0 < body["retry_after"] <= 60 and int(response["Retry-After"]) == body["retry_after"]
    assert f"{body['retry_after']} 秒后再试" in body["detail"]


def test_schema_documents_every_endpoint_with_filters_pagination_and_errors(api):
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert set(paths) == {
        "/api/v1/divisions/",
        "/api/v1/divisions/{code}/",
        "/api/v1/organizations/",
        "/api/v1/organizations/{code}/",
        "/api/v1/general-items/",
        "/api/v1/general-items/{code}/",
        "/api/v1/items/",
        "/api/v1/items/{code}/",
        "/api/v1/items/{code}/draft/",
        "/api/v1/changes/",
        "/api/v1/exports/items.csv",
        "/api/v1/exports/items.json",
        "/api/v1/exports/items.xlsx",
        "/api/v1/open-data/cpsv-ap.jsonld",
        "/api/v1/cases/",
        "/api/v1/cases/{number}/",
        "/api/v1/case-events/",
        "/api/v1/evaluations/",
        "/api/v1/licensing-results/",
        "/api/v1/exports/licensing-results.csv",
        "/api/v1/exports/licensing-results.json",
    }
    items = paths["/api/v1/items/"]["get"]
    names = {p["name"] for p in items["parameters"]}
    assert names >= {"division", "organization", "item_type", "level", "status", "updated_since", "q", "ordering"}
    assert names >= {"cursor", "page_size"}
    assert {"200", "304", "400", "429"} <= set(items["responses"])
    assert items["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "manual" not in str(schema["components"]["schemas"].get("LocalItemDetail"))


def test_docs_page_loads_its_files_locally_without_inline_code(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "<style>" not in html and not re.search(r"<script>(?!</script>)", html)
    for source in sources:
        if source.startswith(settings.STATIC_URL):  # a file this site serves (Swagger UI from the sidecar package)
            assert finders.find(source.removeprefix(settings.STATIC_URL)), source
        else:  # the split view's start-up script
            assert client.get(source).status_code == 200, source
