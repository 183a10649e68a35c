"""A small catalogue whose figures are computed by hand in the tests.

清城区 (county) with 东城街道 (a township under it), 清新区 (a county with no items), 东莞市 (a city without counties,
with 莞城街道). Items and the states of their standards:

| item | body | versions | counts as |
|---|---|---|---|
| A | 清城区教育局 | v1 published, no return | entered, submitted, published, passed, first pass |
| B | 清城区教育局 | v1 published (no return) + v2 in compliance review | … and compliance review |
| C | 清城区教育局 | v1 in legality review, its task past due | submitted, legality review, overdue |
| D | 清城区教育局 | v1 draft | entered only |
| E | 东城街道办事处 (township) | v1 approved after one return | submitted, approved, passed (not first pass) |
| F, G | 清城区民政局 | v1 returned | submitted, returned |
| H | 莞城街道办事处 (东莞) | v1 waiting for department confirmation | submitted, dept_confirm |
| X | 清城区教育局 | cancelled item with a published standard | not counted |
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from catalogue.models import LocalItemStatus
from catalogue.services import local_item_build
from reviews.models import ReviewTask
from standards.models import ItemStandard
from tests.factories import OrganizationFactory


def _standard(item, version: int, state: str, *, returns: int = 0, submitted: bool = True) -> ItemStandard:
    at = timezone.now() - dt.timedelta(days=10)
    return ItemStandard.objects.create(
        local_item=item,
        version=version,
        state=state,
        return_count=returns,
        first_submitted_at=at if submitted else None,
        submitted_at=at if submitted else None,
    )


@pytest.fixture
def small(geo, orgs, general, people):
    actor = people["province"]
    dc_office = OrganizationFactory(division=geo["dc"], name="东城街道办事处")
    gc_office = OrganizationFactory(division=geo["gc"], name="莞城街道办事处")

    def build(general_item, division, organization):
        return local_item_build(general_item=general_item, division=division, organization=organization, actor=actor)

    items = {
        "A": build(general["plain"], geo["qc"], orgs["edu"]),
        "B": build(general["sub1"], geo["qc"], orgs["edu"]),
        "C": build(general["sub2"], geo["qc"], orgs["edu"]),
        "D": build(general["township"], geo["qc"], orgs["edu"]),
        "E": build(general["township"], geo["dc"], dc_office),
        "F": build(general["plain"], geo["qc"], orgs["other_dept"]),
        "G": build(general["sub1"], geo["qc"], orgs["other_dept"]),
        "H": build(general["township"], geo["gc"], gc_office),
        "X": build(general["sub2"], geo["qc"], orgs["other_dept"]),
    }
    _standard(items["A"], 1, "published")
    _standard(items["B"], 1, "published")
    _standard(items["B"], 2, "compliance_review")
    c = _standard(items["C"], 1, "legality_review")
    past = timezone.now() - dt.timedelta(days=3)
    ReviewTask.objects.create(
        standard=c, stage="legality", organization=orgs["justice"], division=geo["qc"], opened_at=past, due_at=past
    )
    _standard(items["D"], 1, "draft", submitted=False)
    _standard(items["E"], 1, "approved", returns=1)
    _standard(items["F"], 1, "returned", returns=1)
    _standard(items["G"], 1, "returned", returns=2)
    _standard(items["H"], 1, "dept_confirm")
    _standard(items["X"], 1, "published")
    items["X"].status, items["X"].cancel_date = LocalItemStatus.CANCELLED, timezone.localdate()
    items["X"].save(update_fields=["status", "cancel_date"])
    return {"items": items, "dc_office": dc_office, "gc_office": gc_office}
