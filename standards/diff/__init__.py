"""Field-by-field and row-by-row comparison of two versions of a standard.

``diff_standards(old, new)`` pairs the rows of both versions by ``uid`` (kept when a version is copied into the next)
and reports, per kind of row, which were added, removed, changed (field by field) and moved. A row is *moved* only if
its order relative to the other rows present in both versions changed: the smallest set of rows whose moving explains
the new order (the rows outside a longest increasing subsequence, ``order.kept_in_order``), so a row added or removed
above does not make the rows below it "moved".

Values are compared as stored and shown as users see them, by the history's one formatter
(``catalogue.history.display_value``): choices by label, booleans 是/否, lists of choice codes as joined labels, dates
formatted, files by name, a reference to an internal step by the step's label. Long texts also get a character-level
diff (Chinese has no spaces to split words on).

Loading takes a fixed number of queries: the guide, the manual and one query per kind of row for both versions.
"""

from __future__ import annotations

from django.db import models

from ..models import GUIDE_ROWS, MANUAL_ROWS, BusinessManual, ItemStandard, ServiceGuide, StandardRow
from .results import (
    DELETE,
    EQUAL,
    INSERT,
    DiffCounts,
    FieldChange,
    FieldSection,
    RowChange,
    RowSection,
    Segment,
    StandardDiff,
)
from .rows import row_section
from .text import MAX_CHAR_DIFF, char_diff
from .values import Side, field_changes

__all__ = [
    "DELETE",
    "EQUAL",
    "INSERT",
    "MAX_CHAR_DIFF",
    "DiffCounts",
    "FieldChange",
    "FieldSection",
    "RowChange",
    "RowSection",
    "Segment",
    "StandardDiff",
    "char_diff",
    "diff_standards",
]


def _load_rows(standard_ids: set[int]) -> dict[type[StandardRow], dict[int, list[StandardRow]]]:
    """One query per kind of row, for both versions at once."""
    loaded = {}
    for model in GUIDE_ROWS + MANUAL_ROWS:
        per_standard: dict[int, list[StandardRow]] = {pk: [] for pk in standard_ids}
        for row in model.objects.filter(standard_id__in=standard_ids).order_by("position", "id"):
            per_standard[row.standard_id].append(row)
        loaded[model] = per_standard
    return loaded


def _field_section(
    key: str, model: type[models.Model], old_obj: models.Model, new_obj: models.Model, old_side: Side, new_side: Side
) -> FieldSection:
    return FieldSection(
        key=key,
        title=str(model._meta.verbose_name),
        changes=field_changes(model, old_obj, old_side, new_obj, new_side),
    )


def diff_standards(old: ItemStandard, new: ItemStandard) -> StandardDiff:
    """Compare two versions of a standard (usually of the same item; rows of unrelated standards never pair up).

    Takes 2 + len(GUIDE_ROWS + MANUAL_ROWS) queries however many rows there are.
    """
    ids = {old.pk, new.pk}
    guides = {g.standard_id: g for g in ServiceGuide.objects.filter(standard_id__in=ids)}
    manuals = {m.standard_id: m for m in BusinessManual.objects.filter(standard_id__in=ids)}
    rows = _load_rows(ids)
    old_side = Side({model: per[old.pk] for model, per in rows.items()})
    new_side = Side({model: per[new.pk] for model, per in rows.items()})

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
        row_section(
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
