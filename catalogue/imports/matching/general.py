"""Matching a row's general item: by code, else created with the parents its national code implies (or, for a
foreign code scheme, under a main item found by name), flagged for review; codes once issued are never reused."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from catalogue.codes import CodeError, parse_general_code
from catalogue.models import Division, GeneralItem, IssuedCode, ItemStatus, NodeKind, Organization, Sector
from catalogue.services.items import ItemSpec, general_item_prepare, name_initials
from core.i18n import Message, choice_message, error_message

from ..lookups import foreign_main_code, one_row
from .common import RowRejected, row_value
from .places import PlaceMatcher


@dataclass(kw_only=True)
class GeneralItemMatcher(PlaceMatcher):
    """The general items of the rows, the parents their codes imply, and their sectors."""

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

    def general_item(
        self, row: dict[str, str], division: Division, department: Organization
    ) -> tuple[GeneralItem, bool]:
        """The row's general item, matched by code, created (flagged for review) when missing; returns whether
        anything changed."""
        p = self.profile
        code = row_value(p.general_code, row, Message(gettext_noop("通用目录编码"))).upper()
        name = row_value(p.general_name, row, Message(gettext_noop("事项名称")))
        raw_type = row_value(p.general_type, row, Message(gettext_noop("事项类型")))
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
        sector_name = row_value(p.sector_name, row, "", required=False) or department.name
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
        name = row_value(rule, row, Message(gettext_noop("上级事项 %(code)s 的名称"), code=code))
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
