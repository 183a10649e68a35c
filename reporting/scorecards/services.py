"""Every state change of a scorecard: saving its configuration, computing it, closing the year (freezing it).

Each takes the acting user, checks it may (``permissions``) — again, after the view did —, locks the scorecard, and
records what happened (``ScorecardChange``). A frozen scorecard refuses everything: its results were computed for
the last time when it was closed, and stay as they were whatever the data does afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue.models import Division, DivisionLevel, Organization, OrganizationKind

from .. import rates
from ..models import Indicator, Scorecard, ScorecardChange, ScorecardStatus, ScoreResult, UnitKind
from ..models.scorecards import FROZEN_MESSAGE
from . import indicators as registry
from .permissions import can_manage_scorecard_of
from .rules import Rule, indicator_set_errors, rule_errors

Progress = Callable[[int, str], None]
INDICATOR_FIELDS = ("kind", "weight", "rule", "floor", "target", "per_occurrence", "cap")


def _silent(percent: int, message: str) -> None:
    pass


def _config(indicators) -> list[dict]:
    def plain(value):
        return str(value) if isinstance(value, Decimal) else value

    return [{name: plain(getattr(i, name)) for name in INDICATOR_FIELDS} for i in indicators]


def _record(scorecard: Scorecard, action: str, actor: User | None, config=None) -> ScorecardChange:
    if config is None:
        config = _config(scorecard.indicators.all())
    return ScorecardChange.objects.create(
        scorecard=scorecard, version=scorecard.version, action=action, actor=actor, config=config
    )


def _check_indicators(rows: list[dict]) -> None:
    errors = []
    for row in rows:
        errors.extend(rule_errors(**{name: row.get(name) for name in INDICATOR_FIELDS}).values())
    errors.extend(indicator_set_errors(rows))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scorecard_save(
    *,
    actor: User,
    indicators: list[dict],
    scorecard: Scorecard | None = None,
    year: int | None = None,
    division: Division | None = None,
    title: str = "",
) -> Scorecard:
    """Create a scorecard, or replace a draft's (or computed one's) indicators: a new configuration version, logged
    with the actor and the configuration. Results computed under the old configuration are dropped (the scorecard is
    a draft again). A frozen scorecard refuses."""
    if scorecard is None:
        if not can_manage_scorecard_of(actor, division):
            raise PermissionDenied(_("您无权为该单位设置考核"))
        _check_indicators(indicators)
        if Scorecard.objects.filter(year=year, division=division).exists():
            raise ValidationError({"year": _("该单位该年度的考核已经存在")})
        scorecard = Scorecard.objects.create(
            year=year, division=division, title=title.strip(), created_by=actor, status=ScorecardStatus.DRAFT
        )
        action = gettext_noop("创建")
    else:
        scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
        if not can_manage_scorecard_of(actor, scorecard.division):
            raise PermissionDenied(_("您无权修改该考核"))
        if scorecard.is_frozen:
            raise ValidationError(FROZEN_MESSAGE)
        _check_indicators(indicators)
        scorecard.indicators.all().delete()
        scorecard.results.all().delete()
        scorecard.title = title.strip() or scorecard.title
        scorecard.version += 1
        scorecard.status = ScorecardStatus.DRAFT
        scorecard.computed_at = scorecard.computed_by = None
        scorecard.save()
        action = gettext_noop("修改指标")
    Indicator.objects.bulk_create(
        Indicator(scorecard=scorecard, position=n, **{k: row.get(k) for k in INDICATOR_FIELDS})
        for n, row in enumerate(indicators)
    )
    _record(
        scorecard, action, actor, _config(Indicator(**{k: row.get(k) for k in INDICATOR_FIELDS}) for row in indicators)
    )
    return scorecard


def default_indicators() -> list[dict]:
    rows = []
    for kind, weight, settings in registry.DEFAULT_INDICATORS:
        row = dict.fromkeys(INDICATOR_FIELDS)
        row.update(kind=kind, weight=Decimal(weight), rule=settings.get("rule", "linear"))
        for name in ("floor", "target", "per_occurrence", "cap"):
            if name in settings:
                row[name] = Decimal(settings[name])
        rows.append(row)
    return rows


# --- computing -------------------------------------------------------------------------------------------------------


def _context(scorecard: Scorecard, as_of: dt.date) -> registry.Context:
    """The scope's units in two queries: its counties (``rates.units``) and its organizations (the departments are
    ranked; every organization's figures count for its county)."""
    scope = scorecard.division
    within = Division.objects.filter(**{f"{scope.level}_code": scope.code})
    counties = rates.units(scope.province_code, {DivisionLevel.COUNTY}, within)[DivisionLevel.COUNTY]
    organizations = list(
        Organization.objects.filter(**{f"division__{scope.level}_code": scope.code}, is_active=True)
        .select_related("division")
        .order_by("division_id", "name")
    )
    # Every organization's county, so a service centre's evaluations count for its county (not ranked itself).
    county_of = {
        o.pk: o.division.county_code or o.division.city_code or o.division.province_code for o in organizations
    }
    departments = [o for o in organizations if o.kind == OrganizationKind.DEPARTMENT]
    return registry.Context(scope, scorecard.year, as_of, counties, departments, county_of)


def _rank(results: list[ScoreResult], field: str) -> None:
    """Competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(results, key=lambda r: (-r.total, r.name))
    for index, result in enumerate(ordered):
        same = index and ordered[index - 1].total == result.total
        setattr(result, field, getattr(ordered[index - 1], field) if same else index + 1)


def score_lines(indicators: list[Indicator], figures: dict[str, dict], kind: str, key) -> tuple[Decimal, list[dict]]:
    """The lines of one unit and its total: per indicator the measured figures, the rule and the score."""
    total, lines = Decimal(0), []
    for indicator in indicators:
        spec = registry.REGISTRY[indicator.kind]
        rule = Rule.of(indicator)
        if kind not in spec.applies_to:
            measure = registry.NOT_APPLICABLE
        else:
            measure = spec.measure(figures[spec.source].get((kind, key)))
        if spec.unit == "count":
            score = rule.score(measure.value, None if measure.value is None else int(measure.value))
        else:
            score = rule.score(measure.value)
        note = measure.note
        if not note and measure.value is None:
            note = _("无考核数据（分母为 0），按满分计")
        total += score
        lines.append(
            {
                "kind": indicator.kind,
                "label": str(spec.label),
                "definition": str(spec.definition),
                "unit": spec.unit,
                "weight": str(rule.weight),
                "rule": rule.describe(),
                "numerator": measure.numerator,
                "denominator": measure.denominator,
                "value": measure.value,
                "score": str(score),
                "note": note,
            }
        )
    return total, lines


def scorecard_compute(
    *, scorecard_id: int, actor: User | None = None, progress: Progress = _silent, today: dt.date | None = None
) -> Scorecard:
    """Compute every unit's score, replacing the previous results; refused once frozen. The number of queries does
    not depend on the number of units: the units (three), each needed source once, the write (a few)."""
    with transaction.atomic():
        scorecard = Scorecard.objects.select_for_update(of=("self",)).select_related("division").get(pk=scorecard_id)
        if actor is not None and not can_manage_scorecard_of(actor, scorecard.division):
            raise PermissionDenied(_("您无权计算该考核"))
        if scorecard.is_frozen:
            raise ValidationError(_("考核已关账，结果不再重新计算"))
        indicators = list(scorecard.indicators.all())
        if not indicators:
            raise ValidationError(_("考核尚未设置指标"))
        as_of = registry.closing_day(scorecard.year, today)
        progress(5, gettext_noop("正在确定考核单位"))
        ctx = _context(scorecard, as_of)
        needed = sorted({registry.REGISTRY[i.kind].source for i in indicators})
        figures = {}
        for n, name in enumerate(needed):
            progress(10 + 70 * n // len(needed), gettext_noop("正在统计考核数据"))
            figures[name] = registry.SOURCES[name](ctx)
        progress(85, gettext_noop("正在计分和排名"))
        names = dict(
            Division.objects.filter(code__in=set(ctx.county_of.values()) | ctx.county_codes).values_list("code", "name")
        )
        results = []
        for county in ctx.counties:
            total, lines = score_lines(indicators, figures, UnitKind.COUNTY, county.code)
            results.append(
                ScoreResult(
                    scorecard=scorecard, kind=UnitKind.COUNTY, division=county, county_code=county.code,
                    county_name=county.name, name=county.name, total=total, lines=lines, rank=0,
                )
            )  # fmt: skip
        departments = []
        for organization in ctx.departments:
            total, lines = score_lines(indicators, figures, UnitKind.DEPARTMENT, organization.pk)
            county = ctx.county_of[organization.pk]
            departments.append(
                ScoreResult(
                    scorecard=scorecard, kind=UnitKind.DEPARTMENT, division=organization.division,
                    organization=organization, county_code=county, county_name=names.get(county, county),
                    name=organization.name, total=total, lines=lines, rank=0,
                )
            )  # fmt: skip
        _rank(results, "rank")
        _rank(departments, "rank")
        by_county: dict[str, list[ScoreResult]] = {}
        for result in departments:
            by_county.setdefault(result.county_code, []).append(result)
        for group in by_county.values():
            _rank(group, "rank_in_county")
        scorecard.results.all().delete()
        ScoreResult.objects.bulk_create([*results, *departments], batch_size=500)
        scorecard.status = ScorecardStatus.COMPUTED
        scorecard.as_of, scorecard.computed_at, scorecard.computed_by = as_of, timezone.now(), actor
        scorecard.save()
        _record(scorecard, gettext_noop("计算"), actor, [])
    progress(100, gettext_noop("考核已计算"))
    return scorecard


@transaction.atomic
def scorecard_freeze(*, actor: User, scorecard: Scorecard) -> Scorecard:
    """Close the year: the computed results become final, and the scorecard is never computed or edited again."""
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if not can_manage_scorecard_of(actor, scorecard.division):
        raise PermissionDenied(_("您无权关账该考核"))
    if scorecard.is_frozen:
        return scorecard
    if scorecard.status != ScorecardStatus.COMPUTED:
        raise ValidationError(_("考核尚未计算，不能关账"))
    _record(scorecard, gettext_noop("关账"), actor, None)
    scorecard.status, scorecard.frozen_at, scorecard.frozen_by = ScorecardStatus.FROZEN, timezone.now(), actor
    # ``Scorecard.save`` refuses to change a frozen row: this is the last write, made while it is not yet frozen.
    Scorecard.objects.filter(pk=scorecard.pk).update(
        status=scorecard.status, frozen_at=scorecard.frozen_at, frozen_by=actor
    )
    return scorecard
