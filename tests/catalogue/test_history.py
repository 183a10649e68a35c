"""History (django-simple-history): every change made through the services leaves historical rows attributed to
the acting user and, for catalogue changes, to the decision document."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from catalogue.models import AdjustmentTask, Claim, GeneralItem, LocalItem, LocalItemStatus
from catalogue.services import Adjustment, ItemSpec, adjustment_resolve, claim_decide, claims_create
from catalogue.signals import local_items_cancelled
from tests.catalogue.conftest import apply_change
from tests.factories import add_general


def _latest(obj):
    return obj.history.order_by("-history_id").first()


def test_added_items_are_attributed_to_the_actor_and_document(general, geo, sector, people):
    items = add_general(
        people["province"],
        geo["gd"],
        ItemSpec(name="新增事项甲", item_type="01", sector=sector),
        ItemSpec(name="新增事项乙", item_type="20", sector=sector),
        number="粤编办发〔2026〕30号",
    )
    for item in items:
        (row,) = item.history.all()
        assert row.history_type == "+"
        assert row.history_user == people["province"]
        assert "粤编办发〔2026〕30号" in row.history_change_reason
        assert row.history_change_reason.startswith("新增")
        assert row.name == item.name


def test_adjustment_history_of_the_general_item_and_its_local_items(general, geo, people, locals_):
    apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(name="教师继续教育办学资格审批"),
        number="粤编办发〔2026〕31号",
        reason="名称规范",
    )
    row = _latest(GeneralItem.objects.get(pk=general["plain"].pk))
    assert (row.history_type, row.history_user, row.name) == ("~", people["province"], "教师继续教育办学资格审批")
    assert row.history_change_reason == "调整（粤编办发〔2026〕31号）：名称规范"
    assert row.prev_record.name == "中小学教师继续教育办学资格审批"
    for key in ("qc_plain", "qx_plain"):
        local_row = _latest(locals_[key])
        assert local_row.needs_adjustment
        assert local_row.history_user == people["province"]
        assert "粤编办发〔2026〕31号" in local_row.history_change_reason


def test_cancellation_history_covers_sub_items_and_propagated_local_items(general, geo, people, locals_):
    apply_change(
        people["province"],
        "cancel",
        scope=geo["gd"],
        general_items=[general["main"]],
        number="粤编办发〔2026〕32号",
        reason="法律依据已废止",
    )
    for key in ("main", "sub1", "sub2"):
        row = _latest(general[key])
        assert (row.history_type, row.status) == ("~", "cancelled")
        assert row.history_user == people["province"]
        assert row.history_change_reason == "取消（粤编办发〔2026〕32号）：法律依据已废止"
    for key in ("qc_sub1", "qc_sub2", "qx_sub1"):
        row = _latest(locals_[key])
        assert row.status == LocalItemStatus.CANCELLED
        # Cancelled by propagation: attributed to the province office, not to the department that claimed it.
        assert row.history_user == people["province"]
        assert "粤编办发〔2026〕32号" in row.history_change_reason
    # Items outside the change have no new rows.
    assert _latest(locals_["qc_plain"]).status == LocalItemStatus.ACTIVE


def test_split_history_of_successors_and_their_local_items(general, geo, sector, people, locals_):
    change = apply_change(
        people["province"],
        "split",
        scope=geo["gd"],
        general_items=[general["plain"]],
        new_items=[
            ItemSpec(name="拆分事项甲", item_type="01", sector=sector),
            ItemSpec(name="拆分事项乙", item_type="01", sector=sector),
        ],
        number="粤编办发〔2026〕33号",
    )
    for successor in change.successors.all():
        (row,) = successor.history.all()
        assert row.history_user == people["province"]
        assert "粤编办发〔2026〕33号" in row.history_change_reason
        for local in LocalItem.objects.filter(general_item=successor):
            rows = list(local.history.order_by("history_id"))
            assert [r.history_type for r in rows] == ["+", "~"]
            for r in rows:
                assert r.history_user == people["province"]
                assert "粤编办发〔2026〕33号" in r.history_change_reason
    old = _latest(GeneralItem.objects.get(pk=general["plain"].pk))
    assert (old.status, old.history_user) == ("cancelled", people["province"])
    assert "粤编办发〔2026〕33号" in old.history_change_reason
    for key in ("qc_plain", "qx_plain"):
        row = _latest(locals_[key])
        assert (row.status, row.history_user) == ("cancelled", people["province"])


def test_level_change_history(general, geo, people, locals_):
    apply_change(
        people["province"],
        "take_up",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(levels="23"),
        number="粤编办发〔2026〕34号",
    )
    row = _latest(general["plain"])
    assert (row.levels, row.history_user) == ("23", people["province"])
    assert row.history_change_reason.startswith("上收（粤编办发〔2026〕34号）")


def test_local_cancellation_is_attributed_to_the_county_office(general, geo, people, locals_):
    apply_change(
        people["compliance"],
        "cancel",
        scope=geo["qc"],
        local_items=[locals_["qc_plain"]],
        number="清城编发〔2026〕5号",
    )
    row = _latest(locals_["qc_plain"])
    assert (row.status, row.history_user) == ("cancelled", people["compliance"])
    assert "清城编发〔2026〕5号" in row.history_change_reason


def test_claim_history_names_each_actor(general, orgs, people):
    (claim,) = claims_create(actor=people["clerk"], organization=orgs["edu"], general_items=[general["plain"]])
    claim_decide(actor=people["compliance"], claim=claim, approve=False, note="实施依据不足")
    (again,) = claims_create(actor=people["depthead"], organization=orgs["edu"], general_items=[general["plain"]])
    claim_decide(actor=people["compliance"], claim=again, approve=True)
    local = LocalItem.objects.get(pk=claim.local_item_id)
    rows = list(local.history.order_by("history_id"))
    assert [(r.status, r.history_user) for r in rows] == [
        ("claimed", people["clerk"]),
        ("rejected", people["compliance"]),
        ("claimed", people["depthead"]),
        ("active", people["compliance"]),
    ]
    assert rows[1].history_change_reason == "编办退回认领：实施依据不足"
    assert rows[2].history_change_reason == "重新认领"
    assert rows[3].history_change_reason == "编办确认认领"
    assert Claim.objects.filter(local_item=local).count() == 2


def test_resolving_an_adjustment_is_attributed_to_the_department(general, geo, people, locals_):
    apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(name="新名称"),
        number="粤编办发〔2026〕35号",
    )
    task = AdjustmentTask.objects.get(local_item=locals_["qc_plain"])
    adjustment_resolve(actor=people["clerk"], task=task, note="已同步")
    row = _latest(locals_["qc_plain"])
    assert (row.name, row.needs_adjustment, row.history_user) == ("新名称", False, people["clerk"])
    assert row.history_change_reason == "按变更（粤编办发〔2026〕35号）调整：已同步"


def test_a_change_that_fails_leaves_no_history(general, geo, people, locals_):
    counts = (GeneralItem.history.count(), LocalItem.history.count())
    with pytest.raises(PermissionDenied):
        apply_change(people["clerk"], "cancel", scope=geo["gd"], general_items=[general["main"]])

    def refuse(**kwargs):
        raise RuntimeError("a follower failed")

    # Fails after the items and their history rows were written: all of it is rolled back.
    local_items_cancelled.connect(refuse, weak=False, dispatch_uid="test_history_refuse")
    try:
        with pytest.raises(RuntimeError):
            apply_change(people["province"], "cancel", scope=geo["gd"], general_items=[general["main"]])
    finally:
        local_items_cancelled.disconnect(dispatch_uid="test_history_refuse")
    assert (GeneralItem.history.count(), LocalItem.history.count()) == counts


def test_full_timeline_of_one_item(general, geo, people):
    apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(central_guiding_dept="教育部"),
        number="粤编办发〔2026〕36号",
    )
    apply_change(
        people["province"], "cancel", scope=geo["gd"], general_items=[general["plain"]], number="粤编办发〔2026〕37号"
    )
    rows = list(general["plain"].history.order_by("history_id"))
    assert [r.history_type for r in rows] == ["+", "~", "~"]
    assert ["粤编办发〔2026〕36号" in r.history_change_reason for r in rows] == [False, True, False]
    assert "粤编办发〔2026〕37号" in rows[2].history_change_reason
    assert rows[1].central_guiding_dept == "教育部"
    assert rows[2].status == "cancelled"
    assert {r.history_user for r in rows} == {people["province"]}
