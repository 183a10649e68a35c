"""拆分: one general item becomes two or more; every body that exercised it exercises each successor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange, NodeKind

from ..items import general_item_build, snapshot
from .adjust import one_item
from .base import ChangeRequest
from .propagation import cancel_general, derive_successors, lock_sectors, set_history_reason, single


class SplitHandler:
    def validate(self, request: ChangeRequest) -> None:
        one_item(request, _("拆分"))
        if len(request.new_items) < 2:
            raise ValidationError({"new_items": _("拆分应至少形成两个新事项")})

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None:
        item = single(request.general_items, _("拆分"))
        if item.node_kind == NodeKind.MAIN and item.has_sub_items:
            raise ValidationError({"general_items": _("含子项的主项请拆分其子项")})
        before = [snapshot(item)]
        lock_sectors(request.new_items)
        successors = [
            general_item_build(spec=s, province=request.scope, actor=request.actor, effective_date=request.on)
            for s in request.new_items
        ]
        set_history_reason(successors, request.reason)
        change.affected_local_count = derive_successors(
            [item], successors, change=change, actor=request.actor, reason=request.reason, on=request.on
        )
        cancel_general([item], actor=request.actor, reason=request.reason, on=request.on)
        change.general_items.add(item)
        change.successors.add(*successors)
        change.before, change.after = before, [snapshot(s) for s in successors]
