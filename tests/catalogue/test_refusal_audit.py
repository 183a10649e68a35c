"""Every refusal is on the record: an object that exists but lies outside the user's scope answers the same 404 as
an unknown one and leaves an audit record naming the object; any 403, raised or returned (the API's too), is
recorded; a scan cannot flood the table."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from core.models import AuditEvent
from tests.catalogue.conftest import apply_change

OUT, DENIED = AuditEvent.Kind.OUT_OF_SCOPE, AuditEvent.Kind.PERMISSION_DENIED


@pytest.fixture
def county_change(general, geo, people, locals_):
    return apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])


def test_an_existing_object_outside_the_scope_is_a_recorded_404(client, people, county_change, locals_):
    client.force_login(people["qx_compliance"])
    for url, label in (
        (reverse("catalogue:change_detail", args=[county_change.pk]), f"catalogue.CatalogChange pk={county_change.pk}"),
        (reverse("catalogue:local_detail", args=[locals_["qc_plain"].pk]), "catalogue.LocalItem"),
        (reverse("catalogue:local_list") + "?division=441802", "catalogue.Division code=441802"),
    ):
        assert client.get(url).status_code == 404
        event = AuditEvent.objects.filter(kind=OUT, username="qx_compliance", path=url).first()
        assert event is not None and label in event.detail, url


def test_an_unknown_object_is_the_same_404_and_not_recorded(client, people):
    client.force_login(people["qx_compliance"])
    assert client.get(reverse("catalogue:change_detail", args=[999999])).status_code == 404
    assert not AuditEvent.objects.filter(kind=OUT).exists()


def test_a_403_returned_by_the_api_is_recorded_once(client, people):
    client.force_login(people["clerk"])  # no case role
    assert client.get("/api/v1/cases/").status_code == 403
    assert AuditEvent.objects.filter(kind=DENIED, username="clerk").count() == 1


@override_settings(AUDIT_REFUSALS_PER_MINUTE=3)
def test_a_scan_is_recorded_up_to_the_limit_per_minute(client, people, county_change):
    cache.clear()  # the counters of earlier tests in this worker
    client.force_login(people["qx_compliance"])
    for _ in range(6):
        assert client.get(reverse("catalogue:change_detail", args=[county_change.pk])).status_code == 404
    assert AuditEvent.objects.filter(kind=OUT, username="qx_compliance").count() == 3
