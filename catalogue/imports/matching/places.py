"""Matching a row's division and department: the division must exist and be the importer's to fill; a department is
found by credit code or name and otherwise staged, flagged for review, under the code the file gives it most often."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils.translation import gettext_noop

from catalogue.access import can_import_catalogue
from catalogue.codes import CodeError, validate_uscc
from catalogue.models import Division, Organization, OrganizationKind
from core.i18n import Message

from ..lookups import ChunkLookups, one_row
from .common import RowRejected, row_value


@dataclass(kw_only=True)
class PlaceMatcher(ChunkLookups):
    """Who imports, and the divisions and departments matched so far."""

    actor: User
    reason: str
    divisions: dict[str, Division | None] = field(default_factory=dict)
    allowed: dict[str, bool] = field(default_factory=dict)
    # department name → the credit code the file gives it most often (see plan_departments)
    planned_codes: dict[str, str] = field(default_factory=dict)

    # --- departments -------------------------------------------------------------------------------------------

    def plan_departments(self, rows: Iterable[tuple[int, dict[str, str]]]) -> int:
        """First pass over the file: the credit code of each department named without one in some rows. Exports
        often give a department's code in some rows only (or several codes, one per body under it); taking the one
        it is given most often makes the result independent of row order, so a re-import matches what the first
        import created."""
        seen: dict[str, Counter] = {}
        total = 0
        for _number, row in rows:
            total += 1
            if "__error__" in row:
                continue
            self.plan_row(row)
            name = self.profile.department_name.extract(row)
            code = self._valid_uscc(self.profile.department_code.extract(row))
            if name and code:
                seen.setdefault(name, Counter())[code] += 1
        taken: set[str] = set()
        for name, codes in seen.items():
            for code, _count in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])):
                if code not in taken:
                    self.planned_codes[name] = code
                    taken.add(code)
                    break
        return total

    def plan_row(self, row: dict[str, str]) -> None:
        """What a subclass learns from each row in the first pass (see ``GeneralItemMatcher.plan_row``)."""

    @staticmethod
    def _valid_uscc(code: str) -> str:
        try:
            return validate_uscc(code)
        except CodeError:
            return ""

    def department(self, row: dict[str, str], division: Division) -> tuple[Organization, bool]:
        name = row_value(self.profile.department_name, row, Message(gettext_noop("实施主体名称")))
        raw_code = self.profile.department_code.extract(row)
        code = self._valid_uscc(raw_code)
        key = (division.code, name, code)
        if key in self.departments:
            return self.departments[key], False
        found = None
        for how in self.profile.department_match:
            if how == "code" and code:
                found = self._org_by_code(code)
            elif how == "name":
                found = self._org_by_name(division, name)
            if found is not None:
                break
        if found is None:
            if self.profile.department_match[0] == "name":
                code = self.planned_codes.get(name, code)
            if not code:
                reason = gettext_noop("实施主体“%(name)s”在系统中不存在，且其统一社会信用代码为空，无法新建")
                if raw_code:
                    reason = gettext_noop(
                        "实施主体“%(name)s”在系统中不存在，且其统一社会信用代码“%(code)s”不是有效的统一社会信用代码，无法新建"
                    )
                raise RowRejected(self.profile.department_code.column, Message(reason, name=name, code=raw_code))
            if self._org_by_code(code) is not None:
                raise RowRejected(
                    self.profile.department_code.column,
                    Message(
                        gettext_noop("统一社会信用代码 %(code)s 已属于另一机构，不能用于“%(name)s”"),
                        code=code,
                        name=name,
                    ),
                )
            found = Organization(
                uscc=code, name=name, kind=OrganizationKind.DEPARTMENT, division=division, needs_review=True
            )
            found.created_by = self.actor
            found.full_clean()
            found._history_user, found._change_reason = self.actor, self.reason
            self.staged.departments.append((key, found))
            return found, True
        elif found.division_id != division.code:
            raise RowRejected(
                self.profile.department_code.column,
                Message(
                    gettext_noop("本行的实施主体“%(name)s”按“%(key)s”匹配到的是%(found)s的机构，不属于%(division)s"),
                    name=name,
                    key=code or name,
                    found=str(found.division),
                    division=str(division),
                ),
            )
        self.departments[key] = found
        return found, False

    # --- divisions ---------------------------------------------------------------------------------------------

    def division(self, row: dict[str, str]) -> Division:
        if self.profile.division is None:
            return self.fixed_division
        code = row_value(self.profile.division, row, Message(gettext_noop("区划代码")))
        if code not in self.divisions:
            self.divisions[code] = one_row(Division.objects.filter(code=code))
        division = self.divisions[code]
        if division is None:
            raise RowRejected(
                self.profile.division.column, Message(gettext_noop("区划代码“%(code)s”不存在"), code=code)
            )
        if self.fixed_division is not None and division.code != self.fixed_division.code:
            raise RowRejected(
                self.profile.division.column,
                Message(
                    gettext_noop("区划“%(division)s”不是指定的区划%(fixed)s"),
                    division=str(division),
                    fixed=str(self.fixed_division),
                ),
            )
        if code not in self.allowed:
            self.allowed[code] = can_import_catalogue(self.actor, division)
        if not self.allowed[code]:
            raise RowRejected(
                self.profile.division.column,
                Message(gettext_noop("您无权向%(division)s导入事项"), division=str(division)),
            )
        return division

    def province(self, division: Division) -> Division:
        if division.level == "province":
            return division
        if division.province_code not in self.divisions:
            self.divisions[division.province_code] = Division.objects.get(code=division.province_code)
        return self.divisions[division.province_code]
