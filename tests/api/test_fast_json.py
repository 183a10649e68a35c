"""The items list's JSON goes through orjson (``core.api.renderers.FastJSONRenderer``): the same bytes as DRF's own
renderer, and DRF's own renderer for anything orjson would write differently."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from catalogue.models import LocalItem, LocalItemStatus
from core.api.renderers import FastJSONRenderer

LIST = reverse("api:item-list")


def test_the_list_is_written_byte_for_byte_as_drf_writes_it(api, items, monkeypatch):
    LocalItem.objects.filter(pk=items["qc"].pk).update(name='行\u2028分隔\u2029段落 "引号" \\ 换行\n')

    def refused(*args, **kwargs):
        raise AssertionError("the list's page went through DRF's renderer, not orjson")

    monkeypatch.setattr(JSONRenderer, "render", refused)
    response = api.get(LIST, {"page_size": 2})
    monkeypatch.undo()
    assert response.status_code == 200
    data = json.loads(response.content)
    assert response.content == JSONRenderer().render(data)
    assert b"\\u2028" in response.content and "\u2028".encode() not in response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 5, 1, 8, 30, 15, 123456, tzinfo=dt.UTC),
        dt.date(2026, 5, 1),
        Decimal("12.50"),
        gettext_lazy("在用"),
        LocalItemStatus.ACTIVE,  # a str subclass
        {1: "non-string key"},
    ],
)
def test_values_orjson_would_spell_otherwise_go_through_drf(value):
    data = {"value": value, "text": "事项"}
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_an_indented_answer_is_drfs(api, items):
    body = FastJSONRenderer().render({"a": [1, None]}, "application/json; indent=2")
    assert body == JSONRenderer().render({"a": [1, None]}, "application/json; indent=2")
    assert FastJSONRenderer().render(None) == b""


def test_errors_of_the_list_are_unchanged(api, items):
    response = api.get(LIST, {"status": "deleted"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["status"]
