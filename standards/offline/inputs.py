"""What an upload says about each item, whatever it came from (a workbook, a guide exported as JSON), and the row
errors found while reading it. The apply step takes only these, so every source is validated and saved the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

# Items in one workbook or one upload: a department's items needing a standard fit; a whole county does not.
MAX_ITEMS = 200


@dataclass(frozen=True)
class Place:
    """Where a value came from: a sheet (or a JSON guide) and its row, as the person who filled it sees them."""

    sheet: str
    row: int | None = None
    column: str = ""


@dataclass(frozen=True)
class RowError:
    place: Place
    message: str
    item: str = ""  # the item's code, when known

    def __str__(self) -> str:
        where = [self.place.sheet]
        if self.place.row is not None:
            where.append(_("第%(row)s行") % {"row": self.place.row})
        if self.place.column:
            where.append(_("“%(column)s”列") % {"column": self.place.column})
        return _("%(where)s：%(message)s") % {"where": " ".join(str(part) for part in where), "message": self.message}


@dataclass
class RowInput:
    """One row of a kind (a material, a step…): ``uid`` names the stored row it edits; none means a new row."""

    values: dict[str, Any]
    place: Place
    uid: str = ""


@dataclass
class ItemInput:
    """The edits of one item's standard.

    ``standard_id``/``revision`` say which version and save the source was made from (a workbook); ``None`` means the
    source knows no version (a foreign JSON) and edits whatever is current. Guide and manual fields not given are left
    as they are; a kind of row that appears in ``rows`` is replaced by the rows given (matched to stored rows by
    ``uid``, or by the field named in ``match_on``), a kind that does not appear is left alone.
    """

    code: str
    place: Place
    standard_id: int | None = None
    revision: int | None = None
    exported_from_blank: bool = False
    language: str = ""  # the language its labels are in (a workbook's export language)
    guide: dict[str, Any] = field(default_factory=dict)
    manual: dict[str, Any] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)  # "guide.name" → where it was read
    rows: dict[str, list[RowInput]] = field(default_factory=dict)
    match_on: dict[str, str] = field(default_factory=dict)


@dataclass
class Parsed:
    """A whole upload: its items and the errors found while reading it (before anything is looked up)."""

    items: list[ItemInput] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    source_name: str = ""
    guides: bool = False  # guides exported by another system (an import: recorded on the draft), not a workbook
