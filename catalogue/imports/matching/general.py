"""Matching a row's general item: by code, else created with the parents its national code implies (or, for a
foreign code scheme, under a main item found by name), flagged for review; codes once issued are never reused."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from catalogue.codes import TYPE_SCHEMES, CodeError, parse_general_code, scheme_for, scheme_type
from catalogue.models import (
    Division,
    GeneralItem,
    IssuedCode,
    ItemStatus,
    NodeKind,
    Organization,
    Sector,
    TypeScheme,
)
from catalogue.services.items import ItemSpec, general_item_prepare, name_initials
from core.i18n import Message, choice_message, error_message

from ..lookups import foreign_main_code, implied_parents, one_row
from .common import KEEP, SKIP, RowConflict, RowRejected, RowSkipped, row_value
from .places import PlaceMatcher


@dataclass(kw_only=True)
class GeneralItemMatcher(PlaceMatcher):
    """The general items of the rows, the parents their codes imply, and their sectors."""

    # general code → the names the file gives it, in file order (``plan_row``); general code → a person's decision
    # on its conflict with the catalogue (``KEEP``, ``TAKE``, ``SKIP``).
    planned_names: dict[str, list[str]] = field(default_factory=dict)
    decisions: dict[str, str] = field(default_factory=dict)

    # --- general items -----------------------------------------------------------------------------------------
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

    def plan_row(self, row: dict[str, str]) -> None:
        """First pass: every name the file gives each general code, in file order (see ``chosen_name``)."""
        code = self.profile.general_code.extract(row).upper()
        name = self.profile.general_name.extract(row)
        if code and name:
            names = self.planned_names.setdefault(code, [])
            if name not in names:
                names.append(name)

    def chosen_name(self, code: str, row_name: str, existing: GeneralItem | None) -> str:
        """The one name a general code gets from a file that gives it several (one handling item used by two bodies
        for different situations): the catalogue's own name when any row gives it, else the name of the first row
        in file order that carries the code. Chosen once, so a re-import changes nothing; the local items keep
        their rows' names. Reported in the preview."""
        names = self.planned_names.get(code) or [row_name]
        chosen = existing.name if existing is not None and existing.name in names else names[0]
        if len(names) > 1 and code not in self.report.name_choices:
            self.report.name_choices[code] = {"names": names, "chosen": chosen}
        return chosen

    def _scheme(self, digits: str, item_type: str, raw_type: str) -> str:
        """The type scheme a national code's digits follow for this row: the profile's shipped scheme, or the
        shipped scheme that agrees with the profile's own map; refused when the row's type contradicts them."""
        p = self.profile
        # A profile's own map may name the source's type column values (``XK``): digits it does not list are national.
        expected = scheme_type(digits, p.type_scheme or "national")
        if not p.type_scheme and digits in p.type_map:
            expected = p.type_map[digits]
        scheme = p.type_scheme or (scheme_for(digits, item_type) if expected == item_type else None)
        if expected != item_type:
            raise RowRejected(
                p.general_type.column,
                Message(
                    gettext_noop(
                        "事项类型“%(type)s”对应国家类型“%(national)s”，而通用目录编码的类型位“%(digits)s”"
                        "按导入方案对应“%(expected)s”，两者不符"
                    ),
                    type=raw_type,
                    national=item_type,
                    digits=digits,
                    expected=expected or Message(gettext_noop("（无对应）")),
                ),
            )
        if scheme is None:
            raise RowRejected(
                p.general_type.column,
                Message(
                    gettext_noop(
                        "通用目录编码的类型位“%(digits)s”对应国家类型“%(national)s”，不属于任何已知的类型编码方案"
                        "（%(schemes)s）"
                    ),
                    digits=digits,
                    national=item_type,
                    schemes=" / ".join(TYPE_SCHEMES),
                ),
            )
        return scheme

    def general_item(
        self, row: dict[str, str], division: Division, department: Organization
    ) -> tuple[GeneralItem, bool]:
        """The row's general item, matched by code, created (flagged for review) when missing; returns whether
        anything changed."""
        p = self.profile
        code = row_value(p.general_code, row, Message(gettext_noop("通用目录编码"))).upper()
        row_name = row_value(p.general_name, row, Message(gettext_noop("事项名称")))
        raw_type = row_value(p.general_type, row, Message(gettext_noop("事项类型")))
        item_type = p.type_map.get(raw_type)
        if item_type is None:
            raise RowRejected(
                p.general_type.column,
                Message(
                    gettext_noop(
                        "事项类型“%(type)s”在导入方案的类型编码（general.type_scheme 或 [general.types]）"
                        "中没有对应的国家类型编码"
                    ),
                    type=raw_type,
                ),
            )
        parsed, scheme = None, TypeScheme.NATIONAL
        if p.general_code_scheme == "national":
            try:
                parsed = parse_general_code(code)
            except CodeError as exc:
                raise RowRejected(p.general_code.column, error_message(exc)) from exc
            scheme = self._scheme(parsed.item_type, item_type, raw_type)
        province = self.province(division)
        existing = self._general(code)
        name = self.chosen_name(code, row_name, existing)
        if existing is not None:
            # A foreign sub item hangs under the main item its row names; a national code implies its parents.
            main_name = row_value(p.main_name, row, "", required=False) if parsed is None else ""
            return existing, self._update_general(
                existing, name, item_type, scheme, division, row_name, main_name=main_name, province=province
            )
        self._refuse_reused(code, p.general_code.column, Message(gettext_noop("通用目录编码")))
        if parsed is None:
            sector_code = row_value(p.sector, row, Message(gettext_noop("目录部门类别")))
            sector = self.sector(province, sector_code, row_value(p.sector_name, row, "", required=False) or "外部导入")
            spec = ItemSpec(
                name=name, item_type=item_type, sector=sector, levels=division.level_digit, code=code,
                code_is_foreign=True, needs_review=True,
            )  # fmt: skip
            main_name = row_value(p.main_name, row, "", required=False)
            if main_name:
                spec.node_kind, spec.parent = NodeKind.SUB, self._foreign_main(main_name, spec, province)
            return self._build(spec, province), True
        sector_name = row_value(p.sector_name, row, "", required=False) or department.name
        sector = self.sector(province, parsed.sector, sector_name)
        return self._create(code, parsed, name, row, division, sector, item_type, province, scheme), True

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

    def _ancestor(
        self, code: str, row: dict, division: Division, sector: Sector, item_type: str, scheme: str
    ) -> GeneralItem:
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
        name = row_value(rule, row, Message(gettext_noop("上级事项 %(code)s 的名称"), code=code))
        self._refuse_reused(code, self.profile.general_code.column, Message(gettext_noop("上级事项编码")))
        return self._create(code, parsed, name, row, division, sector, item_type, self.province(division), scheme)

    def _create(self, code, parsed, name, row, division, sector, item_type, province, scheme) -> GeneralItem:
        """A general item under the parent its national code implies (a handling item's sub or main item, a sub
        item's main item), the parent created first when missing; flagged for review."""
        parent, kind = None, NodeKind.MAIN
        if parsed.handle is not None:
            parent, kind = self._ancestor(code[:12], row, division, sector, item_type, scheme), NodeKind.HANDLE
        elif parsed.sub:
            parent, kind = self._ancestor(code[:9] + "00Y", row, division, sector, item_type, scheme), NodeKind.SUB
        spec = ItemSpec(
            name=name, item_type=item_type, sector=sector, levels=division.level_digit, node_kind=kind,
            parent=parent, has_sub_items=parsed.sub is None, code=code, needs_review=True, type_scheme=scheme,
        )  # fmt: skip
        return self._build(spec, province)

    def _build(self, spec: ItemSpec, province: Division) -> GeneralItem:
        item = general_item_prepare(spec=spec, province=province, actor=self.actor, effective_date=None,
                                    parent=spec.parent)  # fmt: skip
        item._history_user, item._change_reason = self.actor, self.reason
        self.staged.generals.append(item)
        return item

    def _update_general(
        self,
        item: GeneralItem,
        name: str,
        item_type: str,
        scheme: str,
        division: Division,
        row_name: str,
        *,
        main_name: str = "",
        province: Division | None = None,
    ) -> bool:
        """An item the import created (flagged for review) is still the import's to shape: its name, type, parent and
        levels follow the file, a corrected type map re-typing it (and the parents its code implies). An established
        item is the province office's: a file that gives it another name, type or parent is a conflict for a person
        to decide."""
        column = self.profile.general_code.column
        if item.status != ItemStatus.ACTIVE:
            raise RowRejected(
                column,
                Message(
                    gettext_noop("本行事项“%(name)s”的通用目录编码 %(code)s 所属事项已%(status)s，不能导入"),
                    name=row_name,
                    code=item.code,
                    status=choice_message(ItemStatus(item.status).label),
                ),
            )
        new_parent_code = ""
        if main_name and item.node_kind == NodeKind.SUB:
            code = foreign_main_code(self.profile, province, main_name)
            found = self._general(code)
            new_parent_code = code if found is None or found.pk != item.parent_id else ""
        differs = item.name != name or item.item_type != item_type or bool(new_parent_code)
        if differs and not item.needs_review:
            decision = self.decisions.get(item.code)
            if decision is None:
                raise RowConflict(
                    item.code,
                    {"name": item.name, "item_type": item.item_type, "parent": self._parent_code(item)},
                    {"name": name, "item_type": item_type, "parent": new_parent_code or self._parent_code(item)},
                )
            if decision == SKIP:
                raise RowSkipped(item.code)
            if decision == KEEP:
                return False
        changed = self._retype(item, item_type, scheme) if item.item_type != item_type else False
        old = {"name": item.name, "name_initials": item.name_initials, "levels": item.levels}
        fields = []
        if item.name != name:
            self.staged.changes.append({"field": "name", "code": item.code, "before": item.name, "after": name})
            item.name, item.name_initials = name, name_initials(name)
            fields += ["name", "name_initials"]
        if item.needs_review and division.level_digit not in item.levels:
            item.levels = "".join(sorted(item.levels + division.level_digit))
            fields.append("levels")
        if new_parent_code:
            before = self._parent_code(item)
            spec = ItemSpec(name=item.name, item_type=item.item_type, sector=item.sector, levels=item.levels)
            old["parent"] = item.parent
            item.parent = self._foreign_main(main_name, spec, province)
            self.staged.changes.append(
                {"field": "parent", "code": item.code, "before": before, "after": new_parent_code}
            )
            fields.append("parent")
        if fields:
            self._stage_update(item, old)
        return bool(fields) or changed

    def _parent_code(self, item: GeneralItem) -> str:
        """The code of an item's parent: implied by a national code; looked up for a foreign one (only for a
        conflict or a change, so a re-import of an unchanged file does not ask)."""
        if item.parent_id is None:
            return ""
        if not item.code_is_foreign:
            return item.code[:12] if item.node_kind == NodeKind.HANDLE else item.code[:9] + "00Y"
        return GeneralItem.objects.filter(pk=item.parent_id).values_list("code", flat=True).first() or ""

    def _retype(self, item: GeneralItem, item_type: str, scheme: str) -> bool:
        """A new national type for an item and the parents its code implies (a tree has one type), with the scheme
        its code now follows; each shown in the preview with its type before and after."""
        family = [item]
        if not item.code_is_foreign:
            family += [p for p in (self._general(c) for c in implied_parents(item.code)) if p is not None]
        # An established parent is the catalogue's, not the file's: its type changes only by a person's decision on
        # its own code, like any other conflict (keep leaves the whole family as it is).
        for member in family[1:]:
            if member.item_type == item_type or member.needs_review:
                continue
            decision = self.decisions.get(member.code)
            if decision is None:
                parent = self._parent_code(member)
                raise RowConflict(
                    member.code,
                    {"name": member.name, "item_type": member.item_type, "parent": parent},
                    {"name": member.name, "item_type": item_type, "parent": parent},
                )
            if decision == SKIP:
                raise RowSkipped(member.code)
            if decision == KEEP:
                return False
        for member in family:
            if member.item_type == item_type:
                continue
            self.staged.changes.append(
                {"field": "item_type", "code": member.code, "before": member.item_type, "after": item_type}
            )
            old = {"item_type": member.item_type, "type_scheme": member.type_scheme}
            member.item_type, member.type_scheme = item_type, scheme
            self._stage_update(member, old)
        return True

    def _stage_update(self, item: GeneralItem, old: dict) -> None:
        item._history_user, item._change_reason = self.actor, self.reason
        self.staged.general_updates.append((item, old, item.pk is None))
