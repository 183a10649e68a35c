"""The supervisor dashboard, the on-demand computation, and the progress reports (thin: selectors and services)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.views.common import errors_into
from catalogue import access as catalogue_access
from catalogue.models import Division, DivisionLevel
from core.audit import out_of_scope
from core.pages import page_rule, staff_required
from core.tasks import QueueUnavailable, enqueue, is_task_id, task_progress
from standards import permissions

from . import rates, selectors, services, tasks
from .forms import ReportForm
from .models import ProgressReport, ReportStatus
from .report_data import bulletin

DASHBOARD_LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)


DASHBOARD_REFUSAL = gettext_lazy("统计看板仅供编办、审查机关和督导人员使用")


def _require_dashboard(request: HttpRequest) -> None:
    if not permissions.can_view_dashboard(request.user):
        raise PermissionDenied(str(DASHBOARD_REFUSAL))


def _division(request: HttpRequest, code: str | None) -> Division:
    if code is None:
        division = catalogue_access.home_division(request.user)
        if division is None:
            raise Http404(_("您的账号未关联任何区划"))
        # A township's staff see their county's figures.
        if division.level == DivisionLevel.TOWNSHIP:
            division = Division.objects.get(code=division.county_code or division.city_code)
        return division
    division = Division.objects.filter(code=code, level__in=DASHBOARD_LEVELS).first()
    if division is None or not permissions.can_see_figures_of(request.user, division):
        raise out_of_scope(request, Division, {"code": code}, _("区划不存在或不在您的权限范围内"))
    return division


def _chart_data(board: selectors.Dashboard) -> dict:
    pct = rates.percent  # the chart rounds like every rate shown

    return {
        "units": [r.name for r in board.rows],
        "submission": [pct(r.figures.submission_rate) for r in board.rows],
        "approval": [pct(r.figures.approval_rate) for r in board.rows],
        "trend": {
            "dates": [s.date.isoformat() for s in board.trend],
            "submission": [pct(selectors.Figures.of(s).submission_rate) for s in board.trend],
            "approval": [pct(selectors.Figures.of(s).approval_rate) for s in board.trend],
        },
        "labels": {
            "submission": _("标准录入提交率"),
            "approval": _("审查通过率"),
            "target": _("目标 100%"),
        },
    }


@page_rule(permissions.can_view_dashboard, DASHBOARD_REFUSAL)
def dashboard(request: HttpRequest, code: str | None = None) -> HttpResponse:
    division = _division(request, code)
    board = selectors.dashboard(division)
    overdue = bulletin(division, board.date) if board.date else []
    task_id = request.GET.get("task", "")
    return render(
        request,
        "reporting/dashboard.html",
        {
            "division": division,
            "board": board,
            "crumbs": selectors.breadcrumbs(request.user, division),
            "chart": _chart_data(board),
            "overdue": overdue,
            "task_id": task_id if is_task_id(task_id) else "",
            "can_compute": permissions.can_build_reports(request.user),
        },
    )


@staff_required
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    """Start ``compute_rates`` now; the dashboard then follows its progress."""
    _require_dashboard(request)
    if not permissions.can_build_reports(request.user):
        raise PermissionDenied(_("您无权发起统计"))
    url = reverse("reporting:dashboard")
    code = request.POST.get("division", "")
    if code and Division.objects.filter(code=code).exists():
        url = reverse("reporting:division", kwargs={"code": code})
    try:
        result = enqueue(tasks.compute_rates)
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(url)
    if result.ready():  # run in-process (no broker): already done
        messages.success(request, _("统计已完成"))
        return redirect(url)
    return redirect(f"{url}?task={result.id}")


@staff_required
def task_status(request: HttpRequest, task_id: str) -> HttpResponse:
    """The progress of a computation, polled by the dashboard (htmx) until it is done."""
    _require_dashboard(request)
    if not is_task_id(task_id):
        raise Http404
    progress = task_progress(task_id)
    percent = progress.percent if progress.percent is not None else (100 if progress.state == "SUCCESS" else 0)
    return render(
        request,
        "reporting/includes/task_status.html",
        {
            "task_id": task_id,
            "state": progress.state,
            "percent": percent,
            "message": _(progress.message) if progress.message else "",
            "done": progress.state in ("SUCCESS", "FAILURE"),
        },
    )


# --- progress reports -----------------------------------------------------------------------------------------


def _reportable_divisions(request: HttpRequest):
    divisions = permissions.dashboard_divisions(request.user).filter(level__in=DASHBOARD_LEVELS).order_by("code")
    return [d for d in divisions if permissions.can_report_for(request.user, d)]


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    choices = _reportable_divisions(request)
    form = ReportForm(request.POST or None, divisions=choices)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.progress_report_create(
                actor=request.user,
                division=form.cleaned_data["division"],
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            _start_build(request, report)
            return redirect("reporting:reports")
    return render(
        request,
        "reporting/reports.html",
        {"form": form, "reports": selectors.reports_for(request.user)[:200], "can_create": bool(choices)},
    )


def _start_build(request: HttpRequest, report: ProgressReport) -> None:
    """Queue the report's build; with the queue down the report is marked failed, saying why."""
    try:
        result = enqueue(tasks.build_progress_report, report.pk)
    except QueueUnavailable as exc:
        services.progress_report_failed(report_id=report.pk, error=str(exc))
        messages.error(request, str(exc))
    else:
        ProgressReport.objects.filter(pk=report.pk).update(task_id=result.id)
        messages.success(request, _("报表生成任务已开始"))


def _report(request: HttpRequest, pk: int) -> ProgressReport:
    _require_dashboard(request)
    report = selectors.reports_for(request.user).filter(pk=pk).first()
    if report is None:
        raise out_of_scope(request, ProgressReport, {"pk": pk}, _("报表不存在或不在您的权限范围内"))
    return report


@staff_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    percent, message = (100, "") if report.status != ReportStatus.BUILDING else (0, "")
    if report.status == ReportStatus.BUILDING and report.task_id:
        progress = task_progress(report.task_id)
        percent, message = progress.percent or 0, _(progress.message) if progress.message else ""
    return render(
        request, "reporting/includes/report_status.html", {"report": report, "percent": percent, "message": message}
    )


@staff_required
@require_POST
def report_restart(request: HttpRequest, pk: int) -> HttpResponse:
    """Build a failed report again (its worker died, or the build failed after its retries)."""
    report = _report(request, pk)
    try:
        report = services.progress_report_restart(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:reports")
    _start_build(request, report)
    return redirect("reporting:reports")


@staff_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = _report(request, pk)
    if not report.file:
        raise Http404(_("报表文件尚未生成"))
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1])


@staff_required
@require_POST
def report_send(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        services.progress_report_send(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return (
            HttpResponse(status=400, content=" ".join(exc.messages)) if request.htmx else redirect("reporting:reports")
        )
    messages.success(request, _("报表已报送，数字和文件不再改变"))
    return redirect("reporting:reports")
