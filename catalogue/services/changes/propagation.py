"""What a change of the general catalogue does to the rest of it: locking, cancelling, and the local items derived
from a changed item (cancelled, given an adjustment task, or re-created for a successor)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from catalogue.models import (
    AdjustmentTask,
    CatalogChange,
    Claim,
    ClaimStatus,
    GeneralItem,
    ItemStatus,
    LocalItem,
    LocalItemStatus,
    Sector,
)
from catalogue.signals import local_items_cancelled

from ..items import ItemSpec, local_item_build

LIVE_LOCAL = [LocalItemStatus.CLAIMED, LocalItemStatus.ACTIVE, LocalItemStatus.SUSPENDED]


def descendants(items: Sequence[GeneralItem]) -> list[GeneralItem]:
    found: dict[int, GeneralItem] = {i.pk: i for i in items}
    frontier = [i.pk for i in items]
    while frontier:
        children = list(GeneralItem.objects.filter(parent_id__in=frontier).exclude(pk__in=found))
        for child in children:
            found[child.pk] = child
        frontier = [c.pk for c in children]
    return list(found.values())


def lock_general(items: Sequence[GeneralItem]) -> list[GeneralItem]:
    locked = list(GeneralItem.objects.select_for_update().filter(pk__in=[i.pk for i in items]).order_by("pk"))
    if len(locked) != len({i.pk for i in items}):
        raise ValidationError({"general_items": _("所选事项不存在")})
    return locked


def lock_sectors(specs: Sequence[ItemSpec]) -> None:
    # Serialises code allocation per sector: two clerks adding items at once cannot draw the same number.
    ids = {s.sector.pk for s in specs if s.sector} | {s.parent.sector_id for s in specs if s.parent}
    list(Sector.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def single(general_items: Sequence[GeneralItem], what: str) -> GeneralItem:
    """The one live item a change of one item (adjust, split, 下放, 上收) is about, locked."""
    if len(general_items) != 1:
        raise ValidationError({"general_items": _("%(what)s需选择且只能选择一个事项") % {"what": what}})
    (item,) = lock_general(general_items)
    if item.status == ItemStatus.CANCELLED:
        raise ValidationError(
            {"general_items": _("“%(name)s”已取消，不能%(what)s") % {"name": item.name, "what": what}}
        )
    return item


def set_history_reason(items: Sequence[GeneralItem], reason: str) -> None:
    for item in items:
        item.history.filter(history_type="+").update(history_change_reason=reason)


def cancel_local(local_items: Sequence[LocalItem], *, change: CatalogChange, actor: User, reason: str, on: date) -> int:
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
        decision_note=(_("事项已取消：%(reason)s") % {"reason": reason})[:300],
    )
    if live:
        local_items_cancelled.send(sender=LocalItem, local_item_ids=[li.pk for li in live], actor=actor, reason=reason)
    return len(live)


def open_tasks(
    local_items: Sequence[LocalItem], *, change: CatalogChange, instruction: str, actor: User, reason: str
) -> int:
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


def cancel_general(items: Sequence[GeneralItem], *, actor: User, reason: str, on: date) -> list[GeneralItem]:
    # Descendants cancelled earlier keep their own cancellation (date, history, change record).
    everything = [i for i in descendants(items) if i.status != ItemStatus.CANCELLED]
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


def propagate(
    change: CatalogChange, item: GeneralItem, *, actor: User, reason: str, notes: list[str], removed_levels: str
) -> None:
    """Every live local item derived from an adjusted item gets a task; those at a level the item leaves are told to
    hand it over."""
    derived = list(LocalItem.objects.filter(general_item__in=descendants([item]), status__in=LIVE_LOCAL))
    instruction = _("；").join(notes) or _("通用目录事项已调整，请核实")
    if removed_levels:
        moving = [li for li in derived if li.level in removed_levels]
        staying = [li for li in derived if li.level not in removed_levels]
        open_tasks(
            moving,
            change=change,
            instruction=_("%(instruction)s；本层级不再行使该事项，请办理交接") % {"instruction": instruction},
            actor=actor,
            reason=reason,
        )
        change.affected_local_count = len(moving) + open_tasks(
            staying, change=change, instruction=instruction, actor=actor, reason=reason
        )
    else:
        change.affected_local_count = open_tasks(
            derived, change=change, instruction=instruction, actor=actor, reason=reason
        )


def derive_successors(
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
        LocalItem.objects.filter(general_item__in=descendants(predecessors), status__in=LIVE_LOCAL).select_related(
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
                        note=_("由%(kind)s产生") % {"kind": change.get_kind_display()},
                    )
                )
    Claim.objects.bulk_create(claims)
    set_history_reason(created, reason)
    cancelled = cancel_local(old, change=change, actor=actor, reason=reason, on=on)
    names = _("、").join(p.name for p in predecessors)
    open_tasks(
        created,
        change=change,
        instruction=_("由“%(names)s”%(kind)s产生，请核实实施信息并编写标准")
        % {"names": names, "kind": change.get_kind_display()},
        actor=actor,
        reason=reason,
    )
    return cancelled + len(created)
