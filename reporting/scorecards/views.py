"""The scorecard pages under /reporting/scorecards/ (thin: permissions, forms, one service, a redirect)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.views.common import errors_into
from core.audit import out_of_scope
from core.pages import page_rule
from core.tasks import QueueUnavailable, enqueue, is_task_id

from ..models import Scorecard, ScorecardStatus, UnitKind
from . import indicators, permissions, selectors, services, tasks
from .forms import IndicatorFormSet, ScorecardForm
from .xlsx import bulletin_response

REFUSAL = gettext_lazy("考核仅供编办、督导人员和部门负责人查看")
MANAGE_REFUSAL = gettext_lazy("只有考核单位的督导人员可以设置、计算和关账考核")


def _scorecard(request: HttpRequest, pk: int) -> Scorecard:
    scorecard = permissions.scorecards_for(request.user).filter(pk=pk).first()
    if scorecard is None or not permissions.can_view_scorecard(request.user, scorecard):
        raise out_of_scope(request, Scorecard, {"pk": pk}, _("考核不存在或不在您的权限范围内"))
    return scorecard


def _managed(request: HttpRequest, pk: int) -> Scorecard:
    scorecard = _scorecard(request, pk)
    if not permissions.can_manage_scorecard_of(request.user, scorecard.division):
        raise PermissionDenied(str(MANAGE_REFUSAL))
    return scorecard


@page_rule(permissions.can_open_scorecards, REFUSAL)
def scorecard_list(request: HttpRequest) -> HttpResponse:
    scorecards = permissions.scorecards_for(request.user).order_by("-year", "division_id")[:200]
    return render(
        request,
        "reporting/scorecards/list.html",
        {"scorecards": scorecards, "can_create": permissions.can_manage_scorecards(request.user)},
    )


def _config_page(request: HttpRequest, scorecard: Scorecard | None) -> HttpResponse:
    divisions = permissions.scope_division_choices(request.user).order_by("code")
    initial = None
    if scorecard is not None:
        initial = {"year": scorecard.year, "division": scorecard.division, "title": scorecard.title}
        rows = list(scorecard.indicators.values(*services.INDICATOR_FIELDS))
    else:
        rows = services.default_indicators()
    form = ScorecardForm(request.POST or None, initial=initial, divisions=divisions, fixed=scorecard is not None)
    # Bound, the rows come from the request alone (with ``initial`` an unchanged extra row would be skipped).
    formset = IndicatorFormSet(request.POST or None, initial=None if request.method == "POST" else rows, prefix="ind")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            saved = services.scorecard_save(
                actor=request.user,
                scorecard=scorecard,
                indicators=formset.rows(),
                year=data.get("year"),
                division=data.get("division"),
                title=data["title"],
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("考核指标已保存（第 %(version)s 版）") % {"version": saved.version})
            return redirect("reporting:scorecard", pk=saved.pk)
    return render(
        request,
        "reporting/scorecards/form.html",
        {"form": form, "formset": formset, "scorecard": scorecard, "kinds": indicators.REGISTRY.values()},
    )


@page_rule(permissions.can_manage_scorecards, MANAGE_REFUSAL)
def scorecard_create(request: HttpRequest) -> HttpResponse:
    return _config_page(request, None)


@page_rule(permissions.can_manage_scorecards, MANAGE_REFUSAL)
def scorecard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = _managed(request, pk)
    if scorecard.is_frozen:
        messages.error(request, _("考核已关账，指标不能再修改"))
        return redirect("reporting:scorecard", pk=pk)
    return _config_page(request, scorecard)


@page_rule(permissions.can_open_scorecards, REFUSAL)
def scorecard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = _scorecard(request, pk)
    task_id = request.GET.get("task", "")
    return render(
        request,
        "reporting/scorecards/detail.html",
        {
            "scorecard": scorecard,
            "ranking": selectors.ranking(request.user, scorecard),
            "indicators": scorecard.indicators.all(),
            "changes": scorecard.changes.select_related("actor")[:20],
            "can_manage": permissions.can_manage_scorecard_of(request.user, scorecard.division),
            "sees_all": permissions.sees_all_results(request.user, scorecard),
            "task_id": task_id if is_task_id(task_id) else "",
        },
    )


@page_rule(permissions.can_open_scorecards, REFUSAL)
def scorecard_unit(request: HttpRequest, pk: int, result_id: int) -> HttpResponse:
    scorecard = _scorecard(request, pk)
    result = permissions.results_for(request.user, scorecard).filter(pk=result_id).first()
    if result is None:
        raise Http404(_("该单位的考核结果不存在或不在您的权限范围内"))
    return render(request, "reporting/scorecards/unit.html", {"scorecard": scorecard, "result": result})


@page_rule(permissions.can_manage_scorecards, MANAGE_REFUSAL)
@require_POST
def scorecard_compute(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = _managed(request, pk)
    url = reverse("reporting:scorecard", kwargs={"pk": pk})
    if scorecard.is_frozen:
        messages.error(request, _("考核已关账，结果不再重新计算"))
        return redirect(url)
    try:
        result = enqueue(tasks.compute_scorecard, scorecard.pk, request.user.pk)
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(url)
    except ValidationError as exc:  # run in-process: the service refused
        messages.error(request, " ".join(exc.messages))
        return redirect(url)
    Scorecard.objects.filter(pk=pk).update(task_id=result.id)
    if result.ready():
        messages.success(request, _("考核已计算"))
        return redirect(url)
    return redirect(f"{url}?task={result.id}")


@page_rule(permissions.can_manage_scorecards, MANAGE_REFUSAL)
@require_POST
def scorecard_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = _managed(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("请勾选确认后再关账：关账后考核结果不再改变"))
        return redirect("reporting:scorecard", pk=pk)
    try:
        services.scorecard_freeze(actor=request.user, scorecard=scorecard)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("考核已关账，结果不再改变"))
    return redirect("reporting:scorecard", pk=pk)


def _bulletin_params(request: HttpRequest) -> tuple[str, int]:
    kind = request.GET.get("kind", UnitKind.COUNTY)
    kind = kind if kind in UnitKind.values else UnitKind.COUNTY
    raw = request.GET.get("n", "")
    n = int(raw) if raw.isdigit() and len(raw) <= 3 else selectors.BULLETIN_DEFAULT
    return kind, max(1, min(n, selectors.BULLETIN_MAX))


@page_rule(permissions.can_open_scorecards, REFUSAL)
def scorecard_bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = _scorecard(request, pk)
    kind, n = _bulletin_params(request)
    results = selectors.lowest(request.user, scorecard, kind, n) if scorecard.status != ScorecardStatus.DRAFT else []
    if request.GET.get("format") == "xlsx":
        return bulletin_response(scorecard, results)
    return render(
        request,
        "reporting/scorecards/bulletin.html",
        {"scorecard": scorecard, "results": results, "kind": kind, "n": n, "kinds": UnitKind.choices},
    )
