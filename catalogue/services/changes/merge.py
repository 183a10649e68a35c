"""合并: two or more general items become one; every body that exercised any of them exercises the successor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange, ItemStatus

from ..items import general_item_build, snapshot
from .base import ChangeRequest
from .propagation import cancel_general, derive_successors, lock_general, lock_sectors, set_history_reason


class MergeHandler:
    def validate(self, request: ChangeRequest) -> None:
        if len(request.general_items) < 2:
            raise ValidationError({"general_items": _("合并应至少选择两个事项")})
        if len(request.new_items) != 1:
            raise ValidationError({"new_items": _("合并应形成一个新事项")})

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None:
        items = lock_general(request.general_items)
        if any(i.status == ItemStatus.CANCELLED for i in items):
            raise ValidationError({"general_items": _("已取消的事项不能合并")})
        before = [snapshot(i) for i in items]
        lock_sectors(request.new_items)
        successor = general_item_build(
            spec=request.new_items[0], province=request.scope, actor=request.actor, effective_date=request.on
        )
        set_history_reason([successor], request.reason)
        change.affected_local_count = derive_successors(
            items, [successor], change=change, actor=request.actor, reason=request.reason, on=request.on
        )
        cancel_general(items, actor=request.actor, reason=request.reason, on=request.on)
        change.general_items.add(*items)
        change.successors.add(successor)
        change.before, change.after = before, [snapshot(successor)]
