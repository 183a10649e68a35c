"""The generator's run, phase by phase, and its command line."""

from __future__ import annotations

import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.apps import apps
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection

from catalogue.codes import implementation_code, make_uscc
from catalogue.demo import SECTORS
from catalogue.models import (
    Division,
    GeneralItem,
    IssuedCode,
    LocalItem,
    LocalItemStatus,
    Organization,
    OrganizationKind,
    Sector,
)
from catalogue.services import divisions_load
from standards.models import ItemStandard

from ..standards_load import StandardsLoad
from .catalogue_rows import CatalogueRows
from .checks import LoadChecks
from .plan import (
    BENCH_USERNAME,
    COUNTY,
    DEFAULT_BATCH_SIZE,
    EFFECTIVE_DATE,
    EXPECTED_COUNTIES,
    LEVEL_DIGIT,
    MAX_SCALE,
    PROVINCE,
    SKIP_MIN,
    SKIP_SPREAD,
    GeneratorError,
    Phase,
    Report,
    department_plan,
    initials,
    peak_rss_mb,
)


class Generator(CatalogueRows, LoadChecks):
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
