"""Matching one row against the catalogue: its division, department, general item (with the parents its code
implies) and local item — found by code, then by name, or created and flagged for review.

Matching writes nothing: what a row would create or change is staged (``staging.Staged``) and saved with the rest of
its chunk, so a chunk of rows costs a few queries instead of a dozen per row. The lookups read per-chunk caches
filled by ``prefetch`` with a few IN queries; what is not in them (the slow path after a database error) is fetched
one by one. Departments, sectors and divisions are few, so their caches live for the whole run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.utils.translation import gettext_noop

from catalogue.access import can_import_catalogue
from catalogue.codes import CodeError, parse_general_code, validate_uscc
from catalogue.models import (
    Division,
    GeneralItem,
    IssuedCode,
    ItemStatus,
    LocalItem,
    LocalItemStatus,
    NodeKind,
    Organization,
    OrganizationKind,
    Sector,
)
from catalogue.services.items import ItemSpec, general_item_prepare, local_item_build, name_initials
from core.i18n import Message, choice_message, error_message

from .lookups import ChunkLookups, foreign_main_code, one_row
from .profiles import Rule

if TYPE_CHECKING:
    from .apply import ImportReport

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


class RowRejected(Exception):
    """A row that cannot be imported: the column at fault (or none) and why, as a ``Message`` kept with the import."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column, self.reason = column, reason


def _value(rule: Rule | None, row: dict[str, str], what: str, *, required: bool = True) -> str:
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


@dataclass(kw_only=True)
class RowMatcher(ChunkLookups):
    """The state of one import run: caches of what is matched, and the codes seen so far in the file."""

    actor: User
    report: ImportReport
    reason: str
    divisions: dict[str, Division | None] = field(default_factory=dict)
    allowed: dict[str, bool] = field(default_factory=dict)
    # department name → the credit code the file gives it most often (see plan_departments)
    planned_codes: dict[str, str] = field(default_factory=dict)
    seen_codes: dict[str, int] = field(default_factory=dict)

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

    @staticmethod
    def _valid_uscc(code: str) -> str:
        try:
            return validate_uscc(code)
        except CodeError:
            return ""

    def department(self, row: dict[str, str], division: Division) -> tuple[Organization, bool]:
        name = _value(self.profile.department_name, row, Message(gettext_noop("实施主体名称")))
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
                    gettext_noop("实施主体“%(name)s”属于%(found)s，不属于%(division)s"),
                    name=found.name,
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
        code = _value(self.profile.division, row, Message(gettext_noop("区划代码")))
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

    # --- general items -----------------------------------------------------------------------------------------

    def province(self, division: Division) -> Division:
        if division.level == "province":
            return division
        if division.province_code not in self.divisions:
            self.divisions[division.province_code] = Division.objects.get(code=division.province_code)
        return self.divisions[division.province_code]

    def _refuse_reused(self, code: str, column: str, what: Message) -> None:
        if code not in self.issued:
            self.issued[code] = IssuedCode.objects.filter(code=code).exists()
        if self.issued[code]:
            raise RowRejected(
                column,
                Message(
                    gettext_noop("%(what)s %(code)s 曾发放给已取消或已删除的事项，编码不得重复使用"),
                    what=what,
                    code=code,
                ),
            )

    def sector(self, province: Division, code: str, name: str) -> Sector:
        key = (province.code, code)
        if key in self.sectors:
            return self.sectors[key]
        for sector in self.staged.sectors:
            if sector.code == code and sector.province_id == province.code:
                return sector
        sector = one_row(Sector.objects.filter(province=province, code=code))
        if sector is not None:
            self.sectors[key] = sector
            return sector
        sector = Sector(province=province, code=code, name=name[:100])
        self.staged.sectors.append(sector)
        return sector

    def general_item(
        self, row: dict[str, str], division: Division, department: Organization
    ) -> tuple[GeneralItem, bool]:
        """The row's general item, matched by code, created (flagged for review) when missing; returns whether
        anything changed."""
        p = self.profile
        code = _value(p.general_code, row, Message(gettext_noop("通用目录编码"))).upper()
        name = _value(p.general_name, row, Message(gettext_noop("事项名称")))
        raw_type = _value(p.general_type, row, Message(gettext_noop("事项类型")))
        item_type = p.type_map.get(raw_type)
        if item_type is None:
            raise RowRejected(
                p.general_type.column,
                Message(
                    gettext_noop("事项类型“%(type)s”在导入方案的 [general.types] 中没有对应的国家类型编码"),
                    type=raw_type,
                ),
            )
        province = self.province(division)
        existing = self._general(code)
        if existing is not None:
            return existing, self._update_general(existing, name, division)
        self._refuse_reused(code, p.general_code.column, Message(gettext_noop("通用目录编码")))
        if p.general_code_scheme == "foreign":
            sector_code = _value(p.sector, row, Message(gettext_noop("目录部门类别")))
            sector = self.sector(province, sector_code, _value(p.sector_name, row, "", required=False) or "外部导入")
            spec = ItemSpec(
                name=name, item_type=item_type, sector=sector, levels=division.level_digit, code=code,
                code_is_foreign=True, needs_review=True,
            )  # fmt: skip
            main_name = _value(p.main_name, row, "", required=False)
            if main_name:
                spec.node_kind, spec.parent = NodeKind.SUB, self._foreign_main(main_name, spec, province)
            return self._build(spec, province), True
        try:
            parsed = parse_general_code(code)
        except CodeError as exc:
            raise RowRejected(p.general_code.column, error_message(exc)) from exc
        if parsed.item_type != item_type:
            raise RowRejected(
                p.general_type.column,
                Message(
                    gettext_noop("事项类型“%(type)s”与通用目录编码中的类型位“%(digits)s”不符"),
                    type=raw_type,
                    digits=parsed.item_type,
                ),
            )
        sector_name = _value(p.sector_name, row, "", required=False) or department.name
        sector = self.sector(province, parsed.sector, sector_name)
        return self._create(code, parsed, name, row, division, sector, item_type, province), True

    def _foreign_main(self, name: str, sub: ItemSpec, province: Division) -> GeneralItem:
        """The main item a foreign sub item hangs under, by the code its name gives (so a re-import, or the
        province office renaming it, finds the same item), created with sub items when missing."""
        code = foreign_main_code(self.profile, province, name)
        existing = self._general(code)
        if existing is not None:
            return existing
        self._refuse_reused(code, self.profile.main_name.column, Message(gettext_noop("主项编码")))
        spec = ItemSpec(
            name=name, item_type=sub.item_type, sector=sub.sector, levels=sub.levels, has_sub_items=True, code=code,
            code_is_foreign=True, needs_review=True,
        )  # fmt: skip
        return self._build(spec, province)

    def _ancestor(self, code: str, row: dict, division: Division, sector: Sector, item_type: str) -> GeneralItem:
        """The parent a national code implies (a sub item's main item, a handling item's sub or main item),
        created under its own name column when missing."""
        existing = self._general(code)
        if existing is not None:
            return existing
        parsed = parse_general_code(code)
        rule = self.profile.main_name if parsed.sub is None or parsed.sub == 0 else self.profile.sub_name
        if rule is None:
            raise RowRejected(
                "",
                Message(
                    gettext_noop("上级事项 %(code)s 不存在，导入方案也没有给出其名称列（general.tree）"), code=code
                ),
            )
        name = _value(rule, row, Message(gettext_noop("上级事项 %(code)s 的名称"), code=code))
        self._refuse_reused(code, self.profile.general_code.column, Message(gettext_noop("上级事项编码")))
        return self._create(code, parsed, name, row, division, sector, item_type, self.province(division))

    def _create(self, code, parsed, name, row, division, sector, item_type, province) -> GeneralItem:
        """A general item under the parent its national code implies (a handling item's sub or main item, a sub
        item's main item), the parent created first when missing; flagged for review."""
        parent, kind = None, NodeKind.MAIN
        if parsed.handle is not None:
            parent, kind = self._ancestor(code[:12], row, division, sector, item_type), NodeKind.HANDLE
        elif parsed.sub:
            parent, kind = self._ancestor(code[:9] + "00Y", row, division, sector, item_type), NodeKind.SUB
        spec = ItemSpec(
            name=name, item_type=item_type, sector=sector, levels=division.level_digit, node_kind=kind,
            parent=parent, has_sub_items=parsed.sub is None, code=code, needs_review=True,
        )  # fmt: skip
        return self._build(spec, province)

    def _build(self, spec: ItemSpec, province: Division) -> GeneralItem:
        item = general_item_prepare(spec=spec, province=province, actor=self.actor, effective_date=None,
                                    parent=spec.parent)  # fmt: skip
        item._history_user, item._change_reason = self.actor, self.reason
        self.staged.generals.append(item)
        return item

    def _update_general(self, item: GeneralItem, name: str, division: Division) -> bool:
        if item.status != ItemStatus.ACTIVE:
            raise RowRejected(
                self.profile.general_code.column,
                Message(
                    gettext_noop("通用目录事项 %(code)s 已%(status)s，不能导入其实施事项"),
                    code=item.code,
                    status=choice_message(ItemStatus(item.status).label),
                ),
            )
        changed, old = [], {"name": item.name, "name_initials": item.name_initials, "levels": item.levels}
        # An item the import created is still the import's to shape; an established one is the province office's
        # (四级四同: the local item takes its name, whatever the file says).
        if item.needs_review and item.name != name:
            item.name, item.name_initials = name, name_initials(name)
            changed += ["name", "name_initials"]
        if item.needs_review and division.level_digit not in item.levels:
            item.levels = "".join(sorted(item.levels + division.level_digit))
            changed.append("levels")
        if changed:
            item._history_user, item._change_reason = self.actor, self.reason
            self.staged.general_updates.append((item, old, item.pk is None))
        return bool(changed)

    # --- the row -----------------------------------------------------------------------------------------------

    def row(self, number: int, row: dict[str, str]) -> str:
        if "__error__" in row:
            raise RowRejected("", row["__error__"])
        p = self.profile
        local_code = _value(p.local_code, row, Message(gettext_noop("实施编码"))).upper()
        if p.local_code_scheme == "foreign":
            local_code = _value(p.local_code, row, Message(gettext_noop("实施编码")))
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
        self.staged.code, self.staged.name = local_code, general.name

        existing = self._local(local_code)
        if existing is not None:
            return self._update_local(existing, general, division, department, general_changed or department_created)
        self._refuse_reused(local_code, p.local_code.column, Message(gettext_noop("实施编码")))
        try:
            item = local_item_build(
                general_item=general,
                division=division,
                organization=department,
                actor=self.actor,
                save=False,
                foreign_code=local_code if p.local_code_scheme == "foreign" else "",
            )
        except CodeError as exc:
            raise RowRejected(p.local_code.column, error_message(exc)) from exc
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
        self, item: LocalItem, general: GeneralItem, division: Division, department: Organization, changed: bool
    ) -> str:
        column = self.profile.local_code.column
        if item.status in (LocalItemStatus.CANCELLED, LocalItemStatus.REJECTED):
            raise RowRejected(
                column,
                Message(
                    gettext_noop("实施编码 %(code)s 对应的事项%(status)s，不能通过导入恢复"),
                    code=item.code,
                    status=choice_message(LocalItemStatus(item.status).label),
                ),
            )
        if (item.general_item_id, item.division_id, item.organization_id) != (general.pk, division.code, department.pk):
            raise RowRejected(
                column,
                Message(
                    gettext_noop("实施编码 %(code)s 已用于另一区划、实施主体或通用目录事项下的事项"), code=item.code
                ),
            )
        fields = []
        if item.name != general.name:
            item.name, item.name_initials = general.name, general.name_initials
            fields += ["name", "name_initials"]
        if item.item_type != general.item_type:
            item.item_type = general.item_type
            fields.append("item_type")
        if fields:
            item._history_user, item._change_reason = self.actor, self.reason
            self.staged.local_update = item
        return UPDATE if fields or changed else UNCHANGED
