"""Dynamic management (``catalog_change_apply``): codes of new items, propagation of changes to the local items
derived from a general item, the decision document, and who may change what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import (
    AdjustmentStatus,
    AdjustmentTask,
    CatalogChange,
    Claim,
    GeneralItem,
    ItemStatus,
    LocalItem,
    LocalItemStatus,
    NodeKind,
    OrganizationKind,
    Role,
    Sector,
)
from catalogue.services import (
    Adjustment,
    ChangeDocument,
    ItemSpec,
    catalog_change_apply,
    claim_decide,
    claims_create,
)
from catalogue.signals import local_items_cancelled
from core.exceptions import ConflictError
from tests.catalogue.conftest import EFFECTIVE, apply_change, claim_and_confirm
from tests.factories import OrganizationFactory, UserFactory, add_general, member


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


# --- add: code assignment ----------------------------------------------------------------------------------------


def test_add_assigns_codes_and_records_the_change(general, geo, sector, people):
    main, sub1, sub2, plain = general["main"], general["sub1"], general["sub2"], general["plain"]
    assert (main.code, main.main_seq, main.sub_seq, main.has_sub_items) == ("44010200100Y", 1, None, True)
    assert (sub1.code, sub1.node_kind, sub1.parent_id, sub1.sub_seq) == ("440102001001", NodeKind.SUB, main.pk, 1)
    assert sub2.code == "440102001002"
    assert (plain.code, plain.sub_seq) == ("440102002000", 0)
    # Another item type in the same sector has its own sequence.
    assert general["township"].code == "442002001000"
    # Sub items take type and sector from their main item.
    assert (sub1.item_type, sub1.sector_id) == ("01", sector.pk)

    change = main.changes.get()
    assert change.kind == "add"
    assert change.created_by == people["province"]
    assert change.effective_date == dt.date(2026, 3, 1)
    assert list(change.general_items.order_by("pk")) == [main, plain, general["township"]]
    assert [s["code"] for s in change.after] == ["44010200100Y", "440102002000", "442002001000"]
    assert change.before == []
    assert all(i.status == ItemStatus.ACTIVE and i.effective_date == dt.date(2026, 3, 1) for i in (main, sub1, plain))


def test_handling_items_append_two_digits(general, geo, people):
    h1, h2 = add_general(
        people["province"],
        geo["gd"],
        ItemSpec(name="中小学教师继续教育办学资格审批（新办）", node_kind=NodeKind.HANDLE, parent=general["plain"]),
        ItemSpec(name="中小学教师继续教育办学资格审批（变更）", node_kind=NodeKind.HANDLE, parent=general["plain"]),
    )
    assert (h1.code, h2.code) == ("44010200200001", "44010200200002")
    assert (h1.main_seq, h1.sub_seq, h1.handle_seq) == (2, 0, 1)
    (h3,) = add_general(
        people["province"],
        geo["gd"],
        ItemSpec(name="中外合作开办学前教育机构审批（设立）", node_kind=NodeKind.HANDLE, parent=general["sub1"]),
    )
    assert h3.code == "44010200100101"
    assert (h3.main_seq, h3.sub_seq, h3.handle_seq) == (1, 1, 1)


def test_new_sector_and_type_start_at_one(general, geo, people):
    civil = Sector.objects.create(province=geo["gd"], code="05", name="民政")
    a, b = add_general(
        people["province"],
        geo["gd"],
        ItemSpec(name="社会团体成立登记", item_type="01", sector=civil),
        ItemSpec(name="慈善组织认定", item_type="07", sector=civil, has_sub_items=True),
    )
    assert (a.code, b.code) == ("440105001000", "44070500100Y")


@pytest.mark.parametrize(
    ("spec_kwargs", "field"),
    [
        ({"name": "  "}, "name"),
        ({"levels": ""}, "levels"),
        ({"levels": "16"}, "levels"),
        ({"item_type": "99"}, "item_type"),
        ({"sector": None}, "sector"),
        ({"bases": [{"law": "", "article": "第一条"}]}, "bases"),
    ],
)
def test_add_refuses_incomplete_items_and_saves_nothing(general, geo, sector, people, spec_kwargs, field):
    spec = ItemSpec(**{"name": "新事项", "item_type": "01", "sector": sector, **spec_kwargs})
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        apply_change(people["province"], "add", scope=geo["gd"], new_items=[spec])
    assert field in exc.value.message_dict
    assert _counts() == before


def test_add_refuses_wrong_tree_shapes(general, geo, people):
    before = _counts()
    for spec in (
        # a sub item under a main item without sub items
        ItemSpec(name="子项", node_kind=NodeKind.SUB, parent=general["plain"]),
        # a handling item under a main item that has sub items
        ItemSpec(name="办理项", node_kind=NodeKind.HANDLE, parent=general["main"]),
        # a sub item without parent
        ItemSpec(name="子项", node_kind=NodeKind.SUB),
        # a main item with a parent
        ItemSpec(name="主项", item_type="01", sector=general["plain"].sector, parent=general["plain"]),
    ):
        with pytest.raises(ValidationError) as exc:
            apply_change(people["province"], "add", scope=geo["gd"], new_items=[spec])
        assert "parent" in exc.value.message_dict
    assert _counts() == before


def test_add_is_all_or_nothing(general, geo, sector, people):
    before = _counts()
    with pytest.raises(ValidationError):
        apply_change(
            people["province"],
            "add",
            scope=geo["gd"],
            new_items=[ItemSpec(name="合格事项", item_type="01", sector=sector), ItemSpec(name="", item_type="01")],
        )
    assert _counts() == before
    assert not GeneralItem.objects.filter(name="合格事项").exists()


def test_given_codes_must_match_province_type_and_sector(general, geo, sector, people):
    (item,) = add_general(
        people["province"],
        geo["gd"],
        ItemSpec(name="普通高中设立审批", item_type="01", sector=sector, code="440102016000"),
    )
    assert (item.code, item.main_seq, item.sub_seq) == ("440102016000", 16, 0)
    # The sequence continues after the highest number in use.
    (nxt,) = add_general(people["province"], geo["gd"], ItemSpec(name="后续事项", item_type="01", sector=sector))
    assert nxt.code == "440102017000"
    for code, message in (
        ("500102018000", "省份"),
        ("442002018000", "类型"),
        ("440103018000", "部门"),
        ("44010201800Y", "Y结尾"),
        ("440102002000", "已被使用"),
        ("4401020", "12位"),
    ):
        with pytest.raises(ValidationError) as exc:
            apply_change(
                people["province"],
                "add",
                scope=geo["gd"],
                new_items=[ItemSpec(name="编码有误", item_type="01", sector=sector, code=code)],
            )
        assert message in " ".join(exc.value.message_dict["code"]), code


# --- codes are never reused --------------------------------------------------------------------------------------


def test_cancelled_main_item_number_is_not_reused(general, geo, sector, people):
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]])
    (nxt,) = add_general(people["province"], geo["gd"], ItemSpec(name="新主项", item_type="01", sector=sector))
    assert nxt.code == "440102003000"
    assert not GeneralItem.objects.filter(code="440102002000", status=ItemStatus.ACTIVE).exists()


def test_cancelled_sub_item_number_is_not_reused(general, geo, people):
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["sub2"]])
    (sub3,) = add_general(
        people["province"], geo["gd"], ItemSpec(name="新子项", node_kind=NodeKind.SUB, parent=general["main"])
    )
    assert sub3.code == "440102001003"


def test_cancelled_handling_item_number_is_not_reused(general, geo, people):
    (h1,) = add_general(
        people["province"], geo["gd"], ItemSpec(name="办理项一", node_kind=NodeKind.HANDLE, parent=general["sub1"])
    )
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[h1])
    (h2,) = add_general(
        people["province"], geo["gd"], ItemSpec(name="办理项二", node_kind=NodeKind.HANDLE, parent=general["sub1"])
    )
    assert (h1.code, h2.code) == ("44010200100101", "44010200100102")


def test_cannot_add_under_a_cancelled_parent(general, geo, people):
    apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["main"]])
    with pytest.raises(ValidationError) as exc:
        add_general(
            people["province"], geo["gd"], ItemSpec(name="子项", node_kind=NodeKind.SUB, parent=general["main"])
        )
    assert "parent" in exc.value.message_dict


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


# --- the decision document ---------------------------------------------------------------------------------------

VALID_DOC = {"number": "粤编办发〔2026〕9号", "title": "关于调整行政审批事项的通知", "date": dt.date(2026, 3, 1)}


@pytest.mark.parametrize(
    ("doc_changes", "other", "field"),
    [
        ({"number": ""}, {}, "document_number"),
        ({"number": "   "}, {}, "document_number"),
        ({"title": ""}, {}, "document_title"),
        ({"date": None}, {}, "document_date"),
        ({}, {"reason": "  "}, "reason"),
        ({}, {"effective_date": None}, "effective_date"),
    ],
)
@pytest.mark.parametrize("kind", ["add", "cancel", "adjust"])
def test_change_without_document_reason_or_date_is_refused(
    general, geo, sector, people, locals_, doc_changes, other, field, kind
):
    before = _counts()
    params = {
        "add": {"new_items": [ItemSpec(name="新事项", item_type="01", sector=sector)]},
        "cancel": {"general_items": [general["plain"]]},
        "adjust": {"general_items": [general["plain"]], "adjustment": Adjustment(name="新名称")},
    }[kind]
    with pytest.raises(ValidationError) as exc:
        catalog_change_apply(
            actor=people["province"],
            kind=kind,
            scope=geo["gd"],
            document=ChangeDocument(**{**VALID_DOC, **doc_changes}),
            effective_date=other.get("effective_date", EFFECTIVE),
            reason=other.get("reason", "依法调整"),
            **params,
        )
    assert set(exc.value.message_dict) == {field}
    assert _counts() == before
    assert GeneralItem.objects.get(pk=general["plain"].pk).name == "中小学教师继续教育办学资格审批"


def test_every_missing_field_is_reported_at_once(general, geo, people):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        catalog_change_apply(
            actor=people["province"],
            kind="cancel",
            scope=geo["gd"],
            document=ChangeDocument("", "", None),
            effective_date=None,
            reason="",
            general_items=[general["plain"]],
        )
    assert set(exc.value.message_dict) == {
        "document_number",
        "document_title",
        "document_date",
        "reason",
        "effective_date",
    }
    assert exc.value.message_dict["document_number"] == ["请填写决定文号"]
    assert _counts() == before


def test_unknown_kind_is_refused(general, geo, people):
    with pytest.raises(ValidationError) as exc:
        apply_change(people["province"], "rename", scope=geo["gd"], general_items=[general["plain"]])
    assert "kind" in exc.value.message_dict


def test_general_change_scope_must_be_a_province(general, geo, people):
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        apply_change(people["province"], "cancel", scope=geo["qy"], general_items=[general["plain"]])
    assert "scope" in exc.value.message_dict
    assert _counts() == before


def test_document_fields_are_stored_trimmed(general, geo, people):
    change = catalog_change_apply(
        actor=people["province"],
        kind="cancel",
        scope=geo["gd"],
        document=ChangeDocument(" 粤编办发〔2026〕12号 ", " 关于取消事项的通知 ", dt.date(2026, 2, 1)),
        effective_date=dt.date(2026, 3, 1),
        reason=" 已无法律依据 ",
        general_items=[general["plain"]],
    )
    change.refresh_from_db()
    assert (change.document_number, change.document_title, change.reason) == (
        "粤编办发〔2026〕12号",
        "关于取消事项的通知",
        "已无法律依据",
    )
    assert (change.document_date, change.effective_date, change.scope) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
        geo["gd"],
    )
    assert str(change) == "取消 · 粤编办发〔2026〕12号"


# --- permissions -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clerk", "depthead", "compliance", "legality", "supervisor", "qx_compliance"])
@pytest.mark.parametrize("kind", ["add", "cancel", "adjust"])
def test_only_the_province_office_changes_the_general_catalogue(general, geo, sector, people, locals_, who, kind):
    params = {
        "add": {"new_items": [ItemSpec(name="越权新增", item_type="01", sector=sector)]},
        "cancel": {"general_items": [general["plain"]]},
        "adjust": {"general_items": [general["plain"]], "adjustment": Adjustment(name="越权调整")},
    }[kind]
    before = _counts()
    with pytest.raises(PermissionDenied):
        apply_change(people[who], kind, scope=geo["gd"], **params)
    assert _counts() == before
    assert GeneralItem.objects.get(pk=general["plain"].pk).name == "中小学教师继续教育办学资格审批"


def test_province_department_staff_and_supervisors_are_not_the_office(general, geo, people):
    """Only a compliance reviewer of the province's 编办 qualifies: not a supervisor there, not another department."""
    supervisor = member(
        UserFactory(username="prov_supervisor"), people["province"].memberships.get().organization, Role.SUPERVISOR
    )
    province_dept = OrganizationFactory(division=geo["gd"], name="广东省教育厅")
    reviewer_elsewhere = member(UserFactory(username="dept_reviewer"), province_dept, Role.COMPLIANCE_REVIEWER)
    anonymous_user = UserFactory(username="nobody")
    for actor in (supervisor, reviewer_elsewhere, anonymous_user):
        with pytest.raises(PermissionDenied):
            apply_change(actor, "cancel", scope=geo["gd"], general_items=[general["plain"]])
    assert GeneralItem.objects.get(pk=general["plain"].pk).status == ItemStatus.ACTIVE


def test_another_provinces_office_cannot_change_this_catalogue(general, geo, people):
    cq_office = OrganizationFactory(division=geo["cq"], kind=OrganizationKind.BIANBAN, name="重庆市编办")
    cq_reviewer = member(UserFactory(username="cq_reviewer"), cq_office, Role.COMPLIANCE_REVIEWER)
    with pytest.raises(PermissionDenied):
        apply_change(cq_reviewer, "cancel", scope=geo["gd"], general_items=[general["plain"]])
    # Naming its own province as scope does not reach Guangdong's items either.
    before = _counts()
    with pytest.raises(ValidationError, match="不属于本省目录"):
        apply_change(cq_reviewer, "cancel", scope=geo["cq"], general_items=[general["plain"]])
    with pytest.raises(ValidationError, match="不属于本省目录"):
        apply_change(
            cq_reviewer,
            "adjust",
            scope=geo["cq"],
            general_items=[general["plain"]],
            adjustment=Adjustment(name="被外省改名"),
        )
    with pytest.raises(ValidationError) as exc:
        apply_change(
            cq_reviewer,
            "add",
            scope=geo["cq"],
            new_items=[ItemSpec(name="挂到外省主项下", node_kind=NodeKind.SUB, parent=general["main"])],
        )
    assert exc.value.message_dict["parent"] == ["上级事项不属于本省目录"]
    assert _counts() == before
    plain = GeneralItem.objects.get(pk=general["plain"].pk)
    assert (plain.status, plain.name) == (ItemStatus.ACTIVE, "中小学教师继续教育办学资格审批")


def test_admin_may_change_the_general_catalogue(general, geo, admin_user):
    change = apply_change(admin_user, "cancel", scope=geo["gd"], general_items=[general["plain"]])
    assert change.created_by == admin_user
    assert GeneralItem.objects.get(pk=general["plain"].pk).status == ItemStatus.CANCELLED


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
