"""Claiming (事项认领), its review by the establishment office, the claim report, and the adjustment to-do list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from catalogue import access, selectors
from catalogue.filters import search_items
from catalogue.forms import AdjustmentResolveForm, ClaimDecisionForm, ClaimForm, apply_service_errors
from catalogue.models import AdjustmentStatus, AdjustmentTask, Claim, ItemType
from catalogue.services import adjustment_resolve, claim_decide, claims_create
from core.exceptions import ConflictError
from core.i18n import sentences
from core.pages import page_rule, paginate, staff_required

from .browser import division_from_request


@page_rule(access.can_open_claim_start, gettext_lazy("只有实施部门的录入员或负责人可以认领事项"))
def claim_start(request: HttpRequest) -> HttpResponse:
    organizations = access.claimable_organizations(request.user)
    organization = organizations[0]
    if request.GET.get("organization"):
        organization = next((o for o in organizations if str(o.pk) == request.GET["organization"]), None)
        if organization is None:
            raise Http404(_("只能为本部门认领事项"))
    items = selectors.claimable_items(organization=organization)
    scope = request.GET.get("scope", "own")
    if scope == "own" and organization.sector_id:
        items = items.filter(sector_id=organization.sector_id)
    items = search_items(items, request.GET.get("q", ""))
    if request.GET.get("item_type") in ItemType.values:
        items = items.filter(item_type=request.GET["item_type"])

    form = ClaimForm(request.POST or None, items=selectors.claimable_items(organization=organization))
    if request.method == "POST" and form.is_valid():
        try:
            claims = claims_create(
                actor=request.user,
                organization=organization,
                general_items=list(form.cleaned_data["general_items"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("已认领 %(n)s 个事项，等待编办确认", "已认领 %(n)s 个事项，等待编办确认", len(claims))
                % {"n": len(claims)},
            )
            return redirect(request.get_full_path())
    return render(
        request,
        "catalogue/claim_start.html",
        {
            "organization": organization,
            "organizations": organizations,
            "page": paginate(request, items),
            "form": form,
            "scope": scope,
            "item_types": ItemType.choices,
            "my_claims": organization.claims.select_related("local_item").order_by("-claimed_at")[:10],
        },
    )


@page_rule(access.can_open_claim_review, gettext_lazy("只有编办可以审核认领"))
def claim_review(request: HttpRequest) -> HttpResponse:
    claims = selectors.pending_claims(user=request.user).select_related("local_item__general_item")
    return render(request, "catalogue/claim_review.html", {"page": paginate(request, claims)})


@staff_required
@require_POST
def claim_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=pk)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择确认或退回"))
        return redirect("catalogue:claim_review")
    try:
        claim_decide(
            actor=request.user,
            claim=claim,
            approve=form.cleaned_data["decision"] == "confirm",
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, sentences(exc.messages))
    except ConflictError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("已确认认领") if form.cleaned_data["decision"] == "confirm" else _("已退回认领"))
    return redirect("catalogue:claim_review")


@page_rule(access.can_open_claim_report, gettext_lazy("认领情况仅供编办、审查机关和督导人员查看"))
def claim_report(request: HttpRequest) -> HttpResponse:
    division = division_from_request(request)
    rows = selectors.claim_report(division=division)
    only_gaps = request.GET.get("gaps") == "1"
    shown = [r for r in rows if r.is_gap] if only_gaps else rows
    return render(
        request,
        "catalogue/claim_report.html",
        {
            "division": division,
            "breadcrumb": selectors.breadcrumb(division),
            "children": selectors.divisions_below(division),
            "page": paginate(request, shown, size=100),
            "total": len(rows),
            "gaps": sum(1 for r in rows if r.is_gap),
            "only_gaps": only_gaps,
        },
    )


@page_rule(access.can_open_adjustment_list, gettext_lazy("待调整事项仅供实施部门处理"))
def adjustment_list(request: HttpRequest) -> HttpResponse:
    tasks = selectors.adjustment_tasks(user=request.user)
    status = request.GET.get("status", AdjustmentStatus.OPEN)
    if status in AdjustmentStatus.values:
        tasks = tasks.filter(status=status)
    return render(
        request,
        "catalogue/adjustment_list.html",
        {
            "page": paginate(request, tasks.order_by("-change__created_at", "id")),
            "status": status,
            "statuses": AdjustmentStatus.choices,
        },
    )


@staff_required
@require_POST
def adjustment_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(AdjustmentTask.objects.select_related("local_item"), pk=pk)
    form = AdjustmentResolveForm(request.POST)
    form.is_valid()
    try:
        adjustment_resolve(actor=request.user, task=task, note=form.cleaned_data.get("note", ""))
    except ConflictError as exc:
        messages.warning(request, exc.message)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        messages.error(request, sentences(exc.messages))
    else:
        messages.success(request, _("已按变更调整“%(name)s”") % {"name": task.local_item.name})
    return redirect("catalogue:adjustment_list")
