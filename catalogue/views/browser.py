"""The staff catalogue browser: implementation lists by division, the general catalogue, item pages with history."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue import access, exports, selectors
from catalogue.department_filter import search_departments
from catalogue.filters import GeneralItemFilter, LocalItemFilter
from catalogue.history import history_entries
from catalogue.models import ChangeKind, Division, DivisionLevel, LocalItem, LocalItemStatus
from core.audit import out_of_scope
from core.export_jobs import StaffExport, staff_export
from core.pages import page_actions, page_rule, paginate, staff_required


def division_from_request(request: HttpRequest) -> Division:
    """The division a page shows: ``?division=`` if the user may see it (404 otherwise, never revealing whether it
    exists), else the user's own."""
    code = request.GET.get("division")
    if code:
        division = Division.objects.filter(code=code).first()
        if division is None or not access.can_see_division(request.user, division):
            raise out_of_scope(request, Division, {"code": code}, _("区划不存在或不在您的权限范围内"))
        return division
    division = access.home_division(request.user)
    if division is None:
        raise Http404(_("您的账号未关联任何区划"))
    return division


def _organization_choices(request: HttpRequest, division: Division):
    """Departments to filter by: only where the list is small enough to choose from (a county and below)."""
    if division.level in (DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP):
        return (
            access.visible_organizations(request.user)
            .filter(**{f"division__{division.level}_code": division.code}, kind="department")
            .order_by("name")
        )
    return None


def _local_filtered(request: HttpRequest) -> tuple[Division, LocalItemFilter]:
    """The implementation list's division and filters, shared by the page and its export (one filter path)."""
    division = division_from_request(request)
    queryset = selectors.local_items_in(user=request.user, division=division).order_by("code")
    filterset = LocalItemFilter(
        request.GET or None, queryset=queryset, organizations=_organization_choices(request, division)
    )
    return division, filterset


@page_rule(access.can_open_local_list)
def local_list(request: HttpRequest) -> HttpResponse:
    division, filterset = _local_filtered(request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "catalogue/local_list.html",
        {
            "division": division,
            "breadcrumb": selectors.breadcrumb(division),
            "children": selectors.divisions_below(division),
            "filter": filterset,
            "page": page,
        },
    )


def local_export_spec(request: HttpRequest) -> StaffExport:
    """Every row the implementation list shows with the same filters, search and sort (``settings.STAFF_EXPORTS``)."""
    division, filterset = _local_filtered(request)
    return StaffExport(
        rows=None if filterset.errors else filterset.qs,
        back=reverse("catalogue:local_list"),
        build=lambda rows: exports.local_items_xlsx(rows, division=division),
    )


@staff_required
def local_export(request: HttpRequest) -> HttpResponse:
    """The implementation list as an Excel workbook: at once, or as a job when it is big (``core.export_jobs``)."""
    return staff_export(request, "catalogue.local")


@staff_required
def local_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.local_item_detail(user=request.user, pk=pk)
    if item is None:
        raise out_of_scope(request, LocalItem, {"pk": pk}, _("事项不存在或不在您的权限范围内"))
    return render(
        request,
        "catalogue/local_detail.html",
        {
            "item": item,
            "history": history_entries(item),
            "changes": item.changes.select_related("created_by").order_by("-created_at")[:20],
            "adjustments": item.adjustments.select_related("change", "resolved_by").order_by("-id")[:20],
            "claims": item.claims.select_related("claimed_by", "decided_by", "organization")[:10],
            "can_cancel": item.status != LocalItemStatus.CANCELLED
            and access.can_manage_local_list(request.user, item.division),
            # e.g. the standards' 修订 (``settings.CATALOGUE_LOCAL_ITEM_ACTIONS``): the catalogue cannot ask them.
            "actions": page_actions("CATALOGUE_LOCAL_ITEM_ACTIONS", request.user, item),
        },
    )


def _province_for(request: HttpRequest) -> Division:
    code = request.GET.get("province")
    if code:
        return get_object_or_404(Division, code=code, level=DivisionLevel.PROVINCE)
    home = access.home_division(request.user)
    if home is None:
        raise Http404(_("您的账号未关联任何区划"))
    return Division.objects.get(code=home.province_code)


def _general_filtered(request: HttpRequest) -> tuple[Division, GeneralItemFilter]:
    """The general catalogue's province and filters, shared by the page and its export."""
    province = _province_for(request)
    queryset = selectors.general_items(province=province).tree_order()
    filterset = GeneralItemFilter(request.GET or None, queryset=queryset)
    filterset.filters["sector"].queryset = filterset.filters["sector"].queryset.filter(province=province)
    return province, filterset


@page_rule(access.can_open_general_list)
def general_list(request: HttpRequest) -> HttpResponse:
    province, filterset = _general_filtered(request)
    page = paginate(request, filterset.qs)
    page.object_list = list(page.object_list)
    selectors.set_local_counts(page.object_list)
    return render(
        request,
        "catalogue/general_list.html",
        {
            "province": province,
            "provinces": selectors.public_root_divisions(),
            "filter": filterset,
            "page": page,
            "can_manage": access.can_manage_general_catalogue(request.user, province),
        },
    )


def general_export_spec(request: HttpRequest) -> StaffExport:
    """The general catalogue as the page lists it, every page, with the counts of local items."""
    province, filterset = _general_filtered(request)
    return StaffExport(
        rows=None if filterset.errors else selectors.with_local_counts(filterset.qs),
        back=reverse("catalogue:general_list"),
        build=lambda rows: exports.general_items_xlsx(rows, province=province),
    )


@staff_required
def general_export(request: HttpRequest) -> HttpResponse:
    """The general catalogue as an Excel workbook (``core.export_jobs``)."""
    return staff_export(request, "catalogue.general")


@staff_required
def general_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.general_item_detail(pk=pk)
    if item is None:
        raise Http404(_("事项不存在"))
    local_items = (
        access.visible_local_items(request.user).filter(general_item=item).select_related("organization", "division")
    )
    can_manage = access.can_manage_general_catalogue(request.user, item.province) and item.is_active
    return render(
        request,
        "catalogue/general_detail.html",
        {
            "item": item,
            "local_page": paginate(request, local_items.order_by("code"), size=20),
            "history": history_entries(item),
            "changes": item.changes.select_related("created_by").order_by("-created_at")[:20],
            "successor_changes": item.predecessor_changes.order_by("-created_at")[:5],
            "can_manage": can_manage,
            "change_kinds": [
                (k, ChangeKind(k).label)
                for k in (
                    ChangeKind.ADJUST,
                    ChangeKind.DELEGATE_DOWN,
                    ChangeKind.TAKE_UP,
                    ChangeKind.SPLIT,
                    ChangeKind.MERGE,
                    ChangeKind.CANCEL,
                )
            ],
            "can_add_child": can_manage and item.node_kind != "handle",
        },
    )


@staff_required
def department_search(request: HttpRequest) -> JsonResponse:
    """The department filter's search box: ``{"results": [{"id", "name", "division"}]}``, the departments in the
    user's scope (and ``?division=``'s subtree, if the user may see it) whose name holds ``?q=``, at most 20."""
    division = None
    code = (request.GET.get("division") or "").strip()
    if code:
        division = Division.objects.filter(code=code[:12]).first()
        if division is None or not access.can_see_division(request.user, division):
            return JsonResponse({"results": []})
    return JsonResponse({"results": search_departments(request.user, request.GET.get("q", ""), division)})
