"""Dynamic management, cancelling: general items with everything derived from them, and a county's own local items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import GeneralItem, ItemStatus, LocalItem, LocalItemStatus
from catalogue.services import Adjustment, claim_decide, claims_create
from catalogue.signals import local_items_cancelled
from core.exceptions import ConflictError
from tests.catalogue.conftest import EFFECTIVE, _counts, apply_change

# --- cancel ------------------------------------------------------------------------------------------------------


def test_cancelling_a_main_item_cancels_its_subs_and_every_derived_local_item(
    general, geo, people, locals_, cancelled_signals
):
    on = dt.date(2026, 5, 1)
    change = apply_change(
        people["province"], "cancel", scope=geo["gd"], general_items=[general["main"]], effective_date=on
    )
    for key in ("main", "sub1", "sub2"):
        item = GeneralItem.objects.get(pk=general[key].pk)
        assert (item.status, item.cancel_date) == (ItemStatus.CANCELLED, on)
    for key in ("plain", "township"):
        assert GeneralItem.objects.get(pk=general[key].pk).status == ItemStatus.ACTIVE

    derived = {locals_["qc_sub1"].pk, locals_["qc_sub2"].pk, locals_["qx_sub1"].pk}
    for pk in derived:
        li = LocalItem.objects.get(pk=pk)
        assert (li.status, li.cancel_date) == (LocalItemStatus.CANCELLED, on)
    for key in ("qc_plain", "qc_township", "qx_plain"):
        assert LocalItem.objects.get(pk=locals_[key].pk).status == LocalItemStatus.ACTIVE

    assert change.affected_local_count == 3
    assert set(change.local_items.values_list("pk", flat=True)) == derived
    assert set(change.general_items.values_list("code", flat=True)) == {"44010200100Y", "440102001001", "440102001002"}
    assert [s["code"] for s in change.before] == ["44010200100Y"]
    assert {s["status"] for s in change.after} == {"cancelled"}
    assert len(change.after) == 3

    assert len(cancelled_signals) == 1
    assert cancelled_signals[0]["ids"] == sorted(derived)
    assert cancelled_signals[0]["actor"] == people["province"]
    assert cancelled_signals[0]["sender"] is LocalItem


def test_cancel_without_local_items_sends_no_signal(general, geo, people, cancelled_signals):
    change = apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    assert change.affected_local_count == 0
    assert cancelled_signals == []


def test_cancelling_a_cancelled_item_is_refused(general, geo, people):
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    before = _counts()
    with pytest.raises(ValidationError, match="事项已取消"):
        apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    with pytest.raises(ValidationError):
        apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[])
    assert _counts() == before


def test_cancelling_a_main_item_keeps_the_earlier_cancellation_of_a_sub_item(general, geo, people, locals_):
    first = apply_change(
        people["province"],
        "cancel",
        scope=geo["gd"],
        general_items=[general["sub2"]],
        effective_date=dt.date(2026, 4, 1),
        number="粤编办发〔2026〕10号",
    )
    second = apply_change(
        people["province"],
        "cancel",
        scope=geo["gd"],
        general_items=[general["main"]],
        effective_date=dt.date(2026, 6, 1),
        number="粤编办发〔2026〕11号",
    )
    sub2 = GeneralItem.objects.get(pk=general["sub2"].pk)
    assert sub2.cancel_date == dt.date(2026, 4, 1)
    assert list(sub2.changes.filter(kind="cancel")) == [first]
    assert LocalItem.objects.get(pk=locals_["qc_sub2"].pk).cancel_date == dt.date(2026, 4, 1)
    assert set(second.general_items.values_list("code", flat=True)) == {"44010200100Y", "440102001001"}
    assert GeneralItem.objects.get(pk=general["sub1"].pk).cancel_date == dt.date(2026, 6, 1)
    assert second.affected_local_count == 2


def test_a_failing_receiver_rolls_the_cancellation_back(general, geo, people, locals_):
    def refuse(**kwargs):
        raise RuntimeError("standards could not follow")

    local_items_cancelled.connect(refuse, weak=False, dispatch_uid="test_refuse")
    before = _counts()
    try:
        with pytest.raises(RuntimeError):
            apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    finally:
        local_items_cancelled.disconnect(dispatch_uid="test_refuse")
    assert _counts() == before
    assert GeneralItem.objects.get(pk=general["plain"].pk).status == ItemStatus.ACTIVE
    assert LocalItem.objects.get(pk=locals_["qc_plain"].pk).status == LocalItemStatus.ACTIVE


# --- cancelling local items --------------------------------------------------------------------------------------


def test_county_office_cancels_its_own_local_items(general, geo, people, locals_, cancelled_signals):
    target = locals_["qc_plain"]
    change = apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[target])
    target.refresh_from_db()
    assert (target.status, target.cancel_date) == (LocalItemStatus.CANCELLED, EFFECTIVE)
    # The general item and other bodies' items stay.
    assert GeneralItem.objects.get(pk=general["plain"].pk).status == ItemStatus.ACTIVE
    assert LocalItem.objects.get(pk=locals_["qx_plain"].pk).status == LocalItemStatus.ACTIVE
    assert change.scope == geo["qc"]
    assert change.affected_local_count == 1
    assert change.before == [{"id": target.pk, "code": target.code, "name": target.name, "status": "active"}]
    assert change.after[0]["status"] == "cancelled"
    assert list(change.local_items.all()) == [target]
    assert cancelled_signals[0]["ids"] == [target.pk]


@pytest.mark.parametrize("who", ["qx_compliance", "clerk", "depthead", "legality", "supervisor"])
def test_others_cannot_cancel_a_countys_local_items(general, geo, people, locals_, who):
    before = _counts()
    with pytest.raises(PermissionDenied):
        apply_change(people[who], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])
    assert _counts() == before
    assert LocalItem.objects.get(pk=locals_["qc_plain"].pk).status == LocalItemStatus.ACTIVE


def test_own_scope_does_not_reach_another_countys_items(general, geo, people, locals_):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        apply_change(
            people["qx_compliance"],
            "cancel",
            scope=geo["qx"],
            local_items=[locals_["qx_plain"], locals_["qc_plain"]],
        )
    assert "local_items" in exc.value.message_dict
    assert _counts() == before
    assert LocalItem.objects.get(pk=locals_["qx_plain"].pk).status == LocalItemStatus.ACTIVE


def test_local_items_can_only_be_cancelled(general, geo, people, locals_):
    with pytest.raises(ValidationError) as exc:
        apply_change(
            people["compliance"],
            "adjust",
            scope=geo["qc"],
            local_items=[locals_["qc_plain"]],
            adjustment=Adjustment(name="改名"),
        )
    assert "kind" in exc.value.message_dict
    apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])
    with pytest.raises(ValidationError, match="已取消"):
        apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])


def test_province_office_may_cancel_local_items_below_it(general, geo, people, locals_):
    apply_change(people["province"], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])
    assert LocalItem.objects.get(pk=locals_["qc_plain"].pk).status == LocalItemStatus.CANCELLED


def test_cancelled_local_item_is_not_reclaimable(general, geo, people, orgs, locals_):
    apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])
    with pytest.raises(ValidationError, match="编码不得重复使用"):
        claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])


def test_pending_claim_of_a_cancelled_item_cannot_revive_it(general, geo, people, orgs):
    """A claim still waiting when its general item is cancelled must not bring the local item back."""
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    local = LocalItem.objects.get(pk=claim.local_item_id)
    assert local.status == LocalItemStatus.CANCELLED
    with pytest.raises(ConflictError):
        claim_decide(actor=people["compliance"], claim=claim, approve=True)
    local.refresh_from_db()
    assert local.status == LocalItemStatus.CANCELLED
