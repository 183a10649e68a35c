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

``diff_predecessors(versions)`` compares every version of an item with the one it was made from, for the story page's
summary of what each version changed (rows added, removed, changed or moved; the manual's fields).

Loading takes a fixed number of queries: the guides, the manuals and one query per kind of row for all the versions
compared.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    "diff_predecessors",
    "diff_standards",
    "predecessor",
]


class _Loaded:
    """The guides, manuals and rows of several versions, loaded at once: 2 + len(ROWS) queries whatever their number."""

    def __init__(self, standard_ids: set[int]):
        self.guides = {g.standard_id: g for g in ServiceGuide.objects.filter(standard_id__in=standard_ids)}
        self.manuals = {m.standard_id: m for m in BusinessManual.objects.filter(standard_id__in=standard_ids)}
        self.rows: dict[type[StandardRow], dict[int, list[StandardRow]]] = {}
        for model in GUIDE_ROWS + MANUAL_ROWS:
            per_standard: dict[int, list[StandardRow]] = {pk: [] for pk in standard_ids}
            for row in model.objects.filter(standard_id__in=standard_ids).order_by("position", "id"):
                per_standard[row.standard_id].append(row)
            self.rows[model] = per_standard

    def compare(self, old: ItemStandard, new: ItemStandard) -> StandardDiff:
        old_side = Side({model: per[old.pk] for model, per in self.rows.items()})
        new_side = Side({model: per[new.pk] for model, per in self.rows.items()})
        # A missing guide or manual (never expected) compares as an empty one.
        guide = _field_section(
            "guide",
            ServiceGuide,
            self.guides.get(old.pk) or ServiceGuide(),
            self.guides.get(new.pk) or ServiceGuide(),
            old_side,
            new_side,
        )
        manual = _field_section(
            "manual",
            BusinessManual,
            self.manuals.get(old.pk) or BusinessManual(),
            self.manuals.get(new.pk) or BusinessManual(),
            old_side,
            new_side,
        )
        row_sections = [
            row_section(
                model,
                "guide" if model in GUIDE_ROWS else "manual",
                self.rows[model][old.pk],
                old_side,
                self.rows[model][new.pk],
                new_side,
            )
            for model in GUIDE_ROWS + MANUAL_ROWS
        ]
        return StandardDiff(old=old, new=new, guide=guide, manual=manual, row_sections=row_sections)


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
    return _Loaded({old.pk, new.pk}).compare(old, new)


def predecessor(version: ItemStandard, versions: Sequence[ItemStandard]) -> ItemStandard | None:
    """The version ``version`` was made from: the one it was copied from (``based_on``) when it is among
    ``versions``, else the one numbered just below it; None for the first version."""
    by_pk = {v.pk: v for v in versions}
    if version.based_on_id in by_pk and version.based_on_id != version.pk:
        return by_pk[version.based_on_id]
    earlier = [v for v in versions if v.version < version.version]
    return max(earlier, key=lambda v: v.version) if earlier else None


def diff_predecessors(versions: Sequence[ItemStandard]) -> dict[int, StandardDiff]:
    """Each version of an item compared with the one it was made from (``predecessor``), by the newer version's id;
    the first version has none. One load for all of them: 2 + len(GUIDE_ROWS + MANUAL_ROWS) queries whatever the
    number of versions and rows."""
    pairs = [(old, new) for new in versions if (old := predecessor(new, versions)) is not None]
    if not pairs:
        return {}
    loaded = _Loaded({v.pk for pair in pairs for v in pair})
    return {new.pk: loaded.compare(old, new) for old, new in pairs}
