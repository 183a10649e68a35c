"""The item row's copy of its published guide (``LocalItem.guide_version`` / ``guide_published_at``): written where a
version is published (the one before it superseded) and where it is withdrawn, never by a plain save of the item,
refreshed set-wise for rows written around the services, and shown by the API exactly as the per-row subqueries it
replaces showed it."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from catalogue.models import LocalItem
from catalogue.services import ChangeDocument, catalog_change_apply, published_guide_record
from standards.models import ItemStandard, StandardState
from standards.services import published_guides_refresh, standard_start

from .conftest import publish

LIST = reverse("api:item-list")


def copy_of(item: LocalItem) -> tuple:
    return tuple(LocalItem.objects.filter(pk=item.pk).values_list("guide_version", "guide_published_at").get())


def subquery_values() -> dict[str, tuple]:
    """What the list showed before the copy: the published version's number and date asked per row."""
    published = ItemStandard.objects.filter(local_item=OuterRef("pk"), state=StandardState.PUBLISHED)
    rows = LocalItem.objects.annotate(
        v=Subquery(published.values("version")[:1]), at=Subquery(published.values("published_at")[:1])
    ).values_list("code", "v", "at")
    return {code: (v, at) for code, v, at in rows}


def listed_guides(api) -> dict[str, dict | None]:
    response = api.get(LIST, {"status": "active"})
    assert response.status_code == 200, response.content
    return {row["code"]: row["guide"] for row in response.json()["results"]}


def assert_api_matches_the_subqueries(api):
    shown = listed_guides(api)
    expected = subquery_values()
    assert shown  # something is listed
    for code, guide in shown.items():
        version, at = expected[code]
        if version is None:
            assert guide is None, code
        else:
            assert guide["version"] == version, code
            assert dt.datetime.fromisoformat(guide["published_at"]) == at, code
    assert expected == {
        code: (v, at) for code, v, at in LocalItem.objects.values_list("code", "guide_version", "guide_published_at")
    }


def cancel(item, actor, county):
    catalog_change_apply(
        actor=actor,
        kind="cancel",
        scope=county,
        document=ChangeDocument("清编办〔2026〕7号", "关于取消部分实施事项的通知", dt.date(2026, 5, 1)),
        effective_date=dt.date(2026, 5, 1),
        reason="职能调整",
        local_items=[item],
    )


def test_publishing_copies_the_version_and_its_date_onto_the_item(api, items, people):
    first = items["published"]
    assert copy_of(items["qc"]) == (1, first.published_at)
    assert copy_of(items["qx"]) == (None, None)  # a draft only
    assert copy_of(items["qc_service"]) == (None, None)  # nothing started
    assert_api_matches_the_subqueries(api)


def test_a_republication_moves_the_copy_to_the_new_version(api, items, people):
    second = publish(standard_start(actor=people["clerk"], local_item=items["qc"]), people["compliance"])
    assert ItemStandard.objects.get(pk=items["published"].pk).state == StandardState.SUPERSEDED
    assert copy_of(items["qc"]) == (2, second.published_at) and second.published_at > items["published"].published_at
    assert listed_guides(api)[items["qc"].code]["version"] == 2
    assert_api_matches_the_subqueries(api)


def test_withdrawing_on_cancellation_clears_the_copy(api, items, people, geo):
    cancel(items["qc"], people["compliance"], geo["qc"])
    assert ItemStandard.objects.get(pk=items["published"].pk).state == StandardState.WITHDRAWN
    assert copy_of(items["qc"]) == (None, None)
    answer = api.get(LIST, {"status": "cancelled"}).json()["results"]
    assert [(row["code"], row["guide"]) for row in answer] == [(items["qc"].code, None)]
    assert_api_matches_the_subqueries(api)


def test_cancelling_an_item_with_a_draft_only_leaves_the_copy_of_others_alone(items, people, geo):
    cancel(items["qc_service"], people["compliance"], geo["qc"])
    assert copy_of(items["qc"]) == (1, items["published"].published_at)


def test_a_stale_item_saved_after_a_publication_keeps_the_copy(items, people):
    """An item read before a version was published and saved afterwards must not write its stale copy back."""
    stale = LocalItem.objects.get(pk=items["qx"].pk)
    published = publish(ItemStandard.objects.get(local_item=items["qx"]), people["qx_compliance"])
    stale.name = "改过的名称"
    stale.save()
    assert copy_of(items["qx"]) == (1, published.published_at)
    assert LocalItem.objects.get(pk=items["qx"].pk).name == "改过的名称"
    deferred = LocalItem.objects.only("pk", "name").get(pk=items["qx"].pk)  # a partial read saves what it read
    deferred.name = "再改"
    deferred.save()
    assert LocalItem.objects.get(pk=items["qx"].pk).name == "再改" and copy_of(items["qx"])[0] == 1


def test_the_copy_is_given_whole_or_not_at_all(items):
    with pytest.raises(ValueError):
        published_guide_record(local_item_ids=[items["qc"].pk], version=3, published_at=None)
    assert copy_of(items["qc"])[0] == 1


def test_the_set_wise_refresh_repairs_copies_written_around_the_services(api, items, people):
    """The bench's generator bulk-creates published versions; the refresh writes every copy from the standards."""
    LocalItem.objects.filter(pk=items["qc"].pk).update(guide_version=None, guide_published_at=None)
    LocalItem.objects.filter(pk=items["qx"].pk).update(
        guide_version=7, guide_published_at=items["published"].updated_at
    )
    published_guides_refresh()
    assert copy_of(items["qc"]) == (1, items["published"].published_at)
    assert copy_of(items["qx"]) == (None, None)
    assert_api_matches_the_subqueries(api)


def test_the_migration_fills_the_copy_with_one_statement(items):
    migration = importlib.import_module("standards.migrations.0006_published_guide_on_item")
    LocalItem.objects.update(guide_version=None, guide_published_at=None)
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert copy_of(items["qc"]) == (1, items["published"].published_at)
    assert copy_of(items["qx"]) == (None, None)
