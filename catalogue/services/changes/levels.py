"""下放 / 上收: the item moves to lower / higher levels; bodies at levels it leaves get a hand-over task."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange, ChangeKind, levels_display

from ..items import normalise_levels, snapshot
from .adjust import one_item
from .base import ChangeRequest
from .propagation import propagate, single


class LevelsHandler:
    def validate(self, request: ChangeRequest) -> None:
        one_item(request, ChangeKind(request.kind).label)
        if request.adjustment is None or request.adjustment.levels is None:
            raise ValidationError({"levels": _("请选择调整后的行使层级")})

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None:
        item = single(request.general_items, change.get_kind_display())
        levels = normalise_levels(request.adjustment.levels)
        if levels == item.levels:
            raise ValidationError({"levels": _("行使层级没有变化")})
        lowest_before, lowest_after = max(item.levels), max(levels)
        highest_before, highest_after = min(item.levels), min(levels)
        lower = lowest_after > lowest_before or highest_after > highest_before
        higher = highest_after < highest_before or lowest_after < lowest_before
        if change.kind == ChangeKind.DELEGATE_DOWN and not lower:
            raise ValidationError({"levels": _("下放应使事项由更低层级行使")})
        if change.kind == ChangeKind.TAKE_UP and not higher:
            raise ValidationError({"levels": _("上收应使事项由更高层级行使")})
        before = snapshot(item)
        removed = "".join(d for d in item.levels if d not in levels)
        note = _("%(kind)s：行使层级由%(old)s调整为%(new)s") % {
            "kind": change.get_kind_display(),
            "old": levels_display(item.levels),
            "new": levels_display(levels),
        }
        item.levels = levels
        item._history_user, item._change_reason = request.actor, request.reason
        item.save()
        propagate(change, item, actor=request.actor, reason=request.reason, notes=[note], removed_levels=removed)
        change.general_items.add(item)
        change.before, change.after = [before], [snapshot(item)]
