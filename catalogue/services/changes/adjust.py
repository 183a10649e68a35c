"""调整: new values for one general item's name, bases, guiding department or levels; every derived local item gets
a task to check its own information."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange, levels_display

from ..items import name_initials, normalise_levels, snapshot, validate_bases
from .base import ChangeRequest
from .propagation import propagate, single


def one_item(request: ChangeRequest, what: str) -> None:
    if len(request.general_items) != 1:
        raise ValidationError({"general_items": _("%(what)s需选择且只能选择一个事项") % {"what": what}})


class AdjustHandler:
    def validate(self, request: ChangeRequest) -> None:
        one_item(request, _("调整"))
        if request.adjustment is None:
            raise ValidationError({"name": _("请填写调整内容")})

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None:
        item = single(request.general_items, _("调整"))
        adjustment = request.adjustment
        before = snapshot(item)
        notes = []
        new_name = (adjustment.name or "").strip()
        if new_name and new_name != item.name:
            notes.append(_("名称由“%(old)s”调整为“%(new)s”") % {"old": item.name, "new": new_name})
            item.name = new_name
            item.name_initials = name_initials(item.name)
        if adjustment.bases is not None:
            bases = validate_bases(adjustment.bases)
            if bases != item.bases:
                notes.append(_("设定依据已调整"))
                item.bases = bases
        guiding = (adjustment.central_guiding_dept or "").strip()
        if adjustment.central_guiding_dept is not None and guiding != item.central_guiding_dept:
            notes.append(_("中央业务指导部门调整为“%(dept)s”") % {"dept": guiding})
            item.central_guiding_dept = guiding
        removed_levels = ""
        if adjustment.levels is not None:
            levels = normalise_levels(adjustment.levels)
            removed_levels = "".join(d for d in item.levels if d not in levels)
            if levels != item.levels:
                notes.append(
                    _("行使层级由%(old)s调整为%(new)s")
                    % {"old": levels_display(item.levels), "new": levels_display(levels)}
                )
                item.levels = levels
        if not notes:
            raise ValidationError({"name": _("调整内容与现状相同，无需登记变更")})
        item._history_user, item._change_reason = request.actor, request.reason
        item.save()
        propagate(change, item, actor=request.actor, reason=request.reason, notes=notes, removed_levels=removed_levels)
        change.general_items.add(item)
        change.before, change.after = [before], [snapshot(item)]
