"""The province-scale load: the whole of Guangdong (440000) at county level, for the benchmarks to run against.

What it makes (scale 1; see ``bench/README.md``):

- the divisions, from the project's CSV tables (``divisions_load``): 122 county-level units in Guangdong;
- a bench user (inactive, no password) that every generated row names as ``created_by``, so the generator can tell
  its own rows from anything else and refuse to mix with other data;
- the sectors and a general catalogue for 440000 made of the real item names of ``catalogue.demo`` (755 main items,
  513 sub items; 1,128 claimable leaves, all allowed at county level);
- per county: a 编办, a 司法局 and 40 implementing departments with valid credit codes, each with a sector;
- per county about 1,000 active local items (level 4): every claimable leaf goes to a department of its sector, and
  each county leaves out 5–17 % of them (a fixed pseudo-random choice, so counties differ and runs repeat).

``--scale N`` repeats the 40 departments N times per county ("（副本2）" …) and each copy implements the same items
with its own credit code, so local items and departments grow N×; divisions, sectors and the general catalogue do not.

Rows are written with ``bulk_create`` in batches, never through the per-item services, and carry no
django-simple-history rows. Re-running skips every row that exists (organizations by credit code, local items by
implementation code, also when only ``catalogue_issuedcode`` still holds the code), so it never re-inserts a code the
database triggers have registered; ``--reset`` empties the catalogue tables first.
"""

from __future__ import annotations

import datetime as dt
import resource
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Avg, CharField, Count, Exists, F, Max, Min, OuterRef
from django.db.models.functions import Concat

from catalogue.codes import GeneralCode, implementation_code, make_uscc, parse_general_code, validate_uscc
from catalogue.demo import DEPARTMENTS, SECTORS, real_catalogue_entries
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
from catalogue.services import divisions_load, name_initials
from reviews.models import ReviewTask
from standards.models import ItemStandard
from workflow.models import StateTransition

from .standards_load import StandardsLoad, state_counts
from .standards_load import check as standards_check

PROVINCE = "440000"
COUNTY = "county"
LEVEL_DIGIT = "4"
EXPECTED_COUNTIES = 122
BENCH_USERNAME = "bench"
EFFECTIVE_DATE = dt.date(2026, 1, 1)
DEFAULT_BATCH_SIZE = 5000

# Credit-code serials inside a county (the 8-digit body of the organization code): departments are copy * 100 + slot,
# the offices keep the numbers ``catalogue.demo`` gives them.
BIANBAN_SERIAL, JUSTICE_SERIAL = 9001, 9002
MAX_SCALE = 89

# Each county leaves out SKIP_MIN..SKIP_MIN+SKIP_SPREAD-1 per mille of the claimable items (mean 11 %).
SKIP_MIN, SKIP_SPREAD = 50, 121

# The county departments of ``catalogue.demo.DEPARTMENTS`` (32), with sector 08 renamed because the 司法局 is the
# county's legality reviewer (kind "justice", same name), plus 8 bodies that share a large sector with a department.
SECTOR_08_DEPARTMENT = "公共法律服务中心"
EXTRA_DEPARTMENTS = [
    ("06", "公安局交通警察大队"),
    ("10", "社会保险基金管理中心"),
    ("11", "不动产登记中心"),
    ("13", "住房公积金管理中心"),
    ("14", "公路事务中心"),
    ("23", "医疗保障事业管理中心"),
    ("25", "税务局第一税务分局"),
    ("30", "政务服务中心"),
]


class GeneratorError(Exception):
    """The generator cannot go on; the message says why and what to do."""


def department_plan() -> list[tuple[str, str]]:
    """(sector code, name after the county's name) of a county's implementing departments; slot = index + 1."""
    plan = [(code, SECTOR_08_DEPARTMENT if code == "08" else name) for code, name in DEPARTMENTS.items()]
    return plan + EXTRA_DEPARTMENTS


def department_name(county: Division, suffix: str, copy: int) -> str:
    return f"{county.name}{suffix}" + ("" if copy == 1 else f"（副本{copy}）")


@cache
def initials(name: str) -> str:
    return name_initials(name)


@dataclass
class Phase:
    name: str
    rows: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class Report:
    scale: int
    phases: list[Phase] = field(default_factory=list)
    counts: dict[str, str] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    @property
    def rows(self) -> int:
        return sum(p.rows for p in self.phases)

    @property
    def seconds(self) -> float:
        return sum(p.seconds for p in self.phases)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


class Generator:
    def __init__(
        self,
        *,
        scale: int = 1,
        batch_size: int = DEFAULT_BATCH_SIZE,
        reset: bool = False,
        verify: bool = True,
        with_standards: bool = True,
        log: Callable[[str], None] = print,
    ) -> None:
        if not 1 <= scale <= MAX_SCALE:
            raise GeneratorError(f"--scale must be between 1 and {MAX_SCALE}")
        self.scale = scale
        self.batch_size = batch_size
        self.reset = reset
        self.verify = verify
        self.with_standards = with_standards
        self.log = log
        self.report = Report(scale=scale)
        self.plan = department_plan()

    @contextmanager
    def phase(self, name: str) -> Iterator[Phase]:
        phase = Phase(name)
        self.log(f"[{name}] …")
        started = time.perf_counter()
        yield phase
        phase.seconds = time.perf_counter() - started
        self.report.phases.append(phase)
        note = f" · {phase.note}" if phase.note else ""
        self.log(f"[{name}] {phase.rows:,} rows in {phase.seconds:.2f} s{note}")

    def run(self) -> Report:
        if self.reset:
            with self.phase("reset") as p:
                p.note = f"emptied {', '.join(self.reset_tables())}"
        with self.phase("divisions") as p:
            loaded = divisions_load()
            if loaded.errors:
                raise GeneratorError("divisions: " + "; ".join(str(e) for e in loaded.errors[:5]))
            p.rows = loaded.created
            self.counties = list(Division.objects.filter(province_code=PROVINCE, level=COUNTY).order_by("code"))
            p.note = f"updated {loaded.updated}, unchanged {loaded.unchanged}; {len(self.counties)} counties in 440000"
            if len(self.counties) != EXPECTED_COUNTIES:
                self.log(f"warning: expected {EXPECTED_COUNTIES} county-level units, found {len(self.counties)}")
        with self.phase("sectors") as p:
            p.rows = self.setup()
        with self.phase("general-items") as p:
            p.rows, p.note = self.general_items()
        with self.phase("organizations") as p:
            p.rows = self.organizations()
            p.note = f"{len(self.plan)} departments × {self.scale} + 编办 + 司法局 per county"
        with self.phase("local-items") as p:
            p.rows, p.note = self.local_items()
        if self.with_standards:
            with self.phase("standards") as p:
                load = StandardsLoad(user=self.user, counties=self.counties, batch_size=self.batch_size, log=self.log)
                p.rows, p.note = load.run()
        with self.phase("vacuum-analyze"):
            self.vacuum_analyze()
        if self.verify:
            with self.phase("verify") as p:
                p.note = self.check()
        self.report.counts = self.counts()
        self.report.peak_rss_mb = peak_rss_mb()
        return self.report

    # --- reset ----------------------------------------------------------------------------------------------

    def reset_tables(self) -> list[str]:
        """Empty every catalogue table but the divisions, and every table that references them through a foreign
        key (what TRUNCATE … CASCADE empties anyway, named here so the output says so)."""
        catalogue = apps.get_app_config("catalogue")
        models = {m for m in catalogue.get_models(include_auto_created=True) if m is not Division}
        grown = True
        while grown:
            grown = False
            for model in apps.get_models(include_auto_created=True):
                if model in models or model is Division:
                    continue
                if any(
                    f.is_relation and f.related_model in models and getattr(f, "db_constraint", True)
                    for f in model._meta.concrete_fields
                ):
                    models.add(model)
                    grown = True
        existing = set(connection.introspection.table_names())
        tables = sorted(m._meta.db_table for m in models if m._meta.db_table in existing)
        # PostgreSQL: one TRUNCATE … RESTART IDENTITY CASCADE; SQLite: DELETE FROM each table and its sequence.
        statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
        connection.ops.execute_sql_flush(statements)
        return tables

    # --- reference data -------------------------------------------------------------------------------------

    def setup(self) -> int:
        self.user, created = User.objects.get_or_create(
            username=BENCH_USERNAME, defaults={"first_name": "基准数据生成器", "is_active": False}
        )
        if created:
            self.user.set_unusable_password()
            self.user.save(update_fields=["password"])
        self.refuse_foreign_data()
        missing = {code for code, _ in self.plan} - set(SECTORS)
        if missing:
            raise GeneratorError(f"departments name sectors missing from catalogue.demo.SECTORS: {sorted(missing)}")
        existing = set(Sector.objects.filter(province_id=PROVINCE).values_list("code", flat=True))
        new = [Sector(province_id=PROVINCE, code=c, name=n) for c, n in SECTORS.items() if c not in existing]
        Sector.objects.bulk_create(new)
        self.sectors = {s.code: s for s in Sector.objects.filter(province_id=PROVINCE)}
        return len(new) + int(created)

    def refuse_foreign_data(self) -> None:
        """The generator only adds to a database that holds nothing but its own catalogue rows in Guangdong."""
        foreign = {
            "general items of 440000": GeneralItem.objects.filter(province_id=PROVINCE),
            "organizations in Guangdong counties": Organization.objects.filter(
                division__province_code=PROVINCE, division__level=COUNTY
            ),
            "local items in Guangdong": LocalItem.objects.filter(division__province_code=PROVINCE),
            "standards of Guangdong items": ItemStandard.objects.filter(local_item__division__province_code=PROVINCE),
        }
        found = {what: n for what, qs in foreign.items() if (n := qs.exclude(created_by=self.user).count())}
        if found:
            listed = ", ".join(f"{n:,} {what}" for what, n in found.items())
            raise GeneratorError(
                f"the database already holds catalogue data the generator did not make ({listed}), e.g. the demo "
                "data. Run it against a database of its own (createdb spbz_bench), or pass --reset to empty the "
                "catalogue tables first."
            )

    # --- general catalogue ----------------------------------------------------------------------------------

    def general_items(self) -> tuple[int, str]:
        existing = GeneralItem.objects.filter(province_id=PROVINCE).count()
        if existing:
            return 0, f"catalogue exists ({existing:,} items), kept"
        entries = [e for e in real_catalogue_entries() if e.sector in self.sectors]
        province2 = PROVINCE[:2]
        last_main: dict[tuple[str, str], int] = defaultdict(int)
        for entry in entries:  # real codes first, so assigned numbers follow them
            if entry.code:
                parsed = parse_general_code(entry.code)
                if (parsed.province, parsed.item_type, parsed.sector) != (province2, entry.item_type, entry.sector):
                    raise GeneratorError(f"real code {entry.code} does not match {entry.name}")
                key = (entry.item_type, entry.sector)
                last_main[key] = max(last_main[key], parsed.main)
        mains = []
        for entry in entries:
            has_subs = bool(entry.subs)
            if entry.code:
                code, main_seq = entry.code, parse_general_code(entry.code).main
            else:
                key = (entry.item_type, entry.sector)
                last_main[key] += 1
                main_seq = last_main[key]
                code = str(GeneralCode(province2, entry.item_type, entry.sector, main_seq, None if has_subs else 0))
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

    # --- local items ----------------------------------------------------------------------------------------

    def local_items(self) -> tuple[int, str]:
        leaves = list(
            GeneralItem.objects.filter(province_id=PROVINCE)
            .claimable()
            .allowed_at(LEVEL_DIGIT)
            .order_by("code")
            .values_list("id", "code", "name", "item_type", "sector_id", named=True)
        )
        slots_by_sector: dict[int, list[int]] = defaultdict(list)
        for slot, (sector, _) in enumerate(self.plan, start=1):
            slots_by_sector[self.sectors[sector].pk].append(slot)
        taken: dict[int, int] = defaultdict(int)
        assigned = []  # (general item, department slot): a sector's items go round its departments
        for leaf in leaves:
            slots = slots_by_sector.get(leaf.sector_id)
            if slots:
                assigned.append((leaf, slots[taken[leaf.sector_id] % len(slots)]))
                taken[leaf.sector_id] += 1
        org_ids = dict(
            Organization.objects.filter(
                division__province_code=PROVINCE, division__level=COUNTY, kind=OrganizationKind.DEPARTMENT
            ).values_list("uscc", "id")
        )
        self.log(f"  {len(leaves):,} claimable general items at county level, {len(assigned):,} with a department")

        created = skipped = 0
        buffer: list[LocalItem] = []
        started = time.perf_counter()

        def flush() -> None:
            nonlocal created
            if buffer:
                LocalItem.objects.bulk_create(buffer, batch_size=self.batch_size)
                created += len(buffer)
                buffer.clear()

        for number, county in enumerate(self.counties, start=1):
            skip = SKIP_MIN + zlib.crc32(county.code.encode()) % SKIP_SPREAD
            chosen = [
                (leaf, slot)
                for leaf, slot in assigned
                if zlib.crc32(f"{county.code}:{leaf.code}".encode()) % 1000 >= skip
            ]
            prefix = make_uscc(division_code=county.code, serial=0)[:8]
            issued = set(IssuedCode.objects.filter(code__startswith=prefix).values_list("code", flat=True))
            issued.update(LocalItem.objects.filter(division=county).values_list("code", flat=True))
            for copy in range(1, self.scale + 1):
                usccs = {slot: self.uscc(county, copy, slot) for slot in range(1, len(self.plan) + 1)}
                for leaf, slot in chosen:
                    uscc = usccs[slot]
                    code = implementation_code(uscc=uscc, level=LEVEL_DIGIT, general_code=leaf.code)
                    if code in issued:
                        skipped += 1
                        continue
                    buffer.append(
                        LocalItem(
                            general_item_id=leaf.id,
                            division=county,
                            organization_id=org_ids[uscc],
                            code=code,
                            name=leaf.name,
                            name_initials=initials(leaf.name),
                            item_type=leaf.item_type,
                            level=LEVEL_DIGIT,
                            status=LocalItemStatus.ACTIVE,
                            effective_date=EFFECTIVE_DATE,
                            created_by=self.user,
                        )
                    )
                    if len(buffer) >= self.batch_size:
                        flush()
            if number % 20 == 0 or number == len(self.counties):
                flush()
                elapsed = time.perf_counter() - started
                self.log(f"  {number}/{len(self.counties)} counties · {created:,} created · {elapsed:.1f} s")
        flush()
        return created, f"{skipped:,} existed and were skipped"

    # --- afterwards -----------------------------------------------------------------------------------------

    def catalogue_tables(self) -> list[str]:
        """The tables the generator writes (and those beside them): catalogue, standards, workflow, reviews."""
        labels = ("catalogue", "standards", "workflow", "reviews")
        return sorted(
            m._meta.db_table
            for label in labels
            for m in apps.get_app_config(label).get_models(include_auto_created=True)
        )

    def vacuum_analyze(self) -> None:
        """Fresh statistics and visibility maps, so the benchmarks that follow see settled tables."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM (ANALYZE) " + ", ".join(map(connection.ops.quote_name, self.catalogue_tables())))
            else:
                cursor.execute("ANALYZE")

    def check(self) -> str:
        """Database-wide checks of every generated row, and full_clean() of a sample."""
        local = LocalItem.objects.filter(division__province_code=PROVINCE)
        general = GeneralItem.objects.filter(province_id=PROVINCE)
        # NOT EXISTS, not NOT IN: PostgreSQL runs NOT IN (subquery) as a hashed subplan only while the codes fit in
        # work_mem, and row by row (quadratic) beyond that, which at scale 4 takes many minutes.
        issued = Exists(IssuedCode.objects.filter(code=OuterRef("code")))
        expected_code = Concat("organization__uscc", "level", "general_item__code", output_field=CharField())
        problems = {
            "local code ≠ credit code + level + general code": local.annotate(expected=expected_code)
            .exclude(code=F("expected"))
            .count(),
            "local name or type ≠ its general item's": local.exclude(name=F("general_item__name")).count()
            + local.exclude(item_type=F("general_item__item_type")).count(),
            "local item of another division's body": local.exclude(organization__division=F("division")).count(),
            "local item of a body that is not a department": local.exclude(organization__kind="department").count(),
            "local item of a general item not allowed at level 4": local.exclude(
                general_item__levels__contains=LEVEL_DIGIT
            ).count(),
            "code missing from catalogue_issuedcode": local.exclude(issued).count() + general.exclude(issued).count(),
        }
        errors = [f"{n:,} × {what}" for what, n in problems.items() if n]
        errors += standards_check(self.user)
        for uscc in Organization.objects.filter(division__province_code=PROVINCE).values_list("uscc", flat=True):
            try:
                validate_uscc(uscc)
            except ValueError as exc:
                errors.append(f"{uscc}: {exc}")
        sampled = 0
        # full_clean() costs about ten queries a row: every 50th general item and, in every 4th county, its offices,
        # first department and first local item.
        samples: list = list(general.order_by("code"))[::50]
        for county in self.counties[::4]:
            first_of_kind = {}
            for org in Organization.objects.filter(division=county).order_by("name"):
                first_of_kind.setdefault(org.kind, org)
            samples += first_of_kind.values()
            samples += LocalItem.objects.filter(division=county).order_by("code")[:1]
        for row in samples:
            try:
                row.full_clean()
            except ValidationError as exc:
                errors.append(f"{row._meta.model_name} {row.pk}: {exc.messages}")
            sampled += 1
        mismatched = sum(1 for name, ini in local.values_list("name", "name_initials")[:2000] if initials(name) != ini)
        if mismatched:
            errors.append(f"{mismatched} local items with name_initials ≠ name_initials(name)")
        if errors:
            raise GeneratorError("verify failed: " + "; ".join(errors[:10]))
        return f"database-wide checks of items and standards passed, full_clean() of {sampled} sampled rows passed"

    def counts(self) -> dict[str, str]:
        local = LocalItem.objects.filter(division__province_code=PROVINCE)
        per_county = local.values("division").annotate(n=Count("id")).aggregate(lo=Min("n"), avg=Avg("n"), hi=Max("n"))
        orgs = dict(
            Organization.objects.filter(division__province_code=PROVINCE, division__level=COUNTY)
            .values_list("kind")
            .annotate(n=Count("id"))
        )
        general = GeneralItem.objects.filter(province_id=PROVINCE)
        counties = Division.objects.filter(province_code=PROVINCE, level=COUNTY).count()
        return {
            "county-level units (440000)": f"{counties:,}",
            "counties with local items": f"{local.values('division').distinct().count():,}",
            "departments": f"{orgs.get('department', 0):,}",
            "编办 / 司法局": f"{orgs.get('bianban', 0):,} / {orgs.get('justice', 0):,}",
            "general items (440000)": f"{general.count():,} "
            f"({general.claimable().allowed_at(LEVEL_DIGIT).count():,} claimable at county level)",
            "local items (440000)": f"{local.count():,}",
            "local items per county": f"min {per_county['lo'] or 0:,} · "
            f"mean {per_county['avg'] or 0:,.0f} · max {per_county['hi'] or 0:,}",
            "issued codes (all)": f"{IssuedCode.objects.count():,}",
            "history rows (local items)": f"{LocalItem.history.count():,}",
            "local items with a standard": f"{local.filter(standards__isnull=False).distinct().count():,}",
            "standard versions by state": " · ".join(f"{s} {n:,}" for s, n in state_counts(self.user).items()),
            "transitions / open review tasks": f"{StateTransition.objects.count():,} / "
            f"{ReviewTask.objects.open().count():,}",
        }


def add_arguments(parser) -> None:
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="1 = the province (~122,000 local items); N repeats the departments N times per county (default 1)",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="empty the catalogue tables (all but the divisions, and the tables referencing them) first",
    )
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help=f"rows per INSERT (default {DEFAULT_BATCH_SIZE})"
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the checks after generating")
    parser.add_argument(
        "--no-standards", action="store_true", help="only the catalogue: no standards, transitions or review tasks"
    )


def run(args, log: Callable[[str], None] = print) -> Report:
    generator = Generator(
        scale=args.scale,
        batch_size=args.batch_size,
        reset=args.reset,
        verify=not args.no_verify,
        with_standards=not getattr(args, "no_standards", False),
        log=log,
    )
    return generator.run()


def format_report(report: Report) -> str:
    width = max(len(p.name) for p in report.phases)
    lines = [f"generate · scale {report.scale}", f"  {'phase':<{width}}  {'rows':>9}  {'seconds':>8}"]
    lines += [f"  {p.name:<{width}}  {p.rows:>9,}  {p.seconds:>8.2f}" for p in report.phases]
    lines.append(f"  {'total':<{width}}  {report.rows:>9,}  {report.seconds:>8.2f}")
    lines.append("  (rows: rows inserted by the generator; catalogue_issuedcode gets one more per item via triggers)")
    lines += [f"  {k}: {v}" for k, v in report.counts.items()]
    lines.append(f"  peak RSS of this process: {report.peak_rss_mb:,.0f} MB")
    return "\n".join(lines)
