"""Claiming (事项认领) and the adjustment to-do list of departments."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.models import (
    AdjustmentStatus,
    AdjustmentTask,
    Claim,
    ClaimStatus,
    GeneralItem,
    LocalItem,
    LocalItemStatus,
    Organization,
)
from catalogue.signals import local_items_cancelled
from core.exceptions import ConflictError

from .items import local_item_build


@transaction.atomic
def claims_create(
    *, actor: User, organization: Organization, general_items: Sequence[GeneralItem], note: str = ""
) -> list[Claim]:
    """Claim general items for the actor's department: each claim creates (or reopens) the local item with its code,
    waiting for the establishment office. All or nothing: one refused item refuses the whole submission, with every
    reason listed, so the clerk can fix the selection and submit again."""
    if not access.can_claim_for(actor, organization):
        raise PermissionDenied(_("只能为本部门认领事项"))
    general_items = list({g.pk: g for g in general_items}.values())  # the same item twice is one claim
    if not general_items:
        raise ValidationError({"general_items": _("请至少选择一个事项")})
    division = organization.division
    # Decide on the stored items, locked against a concurrent cancellation, not on the caller's copies.
    stored = GeneralItem.objects.select_for_update().order_by("pk").in_bulk([g.pk for g in general_items])
    general_items = [stored[g.pk] for g in general_items]
    existing = {
        li.general_item_id: li
        for li in LocalItem.objects.select_for_update().filter(
            organization=organization, division=division, general_item__in=general_items
        )
    }
    problems, claims = [], []
    for general_item in general_items:
        local = existing.get(general_item.pk)
        try:
            if local is None:
                local = local_item_build(
                    general_item=general_item,
                    division=division,
                    organization=organization,
                    actor=actor,
                    status=LocalItemStatus.CLAIMED,
                )
            elif local.status == LocalItemStatus.REJECTED:
                local.status = LocalItemStatus.CLAIMED
                local._history_user, local._change_reason = actor, "重新认领"
                local.save(update_fields=["status", "updated_at"])
            elif local.status == LocalItemStatus.CANCELLED:
                raise ValidationError(
                    _("“%(name)s”在本部门的实施编码已注销，编码不得重复使用") % {"name": general_item.name}
                )
            else:
                raise ValidationError(
                    _("“%(name)s”已由本部门认领（%(status)s）")
                    % {"name": general_item.name, "status": local.get_status_display()}
                )
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        claims.append(Claim(local_item=local, organization=organization, claimed_by=actor, note=note[:300]))
    if problems:
        raise ValidationError({"general_items": problems})
    return Claim.objects.bulk_create(claims)


@transaction.atomic
def claim_decide(*, actor: User, claim: Claim, approve: bool, note: str = "") -> Claim:
    """The establishment office confirms or returns a claim; a return needs a reason the department will read."""
    claim = Claim.objects.select_for_update().select_related("local_item__division").get(pk=claim.pk)
    if not access.can_manage_local_list(actor, claim.local_item.division):
        raise PermissionDenied(_("只有本区划编办可以确认认领"))
    if claim.status != ClaimStatus.PENDING:
        raise ConflictError(_("该认领已被处理（%(status)s），无需重复操作") % {"status": claim.get_status_display()})
    if claim.local_item.status != LocalItemStatus.CLAIMED:
        # E.g. the general item was cancelled while the claim waited: a decision must not revive the item.
        raise ConflictError(
            _("该事项已%(status)s，认领不能再确认或退回") % {"status": claim.local_item.get_status_display()}
        )
    if not approve and not note.strip():
        raise ValidationError({"note": _("退回认领时请填写理由")})
    local = claim.local_item
    claim.status = ClaimStatus.CONFIRMED if approve else ClaimStatus.REJECTED
    claim.decided_by, claim.decided_at, claim.decision_note = actor, timezone.now(), note.strip()[:300]
    claim.save()
    local.status = LocalItemStatus.ACTIVE if approve else LocalItemStatus.REJECTED
    if approve and not local.effective_date:
        local.effective_date = timezone.localdate()
    local._history_user = actor
    # Change reasons are stored history text, in the catalogue's own language.
    local._change_reason = "编办确认认领" if approve else "编办退回认领：" + note.strip()
    local.save(update_fields=["status", "effective_date", "updated_at"])
    return claim


@transaction.atomic
def adjustment_resolve(*, actor: User, task: AdjustmentTask, note: str = "") -> AdjustmentTask:
    """The department brings its local item in line with the changed general item: name and type follow the general
    item again; an item whose level is no longer allowed is cancelled (its hand-over is done)."""
    task = (
        AdjustmentTask.objects.select_for_update().select_related("local_item__general_item", "change").get(pk=task.pk)
    )
    local = task.local_item
    if not access.can_resolve_adjustment(actor, local):
        raise PermissionDenied(_("只能处理本部门的待调整事项"))
    if task.status != AdjustmentStatus.OPEN:
        raise ConflictError(_("该任务已处理"))
    general = local.general_item
    reason = ("按变更（" + task.change.document_number + "）调整：" + note.strip()).rstrip("：")
    fields = ["needs_adjustment", "updated_at"]
    if local.status != LocalItemStatus.CANCELLED:
        local.name, local.name_initials, local.item_type = general.name, general.name_initials, general.item_type
        fields += ["name", "name_initials", "item_type"]
        if local.level not in general.levels:
            local.status, local.cancel_date = LocalItemStatus.CANCELLED, timezone.localdate()
            fields += ["status", "cancel_date"]
    task.status, task.resolved_by, task.resolved_at, task.note = (
        AdjustmentStatus.DONE,
        actor,
        timezone.now(),
        note.strip()[:300],
    )
    task.save()
    local.needs_adjustment = local.adjustments.filter(status=AdjustmentStatus.OPEN).exists()
    local._history_user, local._change_reason = actor, reason
    local.save(update_fields=fields)
    if "status" in fields:
        local_items_cancelled.send(sender=LocalItem, local_item_ids=[local.pk], actor=actor, reason=reason)
    return task
