"""Dynamic management pages: the change records with their documents, and the forms that apply a change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalogue import access, selectors
from catalogue.forms import FORMS_BY_KIND, LocalCancelForm, apply_service_errors
from catalogue.models import CatalogChange, ChangeKind, Division, GeneralItem
from catalogue.services import catalog_change_apply
from core.audit import out_of_scope
from core.pages import page_rule, paginate, staff_required

from .browser import division_from_request


@page_rule(access.can_open_change_list)
def change_list(request: HttpRequest) -> HttpResponse:
    division = division_from_request(request)
    queryset = selectors.changes_for(division).filter(access.visible_changes_q(request.user))
    kind = request.GET.get("kind")
    if kind in ChangeKind.values:
        queryset = queryset.filter(kind=kind)
    province = Division.objects.filter(code=division.province_code).first()
    return render(
        request,
        "catalogue/change_list.html",
        {
            "division": division,
            "page": paginate(request, queryset.order_by("-created_at", "-id")),
            "kinds": ChangeKind.choices,
            "kind": kind,
            "can_add": province is not None and access.can_manage_general_catalogue(request.user, province),
            "province": province,
        },
    )


@staff_required
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    changes = CatalogChange.objects.filter(access.visible_changes_q(request.user))
    change = changes.select_related("scope", "created_by").filter(pk=pk).first()
    if change is None:
        raise out_of_scope(request, CatalogChange, {"pk": pk}, _("变更记录不存在或不在您的权限范围内"))
    local_items = access.visible_local_items(request.user).filter(changes=change).select_related("organization")
    return render(
        request,
        "catalogue/change_detail.html",
        {
            "change": change,
            "general_items": change.general_items.order_by("code"),
            "successors": change.successors.order_by("code"),
            "local_page": paginate(request, local_items.order_by("code"), size=50),
            "tasks_open": change.adjustment_tasks.filter(status="open").count(),
        },
    )


@staff_required
def change_create(request: HttpRequest, kind: str) -> HttpResponse:
    """Apply one change of the general catalogue. The target item comes from ``?item=``; adding a main item needs
    ``?province=``."""
    if kind not in FORMS_BY_KIND:
        raise Http404(_("未知的变更类型"))
    target = None
    if request.GET.get("item"):
        target = get_object_or_404(
            GeneralItem.objects.select_related("province", "sector", "parent"), pk=request.GET["item"]
        )
        province = target.province
    else:
        province = get_object_or_404(Division, code=request.GET.get("province", ""), level="province")
    if kind != ChangeKind.ADD and kind != ChangeKind.MERGE and target is None:
        raise Http404(_("请先选择事项"))
    if not access.can_manage_general_catalogue(request.user, province):
        raise PermissionDenied(_("只有省级编办可以变更通用目录"))

    form_class = FORMS_BY_KIND[kind]
    extra = {"kind": kind} if kind in (ChangeKind.DELEGATE_DOWN, ChangeKind.TAKE_UP) else {}
    form = form_class(request.POST or None, province=province, target=target, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            change = catalog_change_apply(
                actor=request.user,
                kind=kind,
                scope=province,
                document=form.document(),
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已登记%(kind)s变更（%(number)s）")
                % {"kind": change.get_kind_display(), "number": change.document_number},
            )
            return redirect("catalogue:change_detail", pk=change.pk)
    return render(
        request,
        "catalogue/change_form.html",
        {"form": form, "kind": kind, "kind_label": ChangeKind(kind).label, "target": target, "province": province},
    )


@staff_required
def local_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The division's establishment office cancels one item of its implementation list."""
    item = selectors.local_item_detail(user=request.user, pk=pk)
    if item is None:
        raise Http404(_("事项不存在或不在您的权限范围内"))
    if not access.can_manage_local_list(request.user, item.division):
        raise PermissionDenied(_("只有本区划编办可以取消实施清单事项"))
    form = LocalCancelForm(request.POST or None, target=item)
    if request.method == "POST" and form.is_valid():
        try:
            catalog_change_apply(
                actor=request.user,
                kind=ChangeKind.CANCEL,
                scope=item.division,
                document=form.document(),
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已取消该实施清单事项"))
            return redirect("catalogue:local_detail", pk=item.pk)
    return render(
        request,
        "catalogue/change_form.html",
        {"form": form, "kind": "cancel", "kind_label": _("取消实施清单事项"), "local_target": item},
    )
