"""Field-by-field and row-by-row comparison of two versions of a standard.

``diff_standards(old, new)`` pairs the rows of both versions by ``uid`` (kept when a version is copied into the next)
and reports, per kind of row, which were added, removed, changed (field by field) and moved. A row is *moved* only if
its order relative to the other rows present in both versions changed: the smallest set of rows whose moving explains
the new order (the rows outside a longest increasing subsequence), so a row added or removed above does not make the
rows below it "moved".

Values are compared as stored and shown as users see them: choices by label, booleans 是/否, lists of choice codes as
joined labels, dates formatted, files by name, a reference to an internal step by the step's label. Long texts also
get a character-level diff (Chinese has no spaces to split words on).

Loading takes a fixed number of queries: the guide, the manual and one query per kind of row for both versions.
"""

from __future__ import annotations

import datetime
import json
import uuid
from bisect import bisect_left
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import PurePosixPath
from typing import Any, NamedTuple

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from .models import (
    GUIDE_ROWS,
    MANUAL_ROWS,
    BusinessManual,
    DeliveryMethod,
    HandleForm,
    ItemStandard,
    ServiceGuide,
    ServiceObject,
    StandardRow,
)

# JSON fields holding a list of choice codes, with the choices they are drawn from.
CHOICE_LISTS: dict[str, type[models.TextChoices]] = {
    "service_objects": ServiceObject,
    "delivery_methods": DeliveryMethod,
    "handle_forms": HandleForm,
}
# Texts longer than this (both sides together) are shown as replaced whole rather than diffed character by character.
MAX_CHAR_DIFF = 20_000
# Above this many rows of one kind, the moved rows are found in O(n log n) without the tie-breaking of the O(n²) pass.
MAX_QUADRATIC_ORDER = 500

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


class Segment(NamedTuple):
    """A piece of a character-level diff: ``op`` is "equal", "insert" or "delete"."""

    op: str
    text: str

    @property
    def is_blank(self) -> bool:
        """Only whitespace (an added or removed line break): the page marks it visibly."""
        return not self.text.strip()


@dataclass(frozen=True)
class FieldChange:
    """One field, as users see it. ``old``/``new`` are display values, "" when empty. ``segments`` (TextFields only)
    is the character-level diff: the old text is the equal + delete segments, the new one equal + insert."""

    name: str
    label: str
    old: str
    new: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class DiffCounts:
    """Changed scalar fields, and rows added / removed / changed / moved."""

    fields: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    moved: int = 0

    @property
    def total(self) -> int:
        """Every difference; a row both changed and moved counts twice."""
        return self.fields + self.added + self.removed + self.changed + self.moved

    def __add__(self, other: DiffCounts) -> DiffCounts:
        return DiffCounts(
            self.fields + other.fields,
            self.added + other.added,
            self.removed + other.removed,
            self.changed + other.changed,
            self.moved + other.moved,
        )


@dataclass(frozen=True)
class FieldSection:
    """The scalar fields of the service guide or of the business manual that differ."""

    key: str  # "guide" or "manual"
    title: str
    changes: list[FieldChange]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def counts(self) -> DiffCounts:
        return DiffCounts(fields=len(self.changes))

    def summary(self) -> str:
        """E.g. "办事指南：修改2项"; "" when nothing changed."""
        if self.is_empty:
            return ""
        return _("%(title)s：修改%(count)d项") % {"title": self.title, "count": len(self.changes)}


@dataclass(frozen=True)
class RowChange:
    """A row that differs between the versions. ``changes`` lists the changed fields of a row present in both; for an
    added (removed) row, every field with a value, as ``new`` (``old``). Indexes are 1-based positions among the rows
    of that kind in each version, ``None`` when the row is absent from it."""

    uid: uuid.UUID
    label: str
    old_label: str
    old_index: int | None
    new_index: int | None
    added: bool = False
    removed: bool = False
    moved: bool = False
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return not self.added and not self.removed and bool(self.changes)

    @property
    def relabelled(self) -> bool:
        return self.changed and self.old_label != self.label


@dataclass(frozen=True)
class RowSection:
    """The differences in one kind of row (申请材料, 办理环节…), in the new version's order with removed rows where
    they stood."""

    key: str  # the model name, e.g. "material"
    part: str  # "guide" or "manual"
    title: str
    rows: list[RowChange]

    @property
    def added(self) -> list[RowChange]:
        return [r for r in self.rows if r.added]

    @property
    def removed(self) -> list[RowChange]:
        return [r for r in self.rows if r.removed]

    @property
    def changed(self) -> list[RowChange]:
        return [r for r in self.rows if r.changed]

    @property
    def moved(self) -> list[RowChange]:
        return [r for r in self.rows if r.moved]

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def counts(self) -> DiffCounts:
        return DiffCounts(
            added=len(self.added), removed=len(self.removed), changed=len(self.changed), moved=len(self.moved)
        )

    def counts_text(self) -> str:
        """E.g. "新增1项、删除1项、修改2项、调整顺序1项"; "" when nothing differs."""
        counts = self.counts
        return "、".join(
            text % {"count": n}
            for text, n in (
                (_("新增%(count)d项"), counts.added),
                (_("删除%(count)d项"), counts.removed),
                (_("修改%(count)d项"), counts.changed),
                (_("调整顺序%(count)d项"), counts.moved),
            )
            if n
        )

    def summary(self) -> str:
        """E.g. "申请材料：新增1项、删除1项、修改2项、调整顺序1项"; "" when nothing differs."""
        if self.is_empty:
            return ""
        return _("%(title)s：%(parts)s") % {"title": self.title, "parts": self.counts_text()}


@dataclass(frozen=True)
class StandardDiff:
    old: ItemStandard
    new: ItemStandard
    guide: FieldSection
    manual: FieldSection
    row_sections: list[RowSection]  # every kind of row, GUIDE_ROWS then MANUAL_ROWS, empty ones included

    @property
    def field_sections(self) -> list[FieldSection]:
        return [self.guide, self.manual]

    @property
    def changed_row_sections(self) -> list[RowSection]:
        return [s for s in self.row_sections if not s.is_empty]

    @property
    def sections(self) -> list[FieldSection | RowSection]:
        """The sections with differences, in display order: guide fields, manual fields, then each kind of row."""
        return [s for s in (*self.field_sections, *self.row_sections) if not s.is_empty]

    @property
    def is_empty(self) -> bool:
        return not self.sections

    @property
    def counts(self) -> DiffCounts:
        total = DiffCounts()
        for section in (*self.field_sections, *self.row_sections):
            total += section.counts
        return total

    def section(self, key: str) -> FieldSection | RowSection:
        """The section of "guide", "manual" or a row model's name ("material", "manualstep"…)."""
        for candidate in (*self.field_sections, *self.row_sections):
            if candidate.key == key:
                return candidate
        raise KeyError(key)

    def summary(self) -> list[str]:
        """One line per section with differences, e.g. ["办事指南：修改1项", "申请材料：新增1项、调整顺序1项"]."""
        return [s.summary() for s in self.sections]

    def summary_text(self) -> str:
        return "；".join(self.summary())


# --- Character-level diff --------------------------------------------------------------------------------------------


def char_diff(old: str, new: str) -> list[Segment]:
    """Character-level diff of two texts. Short equal runs stranded between larger edits are folded into the edits,
    so a rewritten sentence reads as one deletion and one insertion rather than a mosaic of single characters."""
    old, new = old or "", new or ""
    if old == new:
        return [Segment(EQUAL, old)] if old else []
    if not old or not new or len(old) + len(new) > MAX_CHAR_DIFF:
        return [s for s in (Segment(DELETE, old), Segment(INSERT, new)) if s.text]
    # Runs: (equal text, None) or (None, (deleted, inserted)).
    runs: list[list[Any]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == EQUAL:
            runs.append([old[i1:i2], None])
        elif runs and runs[-1][1] is not None:
            runs[-1][1] = (runs[-1][1][0] + old[i1:i2], runs[-1][1][1] + new[j1:j2])
        else:
            runs.append([None, (old[i1:i2], new[j1:j2])])
    runs = _fold_short_equalities(runs)
    segments = []
    for equal, edit in runs:
        if edit is None:
            segments.append(Segment(EQUAL, equal))
        else:
            segments.extend(s for s in (Segment(DELETE, edit[0]), Segment(INSERT, edit[1])) if s.text)
    return segments


def _fold_short_equalities(runs: list[list[Any]]) -> list[list[Any]]:
    changed = True
    while changed:
        changed = False
        for k in range(1, len(runs) - 1):
            equal, before, after = runs[k][0], runs[k - 1][1], runs[k + 1][1]
            if equal is None or before is None or after is None:
                continue
            if len(equal) <= max(map(len, before)) and len(equal) <= max(map(len, after)):
                merged = (before[0] + equal + after[0], before[1] + equal + after[1])
                runs[k - 1 : k + 2] = [[None, merged]]
                changed = True
                break
    return runs


# --- Order ------------------------------------------------------------------------------------------------------------


def _kept_in_order(sequence: list[int]) -> set[int]:
    """Positions in ``sequence`` (each common row's 0-based rank in the old order, listed in new order) of a
    longest increasing subsequence: the rows that kept their relative order. Among equally long ones, prefer keeping
    rows that moved least, then rows earlier in the old order (so of two swapped neighbours, the one that moved up is
    reported)."""
    n = len(sequence)
    if n > MAX_QUADRATIC_ORDER:
        return _patience_lis(sequence)
    # best[j]: (length, -displacement, -sum of old indexes) of the best subsequence ending at j.
    best: list[tuple[int, int, int]] = []
    previous: list[int | None] = []
    for j, value in enumerate(sequence):
        own = (1, -abs(value - j), -value)
        score, link = own, None
        for i in range(j):
            if sequence[i] < value:
                candidate = (best[i][0] + 1, best[i][1] + own[1], best[i][2] + own[2])
                if candidate > score:
                    score, link = candidate, i
        best.append(score)
        previous.append(link)
    if not best:
        return set()
    end: int | None = max(range(n), key=lambda j: best[j])
    kept = set()
    while end is not None:
        kept.add(end)
        end = previous[end]
    return kept


def _patience_lis(sequence: list[int]) -> set[int]:
    tails: list[int] = []
    tail_at: list[int] = []
    previous: list[int | None] = [None] * len(sequence)
    for j, value in enumerate(sequence):
        k = bisect_left(tails, value)
        previous[j] = tail_at[k - 1] if k else None
        if k == len(tails):
            tails.append(value)
            tail_at.append(j)
        else:
            tails[k], tail_at[k] = value, j
    kept = set()
    end = tail_at[-1] if tail_at else None
    while end is not None:
        kept.add(end)
        end = previous[end]
    return kept


# --- Values -----------------------------------------------------------------------------------------------------------


class _Side:
    """Rows of one version by model and primary key, to resolve references between rows without a query."""

    def __init__(self, rows: dict[type[StandardRow], list[StandardRow]]):
        self.by_pk = {model: {row.pk: row for row in model_rows} for model, model_rows in rows.items()}

    def target(self, model_field: models.ForeignKey, obj: models.Model) -> StandardRow | None:
        pk = getattr(obj, model_field.attname)
        return self.by_pk.get(model_field.related_model, {}).get(pk)


def _is_row_reference(model_field: models.Field) -> bool:
    return bool(model_field.many_to_one) and model_field.related_model in GUIDE_ROWS + MANUAL_ROWS


def _compare_key(model_field: models.Field, obj: models.Model, side: _Side) -> Any:
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
    if model_field.name in CHOICE_LISTS and isinstance(value, list):
        return frozenset(map(str, value))
    if value is None or value == "" or value == []:
        return None
    return value


def _display(model_field: models.Field, obj: models.Model, side: _Side) -> str:
    """The value as users see it; "" when empty."""
    if model_field.many_to_one:
        if _is_row_reference(model_field):
            target = side.target(model_field, obj)
            if target is not None:
                return target.row_label() or _("（未命名）")
        pk = getattr(obj, model_field.attname)
        return "" if pk is None else f"#{pk}"
    value = getattr(obj, model_field.attname)
    if isinstance(value, FieldFile):
        return PurePosixPath(value.name).name if value.name else ""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.name in CHOICE_LISTS and isinstance(value, list):
        choices = CHOICE_LISTS[model_field.name]
        labels = dict(choices.choices)
        order = {code: k for k, code in enumerate(choices.values)}
        codes = sorted({str(v) for v in value}, key=lambda code: (order.get(code, len(order)), code))
        return "、".join(str(labels.get(code, code)) for code in codes)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y年n月j日")
    if isinstance(value, list):
        return "、".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _field_change(
    model_field: models.Field, old_obj: models.Model, old_side: _Side, new_obj: models.Model, new_side: _Side
) -> FieldChange | None:
    if _compare_key(model_field, old_obj, old_side) == _compare_key(model_field, new_obj, new_side):
        return None
    old, new = _display(model_field, old_obj, old_side), _display(model_field, new_obj, new_side)
    if old == new and isinstance(getattr(new_obj, model_field.attname), FieldFile):
        new = _("%(name)s（已重新上传）") % {"name": new}
    segments = tuple(char_diff(old, new)) if isinstance(model_field, models.TextField) else ()
    return FieldChange(model_field.name, str(model_field.verbose_name), old, new, segments)


def _compared_fields(model: type[models.Model]) -> list[models.Field]:
    skip = set(getattr(model, "technical_fields", ()))
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]


def _field_changes(
    model: type[models.Model], old_obj: models.Model, old_side: _Side, new_obj: models.Model, new_side: _Side
) -> list[FieldChange]:
    changes = (_field_change(f, old_obj, old_side, new_obj, new_side) for f in _compared_fields(model))
    return [c for c in changes if c is not None]


def _row_values(model: type[StandardRow], row: StandardRow, side: _Side, *, as_new: bool) -> list[FieldChange]:
    """Every field of an added or removed row that has a value."""
    values = []
    for model_field in _compared_fields(model):
        shown = _display(model_field, row, side)
        if shown:
            old, new = ("", shown) if as_new else (shown, "")
            values.append(FieldChange(model_field.name, str(model_field.verbose_name), old, new))
    return values


# --- Rows -------------------------------------------------------------------------------------------------------------


def _label(row: StandardRow, index: int) -> str:
    return row.row_label() or _("第%(index)d项") % {"index": index}


def _row_section(
    model: type[StandardRow],
    part: str,
    old_rows: list[StandardRow],
    old_side: _Side,
    new_rows: list[StandardRow],
    new_side: _Side,
) -> RowSection:
    old_by_uid = {row.uid: (k, row) for k, row in enumerate(old_rows, start=1)}
    new_uids = {row.uid for row in new_rows}

    # Rows present in both, in new order, by their old index; those outside the longest increasing run moved.
    common = [row for row in new_rows if row.uid in old_by_uid]
    old_rank = {uid: k for k, uid in enumerate(row.uid for row in old_rows if row.uid in new_uids)}
    kept = _kept_in_order([old_rank[row.uid] for row in common])
    moved = {row.uid for j, row in enumerate(common) if j not in kept}

    # Removed rows are shown after the row that preceded them in the old version and is still there.
    removed_after: dict[uuid.UUID | None, list[RowChange]] = {}
    anchor = None
    for index, row in enumerate(old_rows, start=1):
        if row.uid in new_uids:
            anchor = row.uid
            continue
        label = _label(row, index)
        removed_after.setdefault(anchor, []).append(
            RowChange(
                uid=row.uid,
                label=label,
                old_label=label,
                old_index=index,
                new_index=None,
                removed=True,
                changes=_row_values(model, row, old_side, as_new=False),
            )
        )

    entries = list(removed_after.get(None, []))
    for index, row in enumerate(new_rows, start=1):
        if row.uid not in old_by_uid:
            label = _label(row, index)
            entries.append(
                RowChange(
                    uid=row.uid,
                    label=label,
                    old_label="",
                    old_index=None,
                    new_index=index,
                    added=True,
                    changes=_row_values(model, row, new_side, as_new=True),
                )
            )
            continue
        old_index, old_row = old_by_uid[row.uid]
        changes = _field_changes(model, old_row, old_side, row, new_side)
        if changes or row.uid in moved:
            entries.append(
                RowChange(
                    uid=row.uid,
                    label=_label(row, index),
                    old_label=_label(old_row, old_index),
                    old_index=old_index,
                    new_index=index,
                    moved=row.uid in moved,
                    changes=changes,
                )
            )
        entries.extend(removed_after.get(row.uid, []))
    return RowSection(key=model._meta.model_name, part=part, title=str(model._meta.verbose_name_plural), rows=entries)


def _load_rows(standard_ids: set[int]) -> dict[type[StandardRow], dict[int, list[StandardRow]]]:
    """One query per kind of row, for both versions at once."""
    loaded = {}
    for model in GUIDE_ROWS + MANUAL_ROWS:
        per_standard: dict[int, list[StandardRow]] = {pk: [] for pk in standard_ids}
        for row in model.objects.filter(standard_id__in=standard_ids).order_by("position", "id"):
            per_standard[row.standard_id].append(row)
        loaded[model] = per_standard
    return loaded


def _field_section(key: str, model: type[models.Model], old_obj, new_obj, old_side, new_side) -> FieldSection:
    return FieldSection(
        key=key,
        title=str(model._meta.verbose_name),
        changes=_field_changes(model, old_obj, old_side, new_obj, new_side),
    )


def diff_standards(old: ItemStandard, new: ItemStandard) -> StandardDiff:
    """Compare two versions of a standard (usually of the same item; rows of unrelated standards never pair up).

    Takes 2 + len(GUIDE_ROWS + MANUAL_ROWS) queries however many rows there are.
    """
    ids = {old.pk, new.pk}
    guides = {g.standard_id: g for g in ServiceGuide.objects.filter(standard_id__in=ids)}
    manuals = {m.standard_id: m for m in BusinessManual.objects.filter(standard_id__in=ids)}
    rows = _load_rows(ids)
    old_side = _Side({model: per[old.pk] for model, per in rows.items()})
    new_side = _Side({model: per[new.pk] for model, per in rows.items()})

    # A missing guide or manual (never expected) compares as an empty one.
    guide = _field_section(
        "guide",
        ServiceGuide,
        guides.get(old.pk) or ServiceGuide(),
        guides.get(new.pk) or ServiceGuide(),
        old_side,
        new_side,
    )
    manual = _field_section(
        "manual",
        BusinessManual,
        manuals.get(old.pk) or BusinessManual(),
        manuals.get(new.pk) or BusinessManual(),
        old_side,
        new_side,
    )
    row_sections = [
        _row_section(
            model,
            "guide" if model in GUIDE_ROWS else "manual",
            rows[model][old.pk],
            old_side,
            rows[model][new.pk],
            new_side,
        )
        for model in GUIDE_ROWS + MANUAL_ROWS
    ]
    return StandardDiff(old=old, new=new, guide=guide, manual=manual, row_sections=row_sections)
