"""Dynamic management, splitting and merging general items: successors and the local items derived for each body."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import GeneralItem, ItemStatus, LocalItem, LocalItemStatus
from catalogue.services import ItemSpec
from tests.catalogue.conftest import EFFECTIVE, _counts, apply_change

# --- split and merge ---------------------------------------------------------------------------------------------


def test_split_creates_successors_and_derives_local_items_for_each_body(
    general, geo, sector, people, orgs, locals_, cancelled_signals
):
    plain = general["plain"]
    change = apply_change(
        people["province"],
        "split",
        scope=geo["gd"],
        general_items=[plain],
        new_items=[
            ItemSpec(name="中小学教师继续教育办学资格审批（县级）", item_type="01", sector=sector, levels="34"),
            ItemSpec(name="中小学教师继续教育办学资格审批（省级）", item_type="01", sector=sector, levels="23"),
        ],
    )
    county_level, province_level = change.successors.order_by("pk")
    assert (county_level.code, province_level.code) == ("440102003000", "440102004000")
    plain.refresh_from_db()
    assert (plain.status, plain.cancel_date) == (ItemStatus.CANCELLED, EFFECTIVE)
    assert list(change.general_items.all()) == [plain]

    for key, org in (("qc_plain", orgs["edu"]), ("qx_plain", orgs["qx_edu"])):
        old = LocalItem.objects.get(pk=locals_[key].pk)
        assert old.status == LocalItemStatus.CANCELLED
        new = LocalItem.objects.get(general_item=county_level, organization=org)
        assert new.status == LocalItemStatus.ACTIVE
        assert new.code == f"{org.uscc}4440102003000"
        assert new.name == county_level.name
        assert new.division == org.division
        assert new.effective_date == EFFECTIVE
        assert new.needs_adjustment
        assert "由“中小学教师继续教育办学资格审批”拆分产生" in new.adjustments.get().instruction
        # Not allowed at county level: no local item for the other successor.
        assert not LocalItem.objects.filter(general_item=province_level, organization=org).exists()
    assert change.affected_local_count == 4  # two cancelled, two created
    assert cancelled_signals[0]["ids"] == sorted([locals_["qc_plain"].pk, locals_["qx_plain"].pk])
    assert [s["code"] for s in change.before] == ["440102002000"]
    assert [s["code"] for s in change.after] == ["440102003000", "440102004000"]


def test_split_is_refused_for_fewer_than_two_successors_or_a_main_with_subs(general, geo, sector, people):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        apply_change(
            people["province"],
            "split",
            scope=geo["gd"],
            general_items=[general["plain"]],
            new_items=[ItemSpec(name="唯一", item_type="01", sector=sector)],
        )
    assert "new_items" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        apply_change(
            people["province"],
            "split",
            scope=geo["gd"],
            general_items=[general["main"]],
            new_items=[ItemSpec(name="甲", item_type="01", sector=sector), ItemSpec(name="乙", item_type="01")],
        )
    assert "general_items" in exc.value.message_dict
    assert _counts() == before


def test_merge_creates_one_successor_per_body(general, geo, sector, people, orgs, locals_):
    change = apply_change(
        people["province"],
        "merge",
        scope=geo["gd"],
        general_items=[general["plain"], general["sub1"]],
        new_items=[ItemSpec(name="合并后事项", item_type="01", sector=sector, levels="34")],
    )
    (successor,) = change.successors.all()
    assert successor.code == "440102003000"
    for key in ("plain", "sub1"):
        assert GeneralItem.objects.get(pk=general[key].pk).status == ItemStatus.CANCELLED
    # sub2 stays: only the selected items are merged.
    assert GeneralItem.objects.get(pk=general["sub2"].pk).status == ItemStatus.ACTIVE
    for key in ("qc_plain", "qc_sub1", "qx_plain", "qx_sub1"):
        assert LocalItem.objects.get(pk=locals_[key].pk).status == LocalItemStatus.CANCELLED
    assert LocalItem.objects.get(pk=locals_["qc_sub2"].pk).status == LocalItemStatus.ACTIVE
    # Each body had two predecessors but gets one successor.
    assert LocalItem.objects.filter(general_item=successor).count() == 2
    assert set(LocalItem.objects.filter(general_item=successor).values_list("organization", flat=True)) == {
        orgs["edu"].pk,
        orgs["qx_edu"].pk,
    }
    assert change.affected_local_count == 6
    assert {s["code"] for s in change.before} == {"440102002000", "440102001001"}


def test_merge_needs_two_live_items_and_one_successor(general, geo, sector, people):
    spec = ItemSpec(name="合并", item_type="01", sector=sector)
    with pytest.raises(ValidationError, match="至少选择两个"):
        apply_change(people["province"], "merge", scope=geo["gd"], general_items=[general["plain"]], new_items=[spec])
    with pytest.raises(ValidationError, match="一个新事项"):
        apply_change(
            people["province"],
            "merge",
            scope=geo["gd"],
            general_items=[general["plain"], general["township"]],
            new_items=[spec, spec],
        )
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["township"]])
    before = _counts()
    with pytest.raises(ValidationError, match="已取消"):
        apply_change(
            people["province"],
            "merge",
            scope=geo["gd"],
            general_items=[general["plain"], general["township"]],
            new_items=[spec],
        )
    assert _counts() == before
