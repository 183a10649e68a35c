"""The kinds of indicator a scorecard can weigh, and the figures they are measured from.

Two registries, so that one more indicator is one more function:

- a **source** (``@source("name")``) loads one kind of figures for every unit of an assessment at once, by a fixed
  number of aggregate queries whatever the number of units, reusing the selector that owns those figures
  (``reporting.rates``, ``reporting.case_figures``, ``reporting.evaluation_figures``, ``reporting.deadlines``,
  ``cases.inspection.selectors``), and
  returns them keyed by unit (``("county", code)`` or ``("department", organization id)``);
- an **indicator** (``@indicator(key, label, source=..., rules=...)``) turns one unit's figures from its source into
  a ``Measure``: the numerator, the denominator and the value (a rate in per cent, or a count of occurrences).

Only the sources some indicator of the scorecard needs are loaded. Rates are the owners' rates (``Figures``,
``CaseFigures``): this module only reads their numerators and denominators, and rounds as every rate shown is rounded
(``reporting.rates.percent``: down to 0.1 %).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.inspection.selectors import inspection_figures
from cases.models import Oversight
from catalogue.models import Division, DivisionLevel, LocalItem, Organization
from workflow.deadlines.models import WorkPlan

from .. import rates
from ..case_figures.figures import case_compute
from ..deadlines.selectors import UnitStatus, plan_progress
from ..evaluation_figures.figures import unit_rows
from ..models import RuleKind, ScopeKind, UnitKind

UnitKey = tuple[str, object]


@dataclass(frozen=True)
class Measure:
    """What an indicator measured for one unit: ``value`` is a per cent (rates) or a count (occurrences); None when
    there is nothing to measure (no denominator, or the indicator does not apply to the unit)."""

    numerator: int | None
    denominator: int | None
    value: float | None
    note: str = ""


NOT_APPLICABLE = Measure(None, None, None, str(_("不适用于该类单位，按满分计")))


@dataclass
class Context:
    """The assessment being computed: its scope, period, and units (loaded once)."""

    scope: Division
    year: int
    as_of: dt.date
    counties: list[Division]
    departments: list[Organization]
    county_of: dict[int, str] = field(default_factory=dict)  # organization id → its county's (or city's) code

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @cached_property  # asked once per row of every source
    def county_codes(self) -> set[str]:
        return {d.code for d in self.counties}

    def subtree(self) -> Q:
        return Q(**{f"{self.scope.level}_code": self.scope.code})


@dataclass(frozen=True)
class IndicatorKind:
    key: str
    label: object
    source: str
    measure: Callable[[object], Measure]
    rules: tuple[str, ...]
    unit: str  # "rate" (value in %), "count", or "score" (a mean on a 100-point scale)
    applies_to: tuple[str, ...] = (UnitKind.COUNTY, UnitKind.DEPARTMENT)
    definition: object = ""


SOURCES: dict[str, Callable[[Context], dict[UnitKey, object]]] = {}
REGISTRY: dict[str, IndicatorKind] = {}

LINEAR, DEDUCTION = (RuleKind.LINEAR,), (RuleKind.DEDUCTION,)


def source(name: str):
    def register(function):
        SOURCES[name] = function
        return function

    return register


def indicator(key: str, label, *, source: str, rules=LINEAR, unit: str = "rate", applies_to=None, definition=""):
    def register(function):
        REGISTRY[key] = IndicatorKind(
            key, label, source, function, rules, unit, applies_to or (UnitKind.COUNTY, UnitKind.DEPARTMENT), definition
        )
        return function

    return register


def choices() -> list[tuple[str, object]]:
    return [(spec.key, spec.label) for spec in REGISTRY.values()]


def rate(numerator: int, denominator: int) -> Measure:
    return Measure(numerator, denominator, rates.percent(rates.ratio(numerator, denominator)))


def count(occurrences: int) -> Measure:
    return Measure(occurrences, None, float(occurrences))


# --- sources ---------------------------------------------------------------------------------------------------------


def _scope_key(ctx: Context, kind: str, division_id: str, organization_id) -> UnitKey | None:
    """The unit of a row of the scope statements (``rates.scope_sql``, ``case_scope_sql``): a county, a city standing
    for a county (``rates``: cities without counties), or a department."""
    if kind == ScopeKind.DEPARTMENT:
        return (UnitKind.DEPARTMENT, organization_id)
    if kind in (ScopeKind.COUNTY, ScopeKind.CITY) and division_id in ctx.county_codes:
        return (UnitKind.COUNTY, division_id)
    return None


@source("rates")
def rate_figures(ctx: Context) -> dict[UnitKey, rates.Figures]:
    """The standards' figures (``reporting.rates.compute``) of the scope's units: one query."""
    items = LocalItem.objects.filter(**{f"division__{ctx.scope.level}_code": ctx.scope.code})
    divisions = Division.objects.filter(ctx.subtree())
    found = {}
    for scope, figures in rates.compute(items=items, divisions=divisions).items():
        key = _scope_key(ctx, scope.kind, scope.division_id, scope.organization_id)
        if key is not None:
            found[key] = figures
    return found


@source("cases")
def case_figures(ctx: Context) -> dict[UnitKey, object]:
    """The case figures (``reporting.case_figures.case_compute``) of the scope's units on the closing day: one
    query."""
    found = {}
    for scope, figures in case_compute(ctx.as_of, within=ctx.scope).items():
        key = _scope_key(ctx, scope.kind, scope.division_id, scope.organization_id)
        if key is not None:
            found[key] = figures
    return found


def _roll_up(ctx: Context, per_department: dict[int, dict]) -> dict[UnitKey, dict]:
    """Department counts and their sums per county (a few rows per department: no query)."""
    found: dict[UnitKey, dict] = {}
    for organization_id, counts in per_department.items():
        targets = [(UnitKind.DEPARTMENT, organization_id)]
        county = ctx.county_of.get(organization_id)
        if county in ctx.county_codes:
            targets.append((UnitKind.COUNTY, county))
        for key in targets:
            total = found.setdefault(key, defaultdict(int))
            for name, value in counts.items():
                total[name] += value or 0
    return found


@source("oversight")
def oversight_figures(ctx: Context) -> dict[UnitKey, dict]:
    """督办 whose reply was due in the year (up to the closing day) and those answered by their reply date, per
    department of the case: one grouped query."""
    rows = (
        Oversight.objects.filter(
            **{f"case__division__{ctx.scope.level}_code": ctx.scope.code},
            reply_due__gte=ctx.start,
            reply_due__lte=ctx.as_of,
        )
        .values("case__organization_id")
        .annotate(
            due=Count("pk"),
            answered_on_time=Count("pk", filter=Q(replied_at__isnull=False, replied_at__date__lte=F("reply_due"))),
        )
        .order_by()
    )
    return _roll_up(ctx, {row.pop("case__organization_id"): row for row in rows})


@source("evaluations")
def evaluation_figures(ctx: Context) -> dict[UnitKey, dict]:
    """The 好差评 counts of the year (``reporting.evaluation_figures.unit_rows`` per department, four queries),
    summed per county."""
    rows = unit_rows(ctx.scope, ctx.as_of, ctx.start, ctx.as_of, kind="department")
    keep = ("evaluations", "satisfied", "bad", "rectified_on_time")
    return _roll_up(
        ctx, {row.key: {k: row.figures.evaluation.get(k) for k in keep} for row in rows if row.key is not None}
    )


@source("milestones")
def milestone_figures(ctx: Context) -> dict[UnitKey, dict]:
    """The county-level milestones of the province's work plans due in the year up to the closing day, and how many
    each county met (``reporting.deadlines.plan_progress``: a bounded number of queries per plan). A milestone a
    county had nothing to do for is not counted."""
    found: dict[UnitKey, dict] = {(UnitKind.COUNTY, code): {"due": 0, "met": 0} for code in ctx.county_codes}
    within = Division.objects.filter(ctx.subtree())
    for plan in WorkPlan.objects.filter(province_id=ctx.scope.province_code):
        for progress in plan_progress(plan, within=within, today=ctx.as_of).milestones:
            m = progress.milestone
            if m.level != DivisionLevel.COUNTY or not ctx.start <= m.due_on <= ctx.as_of:
                continue
            for unit in progress.units:
                counts = found.get((UnitKind.COUNTY, unit.division.code))
                if counts is None or unit.status == UnitStatus.NO_ITEMS:
                    continue
                counts["due"] += 1
                counts["met"] += unit.status == UnitStatus.MET
    return found


@source("inspections")
def inspection_source(ctx: Context) -> dict[UnitKey, dict]:
    """The year's sampling inspections (``cases.inspection.selectors.inspection_figures``, three queries): per
    department the cases scored and the sum of their scores, the rectifications due and those closed on time; summed
    per county, so a county's mean weighs every inspected case alike."""
    per_department = {
        organization_id: {
            "inspected": f.inspected,
            "score_sum": f.score_sum,
            "rectifications_due": f.rectifications_due,
            "rectifications_on_time": f.rectifications_on_time,
        }
        for organization_id, f in inspection_figures(
            division_codes=[ctx.scope.code], date_from=ctx.start, date_to=ctx.as_of
        ).items()
    }
    return _roll_up(ctx, per_department)


# --- indicators ------------------------------------------------------------------------------------------------------


@indicator("submission_rate", _("标准录入提交率"), source="rates", definition=_("已提交事项 ÷ 在用事项"))
def submission_rate(f) -> Measure:
    f = f or rates.Figures()
    return rate(f.submitted, f.active)


@indicator("approval_rate", _("审查通过率"), source="rates", definition=_("审查通过事项 ÷ 已提交事项（或在用事项）"))
def approval_rate(f) -> Measure:
    f = f or rates.Figures(approval_base=rates.approval_base())
    base = f.active if f.approval_base == "active" else f.submitted
    return rate(f.passed, base)


@indicator("first_pass_rate", _("一次通过率"), source="rates", definition=_("未经退回即通过的事项 ÷ 审查通过事项"))
def first_pass_rate(f) -> Measure:
    f = f or rates.Figures()
    return rate(f.first_pass, f.passed)


@indicator(
    "milestones_met",
    _("工作节点按时完成率"),
    source="milestones",
    applies_to=(UnitKind.COUNTY,),
    definition=_("按时完成的县级工作节点 ÷ 年内到期的县级工作节点"),
)
def milestones_met(f) -> Measure:
    f = f or {}
    return rate(f.get("met", 0), f.get("due", 0))


@indicator("on_time_rate", _("按时办结率"), source="cases", definition=_("按时办结数 ÷ 办结数"))
def on_time_rate(f) -> Measure:
    return rate(f.on_time, f.finished) if f else rate(0, 0)


@indicator(
    "red_alerts", _("红色警告"), source="cases", rules=DEDUCTION, unit="count", definition=_("未解除的红色警告数")
)
def red_alerts(f) -> Measure:
    return count(f.red if f else 0)


@indicator(
    "oversight_on_time", _("督办按时答复率"), source="oversight", definition=_("按期答复的督办 ÷ 年内到期的督办")
)
def oversight_on_time(f) -> Measure:
    f = f or {}
    return rate(f.get("answered_on_time", 0), f.get("due", 0))


@indicator("satisfaction", _("好差评满意率"), source="evaluations", definition=_("满意及以上评价 ÷ 有效评价"))
def satisfaction(f) -> Measure:
    f = f or {}
    return rate(f.get("satisfied", 0), f.get("evaluations", 0))


@indicator(
    "rectification_on_time",
    _("差评整改按时率"),
    source="evaluations",
    definition=_("按时整改办结的差评 ÷ 差评"),
)
def rectification_on_time(f) -> Measure:
    f = f or {}
    return rate(f.get("rectified_on_time", 0), f.get("bad", 0))


@indicator(
    "inspection_score",
    _("抽查得分"),
    source="inspections",
    unit="score",
    definition=_("年内抽查案卷得分之和 ÷ 抽查案卷数（百分制）"),
)
def inspection_score(f) -> Measure:
    f = f or {}
    inspected = f.get("inspected", 0)
    if not inspected:
        return Measure(0, 0, None)
    total = Decimal(f.get("score_sum", 0))
    mean = (total / inspected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Measure(round(total), inspected, float(mean))


@indicator(
    "inspection_rectification_on_time",
    _("抽查整改按时率"),
    source="inspections",
    definition=_("按期整改完毕的抽查整改 ÷ 年内到期的抽查整改"),
)
def inspection_rectification_on_time(f) -> Measure:
    f = f or {}
    return rate(f.get("rectifications_on_time", 0), f.get("rectifications_due", 0))


# The indicators a new scorecard starts with (kind, weight, rule settings); the weights add up to 100.
DEFAULT_INDICATORS = (
    ("submission_rate", 10, {"floor": 60, "target": 100}),
    ("approval_rate", 10, {"floor": 60, "target": 100}),
    ("first_pass_rate", 10, {"floor": 50, "target": 95}),
    ("milestones_met", 10, {"floor": 0, "target": 100}),
    ("on_time_rate", 15, {"floor": 80, "target": 100}),
    ("red_alerts", 10, {"rule": RuleKind.DEDUCTION, "per_occurrence": 2, "cap": 10}),
    ("oversight_on_time", 10, {"floor": 50, "target": 100}),
    ("satisfaction", 10, {"floor": 90, "target": 100}),
    ("rectification_on_time", 5, {"floor": 50, "target": 100}),
    ("inspection_score", 5, {"floor": 60, "target": 95}),
    ("inspection_rectification_on_time", 5, {"floor": 50, "target": 100}),
)


def closing_day(year: int, today: dt.date | None = None) -> dt.date:
    """The last day counted: the year's end, or today while the year runs."""
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)
