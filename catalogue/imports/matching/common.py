"""What every part of matching shares: the outcomes of a row, the refusal of one, and reading a value the import
profile requires."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from core.i18n import Message

from ..profiles import Rule

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


class RowRejected(Exception):
    """A row that cannot be imported: the column at fault (or none) and why, as a ``Message`` kept with the import."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


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
