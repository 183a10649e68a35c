"""The supervisor's page 办件与电子监察: figures of a unit, its children one level down and a department's items, with a
chart and a ranking by 按时办结率 (thin: ``selectors`` and ``cases.permissions``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import permissions
from catalogue import access as catalogue_access
from catalogue.models import Division, DivisionLevel, Organization
from core.pages import page_rule

from ..rates import percent
from ..selectors import breadcrumbs
from .selectors import CaseBoard, case_board

LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)
CASE_FIGURES_REFUSAL = gettext_lazy("办件与电子监察统计仅供编办、审查机关、督导人员和政务服务中心电子监察员使用")


def _division(request: HttpRequest, code: str | None) -> Division:
    """The division asked for, if the user may see its case figures; by default the user's own (a township's staff:
    their county's), or else the first they may see."""
    if code is None:
        home = catalogue_access.home_division(request.user)
        if home is not None and home.level == DivisionLevel.TOWNSHIP:
            home = Division.objects.filter(code=home.county_code or home.city_code).first()
        if home is not None and home.level in LEVELS and permissions.can_see_case_figures_of(request.user, home):
            return home
        division = permissions.case_figure_divisions(request.user).filter(level__in=LEVELS).order_by("code").first()
        if division is None:
            raise Http404(_("您的账号未关联任何区划"))
        return division
    division = Division.objects.filter(code=code, level__in=LEVELS).first()
    if division is None or not permissions.can_see_case_figures_of(request.user, division):
        raise Http404(_("区划不存在或不在您的权限范围内"))
    return division


def _chart(board: CaseBoard) -> dict:
    return {
        "units": [r.name for r in board.rows],
        "on_time": [percent(r.figures.on_time_rate) for r in board.rows],
        "early": [percent(r.figures.early_rate) for r in board.rows],
        "trend": {
            "dates": [s.date.isoformat() for s in board.trend],
            "red": [s.red for s in board.trend],
            "yellow": [s.yellow for s in board.trend],
            "open_overdue": [s.open_overdue for s in board.trend],
        },
        "labels": {
            "on_time": _("按时办结率"),
            "early": _("提前办结率"),
            "red": _("红色警告"),
            "yellow": _("黄色预警"),
            "open_overdue": _("超期在办"),
        },
    }


def _page(request: HttpRequest, division: Division, organization: Organization | None) -> HttpResponse:
    board = case_board(division, organization)
    return render(
        request,
        "reporting/case_figures.html",
        {
            "division": division,
            "organization": organization,
            "board": board,
            "crumbs": breadcrumbs(request.user, division),
            "chart": _chart(board),
        },
    )


@page_rule(permissions.can_view_case_figures, CASE_FIGURES_REFUSAL)
def case_figures(request: HttpRequest, code: str | None = None) -> HttpResponse:
    return _page(request, _division(request, code), None)


@page_rule(permissions.can_view_case_figures, CASE_FIGURES_REFUSAL)
def case_figures_department(request: HttpRequest, organization_id: int) -> HttpResponse:
    """A department's items, for whoever sees the case figures of the division it sits in."""
    organization = Organization.objects.select_related("division").filter(pk=organization_id).first()
    if organization is None or not permissions.can_see_case_figures_of(request.user, organization.division):
        raise Http404(_("部门不存在或不在您的权限范围内"))
    return _page(request, organization.division, organization)
