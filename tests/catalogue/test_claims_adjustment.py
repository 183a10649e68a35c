"""The departments' adjustment to-do list (``adjustment_resolve``): resolving brings local items in line with the
general catalogue, or cancels them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from catalogue.models import (
    AdjustmentStatus,
    AdjustmentTask,
    LocalItem,
    LocalItemStatus,
)
from catalogue.services import Adjustment, adjustment_resolve
from catalogue.signals import local_items_cancelled
from core.exceptions import ConflictError
from tests.catalogue.conftest import apply_change


def test_resolving_brings_the_local_name_in_line(general, geo, orgs, people, locals_):
    apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(name="教师继续教育办学资格审批"),
        number="粤编办发〔2026〕20号",
    )
    local = LocalItem.objects.get(pk=locals_["qc_plain"].pk)
    assert local.name == "中小学教师继续教育办学资格审批"  # not overwritten silently
    task = local.adjustments.get()
    resolved = adjustment_resolve(actor=people["clerk"], task=task, note="已更新办事指南")
    assert resolved.status == AdjustmentStatus.DONE
    task.refresh_from_db()
    assert (task.status, task.resolved_by, task.note) == (AdjustmentStatus.DONE, people["clerk"], "已更新办事指南")
    assert task.resolved_at is not None
    local.refresh_from_db()
    assert (local.name, local.name_initials) == ("教师继续教育办学资格审批", "jsjxjybxzgsp")
    assert not local.needs_adjustment
    assert local.status == LocalItemStatus.ACTIVE
    # The other county's task is its own to resolve.
    other = LocalItem.objects.get(pk=locals_["qx_plain"].pk)
    assert other.needs_adjustment
    assert other.name == "中小学教师继续教育办学资格审批"


def test_needs_adjustment_stays_while_another_task_is_open(general, geo, orgs, people, locals_):
    for number, name in (("粤编办发〔2026〕21号", "名称一"), ("粤编办发〔2026〕22号", "名称二")):
        apply_change(
            people["province"],
            "adjust",
            scope=geo["gd"],
            general_items=[general["plain"]],
            adjustment=Adjustment(name=name),
            number=number,
        )
    first, second = AdjustmentTask.objects.filter(local_item=locals_["qc_plain"]).order_by("pk")
    adjustment_resolve(actor=people["clerk"], task=first)
    local = LocalItem.objects.get(pk=locals_["qc_plain"].pk)
    assert local.needs_adjustment
    assert local.name == "名称二"  # follows the general item as it is now
    adjustment_resolve(actor=people["depthead"], task=second)
    assert not LocalItem.objects.get(pk=locals_["qc_plain"].pk).needs_adjustment


def test_resolving_cancels_an_item_whose_level_was_taken_away(general, geo, orgs, people, locals_):
    apply_change(
        people["province"],
        "take_up",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(levels="23"),
    )
    calls = []

    def receiver(sender, local_item_ids, actor, **kwargs):
        calls.append((local_item_ids, actor))

    local_items_cancelled.connect(receiver, weak=False, dispatch_uid="test_claims_capture")
    try:
        task = AdjustmentTask.objects.get(local_item=locals_["qc_plain"])
        adjustment_resolve(actor=people["clerk"], task=task, note="已移交市级")
    finally:
        local_items_cancelled.disconnect(dispatch_uid="test_claims_capture")
    local = LocalItem.objects.get(pk=locals_["qc_plain"].pk)
    assert (local.status, local.cancel_date) == (LocalItemStatus.CANCELLED, timezone.localdate())
    assert not local.needs_adjustment
    assert calls == [([local.pk], people["clerk"])]
    # The other county's item waits for its own department.
    assert LocalItem.objects.get(pk=locals_["qx_plain"].pk).status == LocalItemStatus.ACTIVE


@pytest.mark.parametrize("who", ["qx_clerk", "compliance", "supervisor", "legality"])
def test_only_the_department_resolves_its_tasks(general, geo, people, locals_, who):
    apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(name="新名称"),
    )
    task = AdjustmentTask.objects.get(local_item=locals_["qc_plain"])
    with pytest.raises(PermissionDenied):
        adjustment_resolve(actor=people[who], task=task)
    task.refresh_from_db()
    assert task.status == AdjustmentStatus.OPEN
    local = LocalItem.objects.get(pk=locals_["qc_plain"].pk)
    assert local.needs_adjustment
    assert local.name == "中小学教师继续教育办学资格审批"


def test_resolving_twice_is_a_conflict(general, geo, people, locals_):
    apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(name="新名称"),
    )
    task = AdjustmentTask.objects.get(local_item=locals_["qc_plain"])
    adjustment_resolve(actor=people["clerk"], task=task, note="第一次")
    with pytest.raises(ConflictError):
        adjustment_resolve(actor=people["clerk"], task=task, note="第二次")
    assert AdjustmentTask.objects.get(pk=task.pk).note == "第一次"


def test_resolving_the_task_of_a_cancelled_local_item_closes_it(general, geo, people, locals_):
    apply_change(
        people["province"],
        "adjust",
        scope=geo["gd"],
        general_items=[general["plain"]],
        adjustment=Adjustment(name="新名称"),
    )
    apply_change(people["compliance"], "cancel", scope=geo["qc"], local_items=[locals_["qc_plain"]])
    task = AdjustmentTask.objects.get(local_item=locals_["qc_plain"])
    adjustment_resolve(actor=people["clerk"], task=task)
    local = LocalItem.objects.get(pk=locals_["qc_plain"].pk)
    assert local.status == LocalItemStatus.CANCELLED
    assert not local.needs_adjustment
    assert local.name == "中小学教师继续教育办学资格审批"
