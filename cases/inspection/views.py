"""The 抽查 pages: the list, the plan form, an inspection (strata, seed, sample, progress, patrols), the scoring page
of a drawn case, the printable report and its xlsx export. Rectifications are in ``rectification_views``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.models import InspectedCase, Inspection, InspectionMethod, InspectionState
from cases.views.common import errors_into, form_action
from catalogue.models import Organization, OrganizationKind
from core.exceptions import TransitionNotAllowed
from core.pages import page_rule, paginate

from . import permissions, selectors, services
from .export import inspection_xlsx
from .forms import DrawForm, PatrolForm, PlanForm, RectifyForm, ScoreForm

REFUSAL = gettext_lazy("抽查页面仅对监督机构和被抽查部门开放")
inspection_page = page_rule(permissions.can_open_inspections, REFUSAL)


@inspection_page
def inspection_list_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.ListFilters.of(request.GET)
    page = paginate(request, selectors.inspection_list(request.user, filters))
    return render(
        request,
        "cases/inspection/list.html",
        {
            "page": page,
            "filters": filters,
            "states": InspectionState.choices,
            "methods": InspectionMethod.choices,
            "may_plan": permissions.can_plan_inspections(request.user),
            "show_size": True,
            "size_choices": settings.PAGE_SIZE_CHOICES,
        },
    )


def _plan_form(request: HttpRequest, data=None) -> PlanForm:
    divisions = permissions.plannable_divisions(request.user).filter(level__in=["county", "city", "province"])
    organizations = Organization.objects.filter(
        division__in=permissions.plannable_divisions(request.user), is_active=True
    ).exclude(kind__in=[OrganizationKind.SERVICE_CENTER, OrganizationKind.BIANBAN])
    return PlanForm(data, divisions=divisions.order_by("code"), organizations=organizations.order_by("name"))


@page_rule(permissions.can_plan_inspections, gettext_lazy("只有监督机构可以计划抽查"))
def inspection_new_view(request: HttpRequest) -> HttpResponse:
    form = _plan_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.Plan(
            title=data["title"], kind=data["kind"], method=data["method"], division=data["division"],
            period_from=data["period_from"], period_to=data["period_to"], stratify_by=data["stratify_by"],
            per_stratum=data["per_stratum"], sample_total=data["sample_total"], organization=data["organization"],
            chosen_numbers=data["chosen_numbers"], note=data["note"],
        )  # fmt: skip
        try:
            inspection = services.inspection_plan(actor=request.user, plan=plan)
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("抽查计划已保存，请抽取样本"))
            return redirect("cases:inspection", pk=inspection.pk)
    status = 400 if form.errors else 200
    return render(request, "cases/inspection/plan.html", {"form": form}, status=status)


def _inspection_or_404(request: HttpRequest, pk: int) -> Inspection:
    inspection = (
        permissions.visible_inspections(request.user)
        .select_related("division", "organization", "planned_by", "drawn_by", "finished_by")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404(_("没有找到该抽查，或您无权查看"))
    return inspection


def _render_inspection(request: HttpRequest, inspection: Inspection, status: int = 200, **forms) -> HttpResponse:
    manages = permissions.can_plan_inspection(request.user, inspection)
    sample = list(selectors.sample_of(request.user, inspection))
    scored = [s for s in sample if s.scored_at]
    context = {
        "inspection": inspection,
        "sample": sample,
        "scored": len(scored),
        "mean": (sum(s.score for s in scored) / len(scored)).quantize(scored[0].score) if scored else None,
        "patrols": list(inspection.patrols.select_related("recorded_by")),
        "manages": manages,
        "draw_form": forms.get("draw_form") or (DrawForm() if manages and inspection.state == "planned" else None),
        "patrol_form": forms.get("patrol_form")
        or (PatrolForm() if manages and inspection.state != "finished" else None),
        "may_finish": manages and inspection.state == InspectionState.DRAWN,
    }
    return render(request, "cases/inspection/detail.html", context, status=status)


@inspection_page
def inspection_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_inspection(request, _inspection_or_404(request, pk))


def _run(request: HttpRequest, inspection: Inspection, form, form_name: str, call, done: str) -> HttpResponse:
    return form_action(
        request, form, form_name, call, done,
        render_page=lambda status, **forms: _render_inspection(request, inspection, status, **forms),
        back=redirect("cases:inspection", pk=inspection.pk),
    )  # fmt: skip


@require_POST
@inspection_page
def inspection_draw_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    return _run(
        request, inspection, DrawForm(request.POST), "draw_form",
        lambda d: services.inspection_draw(inspection=inspection, actor=request.user, seed=d["seed"]),
        _("样本已抽取"),
    )  # fmt: skip


@require_POST
@inspection_page
def inspection_patrol_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    return _run(
        request, inspection, PatrolForm(request.POST), "patrol_form",
        lambda d: services.inspection_record_patrol(inspection=inspection, actor=request.user, **d),
        _("现场巡察已记录"),
    )  # fmt: skip


@require_POST
@inspection_page
def inspection_finish_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    try:
        services.inspection_finish(inspection=inspection, actor=request.user)
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.message)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc) or _("没有权限")) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("抽查已完成"))
    return redirect("cases:inspection", pk=inspection.pk)


def _sampled_or_404(request: HttpRequest, pk: int) -> InspectedCase:
    sampled = (
        InspectedCase.objects.filter(permissions.visible_sampled_q(request.user), pk=pk)
        .select_related("inspection", "inspection__division", "case", "case__local_item", "organization", "scored_by")
        .first()
    )
    if sampled is None:
        raise Http404(_("没有找到该抽查办件，或您无权查看"))
    return sampled


def _render_score(
    request: HttpRequest, sampled: InspectedCase, status=200, *, lines=None, form=None, rectify_form=None
):
    lines = lines if lines is not None else list(sampled.lines.order_by("position"))
    may_score = sampled.inspection.state == InspectionState.DRAWN and permissions.can_score_inspection(
        request.user, sampled.inspection
    )
    may_rectify = sampled.inspection.state != InspectionState.PLANNED and permissions.can_score_inspection(
        request.user, sampled.inspection
    )
    context = {
        "sampled": sampled,
        "inspection": sampled.inspection,
        "case": sampled.case,
        "form": form or ScoreForm(lines=lines),
        "may_score": may_score,
        "rectify_form": rectify_form or (RectifyForm() if may_rectify else None),
        "rectifications": list(sampled.rectifications.order_by("pk")),
        "suggested_total": sum(line.suggested for line in lines),
        "max_total": sum(line.max_points for line in lines),
    }
    return render(request, "cases/inspection/score.html", context, status=status)


@inspection_page
def sampled_score_view(request: HttpRequest, pk: int) -> HttpResponse:
    sampled = _sampled_or_404(request, pk)
    lines = list(sampled.lines.order_by("position"))
    if request.method != "POST":
        return _render_score(request, sampled, lines=lines)

    def score(data: dict) -> None:
        scores = {
            line.pk: services.LineScore(
                data[f"line-{line.pk}-points"], data[f"line-{line.pk}-evidence"], data[f"line-{line.pk}-comment"]
            )
            for line in lines
        }
        services.sampled_score(sampled=sampled, actor=request.user, scores=scores)

    return form_action(
        request, ScoreForm(request.POST, lines=lines), "form", score, _("评分已保存"),
        render_page=lambda status, **forms: _render_score(request, sampled, status, lines=lines, **forms),
        back=redirect("cases:inspection", pk=sampled.inspection_id),
    )  # fmt: skip


@require_POST
@inspection_page
def sampled_rectify_view(request: HttpRequest, pk: int) -> HttpResponse:
    sampled = _sampled_or_404(request, pk)
    return form_action(
        request, RectifyForm(request.POST), "rectify_form",
        lambda data: services.rectification_open(sampled=sampled, actor=request.user, **data),
        _("已向责任单位提出整改"),
        render_page=lambda status, **forms: _render_score(request, sampled, status, **forms),
        back=redirect("cases:inspection_score", pk=sampled.pk),
    )  # fmt: skip


@inspection_page
def inspection_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    sample = list(selectors.sample_of(request.user, inspection))
    scored = [s.score for s in sample if s.score is not None]
    return render(
        request,
        "cases/inspection/report.html",
        {
            "inspection": inspection,
            "sample": sample,
            "mean": (sum(scored) / len(scored)).quantize(scored[0]) if scored else None,
            "patrols": list(inspection.patrols.all()),
            "rectifications": list(
                inspection.rectifications.filter(permissions.rectifications_to_reply_q(request.user)
                                                 | permissions.rectifications_to_close_q(request.user))
                .select_related("organization", "sampled__case")
                .order_by("pk")
            ),
            "today": timezone.localdate(),
        },
    )  # fmt: skip


@inspection_page
def inspection_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    return inspection_xlsx(inspection, selectors.sample_of(request.user, inspection))
