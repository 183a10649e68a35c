"""What a comparison of two versions of a standard yields: sections of changed fields and of rows, with counts and
one-line summaries for the pages, the reviewers' screen and the notices."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

from ..models import ItemStandard

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
        return _("、").join(
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
        return _("；").join(self.summary())
