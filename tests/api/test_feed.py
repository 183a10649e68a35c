"""The change feed: what was published, changed or cancelled since a point in time, cancelled items as tombstones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import LocalItem
from catalogue.services import ChangeDocument, catalog_change_apply
from standards.models import ItemStandard

from .conftest import publish

FEED = reverse("api:changes")


def entries(api, since, **query) -> list[dict]:
    response = api.get(FEED, {"since": since.isoformat(), **query})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_since_is_required_and_checked(api, items):
    assert api.get(FEED).json()["errors"]["since"]
    assert api.get(FEED, {"since": "last week"}).status_code == 400


def test_a_full_sync_from_the_beginning_lists_every_published_item(api, items):
    rows = entries(api, dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    assert {r["code"] for r in rows} == {items[k].code for k in ("qc", "qc_service", "dc", "qx")}
    changed_at = [r["changed_at"] for r in rows]
    assert changed_at == sorted(changed_at)


def test_publications_changes_and_cancellations_since_a_point(api, items, people, geo):
    mark = timezone.now()
    assert entries(api, mark) == []
    publish(ItemStandard.objects.get(local_item=items["qx"]), people["qx_compliance"])
    item = LocalItem.objects.get(pk=items["dc"].pk)
    item.effective_date = dt.date(2026, 6, 1)
    item.save()
    catalog_change_apply(
        actor=people["compliance"],
        kind="cancel",
        scope=geo["qc"],
        document=ChangeDocument("清编办〔2026〕3号", "关于调整清城区实施清单的通知", dt.date(2026, 4, 1)),
        effective_date=dt.date(2026, 4, 10),
        reason="职能划转",
        local_items=[items["qc_service"]],
    )
    rows = {r["code"]: r for r in entries(api, mark)}
    assert set(rows) == {items["qx"].code, items["dc"].code, items["qc_service"].code}
    assert rows[items["qx"].code]["action"] == "published"
    assert rows[items["qx"].code]["item"]["guide"]["version"] == 1
    assert rows[items["dc"].code]["action"] == "changed"
    assert rows[items["dc"].code]["item"]["effective_date"] == "2026-06-01"
    tombstone = rows[items["qc_service"].code]
    assert tombstone["action"] == "cancelled" and tombstone["item"] is None
    assert tombstone["cancel_date"] == "2026-04-10"
    # the feed of one division only
    assert {r["code"] for r in entries(api, mark, division="441803")} == {items["qx"].code}


def test_the_feed_pages_with_a_cursor(api, items):
    rows, url = [], f"{FEED}?since=1970-01-01T00:00:00Z&page_size=1"
    while url:
        data = api.get(url).json()
        rows += data["results"]
        url = data["next"]
    assert len(rows) == 4 and len({r["code"] for r in rows}) == 4


@pytest.mark.parametrize("offset", ["%2B18:34", "-23:59", "%2B16:00"])
def test_a_moment_with_an_offset_the_database_cannot_take_is_read_in_utc(client, db, offset):
    """Python reads offsets up to ±23:59, the database only up to ±15:59: the moment is turned into UTC first."""
    for url in (
        f"/api/v1/changes/?since=2026-01-01T00:00:00{offset}",
        f"/api/v1/items/?updated_since=2026-01-01T00:00:00{offset}",
    ):
        assert client.get(url).status_code == 200, url


def test_a_valid_moment_beyond_what_utc_holds_is_the_earliest_or_the_latest(api, items):
    """The schema allows any RFC 3339 date-time: one before year 1 in UTC is before every change, one after 9999
    after every change — read so, never refused."""
    everything = {items[k].code for k in ("qc", "qc_service", "dc", "qx")}
    response = api.get(f"{FEED}?since=0001-01-01T00:00:00%2B18:00")
    assert {r["code"] for r in response.json()["results"]} == everything
    response = api.get(f"{FEED}?since=9999-12-31T23:59:59-18:00")
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("since", ["", "2026-01-01T00:00:00%2B24:00", "last week"])
def test_an_empty_or_impossible_moment_is_the_same_400_naming_the_parameter(api, db, since):
    body = api.get(f"{FEED}?since={since}").json()
    assert (body["status"], body["code"], body["detail"], list(body["errors"])) == (
        400,
        "invalid",
        "请求参数有误",
        ["since"],
    )
