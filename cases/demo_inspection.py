"""Demo sampling inspection (抽查): in the main demo county (清城区) the service centre's supervisor draws a sample of
the finished cases, scores each as its record suggests, opens a rectification for the weakest case, and finishes the
inspection; the rectification stays open, waiting for the department. Idempotent: skipped once an inspection exists."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Division, Role

from .inspection.services import (
    LineScore,
    Plan,
    inspection_draw,
    inspection_finish,
    inspection_plan,
    rectification_open,
    sampled_score,
)
from .models import Case, CaseStatus, Inspection, InspectionKind, InspectionMethod, Stratification

DEMO_COUNTY = "441802"
DEMO_SEED = 20260601


def seed_demo(log=print) -> None:
    if Inspection.objects.exists():
        log(_("抽查：已存在 %(count)s 次，跳过") % {"count": Inspection.objects.count()})
        return
    county = Division.objects.filter(code=DEMO_COUNTY).first()
    inspector = User.objects.filter(
        memberships__organization__division=county, memberships__role=Role.CENTER_SUPERVISOR
    ).first()
    finished = Case.objects.filter(division=county, status=CaseStatus.FINISHED)
    span = finished.aggregate(first=Min("finished_on"), last=Max("finished_on"))
    if county is None or inspector is None or span["first"] is None:
        log(_("抽查：没有可抽查的办结办件，跳过"))
        return
    today = timezone.localdate()
    plan = Plan(
        title=_("%(year)s年第%(quarter)s季度办件质量抽查")
        % {"year": today.year, "quarter": (today.month - 1) // 3 + 1},
        kind=InspectionKind.PERIODIC,
        method=InspectionMethod.RANDOM,
        division=county,
        period_from=span["first"] - dt.timedelta(days=1),
        period_to=max(span["last"], today),
        stratify_by=Stratification.DEPARTMENT,
        per_stratum=3,
        note=_("按季度对办结办件随机抽样，逐件对照业务手册和案卷评查标准评分。"),
    )
    inspection = inspection_plan(actor=inspector, plan=plan)
    inspection = inspection_draw(inspection=inspection, actor=inspector, seed=DEMO_SEED)
    weakest = None
    for sampled in inspection.sampled.all():
        lines = list(sampled.lines.all())
        scores = {line.pk: LineScore(line.suggested, _("案卷及办理记录") if line.rule else "", "") for line in lines}
        sampled = sampled_score(sampled=sampled, actor=inspector, scores=scores)
        if weakest is None or sampled.score < weakest.score:
            weakest = sampled
    if weakest is not None:
        rectification_open(
            sampled=weakest,
            actor=inspector,
            finding=_("案卷评查发现时限、告知文书或审查意见不规范，请对照业务手册逐项整改并报送佐证材料。"),
            workdays=10,
        )
    inspection_finish(inspection=inspection, actor=inspector)
    log(
        _("抽查：%(title)s，抽取 %(n)s 件，整改 %(r)s 件")
        % {"title": inspection.title, "n": inspection.sampled.count(), "r": inspection.rectifications.count()}
    )
