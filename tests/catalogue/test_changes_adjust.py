"""Dynamic management, adjusting a general item (its fields, 下放, 上收): tasks for the local items derived from it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import AdjustmentStatus, AdjustmentTask, Claim, GeneralItem, LocalItem, LocalItemStatus
from catalogue.services import Adjustment, claim_decide, claims_create
from tests.catalogue.conftest import _counts, apply_change, claim_and_confirm

# --- adjust ------------------------------------------------------------------------------------------------------


def test_adjusting_a_main_item_flags_every_derived_local_item(general, geo, people, orgs, locals_):
    change = apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["main"]],
        adjustment=Adjustment(name="中外合作办学机构设立审批"),
    )
    main = GeneralItem.objects.get(pk=general["main"].pk)
    assert main.name == "中外合作办学机构设立审批"
    assert main.name_initials == "zwhzbxjgslsp"

    derived = [locals_["qc_sub1"], locals_["qc_sub2"], locals_["qx_sub1"]]
    for li in derived:
        li.refresh_from_db()
        assert li.needs_adjustment
        tasks = list(li.adjustments.all())
        assert len(tasks) == 1
        assert tasks[0].change == change
        assert tasks[0].status == AdjustmentStatus.OPEN
        assert "名称由“中外合作办学审核审批”调整为“中外合作办学机构设立审批”" in tasks[0].instruction
    # Items not derived from the main item are untouched.
    for key in ("qc_plain", "qc_township", "qx_plain"):
        li = LocalItem.objects.get(pk=locals_[key].pk)
        assert not li.needs_adjustment
        assert not li.adjustments.exists()

    assert AdjustmentTask.objects.filter(change=change).count() == 3
    assert change.affected_local_count == 3
    assert set(change.local_items.values_list("pk", flat=True)) == {li.pk for li in derived}
    # The task list per department.
    assert AdjustmentTask.objects.filter(local_item__organization=orgs["edu"]).count() == 2
    assert AdjustmentTask.objects.filter(local_item__organization=orgs["qx_edu"]).count() == 1
    assert change.before[0]["name"] == "中外合作办学审核审批"
    assert change.after[0]["name"] == "中外合作办学机构设立审批"
    assert change.before[0]["code"] == change.after[0]["code"] == "44010200100Y"


def test_adjust_skips_local_items_that_are_not_live(general, geo, people, orgs):
    (qc_plain,) = claim_and_confirm(people["clerk"], people["compliance"], orgs["edu"], general["plain"])
    claims_create(actor=people["qx_clerk"], organization=orgs["qx_edu"], general_items=[general["plain"]])
    claim = Claim.objects.get(organization=orgs["qx_edu"])
    claim_decide(actor=people["qx_compliance"], claim=claim, approve=False, note="不属于本部门职责")
    change = apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(bases=[{"law": "《教师资格条例》", "article": "第十四条"}]),
    )
    assert change.affected_local_count == 1
    assert list(AdjustmentTask.objects.values_list("local_item_id", flat=True)) == [qc_plain.pk]
    assert AdjustmentTask.objects.get().instruction == "设定依据已调整"
    assert not LocalItem.objects.get(organization=orgs["qx_edu"]).needs_adjustment


def test_adjust_without_any_difference_is_refused(general, geo, people, locals_):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        apply_change(
            people["province"],
            "adjust",
            scope=geo["gd"],
            general_items=[general["plain"]],
            adjustment=Adjustment(name=general["plain"].name, levels="43"),
        )
    assert "name" in exc.value.message_dict
    assert _counts() == before


def test_adjust_needs_exactly_one_live_item(general, geo, people):
    for items in ([], [general["plain"], general["township"]]):
        with pytest.raises(ValidationError) as exc:
            apply_change(
                people["province"], "adjust", scope=geo["gd"], general_items=items, adjustment=Adjustment(name="新名称")
            )
        assert "general_items" in exc.value.message_dict
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    with pytest.raises(ValidationError, match="已取消"):
        apply_change(
            people["province"],
            "adjust",
            scope=geo["gd"],
            general_items=[general["plain"]],
            adjustment=Adjustment(name="新名称"),
        )


def test_adjust_removing_a_level_asks_for_hand_over(general, geo, people, orgs, locals_, city_edu):
    (city_plain,) = claim_and_confirm(city_edu["clerk"], people["province"], city_edu["org"], general["plain"])
    change = apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(levels="3"),
    )
    assert GeneralItem.objects.get(pk=general["plain"].pk).levels == "3"
    assert change.affected_local_count == 3
    for key in ("qc_plain", "qx_plain"):
        task = AdjustmentTask.objects.get(local_item=locals_[key])
        assert "本层级不再行使该事项，请办理交接" in task.instruction
    city_task = AdjustmentTask.objects.get(local_item=city_plain)
    assert "交接" not in city_task.instruction
    assert "行使层级由市级、县级调整为市级" in city_task.instruction


# --- delegate down, take up --------------------------------------------------------------------------------------


def test_delegate_down_gives_city_bodies_a_hand_over_task(general, geo, people, locals_, city_edu):
    (city_plain,) = claim_and_confirm(city_edu["clerk"], people["province"], city_edu["org"], general["plain"])
    change = apply_change(
        people["province"],
        "delegate_down",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(levels="45"),
    )
    assert GeneralItem.objects.get(pk=general["plain"].pk).levels == "45"
    city_task = AdjustmentTask.objects.get(local_item=city_plain)
    assert "本层级不再行使该事项，请办理交接" in city_task.instruction
    assert "下放：行使层级由市级、县级调整为县级、乡镇级" in city_task.instruction
    for key in ("qc_plain", "qx_plain"):
        task = AdjustmentTask.objects.get(local_item=locals_[key])
        assert "交接" not in task.instruction
    assert change.affected_local_count == 3
    assert change.before[0]["levels"] == "34"
    assert change.after[0]["levels"] == "45"


def test_take_up_gives_county_bodies_a_hand_over_task(general, geo, people, locals_):
    change = apply_change(
        people["province"],
        "take_up",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(levels="23"),
    )
    for key in ("qc_plain", "qx_plain"):
        li = LocalItem.objects.get(pk=locals_[key].pk)
        assert li.needs_adjustment
        # The local item stays until the department has handed it over.
        assert li.status == LocalItemStatus.ACTIVE
        assert "上收" in li.adjustments.get().instruction
        assert "交接" in li.adjustments.get().instruction
    assert change.affected_local_count == 2


@pytest.mark.parametrize(
    ("kind", "levels", "message"),
    [
        ("delegate_down", "23", "下放应使事项由更低层级行使"),
        ("take_up", "45", "上收应使事项由更高层级行使"),
        ("take_up", "34", "行使层级没有变化"),
        ("delegate_down", "", "请至少选择一个行使层级"),
    ],
)
def test_level_changes_must_go_the_right_way(general, geo, people, locals_, kind, levels, message):
    before = _counts()
    with pytest.raises(ValidationError, match=message):
        apply_change(
            people["province"],
            kind,
            scope=geo["gd"],
            general_items=[general["plain"]],
            adjustment=Adjustment(levels=levels),
        )
    assert _counts() == before
    assert GeneralItem.objects.get(pk=general["plain"].pk).levels == "34"


def test_level_change_needs_levels(general, geo, people):
    with pytest.raises(ValidationError) as exc:
        apply_change(people["province"], "take_up", scope=geo["gd"], general_items=[general["plain"]])
    assert "levels" in exc.value.message_dict
