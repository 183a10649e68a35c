"""What an upload does, for the preview and the result page: per item the fields and rows it changes, its quality
findings and its row errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from catalogue.history import FieldChange, display_value

from ..checks import Finding
from ..editor import Editor, is_deleted
from .inputs import RowError
from .schema import columns_of


@dataclass
class RowChange:
    section: str
    kind: str  # "changed", "added", "removed"
    label: str = ""
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class ItemResult:
    code: str
    name: str = ""
    standard_id: int | None = None
    version: int | None = None
    new_version: bool = False
    saved: bool = False  # written (in a preview: would be written)
    rejected: bool = False  # not imported: an error in it, or in reading it
    changes: list[RowChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def finding_errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def finding_warnings(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)


@dataclass
class Outcome:
    items: list[ItemResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    conflict: bool = False
    all_or_nothing: bool = True

    @property
    def rejected_items(self) -> int:
        return sum(1 for item in self.items if item.rejected)

    @property
    def saved_items(self) -> int:
        """Items saved (or, in a preview, to be saved): none when one error refuses the whole upload."""
        if self.all_or_nothing and self.errors:
            return 0
        return sum(1 for item in self.items if item.changes and not item.rejected)


def _show(model: type[models.Model], name: str, value: Any, steps: dict[int, str]) -> str:
    """A form's value as the history shows it (labels, not codes); "" when empty."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return "" if value is None else str(value)
    if model_field.many_to_one:
        pk = getattr(value, "pk", value)
        return display_value(model_field, pk, reference=steps.get(pk))
    return display_value(model_field, value)


def changes_of(editor: Editor, unbound: Editor) -> list[RowChange]:
    """What the save will change, read from the bound forms (``unbound`` is the same standard before the upload,
    for the labels rows had): the fields whose value differs, rows added and removed. Moving a row shows as
    nothing: only its order number changes."""
    steps = {pk: step.row_label() for pk, step in editor.formsets["manual_steps"][2].rows_by_pk().items()}
    changes = []
    for form_name, title, form in (
        ("guide", _("办事指南"), editor.guide_form),
        ("manual", _("业务手册"), editor.manual_form),
    ):
        columns, model = columns_of(form_name), form._meta.model
        fields = [
            FieldChange(
                columns[name].label,
                _show(model, name, form.initial.get(name), steps),
                _show(model, name, form.cleaned_data.get(name), steps),
            )
            for name in form.changed_data
            if name in columns
        ]
        if fields:
            changes.append(RowChange(section=title, kind="changed", fields=fields))
    for prefix, (title, _section, formset) in editor.formsets.items():
        columns, model = columns_of(prefix), formset.model
        for form in formset.forms:
            if is_deleted(formset, form):
                if form.instance.pk:
                    changes.append(RowChange(section=str(title), kind="removed", label=form.instance.row_label()))
                continue
            if form.instance.pk is None:
                if not form.has_changed():
                    continue
                shown = {n: _show(model, n, form.cleaned_data.get(n), steps) for n in columns}
                fields = [
                    FieldChange(c.label, "", shown[n]) for n, c in columns.items() if shown[n] not in ("", _("否"))
                ]
                changes.append(
                    RowChange(section=str(title), kind="added", label=form.instance.row_label(), fields=fields)
                )
                continue
            names = [n for n in form.changed_data if n in columns]
            if names:
                # The label the clerk knew the row by, not the edited one.
                original = unbound.formsets[prefix][2].forms[formset.forms.index(form)].instance
                fields = [
                    FieldChange(
                        columns[n].label,
                        _show(model, n, form.initial.get(n), steps),
                        _show(model, n, form.cleaned_data.get(n), steps),
                    )
                    for n in names
                ]
                changes.append(RowChange(section=str(title), kind="changed", label=original.row_label(), fields=fields))
    return changes
