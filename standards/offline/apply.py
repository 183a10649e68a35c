"""Applying an upload: every item's edits become the editor's form data and go through the editor's forms and
``standard_save`` — the same validation, permission check, conflict rule and history as a save in the browser.

All items of an upload are saved together or not at all: a preview runs the very same steps and rolls them back,
so what it shows (changes, row errors, quality findings) is exactly what saving would do.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalogue import access as catalogue_access
from catalogue.models import LocalItem
from core.exceptions import ConflictError

from .. import permissions, selectors
from ..checks import run_checks
from ..editor import Editor
from ..models import ItemStandard
from ..services import standard_save, standard_start
from .inputs import ItemInput, Parsed, Place, RowError, RowInput
from .report import ItemResult, Outcome, changes_of
from .schema import columns_of


class _Conflict(Exception):
    pass


def apply_upload(
    *, actor: User, parsed: Parsed, dry_run: bool, force: bool = False, all_or_nothing: bool = True
) -> Outcome:
    """Validate and (unless ``dry_run``) save every item of ``parsed``. Each item is saved in its own savepoint, so
    nothing of an item with an error is kept; with ``all_or_nothing`` (a workbook always) one error anywhere saves
    nothing, otherwise every good item is saved and the bad ones are reported (guides from another system).
    ``force`` saves over changes made since the export (the editor's "save anyway")."""
    outcome = Outcome(errors=list(parsed.errors), all_or_nothing=all_or_nothing)
    if not parsed.items and not outcome.errors:
        outcome.errors.append(RowError(Place(parsed.source_name), _("文件中没有任何事项")))
    unreadable = {error.item for error in parsed.errors if error.item}
    with transaction.atomic():
        found = {
            item.code: item
            for item in LocalItem.objects.select_related("organization", "division", "general_item").filter(
                code__in=[i.code for i in parsed.items]
            )
        }
        visible = set(
            catalogue_access.visible_local_items(actor)
            .filter(pk__in=[i.pk for i in found.values()])
            .values_list("pk", flat=True)
        )
        for item_input in parsed.items:
            item = found.get(item_input.code)
            result = ItemResult(code=item_input.code, name=item.name if item else "")
            try:
                if item is None or item.pk not in visible:
                    raise ValidationError(_("事项编码“%(code)s”不存在或不在您的权限范围内") % {"code": item_input.code})
                with transaction.atomic():
                    _apply_item(actor, item, item_input, result, force=force, importing=parsed.guides)
                    if not result.changes or result.errors or item_input.code in unreadable:
                        # Nothing to change, or not all of it readable: no new draft, no save counted.
                        result.new_version = result.new_version and bool(result.changes)
                        result.saved = False
                        transaction.set_rollback(True)
            except _Conflict as exc:
                outcome.conflict = True
                result.errors.append(RowError(item_input.place, str(exc), item=item_input.code))
            except (ValidationError, PermissionDenied, ConflictError) as exc:
                result.errors.append(RowError(item_input.place, _message(exc), item=item_input.code))
            result.rejected = bool(result.errors) or item_input.code in unreadable
            outcome.items.append(result)
            outcome.errors.extend(result.errors)
        outcome.applied = not dry_run and (not outcome.errors or not all_or_nothing)
        if not outcome.applied:
            transaction.set_rollback(True)
    return outcome


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(getattr(exc, "message", "") or exc)


def _who(standard: ItemStandard) -> str:
    user = standard.updated_by
    return (user.get_full_name() or user.username) if user else _("他人")


def _target(actor: User, item: LocalItem, item_input: ItemInput, result: ItemResult, *, importing: bool):
    """The version the edits go into (a new draft when none is in progress), the save counter ``standard_save``
    must find, and — when the version or its content moved on since the export — why the edits may overwrite
    someone's work."""
    if importing and not permissions.can_import_guides_for(actor, item):
        raise PermissionDenied(_("只能为本部门或本级及下级编办所辖部门的事项导入指南：%(name)s") % {"name": item.name})
    if not importing and not permissions.can_write_for(actor, item):
        raise PermissionDenied(_("只能修改本部门事项的标准：%(name)s") % {"name": item.name})
    current = item.standards.in_progress().select_related("updated_by").first()
    if current is None:
        published = item.standards.published().first()
        stale = None
        if item_input.revision is not None and (published.pk if published else None) != item_input.standard_id:
            stale = _("导出后该事项的标准已有变化（现为%(state)s），请重新下载填报表") % {
                "state": published.get_state_display() if published else _("无标准")
            }
        standard = standard_start(actor=actor, local_item=item, importing=importing)
        result.new_version = True
        return standard, standard.revision, stale
    if not current.is_editable:
        raise ConflictError(
            _("该事项的第%(v)s版当前为“%(state)s”，不能修改")
            % {"v": current.version, "state": current.get_state_display()}
        )
    stale = None
    if item_input.revision is not None and (
        item_input.standard_id != current.pk or item_input.revision != current.revision
    ):
        stale = _(
            "保存冲突：%(who)s 已于 %(when)s 保存了该事项的标准"
            "（第%(v)s版第%(now)s次保存，填报表导出自第%(then)s次）。"
            "请重新下载填报表后再填，或选择以您的内容为准后再保存。"
        ) % {
            "who": _who(current),
            "when": f"{timezone.localtime(current.updated_at):%Y-%m-%d %H:%M}",
            "v": current.version,
            "now": current.revision,
            "then": item_input.revision if item_input.standard_id == current.pk else 0,
        }
    return current, current.revision, stale


def _apply_item(
    actor: User, item: LocalItem, item_input: ItemInput, result: ItemResult, *, force: bool, importing: bool
) -> None:
    """Validate and save one item. A workbook exported before someone else's save is a conflict only when it would
    change something: uploading the same file twice, or one that matches what is stored, changes nothing."""
    standard, expected, stale = _target(actor, item, item_input, result, importing=importing)
    standard = selectors.standard_for_editor(pk=standard.pk)
    result.version, result.standard_id = standard.version, standard.pk
    if result.new_version and item_input.exported_from_blank:
        # The founding citations the catalogue gave the new draft are the unmarked ones of the workbook.
        item_input.match_on.setdefault("citations", "law_name")
    builder = _FormData(Editor.build(standard), item_input)
    data = builder.build()
    result.errors.extend(builder.errors)
    editor = Editor.build(standard, data)
    valid = editor.is_valid()
    if not valid:
        result.errors.extend(builder.form_errors(editor))
    if result.errors:
        return
    result.changes = changes_of(editor, builder.editor)
    if not result.changes:
        return
    if stale and not force:
        raise _Conflict(stale)
    saved = standard_save(
        actor=actor,
        standard=standard,
        expected_revision=expected,
        write=lambda locked: editor.write(locked, actor),
        importing=importing,
    )
    result.saved = True
    result.findings = run_checks(selectors.standard_for_editor(pk=saved.pk))


def _put(data: dict, name: str, value: Any, field_: forms.Field) -> None:
    """Store a value the way a browser posts it."""
    if isinstance(field_, forms.FileField):
        return
    if isinstance(field_, forms.BooleanField):
        if value:
            data[name] = "on"
        else:
            data.pop(name, None)
    elif isinstance(field_, forms.MultipleChoiceField):
        data[name] = list(value or [])
    elif value is None:
        data[name] = ""
    else:
        data[name] = value


class _FormData:
    """The editor's form data for one item: what the editor would post unchanged, with the upload's values laid
    over it. Remembers which row of the source each form came from, to put errors where the clerk will look."""

    def __init__(self, editor: Editor, item_input: ItemInput):
        self.editor = editor
        self.input = item_input
        self.origins: dict[tuple[str, int], RowInput] = {}
        self.errors: list[RowError] = []

    def build(self) -> dict:
        data: dict = {"revision": str(self.editor.standard.revision)}
        for form in (self.editor.guide_form, self.editor.manual_form):
            for bound in form:
                _put(data, bound.html_name, bound.value(), bound.field)
        for _title, _section, formset in self.editor.formsets.values():
            for bound in formset.management_form:
                data[bound.html_name] = bound.value()
            for form in formset.forms:
                for bound in form:
                    _put(data, bound.html_name, bound.value(), bound.field)
        for form_name, form in (("guide", self.editor.guide_form), ("manual", self.editor.manual_form)):
            for name, value in getattr(self.input, form_name).items():
                if name in form.fields:
                    _put(data, form.add_prefix(name), value, form.fields[name])
        for prefix, rows in self.input.rows.items():
            self._rows(data, prefix, rows)
        return data

    def _step_ids(self) -> dict[str, int | None]:
        steps = self.editor.formsets["manual_steps"][2].rows_by_pk()
        ids: dict[str, int | None] = {}
        with translation.override(self.input.language or translation.get_language()):
            for pk, step in steps.items():
                label = step.row_label()
                ids[label] = None if label in ids else pk  # a label two steps share cannot be told apart
        return ids

    def _rows(self, data: dict, prefix: str, rows: list[RowInput]) -> None:
        formset = self.editor.formsets[prefix][2]
        stored = [form.instance for form in formset.forms]
        by_uid = {str(obj.uid): index for index, obj in enumerate(stored)}
        match_on = self.input.match_on.get(prefix)
        by_match: dict[str, list[int]] = {}
        if match_on:
            for index, obj in enumerate(stored):
                by_match.setdefault(str(getattr(obj, match_on, "") or "").strip(), []).append(index)
        used: set[int] = set()
        placed: list[tuple[int | None, RowInput]] = []
        for row in rows:
            index = by_uid.get(row.uid) if row.uid else None
            if index in used:
                index = None  # a copied line keeps the hidden id of its original: it is a new row
            if index is None and match_on and not row.uid:
                candidates = [i for i in by_match.get(str(row.values.get(match_on, "")).strip(), []) if i not in used]
                index = candidates[0] if candidates else None
            if index is not None:
                used.add(index)
            placed.append((index, row))
        # An unmarked line identical to a stored row nobody claimed is that row (a line added offline, uploaded
        # twice): matching it keeps a second upload of the same file from removing and re-adding it.
        for position, (index, row) in enumerate(placed):
            if index is None and not row.uid:
                same = next(
                    (i for i in range(len(stored)) if i not in used and self._same(data, formset, i, row.values)),
                    None,
                )
                if same is not None:
                    used.add(same)
                    placed[position] = (same, row)
        empty = formset.empty_form
        links_step = any(c.kind == "step" for c in columns_of(prefix).values())
        step_ids = self._step_ids() if links_step else {}
        total = len(stored)
        last = -1
        for index, row in placed:
            if index is None:
                index, total = total, total + 1
                for name, field_ in empty.fields.items():
                    if name in ("id", "DELETE", formset.fk.name):
                        continue
                    model_field = formset.model._meta.get_field(name)
                    default = None if model_field.is_relation else model_field.get_default()
                    _put(data, formset.add_prefix(f"{index}-{name}"), default, field_)
                data[formset.add_prefix(f"{index}-id")] = ""
                position = last + 1
            else:
                original = stored[index].position
                position = original if original > last else last + 1
            last = position
            self.origins[(prefix, index)] = row
            form_fields = empty.fields
            for name, value in row.values.items():
                if name not in form_fields:
                    continue
                if name == "step" and links_step:
                    value = self._step(step_ids, value, row)
                _put(data, formset.add_prefix(f"{index}-{name}"), value, form_fields[name])
            data[formset.add_prefix(f"{index}-position")] = str(position)
        for index in range(len(stored)):
            if index not in used:
                data[formset.add_prefix(f"{index}-DELETE")] = "on"
        data[formset.add_prefix("TOTAL_FORMS")] = str(total)

    @staticmethod
    def _same(data: dict, formset, index: int, values: dict) -> bool:
        def plain(value):
            if isinstance(value, bool):
                return "on" if value else ""
            if isinstance(value, list | tuple):
                return tuple(sorted(str(v) for v in value))
            return "" if value is None else str(value)

        return all(
            plain(data.get(formset.add_prefix(f"{index}-{name}"))) == plain(value)
            for name, value in values.items()
            if name != "step"
        )

    def _step(self, step_ids: dict, label: Any, row: RowInput) -> str:
        label = str(label or "").strip()
        if not label:
            return ""
        pk = step_ids.get(label)
        if pk is None:
            message = _("“%(label)s”不是本事项已保存的内部环节（新增的环节请先上传保存，再关联）") % {"label": label}
            self.errors.append(RowError(Place(row.place.sheet, row.place.row, _("所属环节")), message))
            return ""
        return str(pk)

    def _place(self, form_name: str, name: str, label: str) -> Place:
        known = self.input.places.get(f"{form_name}.{name}")
        if known is not None:
            return known
        return Place(self.input.place.sheet, self.input.place.row, label)

    def form_errors(self, editor: Editor) -> list[RowError]:
        code = self.input.code
        errors = []
        for form_name, form in (("guide", editor.guide_form), ("manual", editor.manual_form)):
            for name, messages in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                errors += [RowError(self._place(form_name, name, label), m, item=code) for m in messages]
        for prefix, (title, _section, formset) in editor.formsets.items():
            for index, form in enumerate(formset.forms):
                if not form.errors:
                    continue
                origin = self.origins.get((prefix, index))
                if origin is not None:
                    sheet, row = origin.place.sheet, origin.place.row
                else:
                    sheet, row = str(title), None
                for name, messages in form.errors.items():
                    label = str(form.fields[name].label) if name in form.fields and name != "__all__" else ""
                    if origin is None:
                        messages = [f"{form.instance.row_label()}：{m}" for m in messages]
                    errors += [RowError(Place(sheet, row, label), m, item=code) for m in messages]
            errors += [RowError(Place(str(title)), m, item=code) for m in formset.non_form_errors()]
        return errors
