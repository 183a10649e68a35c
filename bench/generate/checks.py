"""After the load: statistics refreshed, and checks that what was generated is what the benchmarks expect."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Avg, CharField, Count, Exists, F, Max, Min, OuterRef
from django.db.models.functions import Concat

from catalogue.codes import validate_uscc
from catalogue.models import (
    Division,
    GeneralItem,
    IssuedCode,
    LocalItem,
    Organization,
)
from reviews.models import ReviewTask
from workflow.models import StateTransition

from ..standards_load import check as standards_check
from ..standards_load import state_counts
from .plan import (
    COUNTY,
    LEVEL_DIGIT,
    PROVINCE,
    GeneratorError,
    initials,
)


class LoadChecks:
    """The checks and counts after a run; a part of ``Generator``, whose state it uses."""

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
