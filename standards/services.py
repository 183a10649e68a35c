"""Every state change of a standard's content: creating a version, copying a template, saving the editor.

Each service takes the acting user, runs in a transaction, locks the standard (or the item) first, checks permission
and state, and leaves a history row attributed to the actor.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue.models import LocalItem, LocalItemStatus
from catalogue.services import published_guide_record
from core.exceptions import ConflictError

from . import permissions
from .models import (
    GUIDE_ROWS,
    MANUAL_ROWS,
    BasisRole,
    BusinessManual,
    Citation,
    InternalForm,
    ItemStandard,
    ReviewPoint,
    ServiceGuide,
    StandardState,
)

# The change note of a first publication when the publisher wrote none: stored, and translated where it is shown.
FIRST_PUBLICATION_NOTE = gettext_noop("首次发布")

# Guide and manual fields that belong to one place (contacts, address, hours, officials): a template copied from
# another division leaves them empty for the local clerk to fill.
LOCAL_GUIDE_FIELDS = (
    "accepting_body",
    "deciding_body",
    "joint_bodies",
    "lead_office",
    "hall_name",
    "address",
    "office_hours",
    "traffic_guide",
    "consult_phone",
    "consult_online",
    "consult_address",
    "complain_phone",
    "complain_online",
    "complain_letter_address",
    "review_channel",
    "litigation_channel",
    "public_query_channel",
    "online_url",
    "mobile_url",
)
LOCAL_MANUAL_FIELDS = ("manual_no", "issuer", "effective_on", "handling_org")
FILE_FIELDS = {"blank_form", "sample_form", "sample", "template"}


def _fields(model, exclude=()) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude]


def _copy_content(source: ItemStandard, target: ItemStandard, *, local_reset: bool) -> None:
    """Copy guide, manual and every row from ``source`` into the empty ``target``. Rows keep their ``uid`` so a
    diff between the two versions pairs them; references between rows (a review point's step) follow the copy."""
    guide_values = {f: getattr(source.guide, f) for f in _fields(ServiceGuide, exclude=("standard",))}
    manual_values = {f: getattr(source.manual, f) for f in _fields(BusinessManual, exclude=("standard",))}
    if local_reset:
        for name in LOCAL_GUIDE_FIELDS:
            guide_values[name] = ServiceGuide._meta.get_field(name).get_default()
        for name in LOCAL_MANUAL_FIELDS:
            manual_values[name] = BusinessManual._meta.get_field(name).get_default()
        # Name and type are the target item's own (四级四同), not the template's.
        guide_values["item_name"] = target.local_item.name
        guide_values["item_type"] = target.local_item.item_type
    ServiceGuide.objects.create(standard=target, **guide_values)
    BusinessManual.objects.create(standard=target, **manual_values)

    step_map = {}
    for model in GUIDE_ROWS + MANUAL_ROWS:
        rows = list(model.objects.filter(standard=source).order_by("position", "id"))
        skip = {"id", "standard"} | (FILE_FIELDS if local_reset else set())
        refers_to_step = model in (ReviewPoint, InternalForm)
        for row in rows:
            # ``step`` is a link to a manual step on review points and forms (re-pointed below), but the kind of step
            # on a manual step itself (copied as it is).
            values = {
                f: getattr(row, f) for f in _fields(model) if f not in skip and not (refers_to_step and f == "step")
            }
            if refers_to_step:
                values["step"] = step_map.get(row.step_id)
            new = model.objects.create(standard=target, **values)
            if model.__name__ == "ManualStep":
                step_map[row.pk] = new


def blank_content(local_item: LocalItem) -> tuple[dict, dict, list[dict]]:
    """What a first version starts from — what the catalogue already knows about the item: guide values, manual
    values and the founding citations of its general item. The offline workbook shows the same for an item that has
    no standard yet."""
    guide = {
        "item_name": local_item.name,
        "item_type": local_item.item_type,
        "accepting_body": local_item.organization.name,
        "deciding_body": local_item.organization.name,
    }
    manual = {"handling_org": local_item.organization.name}
    citations = [
        {
            "position": position,
            "role": BasisRole.FOUNDING,
            "law_name": basis.get("law", ""),
            "doc_number": basis.get("doc_number", ""),
            "article_ref": basis.get("article", ""),
        }
        for position, basis in enumerate(local_item.general_item.bases or [])
    ]
    return guide, manual, citations


def _blank_content(standard: ItemStandard) -> None:
    guide, manual, citations = blank_content(standard.local_item)
    ServiceGuide.objects.create(standard=standard, **guide)
    BusinessManual.objects.create(standard=standard, **manual)
    for values in citations:
        Citation.objects.create(standard=standard, **values)


def _new_version(*, local_item: LocalItem, actor: User, **fields) -> ItemStandard:
    current = local_item.standards.aggregate(v=Max("version"))["v"] or 0
    standard = ItemStandard(local_item=local_item, version=current + 1, created_by=actor, updated_by=actor, **fields)
    standard._history_user = actor
    standard.save()
    return standard


def _lock_item_for_new_version(*, actor: User, local_item: LocalItem, importing: bool = False) -> LocalItem:
    local_item = (
        LocalItem.objects.select_for_update().select_related("organization", "general_item").get(pk=local_item.pk)
    )
    allowed = permissions.can_import_guides_for if importing else permissions.can_write_for
    if not allowed(actor, local_item):
        raise PermissionDenied(_("只能为本部门的事项编写标准"))
    if local_item.status != LocalItemStatus.ACTIVE:
        raise ValidationError(
            _("事项“%(name)s”当前状态为%(status)s，不能编写标准")
            % {"name": local_item.name, "status": local_item.get_status_display()}
        )
    in_progress = local_item.standards.in_progress().first()
    if in_progress is not None:
        raise ConflictError(
            _("该事项已有正在编写或审查中的第%(version)s版（%(state)s），请继续编辑该版本")
            % {"version": in_progress.version, "state": in_progress.get_state_display()}
        )
    return local_item


@transaction.atomic
def standard_start(*, actor: User, local_item: LocalItem, importing: bool = False) -> ItemStandard:
    """Start the next version of an item's standard: a copy of the published version if there is one, otherwise a
    first draft prefilled from the catalogue. ``importing``: for a guide import, which an establishment office may
    also do for the departments in its scope (``permissions.can_import_guides_for``)."""
    local_item = _lock_item_for_new_version(actor=actor, local_item=local_item, importing=importing)
    published = local_item.standards.published().select_related("guide", "manual").first()
    standard = _new_version(local_item=local_item, actor=actor, based_on=published)
    if published is not None:
        _copy_content(published, standard, local_reset=False)
    else:
        _blank_content(standard)
    return standard


@transaction.atomic
def standard_start_from_template(*, actor: User, local_item: LocalItem, template: ItemStandard) -> ItemStandard:
    """Start an item's standard from the published standard of the same general item in another division (the
    province's, or a model city's), with the local fields — contacts, address, hours, officials — left empty."""
    local_item = _lock_item_for_new_version(actor=actor, local_item=local_item)
    template = ItemStandard.objects.select_related("local_item", "guide", "manual").get(pk=template.pk)
    if template.state != StandardState.PUBLISHED:
        raise ValidationError({"template": _("只能参照已发布的标准")})
    if template.local_item.general_item_id != local_item.general_item_id:
        raise ValidationError({"template": _("范本须是同一通用目录事项的标准")})
    if template.local_item_id == local_item.pk:
        raise ValidationError({"template": _("不能以本事项自己的标准作为范本")})
    standard = _new_version(local_item=local_item, actor=actor, template_source=template)
    _copy_content(template, standard, local_reset=True)
    return standard


@transaction.atomic
def standard_save(
    *,
    actor: User,
    standard: ItemStandard,
    expected_revision: int,
    write: Callable[[ItemStandard], None],
    importing: bool = False,
) -> ItemStandard:
    """Save an edit of a draft. ``write`` stores the validated input (the editor's forms); it runs only after the
    standard is locked, the actor may edit it and nobody saved since ``expected_revision`` — otherwise
    ``ConflictError`` says who changed it, and nothing is written. ``importing``: a guide imported from another
    system's export, recorded on the version (who imported it, for which department) for the department that still
    confirms it through the workflow."""
    locked = ItemStandard.objects.select_for_update().select_related("local_item").get(pk=standard.pk)
    allowed = permissions.can_import_into(actor, locked) if importing else permissions.can_edit(actor, locked)
    if not allowed:
        if not locked.is_editable:
            raise ConflictError(_("该版本当前为“%(state)s”，不能再修改") % {"state": locked.get_state_display()})
        raise PermissionDenied(_("只能编辑本部门事项的标准"))
    if locked.revision != expected_revision:
        who = locked.updated_by.get_full_name() or locked.updated_by.username if locked.updated_by else _("他人")
        raise ConflictError(
            _(
                "保存冲突：%(who)s 已于 %(when)s 保存了该标准（第%(revision)s次保存，您打开的是第%(opened)s次）。"
                "您填写的内容保留在下方，请核对对方的修改后再次保存。"
            )
            % {
                "who": who,
                "when": f"{timezone.localtime(locked.updated_at):%Y-%m-%d %H:%M}",
                "revision": locked.revision,
                "opened": expected_revision,
            },
        )
    write(locked)
    locked.revision += 1
    locked.updated_by = actor
    fields = ["revision", "updated_by", "updated_at"]
    if importing:
        locked.imported_by, locked.imported_at = actor, timezone.now()
        locked.imported_for_id = locked.local_item.organization_id
        fields += ["imported_by", "imported_at", "imported_for"]
    locked._history_user, locked._change_reason = actor, permissions.EDIT_REASON
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def standard_publish(*, actor: User, standard: ItemStandard, change_note: str = "") -> ItemStandard:
    """Make an approved version the published one, replacing the version published before in the same transaction
    (it becomes superseded), so the public page never shows none or two. The item's copy of its published guide
    (``LocalItem.guide_version``) follows in the same transaction.

    The content operation only: who may publish is decided by the review workflow, which calls this after its own
    checks; the demo data calls it for standards it loads as already reviewed.
    """
    locked = ItemStandard.objects.select_for_update().get(pk=standard.pk)
    if locked.state != StandardState.APPROVED:
        raise ConflictError(
            _("只有审查通过的版本才能发布（当前为“%(state)s”）") % {"state": locked.get_state_display()}
        )
    now = timezone.now()
    previous = (
        ItemStandard.objects.select_for_update()
        .filter(local_item_id=locked.local_item_id, state=StandardState.PUBLISHED)
        .first()
    )
    if previous is not None:
        previous.state = StandardState.SUPERSEDED
        previous._history_user = actor
        previous.save(update_fields=["state", "updated_at"])
    locked.state, locked.published_at, locked.updated_by = StandardState.PUBLISHED, now, actor
    locked.change_note = change_note.strip() or (FIRST_PUBLICATION_NOTE if previous is None else locked.change_note)
    locked._history_user = actor
    locked.save(update_fields=["state", "published_at", "updated_by", "change_note", "updated_at"])
    published_guide_record(local_item_ids=[locked.local_item_id], version=locked.version, published_at=now)
    return locked


def published_guides_refresh() -> None:
    """Rewrite every item's copy of its published guide (``LocalItem.guide_version``) from the standards table, set-wise
    (one ``UPDATE`` clearing the copies with no published version behind them, one ``UPDATE … FROM`` writing the
    others that differ), for rows written around ``standard_publish`` — the bench's generator bulk-creates published
    versions. The second is the statement of the migration ``published_guide_on_item``, which filled the copy."""
    items, standards = LocalItem._meta.db_table, ItemStandard._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {items} SET guide_version = NULL, guide_published_at = NULL "
            f"WHERE guide_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {standards} AS s "
            f"WHERE s.local_item_id = {items}.id AND s.state = %s)",
            [StandardState.PUBLISHED],
        )
        cursor.execute(
            f"UPDATE {items} SET guide_version = s.version, guide_published_at = s.published_at "
            f"FROM {standards} AS s WHERE s.local_item_id = {items}.id AND s.state = %s "
            f"AND ({items}.guide_version IS DISTINCT FROM s.version "
            f"OR {items}.guide_published_at IS DISTINCT FROM s.published_at)",
            [StandardState.PUBLISHED],
        )
