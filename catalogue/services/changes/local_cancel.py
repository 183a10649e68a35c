"""取消 of local items: a division's establishment office takes items off its own implementation list."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from catalogue.models import CatalogChange, LocalItem, LocalItemStatus

from .base import ChangeRequest
from .propagation import cancel_local


def _brief(item: LocalItem) -> dict:
    return {"id": item.pk, "code": item.code, "name": item.name, "status": item.status}


class LocalCancelHandler:
    def validate(self, request: ChangeRequest) -> None:
        return None  # everything it checks needs the locked rows

    def apply(self, request: ChangeRequest, change: CatalogChange) -> None:
        locked = list(
            LocalItem.objects.select_for_update(of=("self",))
            .select_related("division")
            .filter(pk__in=[li.pk for li in request.local_items])
            .order_by("pk")
        )
        if any(request.scope.code not in li.division.ancestor_codes() for li in locked):
            raise ValidationError({"local_items": _("所选事项不属于本区划")})
        if any(li.status == LocalItemStatus.CANCELLED for li in locked):
            raise ValidationError({"local_items": _("所选事项中有已取消的事项")})
        change.before = [_brief(li) for li in locked]
        change.affected_local_count = cancel_local(
            locked, change=change, actor=request.actor, reason=request.reason, on=request.on
        )
        change.after = [_brief(li) for li in locked]
