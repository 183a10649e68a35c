"""取消: general items leave the catalogue with everything derived from them (sub-items, local items)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange, ItemStatus, LocalItem

from ..items import snapshot
from .base import ChangeRequest
from .propagation import cancel_general, cancel_local, lock_general


class CancelHandler:
    def validate(self, request: ChangeRequest) -> None:
        if not request.general_items:
            raise ValidationError({"general_items": _("请选择要取消的事项")})

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None:
        items = lock_general(request.general_items)
        already = [i.name for i in items if i.status == ItemStatus.CANCELLED]
        if already:
            raise ValidationError({"general_items": _("事项已取消：%(names)s") % {"names": _("、").join(already)}})
        before = [snapshot(i) for i in items]
        cancelled = cancel_general(items, actor=request.actor, reason=request.reason, on=request.on)
        derived = list(LocalItem.objects.filter(general_item__in=cancelled))
        change.affected_local_count = cancel_local(
            derived, change=change, actor=request.actor, reason=request.reason, on=request.on
        )
        change.general_items.add(*cancelled)
        change.before = before
        change.after = [snapshot(i) for i in cancelled]
