"""Matching a whole row: its local item, by implementation code, built or updated once its division, department
and general item are matched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from catalogue.codes import CodeError
from catalogue.models import Division, GeneralItem, LocalItem, LocalItemStatus, Organization
from catalogue.services.items import local_item_build, name_initials
from core.i18n import Message, choice_message, error_message, join_messages

from .common import CREATE, UNCHANGED, UPDATE, RowRejected, row_value, validation_messages
from .general import GeneralItemMatcher

if TYPE_CHECKING:
    from ..apply import ImportReport


@dataclass(kw_only=True)
class RowMatcher(GeneralItemMatcher):
    """The state of one import run: caches of what is matched, and the codes seen so far in the file."""

    report: ImportReport
    seen_codes: dict[str, int] = field(default_factory=dict)

    # --- the row -----------------------------------------------------------------------------------------------

    def row(self, number: int, row: dict[str, str]) -> str:
        if "__error__" in row:
            raise RowRejected("", row["__error__"])
        p = self.profile
        local_code = p.local_code_as_stored(row_value(p.local_code, row, Message(gettext_noop("实施编码"))))
        first = self.seen_codes.get(local_code)
        if first is not None:
            raise RowRejected(
                p.local_code.column,
                Message(gettext_noop("实施编码 %(code)s 与第%(row)s行重复"), code=local_code, row=first),
            )
        self.seen_codes[local_code] = number
        division = self.division(row)
        department, department_created = self.department(row, division)
        general, general_changed = self.general_item(row, division, department)
        # The local item keeps its row's name (a deviation from the general item's is a finding of the checks).
        name = row_value(p.general_name, row, Message(gettext_noop("事项名称")))
        self.staged.code, self.staged.name = local_code, name

        existing = self._local(local_code)
        if existing is not None:
            return self._update_local(
                existing, general, division, department, general_changed or department_created, name
            )
        self._refuse_reused(local_code, p.local_code.column, Message(gettext_noop("实施编码")))
        try:
            item = local_item_build(
                general_item=general,
                division=division,
                organization=department,
                actor=self.actor,
                save=False,
                foreign_code=local_code if p.local_code_scheme == "foreign" else "",
                name=name,
            )
        except CodeError as exc:
            raise RowRejected(p.local_code.column, error_message(exc)) from exc
        except ValidationError as exc:
            # The checks name the general item; the row is known by its own name.
            raise RowRejected(
                "",
                Message(
                    gettext_noop("本行事项“%(name)s”：%(reason)s"),
                    name=name,
                    reason=join_messages(validation_messages(exc)),
                ),
            ) from exc
        if p.local_code_scheme == "national" and item.code != local_code:
            raise RowRejected(
                p.local_code.column,
                Message(
                    gettext_noop("实施编码 %(code)s 与实施主体、层级和通用目录编码不一致（按规则应为 %(expected)s）"),
                    code=local_code,
                    expected=item.code,
                ),
            )
        item._history_user, item._change_reason = self.actor, self.reason
        self.staged.local = item
        return CREATE

    def _update_local(
        self,
        item: LocalItem,
        general: GeneralItem,
        division: Division,
        department: Organization,
        changed: bool,
        name: str,
    ) -> str:
        column = self.profile.local_code.column
        if item.status in (LocalItemStatus.CANCELLED, LocalItemStatus.REJECTED):
            raise RowRejected(
                column,
                Message(
                    gettext_noop("本行事项“%(name)s”的实施编码 %(code)s 对应的事项%(status)s，不能通过导入恢复"),
                    name=name,
                    code=item.code,
                    status=choice_message(LocalItemStatus(item.status).label),
                ),
            )
        if (item.general_item_id, item.division_id, item.organization_id) != (general.pk, division.code, department.pk):
            raise RowRejected(
                column,
                Message(
                    gettext_noop(
                        "本行事项“%(name)s”的实施编码 %(code)s 已用于另一区划、实施主体或通用目录事项下的事项"
                    ),
                    name=name,
                    code=item.code,
                ),
            )
        fields = []
        if item.name != name:
            self.staged.changes.append({"field": "name", "code": item.code, "before": item.name, "after": name})
            item.name, item.name_initials = name, name_initials(name)
            fields += ["name", "name_initials"]
        if item.item_type != general.item_type:
            item.item_type = general.item_type
            fields.append("item_type")
        if fields:
            item._history_user, item._change_reason = self.actor, self.reason
            self.staged.local_update = item
        return UPDATE if fields or changed else UNCHANGED
