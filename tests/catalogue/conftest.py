"""Fixtures of the catalogue service tests: local items claimed and confirmed through the claim services, and a
helper that applies a change with a valid decision document."""

from __future__ import annotations

import datetime as dt

import pytest

from catalogue.models import AdjustmentTask, CatalogChange, GeneralItem, ItemStatus, LocalItem, LocalItemStatus, Role
from catalogue.services import catalog_change_apply, claim_decide, claims_create
from catalogue.signals import local_items_cancelled
from tests.factories import OrganizationFactory, UserFactory, division, document, member

EFFECTIVE = dt.date(2026, 4, 1)


def apply_change(
    actor, kind, *, scope, number="粤编办发〔2026〕9号", effective_date=EFFECTIVE, reason="依法调整", **kw
):
    return catalog_change_apply(
        actor=actor,
        kind=kind,
        scope=scope,
        document=document(number),
        effective_date=effective_date,
        reason=reason,
        **kw,
    )


def claim_and_confirm(clerk, reviewer, organization, *general_items) -> list[LocalItem]:
    claims = claims_create(actor=clerk, organization=organization, general_items=list(general_items))
    for claim in claims:
        claim_decide(actor=reviewer, claim=claim, approve=True)
    return [LocalItem.objects.get(pk=c.local_item_id) for c in claims]


@pytest.fixture
def city_edu(geo, sector):
    """清远市教育局 with its clerk: a city-level body."""
    org = OrganizationFactory(division=geo["qy"], name="清远市教育局", sector=sector)
    clerk = member(UserFactory(username="city_clerk"), org, Role.CLERK)
    return {"org": org, "clerk": clerk}


@pytest.fixture
def locals_(general, orgs, people):
    """Active local items: 清城区教育局 exercises sub1, sub2, plain and township; 清新区教育局 sub1 and plain."""
    qc = claim_and_confirm(
        people["clerk"],
        people["compliance"],
        orgs["edu"],
        general["sub1"],
        general["sub2"],
        general["plain"],
        general["township"],
    )
    qx = claim_and_confirm(
        people["qx_clerk"], people["qx_compliance"], orgs["qx_edu"], general["sub1"], general["plain"]
    )
    return {
        "qc_sub1": qc[0],
        "qc_sub2": qc[1],
        "qc_plain": qc[2],
        "qc_township": qc[3],
        "qx_sub1": qx[0],
        "qx_plain": qx[1],
    }


@pytest.fixture
def zhongshan(geo):
    """中山市, a city without counties, as the Zhongshan import file expects."""
    return division("442000", "中山市", "city", geo["gd"])


@pytest.fixture
def guangan(db):
    """广安区 of 四川省, as the Sichuan import file expects."""
    sc = division("510000", "四川省", "province")
    return division("511602", "广安区", "county", division("511600", "广安市", "city", sc))


# --- shared by the tests split out of test_changes.py ----------


def _refresh(*objs):
    for obj in objs:
        obj.refresh_from_db()
    return objs


def _counts():
    return {
        "changes": CatalogChange.objects.count(),
        "general": GeneralItem.objects.count(),
        "local": LocalItem.objects.count(),
        "tasks": AdjustmentTask.objects.count(),
        "active_general": GeneralItem.objects.filter(status=ItemStatus.ACTIVE).count(),
        "active_local": LocalItem.objects.filter(status=LocalItemStatus.ACTIVE).count(),
    }


@pytest.fixture
def cancelled_signals():
    calls = []

    def receiver(sender, local_item_ids, actor, **kwargs):
        calls.append({"sender": sender, "ids": sorted(local_item_ids), "actor": actor})

    local_items_cancelled.connect(receiver, weak=False, dispatch_uid="test_changes_capture")
    yield calls
    local_items_cancelled.disconnect(dispatch_uid="test_changes_capture")
