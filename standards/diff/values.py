"""Field values of two versions: what decides whether a field changed, and how it reads."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from catalogue.history import code_choices, display_value, is_empty

from ..models import GUIDE_ROWS, MANUAL_ROWS, StandardRow
from .results import FieldChange
from .text import char_diff


class Side:
    """Rows of one version by model and primary key, to resolve references between rows without a query."""

    def __init__(self, rows: dict[type[StandardRow], list[StandardRow]]):
        self.by_pk = {model: {row.pk: row for row in model_rows} for model, model_rows in rows.items()}

    def target(self, model_field: models.ForeignKey, obj: models.Model) -> StandardRow | None:
        pk = getattr(obj, model_field.attname)
        return self.by_pk.get(model_field.related_model, {}).get(pk)


def _is_row_reference(model_field: models.Field) -> bool:
    return bool(model_field.many_to_one) and model_field.related_model in GUIDE_ROWS + MANUAL_ROWS


def _compare_key(model_field: models.Field, obj: models.Model, side: Side) -> Any:
    """What decides whether a field changed: references between rows by the target's uid (the copy has new ids),
    files by stored name, lists of choice codes as sets."""
    if model_field.many_to_one:
        if _is_row_reference(model_field):
            target = side.target(model_field, obj)
            if target is not None:
                return ("uid", target.uid)
        return ("pk", getattr(obj, model_field.attname))
    value = getattr(obj, model_field.attname)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list) and code_choices(model_field) is not None:
        return frozenset(map(str, value))
    if is_empty(value):
        return None
    return value


def display(model_field: models.Field, obj: models.Model, side: Side) -> str:
    """The value as users see it (the history's formatter); "" when empty. A reference to another row of the same
    version shows that row's label."""
    reference = None
    if _is_row_reference(model_field):
        target = side.target(model_field, obj)
        if target is not None:
            reference = target.row_label() or _("（未命名）")
    return display_value(model_field, getattr(obj, model_field.attname), reference=reference)


def _field_change(
    model_field: models.Field, old_obj: models.Model, old_side: Side, new_obj: models.Model, new_side: Side
) -> FieldChange | None:
    if _compare_key(model_field, old_obj, old_side) == _compare_key(model_field, new_obj, new_side):
        return None
    old, new = display(model_field, old_obj, old_side), display(model_field, new_obj, new_side)
    if old == new and isinstance(getattr(new_obj, model_field.attname), FieldFile):
        new = _("%(name)s（已重新上传）") % {"name": new}
    segments = tuple(char_diff(old, new)) if isinstance(model_field, models.TextField) else ()
    return FieldChange(model_field.name, str(model_field.verbose_name), old, new, segments)


def compared_fields(model: type[models.Model]) -> list[models.Field]:
    skip = set(getattr(model, "technical_fields", ()))
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]


def field_changes(
    model: type[models.Model], old_obj: models.Model, old_side: Side, new_obj: models.Model, new_side: Side
) -> list[FieldChange]:
    changes = (_field_change(f, old_obj, old_side, new_obj, new_side) for f in compared_fields(model))
    return [c for c in changes if c is not None]


def row_values(model: type[StandardRow], row: StandardRow, side: Side, *, as_new: bool) -> list[FieldChange]:
    """Every field of an added or removed row that has a value."""
    values = []
    for model_field in compared_fields(model):
        shown = display(model_field, row, side)
        if shown:
            old, new = ("", shown) if as_new else (shown, "")
            values.append(FieldChange(model_field.name, str(model_field.verbose_name), old, new))
    return values
