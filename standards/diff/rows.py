"""Rows of one kind in two versions, paired by ``uid``: added, removed, changed and moved."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from ..models import StandardRow
from .order import kept_in_order
from .results import RowChange, RowSection
from .values import Side, field_changes, row_values


def _label(row: StandardRow, index: int) -> str:
    return row.row_label() or _("第%(index)d项") % {"index": index}


def row_section(
    model: type[StandardRow],
    part: str,
    old_rows: list[StandardRow],
    old_side: Side,
    new_rows: list[StandardRow],
    new_side: Side,
) -> RowSection:
    old_by_uid = {row.uid: (k, row) for k, row in enumerate(old_rows, start=1)}
    new_uids = {row.uid for row in new_rows}

    # Rows present in both, in new order, by their old index; those outside the longest increasing run moved.
    common = [row for row in new_rows if row.uid in old_by_uid]
    old_rank = {uid: k for k, uid in enumerate(row.uid for row in old_rows if row.uid in new_uids)}
    kept = kept_in_order([old_rank[row.uid] for row in common])
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
                changes=row_values(model, row, old_side, as_new=False),
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
                    changes=row_values(model, row, new_side, as_new=True),
                )
            )
            continue
        old_index, old_row = old_by_uid[row.uid]
        changes = field_changes(model, old_row, old_side, row, new_side)
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
