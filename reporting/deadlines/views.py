"""The work-progress page: a work plan's milestones and the units behind them (domain decision 7)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from catalogue import access
from core.pages import page_rule
from standards import permissions

from . import selectors


@dataclass(frozen=True)
class MilestoneSection:
    progress: selectors.MilestoneProgress
    rows: list[selectors.UnitProgress]


@page_rule(permissions.can_open_work_progress)
def milestones(request: HttpRequest) -> HttpResponse:
    """The plan with its milestones; for each, the units still short of it (``?all=1``: every unit). Supervisors and
    reviewers see the units of their own subtree; administrators every unit."""
    plans = list(selectors.plans_for(request.user))
    plan = plans[0] if plans else None
    wanted = request.GET.get("plan")
    if wanted:
        plan = next((p for p in plans if str(p.pk) == wanted), None)
        if plan is None:
            raise Http404(_("工作计划不存在或不在您的权限范围内"))
    show_all = request.GET.get("all") == "1"
    progress = None
    sections: list[MilestoneSection] = []
    if plan is not None:
        progress = selectors.plan_progress(plan, within=selectors.scope_divisions(request.user))
        sections = [MilestoneSection(m, list(m.units) if show_all else m.unmet) for m in progress.milestones]
    scope = access.scope_of(request.user)
    return render(
        request,
        "workflow/milestones.html",
        {
            "plans": plans,
            "plan": plan,
            "progress": progress,
            "sections": sections,
            "show_all": show_all,
            "home_division": None if scope.is_admin else access.home_division(request.user),
            "can_manage": permissions.can_manage_work_plans(request.user),
        },
    )
