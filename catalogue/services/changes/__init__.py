"""Dynamic management (动态管理): every change of the catalogue goes through ``catalog_change_apply``.

One call, one transaction: the change record with its decision document and before/after snapshots, the items it
creates or cancels, the propagation to derived local items (cancellation, adjustment tasks) and the history rows,
all attributed to the acting user and the document. If anything fails nothing is saved.

Each kind of change has its handler in a module of its own (``HANDLERS``: kind → handler with ``validate`` and
``apply``); what the kinds share — locking, cancelling, propagation to local items — is in ``propagation``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue import access
from catalogue.models import CatalogChange, ChangeKind, Division, DivisionLevel, GeneralItem, LocalItem

from ..items import ItemSpec
from .add import AddHandler
from .adjust import AdjustHandler
from .base import Adjustment, ChangeDocument, ChangeRequest, Handler
from .cancel import CancelHandler
from .levels import LevelsHandler
from .local_cancel import LocalCancelHandler
from .merge import MergeHandler
from .propagation import LIVE_LOCAL
from .split import SplitHandler

__all__ = [
    "HANDLERS",
    "LIVE_LOCAL",
    "LOCAL_HANDLERS",
    "Adjustment",
    "ChangeDocument",
    "ChangeRequest",
    "Handler",
    "catalog_change_apply",
]

# Changes of the general catalogue, by kind.
HANDLERS: Mapping[str, Handler] = {
    ChangeKind.ADD: AddHandler(),
    ChangeKind.ADJUST: AdjustHandler(),
    ChangeKind.SPLIT: SplitHandler(),
    ChangeKind.MERGE: MergeHandler(),
    ChangeKind.CANCEL: CancelHandler(),
    ChangeKind.DELEGATE_DOWN: LevelsHandler(),
    ChangeKind.TAKE_UP: LevelsHandler(),
}
# Changes of a division's implementation list: additions come through claims, so only cancellation.
LOCAL_HANDLERS: Mapping[str, Handler] = {ChangeKind.CANCEL: LocalCancelHandler()}


def _reason_text(kind: str, document: ChangeDocument, reason: str) -> str:
    """What the history rows of the change say: its kind, its document and the reason given."""
    text = _("%(kind)s（%(document)s）：%(reason)s") % {
        "kind": ChangeKind(kind).label,
        "document": document.number,
        "reason": reason,
    }
    return text[:500]


def _check_common(*, kind: str, document: ChangeDocument, effective_date: date | None, reason: str) -> None:
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": _("未知的变更类型")})
    errors = {}
    try:
        document.validate()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not (reason or "").strip():
        errors["reason"] = _("请填写变更理由")
    if not effective_date:
        errors["effective_date"] = _("请填写生效日期")
    if errors:
        raise ValidationError(errors)


def _handler(
    *, actor: User, kind: str, scope: Division, general_items: Sequence[GeneralItem], is_local: bool
) -> Handler:
    """The handler of this kind of change, once the actor is known to be allowed to make it in ``scope``."""
    if is_local:
        if kind not in LOCAL_HANDLERS:
            raise ValidationError({"kind": _("实施清单事项只能通过认领新增、通过取消变更")})
        if not access.can_manage_local_list(actor, scope):
            raise PermissionDenied(_("只有本区划编办可以变更实施清单"))
        return LOCAL_HANDLERS[kind]
    if scope.level != DivisionLevel.PROVINCE:
        raise ValidationError({"scope": _("通用目录变更的适用区划应为省份")})
    if not access.can_manage_general_catalogue(actor, scope):
        raise PermissionDenied(_("只有省级编办可以变更通用目录"))
    if any(i.province_id != scope.code for i in general_items):
        raise ValidationError({"general_items": _("所选事项不属于本省目录")})
    return HANDLERS[kind]


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
    _check_common(kind=kind, document=document, effective_date=effective_date, reason=reason)
    handler = _handler(actor=actor, kind=kind, scope=scope, general_items=general_items, is_local=bool(local_items))
    request = ChangeRequest(
        kind=kind,
        actor=actor,
        scope=scope,
        on=effective_date,
        reason=_reason_text(kind, document, reason.strip()),
        general_items=list(general_items),
        local_items=list(local_items),
        new_items=list(new_items),
        adjustment=adjustment,
    )
    handler.validate(request)
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
    handler.apply(request, change)
    change.save(update_fields=["before", "after", "affected_local_count"])
    return change
