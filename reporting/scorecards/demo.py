"""Demo scorecards of 清远市: 2026 with the default indicators, computed and ranked (not frozen), and 2025 computed
on its last day and frozen. Running the seed again leaves existing scorecards as they are."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from catalogue.models import Division

from ..models import Scorecard
from . import services

UNIT = "441800"
RUNNER = "supervisor"


def seed_scorecards(log=print) -> None:
    unit = Division.objects.filter(code=UNIT).first()
    runner = User.objects.filter(username=RUNNER).first()
    if unit is None or runner is None:
        log(_("考核：缺少清远市或督导用户，跳过"))
        return
    for year, freeze in ((2025, True), (2026, False)):
        if Scorecard.objects.filter(year=year, division=unit).exists():
            continue
        scorecard = services.scorecard_save(
            actor=runner,
            indicators=services.default_indicators(),
            year=year,
            division=unit,
            title=_("%(name)s%(year)s年度审批标准化工作考核") % {"name": unit.name, "year": year},
        )
        scorecard = services.scorecard_compute(
            scorecard_id=scorecard.pk, actor=runner, today=dt.date(year, 12, 31) if freeze else None
        )
        if freeze:
            services.scorecard_freeze(actor=runner, scorecard=scorecard)
        log(
            _("考核：%(name)s %(year)s 年度，%(count)d 个单位%(state)s")
            % {
                "name": unit.name,
                "year": year,
                "count": scorecard.results.count(),
                "state": _("，已关账") if freeze else "",
            }
        )
