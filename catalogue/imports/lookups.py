"""The lookups of one import run: per-chunk caches of the general items, local items and issued codes the chunk's
rows name, filled with three IN queries (``prefetch``), and run-long caches of departments and sectors, which are
few. A row's own new records sit in ``staged`` and join the caches only when the row is accepted; a chunk the
database refused empties them all (``forget``), since its records were rolled back."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from catalogue.codes import CodeError, GeneralCode, parse_general_code
from catalogue.models import Division, GeneralItem, IssuedCode, LocalItem, Organization, Sector

from .profiles import Profile
from .staging import Staged


def one_row(queryset):
    """The row or None, without the ORDER BY that ``first()`` adds: lookups here are by unique keys, one per row."""
    return next(iter(queryset.order_by()[:1]), None)


@dataclass(kw_only=True)
class ChunkLookups:
    profile: Profile
    fixed_division: Division | None = None
    departments: dict[tuple[str, str, str], Organization] = field(default_factory=dict)
    orgs_by_code: dict[str, Organization | None] = field(default_factory=dict)
    orgs_by_name: dict[tuple[str, str], Organization | None] = field(default_factory=dict)
    sectors: dict[tuple[str, str], Sector] = field(default_factory=dict)
    # Per chunk: general and local items and issued codes by code (None: not in the catalogue).
    generals: dict[str, GeneralItem | None] = field(default_factory=dict)
    locals: dict[str, LocalItem | None] = field(default_factory=dict)
    issued: dict[str, bool] = field(default_factory=dict)
    # What the current row would write; it joins the caches only when the row is accepted.
    staged: Staged = field(default_factory=Staged)

    def accept(self) -> Staged:
        staged, self.staged = self.staged, Staged()
        for key, org in staged.departments:
            self.departments[key] = org
            self.orgs_by_code[org.uscc] = org
            self.orgs_by_name[(org.division_id, org.name)] = org
        for sector in staged.sectors:
            self.sectors[(sector.province_id, sector.code)] = sector
        for item in staged.generals:
            self.generals[item.code] = item
        if staged.local is not None:
            self.locals[staged.local.code] = staged.local
        return staged

    def discard(self) -> None:
        """A rejected row leaves no trace: cached items it changed in memory get their values back."""
        for item, old, _new in reversed(self.staged.general_updates):
            for name, value in old.items():
                setattr(item, name, value)
        self.staged = Staged()

    def forget(self) -> None:
        """After a chunk the database refused, nothing cached may be trusted: its records were rolled back."""
        for cache in (self.departments, self.orgs_by_code, self.orgs_by_name, self.sectors, self.generals,
                      self.locals, self.issued):  # fmt: skip
            cache.clear()
        self.staged = Staged()

    # --- chunk lookups -----------------------------------------------------------------------------------------

    def prefetch(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        """Fill the chunk caches with three IN queries: the rows' general items (and the parents their codes
        imply), their local items, and which of all these codes were issued to cancelled items."""
        self.generals.clear()
        self.locals.clear()
        self.issued.clear()
        p = self.profile
        general_codes: set[str] = set()
        local_codes: set[str] = set()
        for _number, row in rows:
            if "__error__" in row:
                continue
            code = p.general_code.extract(row).upper()
            if code:
                general_codes.add(code)
                if p.general_code_scheme == "national":
                    general_codes.update(implied_parents(code))
            main_name = p.main_name.extract(row) if p.main_name is not None else ""
            if main_name and p.general_code_scheme == "foreign":
                division_code = self.fixed_division.code if p.division is None else p.division.extract(row)
                general_codes.add(foreign_main_code(p, division_code, main_name))
            local = p.local_code_as_stored(p.local_code.extract(row))
            if local:
                local_codes.add(local)
        found = {g.code: g for g in GeneralItem.objects.filter(code__in=general_codes)} if general_codes else {}
        self.generals.update({code: found.get(code) for code in general_codes})
        found = {i.code: i for i in LocalItem.objects.filter(code__in=local_codes)} if local_codes else {}
        self.locals.update({code: found.get(code) for code in local_codes})
        codes = general_codes | local_codes
        issued = set(IssuedCode.objects.filter(code__in=codes).values_list("code", flat=True)) if codes else set()
        self.issued.update({code: code in issued for code in codes})

    def _general(self, code: str) -> GeneralItem | None:
        for item in self.staged.generals:
            if item.code == code:
                return item
        if code not in self.generals:
            self.generals[code] = one_row(GeneralItem.objects.filter(code=code))
        return self.generals[code]

    def _local(self, code: str) -> LocalItem | None:
        if code not in self.locals:
            self.locals[code] = one_row(LocalItem.objects.filter(code=code))
        return self.locals[code]

    def _org_by_code(self, code: str) -> Organization | None:
        for _key, org in self.staged.departments:
            if org.uscc == code:
                return org
        if code not in self.orgs_by_code:
            self.orgs_by_code[code] = one_row(Organization.objects.filter(uscc=code))
        return self.orgs_by_code[code]

    def _org_by_name(self, division: Division, name: str) -> Organization | None:
        for _key, org in self.staged.departments:
            if org.division_id == division.code and org.name == name:
                return org
        if (division.code, name) not in self.orgs_by_name:
            self.orgs_by_name[(division.code, name)] = one_row(
                Organization.objects.filter(division=division, name=name)
            )
        return self.orgs_by_name[(division.code, name)]


def implied_parents(code: str) -> list[str]:
    """The codes of the parents a national code implies (see ``_create``), for the chunk's prefetch."""
    try:
        parsed: GeneralCode = parse_general_code(code)
    except CodeError:
        return []
    if parsed.handle is not None:
        return [code[:12], code[:9] + "00Y"]
    return [code[:9] + "00Y"] if parsed.sub else []


def foreign_main_code(profile: Profile, province: Division | str, name: str) -> str:
    """The code of a main item a foreign file names but gives no code: the profile's prefix and a digest of the
    province and the name, 14 characters in all (the width of a general code)."""
    province_code = (province.code if isinstance(province, Division) else province)[:2]
    digest = hashlib.sha1(f"{province_code}|{name}".encode()).hexdigest().upper()
    return profile.main_code_prefix + digest[: 14 - len(profile.main_code_prefix)]
