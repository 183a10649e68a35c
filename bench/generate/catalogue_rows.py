"""The general catalogue and the organizations of the load, written in bulk."""

from __future__ import annotations

from django.db import transaction

from catalogue.codes import GeneralCode, make_uscc, parse_general_code, validate_uscc
from catalogue.demo import real_catalogue_entries
from catalogue.demo.data import demo_main_code
from catalogue.models import (
    Division,
    GeneralItem,
    ItemStatus,
    NodeKind,
    Organization,
    OrganizationKind,
)

from .plan import (
    BIANBAN_SERIAL,
    COUNTY,
    EFFECTIVE_DATE,
    JUSTICE_SERIAL,
    PROVINCE,
    GeneratorError,
    department_name,
    initials,
)


class CatalogueRows:
    """The general catalogue and every county's bodies; a part of ``Generator``, whose state it uses."""

    # --- general catalogue ----------------------------------------------------------------------------------

    def general_items(self) -> tuple[int, str]:
        existing = GeneralItem.objects.filter(province_id=PROVINCE).count()
        if existing:
            return 0, f"catalogue exists ({existing:,} items), kept"
        entries = [e for e in real_catalogue_entries() if e.sector in self.sectors]
        province2 = PROVINCE[:2]
        for entry in entries:
            if entry.code:
                parsed = parse_general_code(entry.code)
                if (parsed.province, parsed.item_type, parsed.sector) != (province2, entry.item_type, entry.sector):
                    raise GeneratorError(f"real code {entry.code} does not match {entry.name}")
        mains = []
        invented: dict[tuple[str, str], int] = {}
        for entry in entries:
            has_subs = bool(entry.subs)
            if entry.code:
                code, main_seq = entry.code, parse_general_code(entry.code).main
            else:
                # The demo's invented items, in the block of codes no province issues (``DEMO_MAIN_BASE``).
                code, main_seq = demo_main_code(PROVINCE, entry, invented)
            if main_seq > 999 or has_subs != code.endswith("Y"):
                raise GeneratorError(f"cannot code main item {entry.name} ({code})")
            mains.append(self._general(entry, code, NodeKind.MAIN, None, main_seq, None if has_subs else 0))
        with transaction.atomic():
            GeneralItem.objects.bulk_create(mains, batch_size=self.batch_size)
            subs = []
            for parent, entry in zip(mains, entries, strict=True):
                given = list(entry.sub_codes[: len(entry.subs)]) if entry.code else []
                last_sub = max((parse_general_code(c).sub for c in given), default=0)
                for index, name in enumerate(entry.subs):
                    if index < len(given):
                        code, sub_seq = given[index], parse_general_code(given[index]).sub
                        if code[:9] != parent.code[:9]:
                            raise GeneratorError(f"real sub code {code} is not under {parent.code}")
                    else:
                        last_sub += 1
                        sub_seq = last_sub
                        code = str(GeneralCode(province2, parent.item_type, entry.sector, parent.main_seq, sub_seq))
                    if sub_seq > 999:
                        raise GeneratorError(f"more than 999 sub items under {parent.code}")
                    subs.append(self._general(entry, code, NodeKind.SUB, parent, parent.main_seq, sub_seq, name))
            codes = [i.code for i in mains + subs]
            if len(set(codes)) != len(codes):
                raise GeneratorError("general catalogue codes are not unique")
            GeneralItem.objects.bulk_create(subs, batch_size=self.batch_size)
        return len(mains) + len(subs), f"{len(mains)} main + {len(subs)} sub items"

    def _general(self, entry, code, node_kind, parent, main_seq, sub_seq, name=None) -> GeneralItem:
        name = (name or entry.name).strip()[:200]
        return GeneralItem(
            province_id=PROVINCE,
            code=code,
            name=name,
            name_initials=initials(name),
            item_type=entry.item_type,
            sector=self.sectors[entry.sector],
            node_kind=node_kind,
            parent=parent,
            has_sub_items=node_kind == NodeKind.MAIN and bool(entry.subs),
            main_seq=main_seq,
            sub_seq=sub_seq,
            levels=entry.levels,
            status=ItemStatus.ACTIVE,
            effective_date=EFFECTIVE_DATE,
            created_by=self.user,
        )

    # --- organizations --------------------------------------------------------------------------------------

    def uscc(self, county: Division, copy: int, slot: int) -> str:
        return make_uscc(division_code=county.code, serial=copy * 100 + slot)

    def organizations(self) -> int:
        existing = set(
            Organization.objects.filter(division__province_code=PROVINCE, division__level=COUNTY).values_list(
                "uscc", flat=True
            )
        )
        copies = [int(u[8:16]) // 100 for u in existing if int(u[8:16]) < BIANBAN_SERIAL]
        if copies and max(copies) > self.scale:
            raise GeneratorError(
                f"the database holds a scale-{max(copies)} load; run with --scale {max(copies)} or add --reset"
            )
        new = []
        for county in self.counties:
            bodies = [
                (
                    BIANBAN_SERIAL,
                    f"中共{county.name}委员会机构编制委员会办公室",
                    "编办",
                    OrganizationKind.BIANBAN,
                    None,
                ),
                (JUSTICE_SERIAL, f"{county.name}司法局", "司法局", OrganizationKind.JUSTICE, None),
            ]
            for copy in range(1, self.scale + 1):
                for slot, (sector, suffix) in enumerate(self.plan, start=1):
                    name = department_name(county, suffix, copy)
                    short = name.removeprefix(county.name)
                    bodies.append((copy * 100 + slot, name, short, OrganizationKind.DEPARTMENT, self.sectors[sector]))
            for serial, name, short, kind, sector in bodies:
                uscc = validate_uscc(make_uscc(division_code=county.code, serial=serial))
                if uscc in existing:
                    continue
                new.append(
                    Organization(
                        uscc=uscc,
                        name=name,
                        short_name=short[:60],
                        kind=kind,
                        division=county,
                        sector=sector,
                        created_by=self.user,
                    )
                )
        Organization.objects.bulk_create(new, batch_size=self.batch_size)
        return len(new)
