"""Every change to an inspection: plan, draw, patrol, score, finish, and the rectification's open → reply → close
(or return). Each service takes the acting user, asks ``cases.inspection.permissions`` again inside its
transaction, locks what it changes and keeps who did it and when; nothing is deleted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseStatus,
    InspectedCase,
    Inspection,
    InspectionMethod,
    InspectionPatrol,
    InspectionState,
    ScoreLine,
    Stratification,
)
from catalogue import access as catalogue_access
from catalogue.models import Division, Organization
from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError

from . import permissions
from .draw import Member, draw, new_seed
from .rules import PREFETCH, sheet_for

MAX_SAMPLE = 500


# --- plan -------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    title: str
    kind: str
    method: str
    division: Division
    period_from: dt.date
    period_to: dt.date
    stratify_by: str = Stratification.DEPARTMENT
    per_stratum: int | None = None
    sample_total: int | None = None
    organization: Organization | None = None
    chosen_numbers: tuple[str, ...] = ()
    note: str = ""


def _check_plan(plan: Plan) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not plan.title.strip():
        errors["title"] = _("请填写抽查名称。")
    if plan.period_from > plan.period_to:
        errors["period_to"] = _("结束日期不能早于开始日期。")
    if plan.method == InspectionMethod.RANDOM:
        if plan.stratify_by not in Stratification.values:
            errors["stratify_by"] = _("请选择分层方式。")
        if bool(plan.per_stratum) == bool(plan.sample_total):
            errors["per_stratum"] = _("请填写每层抽取件数或抽取总件数（二选一）。")
    if plan.method == InspectionMethod.FIXED:
        if plan.organization is None:
            errors["organization"] = _("定点检查须选择部门。")
        elif not catalogue_access.division_contains(plan.division, plan.organization.division):
            errors["organization"] = _("定点部门须在抽查区划内。")
        if plan.per_stratum and plan.sample_total:
            errors["per_stratum"] = _("每层抽取件数和抽取总件数只填一项；都不填则检查全部办件。")
    if plan.method == InspectionMethod.POINT and not plan.chosen_numbers:
        errors["chosen_numbers"] = _("抽点检查须填写办件编号。")
    if len(plan.chosen_numbers) > MAX_SAMPLE or max(plan.per_stratum or 0, plan.sample_total or 0) > MAX_SAMPLE:
        errors["sample_total"] = _("一次抽查最多 %(n)s 件。") % {"n": MAX_SAMPLE}
    return errors


@transaction.atomic
def inspection_plan(*, actor: User, plan: Plan) -> Inspection:
    """A new inspection, planned by a supervising office for a division it supervises."""
    if not permissions.can_plan_inspection_in(actor, plan.division):
        raise PermissionDenied(_("只能在本机构监督的区划内计划抽查。"))
    errors = _check_plan(plan)
    if errors:
        raise ValidationError(errors)
    random_like = plan.method != InspectionMethod.POINT
    return Inspection.objects.create(
        title=plan.title.strip(),
        kind=plan.kind,
        method=plan.method,
        division=plan.division,
        organization=plan.organization if plan.method == InspectionMethod.FIXED else None,
        period_from=plan.period_from,
        period_to=plan.period_to,
        stratify_by=plan.stratify_by if plan.method == InspectionMethod.RANDOM else "",
        per_stratum=plan.per_stratum if random_like else None,
        sample_total=plan.sample_total if random_like else None,
        chosen_numbers=list(plan.chosen_numbers) if plan.method == InspectionMethod.POINT else [],
        note=plan.note.strip(),
        planned_by=actor,
    )


# --- draw -------------------------------------------------------------------------------------------------------------


def population(inspection: Inspection):
    """The finished cases an inspection draws from: 办结 in its period, in its division (and department, 定点)."""
    cases = Case.objects.filter(
        catalogue_access.subtree_q([inspection.division], "division__"),
        status=CaseStatus.FINISHED,
        finished_on__gte=inspection.period_from,
        finished_on__lte=inspection.period_to,
    )
    if inspection.organization_id:
        cases = cases.filter(organization_id=inspection.organization_id)
    return cases


def members(inspection: Inspection) -> list[Member]:
    """The population as draw members, one query, in case-id order."""
    by_item = inspection.stratify_by == Stratification.ITEM
    rows = population(inspection).order_by("pk")
    if by_item:
        values = rows.values_list("pk", "local_item_id", "local_item__name")
    else:
        values = rows.values_list("pk", "organization_id", "organization__name")
    return [Member(pk, key, label) for pk, key, label in values]


def draw_of(inspection: Inspection, seed: int):
    """The draw the inspection's settings make with ``seed``: what ``inspection_draw`` stores, and what anyone
    re-running it from the shown seed gets."""
    return draw(members(inspection), seed=seed, per_stratum=inspection.per_stratum, total=inspection.sample_total)


@transaction.atomic
def inspection_draw(*, inspection: Inspection, actor: User, seed: int | None = None) -> Inspection:
    """Draw the sample and lay out each drawn case's score sheet, pre-filled from its record."""
    inspection = Inspection.objects.select_for_update().select_related("division").get(pk=inspection.pk)
    if not permissions.can_plan_inspection(actor, inspection):
        raise PermissionDenied(_("只有计划抽查的监督机构可以抽取样本。"))
    if inspection.state != InspectionState.PLANNED:
        raise TransitionNotAllowed(_("该抽查已抽取样本，不能重新抽取。"))
    if inspection.method == InspectionMethod.POINT:
        found = dict(population(inspection).filter(number__in=inspection.chosen_numbers).values_list("number", "pk"))
        missing = [n for n in inspection.chosen_numbers if n not in found]
        if missing:
            raise ValidationError(
                {"chosen_numbers": _("以下办件不在抽查范围内（须为抽查区划内、期间内办结的办件）：%(numbers)s")
                 % {"numbers": "、".join(missing[:10])}}
            )  # fmt: skip
        case_ids = list(dict.fromkeys(found[n] for n in inspection.chosen_numbers))
        strata, labels, seed = (
            [{"key": 0, "label": _("抽点"), "population": len(case_ids), "drawn": len(case_ids)}],
            {},
            None,
        )
    else:
        seed = seed or new_seed()
        result = draw_of(inspection, seed)
        case_ids, strata, labels = result.case_ids, result.strata, result.labels
    if not case_ids:
        raise ValidationError({"seed": _("抽查范围内没有办结的办件，无法抽取。")})
    cases = {
        c.pk: c for c in Case.objects.filter(pk__in=case_ids).select_related("standard").prefetch_related(*PREFETCH)
    }
    sampled = InspectedCase.objects.bulk_create(
        [
            InspectedCase(
                inspection=inspection,
                case_id=case_id,
                organization_id=cases[case_id].organization_id,
                position=index,
                stratum=labels.get(case_id, ""),
            )
            for index, case_id in enumerate(case_ids, start=1)
        ]
    )
    lines = []
    for row in sampled:
        for position, draft in enumerate(sheet_for(cases[row.case_id]), start=1):
            lines.append(
                ScoreLine(
                    sampled=row, position=position, source=draft.source, key=draft.key[:40], label=draft.label[:300],
                    criterion=draft.criterion, max_points=draft.max_points, suggested=draft.suggested,
                    rule=draft.rule, finding=draft.finding[:300],
                )
            )  # fmt: skip
    ScoreLine.objects.bulk_create(lines)
    inspection.seed, inspection.strata, inspection.drawn_case_ids = seed, strata, case_ids
    inspection.state, inspection.drawn_by, inspection.drawn_at = InspectionState.DRAWN, actor, timezone.now()
    inspection.save(update_fields=["seed", "strata", "drawn_case_ids", "state", "drawn_by", "drawn_at"])
    return inspection


# --- patrol, scoring, finishing ---------------------------------------------------------------------------------------


@transaction.atomic
def inspection_record_patrol(
    *, inspection: Inspection, actor: User, day: dt.date, place: str, inspectors: str, observations: str
) -> InspectionPatrol:
    """现场巡察: what was seen on site, kept with the inspection."""
    inspection = Inspection.objects.select_for_update().select_related("division").get(pk=inspection.pk)
    if not permissions.can_plan_inspection(actor, inspection):
        raise PermissionDenied(_("只有计划抽查的监督机构可以记录现场巡察。"))
    if inspection.state == InspectionState.FINISHED:
        raise TransitionNotAllowed(_("抽查已完成，不能再记录现场巡察。"))
    errors = {
        name: _("请填写此项。")
        for name, value in (("place", place), ("inspectors", inspectors), ("observations", observations))
        if not value.strip()
    }
    if errors:
        raise ValidationError(errors)
    return InspectionPatrol.objects.create(
        inspection=inspection, day=day, place=place.strip()[:200], inspectors=inspectors.strip()[:200],
        observations=observations.strip(), recorded_by=actor,
    )  # fmt: skip


@dataclass(frozen=True)
class LineScore:
    points: int | None
    evidence: str = ""
    comment: str = ""


def line_field(line: ScoreLine | int, name: str) -> str:
    """The form field of a line's value (``line-12-points``): where a refusal is shown."""
    pk = line if isinstance(line, int) else line.pk
    return f"line-{pk}-{name}"


def hundred(points: int, max_points: int) -> Decimal:
    if not max_points:
        return Decimal("0.0")
    return (Decimal(points) * 100 / Decimal(max_points)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def sampled_score(*, sampled: InspectedCase, actor: User, scores: dict[int, LineScore]) -> InspectedCase:
    """Confirm or override every line of a drawn case's sheet. Points go from 0 to the line's maximum; points other
    than the suggested ones need a comment saying why. Any refusal saves nothing."""
    sampled = InspectedCase.objects.select_for_update().select_related("inspection__division").get(pk=sampled.pk)
    if not permissions.can_score_inspection(actor, sampled.inspection):
        raise PermissionDenied(_("只有计划抽查的监督机构可以评分。"))
    if sampled.inspection.state != InspectionState.DRAWN:
        raise TransitionNotAllowed(_("抽查不在评分阶段，不能修改评分。"))
    lines = list(sampled.lines.order_by("position"))
    errors: dict[str, str] = {}
    for line in lines:
        given = scores.get(line.pk)
        if given is None or given.points is None:
            errors[line_field(line, "points")] = _("请填写得分。")
            continue
        if not 0 <= given.points <= line.max_points:
            errors[line_field(line, "points")] = _("得分须在 0 到 %(max)s 之间。") % {"max": line.max_points}
        elif given.points != line.suggested and not given.comment.strip():
            errors[line_field(line, "comment")] = _("得分与建议得分不同，请写明理由。")
    if errors:
        raise ValidationError(errors)
    for line in lines:
        given = scores[line.pk]
        line.points, line.evidence, line.comment = (
            given.points,
            given.evidence.strip()[:300],
            given.comment.strip()[:300],
        )
    ScoreLine.objects.bulk_update(lines, ["points", "evidence", "comment"])
    sampled.points = sum(line.points for line in lines)
    sampled.max_points = sum(line.max_points for line in lines)
    sampled.score = hundred(sampled.points, sampled.max_points)
    sampled.scored_by, sampled.scored_at = actor, timezone.now()
    sampled.save(update_fields=["points", "max_points", "score", "scored_by", "scored_at"])
    return sampled


@transaction.atomic
def inspection_finish(*, inspection: Inspection, actor: User) -> Inspection:
    """Close the scoring once every drawn case is scored; the report is final from then on."""
    inspection = Inspection.objects.select_for_update().select_related("division").get(pk=inspection.pk)
    if not permissions.can_plan_inspection(actor, inspection):
        raise PermissionDenied(_("只有计划抽查的监督机构可以完成抽查。"))
    if inspection.state != InspectionState.DRAWN:
        raise TransitionNotAllowed(_("只有评分中的抽查可以完成。"))
    if inspection.sampled.filter(scored_at__isnull=True).exists():
        raise ValidationError({"__all__": _("还有抽中的办件没有评分。")})
    inspection.state, inspection.finished_by, inspection.finished_at = InspectionState.FINISHED, actor, timezone.now()
    inspection.save(update_fields=["state", "finished_by", "finished_at"])
    return inspection


# The rectification's services live beside these (``rectifications``); callers import them from here too.
from .rectifications import (  # noqa: E402
    is_late,
    rectification_close,
    rectification_open,
    rectification_reply,
    rectification_return,
    tell_department,
)

__all__ = [
    "LineScore",
    "Plan",
    "draw_of",
    "hundred",
    "inspection_draw",
    "inspection_finish",
    "inspection_plan",
    "inspection_record_patrol",
    "is_late",
    "line_field",
    "members",
    "population",
    "rectification_close",
    "rectification_open",
    "rectification_reply",
    "rectification_return",
    "sampled_score",
    "tell_department",
]
