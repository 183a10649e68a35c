"""Field-level history of records, as the pages show it: who changed what, when and why.

``display_value`` is the one way a stored value is shown wherever a change is: the catalogue's item history, the
standard's story, the diff of two versions and the offline upload's preview. Codes are shown as their labels (a
choice, a list of choices, the digits of a catalogue item's levels), booleans as 是/否, dates in Chinese, files by
name, and an empty value as "" — which every page renders as the one mark ``EMPTY_MARK``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HIDDEN_FIELDS = {"id", "created_at", "updated_at", "created_by", "name_initials"}
TYPE_LABELS = {"+": gettext_lazy("创建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}
# How an empty value reads on every page that shows a change.
EMPTY_MARK = "—"


@dataclass(frozen=True)
class FieldChange:
    """One changed field, as users see it: ``old``/``new`` are display values, "" when empty."""

    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: datetime.datetime
    user: Any
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def code_choices(model_field: models.Field) -> list[tuple[str, Any]] | None:
    """The choices of a field that holds several codes (a JSON list of choice codes, a string of level digits),
    declared by its model as ``code_lists = {field name: choices}``; None for any other field."""
    model = getattr(model_field, "model", None)
    choices = getattr(model, "code_lists", {}).get(model_field.name)
    if choices is None:
        return None
    return list(getattr(choices, "choices", choices))


def _codes_display(choices: list[tuple[str, Any]], codes: Iterable[Any]) -> str:
    labels = dict(choices)
    order = {code: k for k, (code, _label) in enumerate(choices)}
    ordered = sorted({str(c) for c in codes}, key=lambda code: (order.get(code, len(order)), code))
    return _("、").join(str(labels.get(code, code)) for code in ordered)


def _item_display(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if not is_empty(v))
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def display_value(model_field: models.Field, value: Any, *, reference: str | None = None) -> str:
    """``value`` (as stored in ``model_field``'s attribute) as users see it; "" when empty. A foreign key shows
    ``reference`` — the label of the record it points at, which the caller looks up without a query per value."""
    if model_field.many_to_one or model_field.one_to_one:
        if value is None:
            return ""
        return reference if reference is not None else f"#{value}"
    if isinstance(value, FieldFile):
        value = value.name
    if is_empty(value):
        return ""
    if isinstance(model_field, models.FileField):
        return PurePosixPath(str(value)).name
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    choices = code_choices(model_field)
    if choices is not None and isinstance(value, list | str):
        return _codes_display(choices, value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "Y-m-d H:i")
    if isinstance(value, datetime.date):
        # Translators: a date in a change's old or new value, in Django's date format syntax.
        return date_format(value, _("Y年n月j日"))
    if isinstance(value, list):
        joiner = _("；") if any(isinstance(v, dict) for v in value) else _("、")
        return joiner.join(_item_display(v) for v in value)
    if isinstance(value, dict):
        return _item_display(value)
    return str(value)


def _references(model: type[models.Model], records: list) -> dict[tuple[str, Any], str]:
    """Labels of the records the foreign keys of ``records`` point at: one query per kind of reference."""
    wanted: dict[models.ForeignKey, set] = {}
    for model_field in model._meta.concrete_fields:
        if model_field.many_to_one and model_field.name not in HIDDEN_FIELDS:
            values = {getattr(r, model_field.attname) for r in records} - {None}
            if len(values) > 1:  # a value that never changed is never shown
                wanted[model_field] = values
    labels = {}
    for model_field, values in wanted.items():
        for target in model_field.related_model._default_manager.filter(pk__in=values):
            labels[(model_field.name, target.pk)] = str(target)
    return labels


def history_entries(instance: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first, each with the fields it changed against the record before it. One query, plus one per kind of
    reference that changed (to show the record it points at by name), never one per entry."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    model = type(instance)
    references = _references(model, records)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        entry = HistoryEntry(
            date=newer.history_date,
            user=newer.history_user,
            kind=str(TYPE_LABELS.get(newer.history_type, newer.history_type)),
            reason=newer.history_change_reason or "",
        )
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS)
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                shown = [
                    display_value(model_field, value, reference=references.get((model_field.name, value)))
                    if model_field.many_to_one
                    else display_value(model_field, value)
                    for value in (change.old, change.new)
                ]
                entry.changes.append(FieldChange(str(model_field.verbose_name), *shown))
        entries.append(entry)
    return entries
