"""Dynamic management, adding general items: the codes they are given, and codes never given twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import GeneralItem, ItemStatus, NodeKind, Sector
from catalogue.services import ItemSpec
from tests.catalogue.conftest import _counts, apply_change
from tests.factories import add_general

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
