"""The supervisor's page 好差评与大厅: a unit's evaluation, hall and consultation figures with its children one level
down (province → city → county → department → window/staff/item), charts, and the national exchange download of the
unit's evaluations. Visible exactly to the roles that see the case figures (``cases.permissions``), through the same
division rule (``reporting.case_figures.views``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import permissions
from catalogue.models import Division, Organization
from core.downloads import attachment
from core.pages import page_rule

from ..case_figures.views import _division as figure_division
from ..rates import percent
from ..selectors import breadcrumbs
from .export import EXPORT_FORMATS, export_csv, export_filename, export_xlsx_response, exported_evaluations
from .figures import EvaluationBoard, evaluation_board

EVALUATION_FIGURES_REFUSAL = gettext_lazy("好差评统计仅供编办、审查机关、督导人员和政务服务中心电子监察员使用")
PERIOD_ORDER = gettext_lazy("开始日期不能晚于结束日期")
PERIOD_TOO_LONG = gettext_lazy("统计期最长为一年（366 天）")


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("开始日期"), required=False)
    end = forms.DateField(label=gettext_lazy("结束日期"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", PERIOD_ORDER)
        elif start and end and (end - start).days > 366:
            self.add_error("start", PERIOD_TOO_LONG)
        return data


def period(request: HttpRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    """The period asked for; by default (or when the input is wrong, with the message at the field) the current
    year up to today."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = today.replace(month=1, day=1), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        if start > end:
            start = end.replace(month=1, day=1)
    return form, start, end


def _chart(board: EvaluationBoard) -> dict:
    rows = board.rows
    return {
        "units": [r.name for r in rows],
        "series": [
            {"name": _("差评超期未整改"), "data": [r.figures.evaluation["overdue"] for r in rows]},
            {"name": _("整改中"), "data": [r.figures.evaluation["rectifying"] for r in rows]},
            {"name": _("差评数"), "data": [r.figures.evaluation["bad"] for r in rows]},
        ],
        "rates": [
            {"name": _("按时整改率"), "data": [percent(r.figures.evaluation["on_time_rate"]) for r in rows]},
            {"name": _("咨询按时答复率"), "data": [percent(r.figures.consultation_on_time_rate) for r in rows]},
        ],
    }


def _page(request: HttpRequest, division: Division, organization: Organization | None) -> HttpResponse:
    form, start, end = period(request)
    board = evaluation_board(division, organization, today=timezone.localdate(), start=start, end=end)
    return render(
        request,
        "reporting/evaluation_figures.html",
        {
            "division": division,
            "organization": organization,
            "board": board,
            "form": form,
            "crumbs": breadcrumbs(request.user, division),
            "chart": _chart(board),
            "query": request.GET.urlencode(),
        },
    )


@page_rule(permissions.can_view_case_figures, EVALUATION_FIGURES_REFUSAL)
def evaluation_figures(request: HttpRequest, code: str | None = None) -> HttpResponse:
    return _page(request, figure_division(request, code), None)


def _department(request: HttpRequest, organization_id: int) -> Organization:
    organization = Organization.objects.select_related("division").filter(pk=organization_id).first()
    if organization is None or not permissions.can_see_case_figures_of(request.user, organization.division):
        raise Http404(_("部门不存在或不在您的权限范围内"))
    return organization


@page_rule(permissions.can_view_case_figures, EVALUATION_FIGURES_REFUSAL)
def evaluation_figures_department(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = _department(request, organization_id)
    return _page(request, organization.division, organization)


@page_rule(permissions.can_view_case_figures, EVALUATION_FIGURES_REFUSAL)
def evaluation_export(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's evaluations in the national exchange shape, streamed: ``?format=csv`` (default) or ``xlsx``, for
    the period of the page. A division outside the user's figures is 404, like the page."""
    division = figure_division(request, code)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404(_("不支持的导出格式"))
    _form, start, end = period(request)
    rows = exported_evaluations(division, start, end)
    name = export_filename(division, start, end, fmt)
    if fmt == "xlsx":
        return export_xlsx_response(rows, name)
    return attachment(StreamingHttpResponse(export_csv(rows), content_type="text/csv; charset=utf-8"), name)
