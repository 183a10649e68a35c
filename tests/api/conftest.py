from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from catalogue.services import local_item_build
from standards.models import ItemStandard, StandardState
from standards.services import standard_publish
from tests.factories import OrganizationFactory
from tests.standards.factories import complete_standard

NO_THROTTLE = {"anon": None, "user": None}


@pytest.fixture(autouse=True)
def _no_throttle():
    """Throttling has its own tests; the others must not trip over it."""
    cache.clear()
    with override_settings(API_THROTTLE_RATES=NO_THROTTLE):
        yield


@pytest.fixture
def api():
    return APIClient()


def publish(standard: ItemStandard, actor, note: str = "") -> ItemStandard:
    """Through the real publishing service (the review workflow has its own tests)."""
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.APPROVED)
    return standard_publish(actor=actor, standard=standard, change_note=note)


@pytest.fixture
def items(geo, orgs, general, people):
    """清城区: a licensing item with a published guide, a public-service item without one, a township item and a
    claim not yet confirmed; 清新区: the licensing item with a draft only."""
    actor = people["province"]

    def build(general_item, division, organization):
        return local_item_build(general_item=general_item, division=division, organization=organization, actor=actor)

    made = {
        "qc": build(general["plain"], geo["qc"], orgs["edu"]),
        "qc_service": build(general["township"], geo["qc"], orgs["other_dept"]),
        "dc": build(general["township"], geo["dc"], OrganizationFactory(division=geo["dc"], name="东城街道办事处")),
        "qx": build(general["plain"], geo["qx"], orgs["qx_edu"]),
    }
    published = complete_standard(people["clerk"], made["qc"])
    publish(published, people["compliance"])
    complete_standard(people["qx_clerk"], made["qx"])
    made["published"] = ItemStandard.objects.get(pk=published.pk)
    return made
