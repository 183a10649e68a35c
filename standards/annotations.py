"""Notes placed beside the editor's fields that are not findings of the quality checks: the reasons of a return.

A returned version carries the reasons and field comments of its last return (``ItemStandard.return_notes``, written
by the review workflow in the transaction that returns it), so the editor shows them where they belong without
knowing anything of review tasks. A note's ``field_path`` follows the quality checks' convention (``guide.address``,
``materials[2]``, ``manual_steps``; "" for the version as a whole); a comment on a row follows the row when the author
reorders the list (rows are found again by their uid).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext as _

from . import paths
from .models import ItemStandard, StandardState


@dataclass(frozen=True)
class Note:
    field_path: str
    code: str
    message: str
    severity: str = "return"  # the CSS class suffix the editor gives it (``finding-return``)

    @property
    def anchor(self) -> str:
        """The editor's id of the guide or manual field the note is about ("" for rows, lists and the whole)."""
        part, dot, name = self.field_path.partition(".")
        return f"f-{part}-{name}" if dot and part in ("guide", "manual") and "[" not in part else ""


@dataclass(frozen=True)
class _Placed:
    """One stored return note in the shape ``paths.reindex`` reads."""

    pk: int
    field_path: str
    row_uid: uuid.UUID | None


def return_note(*, field_path: str, row_uid, code: str, reason: str, text: str = "") -> dict:
    """One entry of ``ItemStandard.return_notes``: where (the path as the reviewer chose it, and the row's uid), which
    reason, and the comment."""
    return {
        "field_path": field_path,
        "row_uid": str(row_uid) if row_uid else None,
        "code": code,
        "reason": reason,
        "text": text,
    }


def notes_for(standard: ItemStandard) -> list[Note]:
    """The last return's reasons and comments while the version is back with its authors; none otherwise."""
    if standard.state != StandardState.RETURNED or not standard.return_notes:
        return []
    entries = standard.return_notes
    placed = [
        _Placed(k, e.get("field_path", ""), uuid.UUID(e["row_uid"]) if e.get("row_uid") else None)
        for k, e in enumerate(entries)
    ]
    current = paths.reindex(standard, placed)
    notes = []
    for k, entry in enumerate(entries):
        reason = gettext(entry["reason"])  # the seeded wording of a reason reads in the reader's language
        text = f"{reason}：{entry['text']}" if entry.get("text") else reason
        notes.append(Note(field_path=current[k], code=entry["code"], message=_("退回意见 · %s") % text))
    return notes


def return_reasons(standard: ItemStandard) -> list[str]:
    """The reasons of the last return while the version is back with its authors, each once ("F01 …"), followed by
    how many comments on fields came with them: a line for a list, read from the version itself (no query)."""
    if standard.state != StandardState.RETURNED or not standard.return_notes:
        return []
    reasons: dict[str, str] = {}
    comments = 0
    for entry in standard.return_notes:
        reasons.setdefault(entry["code"], f"{entry['code']} {gettext(entry['reason'])}")
        comments += bool(entry.get("text"))
    lines = list(reasons.values())
    if comments:
        lines.append(_("附逐项意见 %(n)s 条") % {"n": comments})
    return lines
