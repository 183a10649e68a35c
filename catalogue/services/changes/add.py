"""新增: new general items, with codes drawn under their sector."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange

from ..items import general_item_build, snapshot
from .base import ChangeRequest
from .propagation import lock_sectors, set_history_reason


class AddHandler:
    def validate(self, request: ChangeRequest) -> None:
        if not request.new_items:
            raise ValidationError({"name": _("请填写新增事项")})
        if request.general_items:
            raise ValidationError({"general_items": _("新增不涉及已有事项")})

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None:
        lock_sectors(request.new_items)
        created = [
            general_item_build(spec=spec, province=request.scope, actor=request.actor, effective_date=request.on)
            for spec in request.new_items
        ]
        set_history_reason(created, request.reason)
        change.general_items.add(*created)
        change.after = [snapshot(i) for i in created]
