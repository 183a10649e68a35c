"""Dynamic management (动态管理): every change of the catalogue goes through ``catalog_change_apply``.

One call, one transaction: the change record with its decision document and before/after snapshots, the items it
creates or cancels, the propagation to derived local items (cancellation, adjustment tasks) and the history rows,
all attributed to the acting user and the document. If anything fails nothing is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from catalogue import access
from catalogue.models import (
    AdjustmentTask,
    CatalogChange,
    ChangeKind,
    Claim,
    ClaimStatus,
    Division,
    DivisionLevel,
    GeneralItem,
    ItemStatus,
    LocalItem,
    LocalItemStatus,
    NodeKind,
    Sector,
    levels_display,
)
from catalogue.signals import local_items_cancelled

from .items import (
    ItemSpec,
    general_item_build,
    local_item_build,
    name_initials,
    normalise_levels,
    snapshot,
    validate_bases,
)

LIVE_LOCAL = [LocalItemStatus.CLAIMED, LocalItemStatus.ACTIVE, LocalItemStatus.SUSPENDED]


@dataclass
class ChangeDocument:
    """The decision document a change rests on; a change without one is refused."""

    number: str
    title: str
    date: date | None

    def validate(self) -> None:
        errors = {}
        if not (self.number or "").strip():
            errors["document_number"] = "请填写决定文号"
        if not (self.title or "").strip():
            errors["document_title"] = "请填写决定文件标题"
        if not self.date:
            errors["document_date"] = "请填写发文日期"
        if errors:
            raise ValidationError(errors)


@dataclass
class Adjustment:
    """New values for an adjusted general item; None leaves a field as it is."""

    name: str | None = None
    levels: str | None = None
    bases: list[dict] | None = None
    central_guiding_dept: str | None = None


def _reason_text(kind: str, document: ChangeDocument, reason: str) -> str:
    return f"{ChangeKind(kind).label}（{document.number}）：{reason}"[:500]


def _descendants(items: Sequence[GeneralItem]) -> list[GeneralItem]:
    found: dict[int, GeneralItem] = {i.pk: i for i in items}
    frontier = [i.pk for i in items]
    while frontier:
        children = list(GeneralItem.objects.filter(parent_id__in=frontier).exclude(pk__in=found))
        for child in children:
            found[child.pk] = child
        frontier = [c.pk for c in children]
    return list(found.values())


def _lock_general(items: Sequence[GeneralItem]) -> list[GeneralItem]:
    locked = list(GeneralItem.objects.select_for_update().filter(pk__in=[i.pk for i in items]).order_by("pk"))
    if len(locked) != len({i.pk for i in items}):
        raise ValidationError({"general_items": "所选事项不存在"})
    return locked


def _cancel_local(
    local_items: Sequence[LocalItem], *, change: CatalogChange, actor: User, reason: str, on: date
) -> int:
    live = [li for li in local_items if li.status in LIVE_LOCAL]
    now = timezone.now()
    for li in live:
        li.status, li.cancel_date, li.updated_at = LocalItemStatus.CANCELLED, on, now
    # updated_at by hand (bulk updates skip auto_now): the API's change feed and updated_since read it.
    bulk_update_with_history(
        live,
        LocalItem,
        ["status", "cancel_date", "updated_at"],
        default_user=actor,
        default_change_reason=reason,
        batch_size=1000,
    )
    change.local_items.add(*live)
    # Claims still waiting for the establishment office can no longer be confirmed: close them with the reason.
    Claim.objects.filter(local_item__in=live, status=ClaimStatus.PENDING).update(
        status=ClaimStatus.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=f"事项已取消：{reason}"[:300],
    )
    if live:
        local_items_cancelled.send(sender=LocalItem, local_item_ids=[li.pk for li in live], actor=actor, reason=reason)
    return len(live)


def _open_tasks(local_items: Sequence[LocalItem], *, change: CatalogChange, instruction: str, actor: User, reason: str):
    live = [li for li in local_items if li.status in LIVE_LOCAL]
    AdjustmentTask.objects.bulk_create(
        [AdjustmentTask(local_item=li, change=change, instruction=instruction[:300]) for li in live], batch_size=1000
    )
    for li in live:
        li.needs_adjustment = True
    bulk_update_with_history(
        live, LocalItem, ["needs_adjustment"], default_user=actor, default_change_reason=reason, batch_size=1000
    )
    change.local_items.add(*live)
    return len(live)


def _cancel_general(items: Sequence[GeneralItem], *, actor: User, reason: str, on: date) -> list[GeneralItem]:
    # Descendants cancelled earlier keep their own cancellation (date, history, change record).
    everything = [i for i in _descendants(items) if i.status != ItemStatus.CANCELLED]
    now = timezone.now()
    for item in everything:
        item.status, item.cancel_date, item.updated_at = ItemStatus.CANCELLED, on, now
    bulk_update_with_history(
        everything,
        GeneralItem,
        ["status", "cancel_date", "updated_at"],
        default_user=actor,
        default_change_reason=reason,
    )
    return everything


def _derive_successors(
    predecessors: Sequence[GeneralItem],
    successors: Sequence[GeneralItem],
    *,
    change: CatalogChange,
    actor: User,
    reason: str,
    on: date,
) -> int:
    """After a split or merge, every body that exercised a predecessor exercises each successor allowed at its
    level; the old local items are cancelled. Returns the number of local items affected."""
    old = list(
        LocalItem.objects.filter(general_item__in=_descendants(predecessors), status__in=LIVE_LOCAL).select_related(
            "division", "organization"
        )
    )
    bodies: dict[tuple, LocalItem] = {}
    for li in old:
        # A body that held any predecessor in force holds the successor in force; one that had only claimed it
        # holds a claim the establishment office still has to confirm.
        key = (li.division_id, li.organization_id)
        if key not in bodies or li.status == LocalItemStatus.ACTIVE:
            bodies[key] = li
    created, claims = [], []
    for li in bodies.values():
        status = LocalItemStatus.CLAIMED if li.status == LocalItemStatus.CLAIMED else LocalItemStatus.ACTIVE
        for successor in successors:
            if li.division.level_digit not in successor.levels:
                continue
            if LocalItem.objects.filter(
                general_item=successor, division=li.division, organization=li.organization
            ).exists():
                continue
            new = local_item_build(
                general_item=successor,
                division=li.division,
                organization=li.organization,
                actor=actor,
                status=status,
                effective_date=on if status == LocalItemStatus.ACTIVE else None,
            )
            created.append(new)
            if status == LocalItemStatus.CLAIMED:
                claims.append(
                    Claim(
                        local_item=new,
                        organization=li.organization,
                        claimed_by=actor,
                        note=f"由{change.get_kind_display()}产生",
                    )
                )
    Claim.objects.bulk_create(claims)
    _set_history_reason(created, reason)
    cancelled = _cancel_local(old, change=change, actor=actor, reason=reason, on=on)
    names = "、".join(p.name for p in predecessors)
    _open_tasks(
        created,
        change=change,
        instruction=f"由“{names}”{change.get_kind_display()}产生，请核实实施信息并编写标准",
        actor=actor,
        reason=reason,
    )
    return cancelled + len(created)


@transaction.atomic
def catalog_change_apply(
    *,
    actor: User,
    kind: str,
    scope: Division,
    document: ChangeDocument,
    effective_date: date | None,
    reason: str,
    general_items: Sequence[GeneralItem] = (),
    local_items: Sequence[LocalItem] = (),
    new_items: Sequence[ItemSpec] = (),
    adjustment: Adjustment | None = None,
) -> CatalogChange:
    """Apply one change of the catalogue and record it.

    ``scope`` is the province for changes of the general catalogue, or the division whose implementation list is
    changed (only cancellation of local items is a local change; additions come through claims).
    Raises ``ValidationError`` (with field keys the forms show) or ``PermissionDenied``; nothing is saved then.
    """
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": "未知的变更类型"})
    errors = {}
    try:
        document.validate()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not (reason or "").strip():
        errors["reason"] = "请填写变更理由"
    if not effective_date:
        errors["effective_date"] = "请填写生效日期"
    if errors:
        raise ValidationError(errors)

    is_local = bool(local_items)
    if is_local:
        if kind != ChangeKind.CANCEL:
            raise ValidationError({"kind": "实施清单事项只能通过认领新增、通过取消变更"})
        if not access.can_manage_local_list(actor, scope):
            raise PermissionDenied("只有本区划编办可以变更实施清单")
    else:
        if scope.level != DivisionLevel.PROVINCE:
            raise ValidationError({"scope": "通用目录变更的适用区划应为省份"})
        if not access.can_manage_general_catalogue(actor, scope):
            raise PermissionDenied("只有省级编办可以变更通用目录")
        if any(i.province_id != scope.code for i in general_items):
            raise ValidationError({"general_items": "所选事项不属于本省目录"})

    change = CatalogChange.objects.create(
        kind=kind,
        scope=scope,
        document_number=document.number.strip(),
        document_title=document.title.strip(),
        document_date=document.date,
        effective_date=effective_date,
        reason=reason.strip(),
        created_by=actor,
    )
    history_reason = _reason_text(kind, document, reason.strip())
    handler = _LOCAL_HANDLERS if is_local else _HANDLERS
    handler[kind](
        change=change,
        actor=actor,
        scope=scope,
        on=effective_date,
        reason=history_reason,
        general_items=list(general_items),
        local_items=list(local_items),
        new_items=list(new_items),
        adjustment=adjustment,
    )
    change.save(update_fields=["before", "after", "affected_local_count"])
    return change


def _lock_sectors(specs: Sequence[ItemSpec]) -> None:
    # Serialises code allocation per sector: two clerks adding items at once cannot draw the same number.
    ids = {s.sector.pk for s in specs if s.sector} | {s.parent.sector_id for s in specs if s.parent}
    list(Sector.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _apply_add(*, change, actor, scope, on, reason, general_items, new_items, **_):
    if not new_items:
        raise ValidationError({"name": "请填写新增事项"})
    if general_items:
        raise ValidationError({"general_items": "新增不涉及已有事项"})
    _lock_sectors(new_items)
    created = []
    for spec in new_items:
        item = general_item_build(spec=spec, province=scope, actor=actor, effective_date=on)
        created.append(item)
    _set_history_reason(created, reason)
    change.general_items.add(*created)
    change.after = [snapshot(i) for i in created]


def _set_history_reason(items: Sequence[GeneralItem], reason: str) -> None:
    for item in items:
        item.history.filter(history_type="+").update(history_change_reason=reason)


def _single(general_items: Sequence[GeneralItem], what: str) -> GeneralItem:
    if len(general_items) != 1:
        raise ValidationError({"general_items": f"{what}需选择且只能选择一个事项"})
    (item,) = _lock_general(general_items)
    if item.status == ItemStatus.CANCELLED:
        raise ValidationError({"general_items": f"“{item.name}”已取消，不能{what}"})
    return item


def _apply_adjust(*, change, actor, scope, on, reason, general_items, adjustment, **_):
    item = _single(general_items, "调整")
    if adjustment is None:
        raise ValidationError({"name": "请填写调整内容"})
    before = snapshot(item)
    notes = []
    if adjustment.name is not None and adjustment.name.strip() and adjustment.name.strip() != item.name:
        notes.append(f"名称由“{item.name}”调整为“{adjustment.name.strip()}”")
        item.name = adjustment.name.strip()
        item.name_initials = name_initials(item.name)
    if adjustment.bases is not None:
        bases = validate_bases(adjustment.bases)
        if bases != item.bases:
            notes.append("设定依据已调整")
            item.bases = bases
    guiding = (adjustment.central_guiding_dept or "").strip()
    if adjustment.central_guiding_dept is not None and guiding != item.central_guiding_dept:
        notes.append(f"中央业务指导部门调整为“{guiding}”")
        item.central_guiding_dept = guiding
    removed_levels = ""
    if adjustment.levels is not None:
        levels = normalise_levels(adjustment.levels)
        removed_levels = "".join(d for d in item.levels if d not in levels)
        if levels != item.levels:
            notes.append(f"行使层级由{levels_display(item.levels)}调整为{levels_display(levels)}")
            item.levels = levels
    if not notes:
        raise ValidationError({"name": "调整内容与现状相同，无需登记变更"})
    item._history_user, item._change_reason = actor, reason
    item.save()
    _propagate(change, item, actor=actor, reason=reason, notes=notes, removed_levels=removed_levels)
    change.general_items.add(item)
    change.before, change.after = [before], [snapshot(item)]


def _propagate(change, item: GeneralItem, *, actor, reason, notes, removed_levels) -> None:
    derived = list(LocalItem.objects.filter(general_item__in=_descendants([item]), status__in=LIVE_LOCAL))
    instruction = "；".join(notes) or "通用目录事项已调整，请核实"
    if removed_levels:
        moving = [li for li in derived if li.level in removed_levels]
        staying = [li for li in derived if li.level not in removed_levels]
        _open_tasks(
            moving,
            change=change,
            instruction=f"{instruction}；本层级不再行使该事项，请办理交接",
            actor=actor,
            reason=reason,
        )
        change.affected_local_count = len(moving) + _open_tasks(
            staying, change=change, instruction=instruction, actor=actor, reason=reason
        )
    else:
        change.affected_local_count = _open_tasks(
            derived, change=change, instruction=instruction, actor=actor, reason=reason
        )


def _apply_levels(*, change, actor, scope, on, reason, general_items, adjustment, **_):
    """下放 / 上收: the item moves to lower / higher levels; bodies at levels it leaves get a hand-over task."""
    item = _single(general_items, change.get_kind_display())
    if adjustment is None or adjustment.levels is None:
        raise ValidationError({"levels": "请选择调整后的行使层级"})
    levels = normalise_levels(adjustment.levels)
    if levels == item.levels:
        raise ValidationError({"levels": "行使层级没有变化"})
    lowest_before, lowest_after = max(item.levels), max(levels)
    highest_before, highest_after = min(item.levels), min(levels)
    if change.kind == ChangeKind.DELEGATE_DOWN and not (lowest_after > lowest_before or highest_after > highest_before):
        raise ValidationError({"levels": "下放应使事项由更低层级行使"})
    if change.kind == ChangeKind.TAKE_UP and not (highest_after < highest_before or lowest_after < lowest_before):
        raise ValidationError({"levels": "上收应使事项由更高层级行使"})
    before = snapshot(item)
    removed = "".join(d for d in item.levels if d not in levels)
    note = f"{change.get_kind_display()}：行使层级由{levels_display(item.levels)}调整为{levels_display(levels)}"
    item.levels = levels
    item._history_user, item._change_reason = actor, reason
    item.save()
    _propagate(change, item, actor=actor, reason=reason, notes=[note], removed_levels=removed)
    change.general_items.add(item)
    change.before, change.after = [before], [snapshot(item)]


def _apply_cancel(*, change, actor, scope, on, reason, general_items, **_):
    if not general_items:
        raise ValidationError({"general_items": "请选择要取消的事项"})
    items = _lock_general(general_items)
    already = [i.name for i in items if i.status == ItemStatus.CANCELLED]
    if already:
        raise ValidationError({"general_items": f"事项已取消：{'、'.join(already)}"})
    before = [snapshot(i) for i in items]
    cancelled = _cancel_general(items, actor=actor, reason=reason, on=on)
    derived = list(LocalItem.objects.filter(general_item__in=cancelled))
    change.affected_local_count = _cancel_local(derived, change=change, actor=actor, reason=reason, on=on)
    change.general_items.add(*cancelled)
    change.before = before
    change.after = [snapshot(i) for i in cancelled]


def _apply_split(*, change, actor, scope, on, reason, general_items, new_items, **_):
    item = _single(general_items, "拆分")
    if len(new_items) < 2:
        raise ValidationError({"new_items": "拆分应至少形成两个新事项"})
    if item.node_kind == NodeKind.MAIN and item.has_sub_items:
        raise ValidationError({"general_items": "含子项的主项请拆分其子项"})
    before = [snapshot(item)]
    _lock_sectors(new_items)
    successors = [general_item_build(spec=s, province=scope, actor=actor, effective_date=on) for s in new_items]
    _set_history_reason(successors, reason)
    change.affected_local_count = _derive_successors(
        [item], successors, change=change, actor=actor, reason=reason, on=on
    )
    _cancel_general([item], actor=actor, reason=reason, on=on)
    change.general_items.add(item)
    change.successors.add(*successors)
    change.before, change.after = before, [snapshot(s) for s in successors]


def _apply_merge(*, change, actor, scope, on, reason, general_items, new_items, **_):
    if len(general_items) < 2:
        raise ValidationError({"general_items": "合并应至少选择两个事项"})
    if len(new_items) != 1:
        raise ValidationError({"new_items": "合并应形成一个新事项"})
    items = _lock_general(general_items)
    if any(i.status == ItemStatus.CANCELLED for i in items):
        raise ValidationError({"general_items": "已取消的事项不能合并"})
    before = [snapshot(i) for i in items]
    _lock_sectors(new_items)
    successor = general_item_build(spec=new_items[0], province=scope, actor=actor, effective_date=on)
    _set_history_reason([successor], reason)
    change.affected_local_count = _derive_successors(
        items, [successor], change=change, actor=actor, reason=reason, on=on
    )
    _cancel_general(items, actor=actor, reason=reason, on=on)
    change.general_items.add(*items)
    change.successors.add(successor)
    change.before, change.after = before, [snapshot(successor)]


def _apply_local_cancel(*, change, actor, scope, on, reason, local_items, **_):
    locked = list(
        LocalItem.objects.select_for_update(of=("self",))
        .select_related("division")
        .filter(pk__in=[li.pk for li in local_items])
        .order_by("pk")
    )
    outside = [li for li in locked if scope.code not in li.division.ancestor_codes()]
    if outside:
        raise ValidationError({"local_items": "所选事项不属于本区划"})
    if any(li.status == LocalItemStatus.CANCELLED for li in locked):
        raise ValidationError({"local_items": "所选事项中有已取消的事项"})
    change.before = [{"id": li.pk, "code": li.code, "name": li.name, "status": li.status} for li in locked]
    change.affected_local_count = _cancel_local(locked, change=change, actor=actor, reason=reason, on=on)
    change.after = [{"id": li.pk, "code": li.code, "name": li.name, "status": li.status} for li in locked]


_HANDLERS = {
    ChangeKind.ADD: _apply_add,
    ChangeKind.ADJUST: _apply_adjust,
    ChangeKind.SPLIT: _apply_split,
    ChangeKind.MERGE: _apply_merge,
    ChangeKind.CANCEL: _apply_cancel,
    ChangeKind.DELEGATE_DOWN: _apply_levels,
    ChangeKind.TAKE_UP: _apply_levels,
}
_LOCAL_HANDLERS = {ChangeKind.CANCEL: _apply_local_cancel}
