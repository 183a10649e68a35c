"""Demo reporting data: the rates as of today, five weekly snapshots before it so the dashboard's trend line and
forecasts have points, one progress report of 清远市 sent to the provincial office last month, and 清远市's
scorecards (``reporting.scorecards.demo``).

The earlier snapshots are today's figures scaled back week by week (the demo catalogue was loaded today, so it has no
real history); they are marked by their dates only. Running the seed again replaces today's snapshot and adds
nothing else.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Division

from . import rates
from .case_figures.services import case_snapshots_store
from .compendium.services import compendium_build, compendium_create
from .models import Compendium, CompendiumKind, ProgressReport, RateSnapshot, ReportStatus
from .scorecards.demo import seed_scorecards
from .services import _insert_snapshots, progress_report_build, progress_report_create, progress_report_send

WEEKS_BACK = 5
# Share of today's progress each earlier week had reached (oldest first).
PROGRESS_SHARE = (0.35, 0.5, 0.62, 0.75, 0.88)
REPORT_UNIT = "441800"
REPORTER = "supervisor"
COMPENDIUM_COUNTY = "441802"


def _scaled(figures: rates.Figures, share: float) -> rates.Figures:
    """Earlier figures: the same items, fewer of them entered, submitted and passed."""

    def part(n: int) -> int:
        return int(n * share)

    passed = part(figures.passed)
    published = min(part(figures.published), passed)
    return rates.Figures(
        active=figures.active,
        entered=max(part(figures.entered), part(figures.submitted)),
        submitted=part(figures.submitted),
        dept_confirm=part(figures.dept_confirm),
        compliance_review=part(figures.compliance_review),
        legality_review=part(figures.legality_review),
        returned=part(figures.returned),
        approved=passed - published,
        published=published,
        passed=passed,
        first_pass=min(part(figures.first_pass), passed),
        overdue=part(figures.overdue),
        approval_base=figures.approval_base,
    )


def seed_demo(log=print) -> None:
    today = timezone.localdate()
    now = timezone.now()
    figures = rates.compute(now=now)
    with transaction.atomic():
        RateSnapshot.objects.filter(date=today).delete()
        _insert_snapshots(today, now, figures)
        added = 0
        for weeks, share in zip(range(WEEKS_BACK, 0, -1), PROGRESS_SHARE, strict=True):
            day = today - dt.timedelta(weeks=weeks)
            if RateSnapshot.objects.filter(date=day).exists():
                continue
            _insert_snapshots(day, now, {scope: _scaled(f, share) for scope, f in figures.items()})
            added += 1
        # The demo's cases (loaded just before) counted into the day's case snapshots, as the nightly run does.
        case_snapshots_store(date=today, computed_at=now)
    log(_("统计快照：今日 %(scopes)d 个统计范围，补充往期 %(added)d 期") % {"scopes": len(figures), "added": added})
    seed_scorecards(log)

    seed_compendium(log)

    unit = Division.objects.filter(code=REPORT_UNIT).first()
    reporter = User.objects.filter(username=REPORTER).first()
    if unit is None or reporter is None:
        log(_("进度报表：缺少清远市或督导用户，跳过"))
        return
    if ProgressReport.objects.filter(division=unit, status=ReportStatus.SENT).exists():
        log(_("进度报表：清远市已有已报送报表，跳过"))
        return
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - dt.timedelta(days=1)
    report = progress_report_create(
        actor=reporter,
        division=unit,
        period_start=last_month_end.replace(day=1),
        period_end=last_month_end,
        contact="清远市编办审改科 0763-3362100",
    )
    report = progress_report_send(actor=reporter, report=progress_report_build(report_id=report.pk))
    log(_("进度报表：清远市 %(month)s 月报已生成并报送") % {"month": f"{report.period_start:%Y-%m}"})


def seed_compendium(log=print) -> None:
    """One compendium of the demo county's published standards, built and ready to download. Nothing is added when
    the county already has one."""
    county = Division.objects.filter(code=COMPENDIUM_COUNTY).first()
    compiler = User.objects.filter(username=REPORTER).first()
    if county is None or compiler is None:
        log(_("标准汇编：缺少清城区或督导用户，跳过"))
        return
    if Compendium.objects.filter(division=county, kind=CompendiumKind.DIVISION).exists():
        log(_("标准汇编：清城区已有汇编，跳过"))
        return
    try:
        compendium = compendium_create(actor=compiler, kind=CompendiumKind.DIVISION, division=county)
    except ValidationError:
        log(_("标准汇编：清城区没有已发布的标准，跳过"))
        return
    compendium_build(compendium_id=compendium.pk)  # seeding runs offline: even a large one is built here
    log(_("标准汇编：清城区 %(n)s 个事项") % {"n": compendium.item_count})
