"""The window (窗口受理): pick the item and the business situation, then the checklist laid out from the standard
published today, the applicant and the outcome. Plain forms, no script: it works by keyboard and on a phone."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pages import page_rule
from standards.models import StandardState

from .. import permissions
from ..forms import AcceptanceForm, ItemPickForm
from ..services.acceptance import Outcome, case_receive, checklist_materials, is_immediate_item, published_standard
from .common import errors_into


@page_rule(permissions.can_open_acceptance, gettext_lazy("您没有窗口受理的权限"))
def accept_view(request: HttpRequest) -> HttpResponse:
    # Only items with a published standard can be accepted: the checklist and the limits come from it.
    items = (
        permissions.acceptable_items(request.user)
        .filter(standards__state=StandardState.PUBLISHED)
        .select_related("organization")
        .order_by("name")
    )
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").strip()[:64]
    shown = items.filter(Q(name__contains=query) | Q(code__contains=query)) if query else items
    # A search narrows the list to pick from; a chosen item is checked against every item the user may accept.
    bound = bool(source.get("local_item")) or ("local_item" in source and not query)
    pick = ItemPickForm(source if bound else None, items=items if bound else shown)
    standard = form = None
    if pick.is_bound and pick.is_valid():
        standard = published_standard(pick.cleaned_data["local_item"])
        if standard is None:
            pick.add_error("local_item", _("该事项尚无已发布的审批标准，不能受理"))
    if standard is not None:
        materials = checklist_materials(standard, pick.cleaned_data["situation"])
        initial = {**pick.cleaned_data, "outcome": Outcome.ACCEPT}
        form = AcceptanceForm(
            request.POST if request.method == "POST" else None, items=items, materials=materials, initial=initial
        )
        if not is_immediate_item(standard):
            form.fields["outcome"].choices = [c for c in Outcome.choices if c[0] != Outcome.IMMEDIATE]
        if request.method == "POST" and form.is_valid():
            try:
                case = case_receive(actor=request.user, **form.service_arguments())
            except ValidationError as exc:
                errors_into(form, exc)
            else:
                done = {"number": case.number, "status": case.get_status_display()}
                messages.success(request, _("已登记办件 %(number)s（%(status)s）") % done)
                for hook in settings.CASE_ACCEPTED_HOOKS:
                    import_string(hook)(request, case)
                return redirect("cases:detail", number=case.number)
    return render(
        request,
        "cases/accept.html",
        {"pick": pick, "form": form, "standard": standard, "has_items": items.exists(), "query": query},
        status=400 if request.method == "POST" and (pick.errors or (form is not None and form.errors)) else 200,
    )
