"""Field-level history of catalogue records, as the item pages show it: who changed what, when and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

HIDDEN_FIELDS = {"id", "created_at", "updated_at", "created_by", "name_initials"}
TYPE_LABELS = {"+": "创建", "~": "修改", "-": "删除"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: object
    user: object
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(model_field: models.Field, value) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if model_field.name == "bases" and isinstance(value, list):
        return "；".join(" ".join(p for p in (b.get("law"), b.get("doc_number"), b.get("article")) if p) for b in value)
    return str(value)


def history_entries(instance: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """Newest first, each with the fields it changed against the record before it. One query; foreign keys are
    compared by id, so no query per entry."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    model = type(instance)
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        entry = HistoryEntry(
            date=newer.history_date,
            user=newer.history_user,
            kind=TYPE_LABELS.get(newer.history_type, newer.history_type),
            reason=newer.history_change_reason or "",
        )
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=HIDDEN_FIELDS)
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                entry.changes.append(
                    FieldChange(
                        str(model_field.verbose_name),
                        _display(model_field, change.old),
                        _display(model_field, change.new),
                    )
                )
        entries.append(entry)
    return entries
