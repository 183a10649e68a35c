"""What every part of matching shares: the outcomes of a row, the refusal of one, and reading a value the import
profile requires."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from core.i18n import Message

from ..profiles import Rule

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
CONFLICT, SKIPPED = "conflict", "skipped"
# What the person previewing decides for a code that collides with an established general item.
KEEP, TAKE, SKIP = "keep", "take", "skip"
DECISIONS = (KEEP, TAKE, SKIP)


class RowRejected(Exception):
    """A row that cannot be imported: the column at fault (or none) and why, as a ``Message`` kept with the import."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


class RowConflict(Exception):
    """A row whose general code belongs to an established item with another name or type: neither matched nor
    rejected until a person decides (keep the catalogue's, take the file's, or skip the row)."""

    def __init__(self, code: str, existing: dict, incoming: dict):
        super().__init__(code)
        self.code, self.existing, self.incoming = code, existing, incoming


class RowSkipped(Exception):
    """A row left out because a person chose to skip its conflict."""


def row_value(rule: Rule | None, row: dict[str, str], what: str, *, required: bool = True) -> str:
    value = rule.extract(row) if rule is not None else ""
    if required and not value:
        column = rule.column if rule is not None else ""
        raw = (row.get(rule.column) or "").strip() if rule is not None else ""
        if rule is None or not rule.pattern or not raw:
            raise RowRejected(column, Message(gettext_noop("%(what)s为空"), what=what))
        raise RowRejected(
            column, Message(gettext_noop("%(what)s“%(value)s”不符合导入方案的格式"), what=what, value=raw)
        )
    return value


def validation_messages(exc: ValidationError) -> list[str]:
    """Each message as it was raised, so one that is a ``Message`` keeps its source text."""
    errors = [e for field_errors in exc.error_dict.values() for e in field_errors] if hasattr(exc, "error_dict") else []
    shown = []
    for error in errors or exc.error_list:
        message = error.message
        if error.params:
            message = message % error.params
        shown.append(message if isinstance(message, Message) else str(message))
    return shown
