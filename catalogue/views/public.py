"""Public pages (清单公开, 变更公告) for anonymous visitors: published catalogue data only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from catalogue import selectors
from catalogue.filters import search_items
from catalogue.models import Division, ItemType, LocalItem, LocalItemStatus
from core.pages import paginate


def index(request: HttpRequest) -> HttpResponse:
    provinces = selectors.public_root_divisions()
    return render(request, "public/index.html", {"provinces": provinces})


def division_list(request: HttpRequest, code: str) -> HttpResponse:
    division = get_object_or_404(Division, code=code)
    items = selectors.public_local_items(division=division)
    items = search_items(items, request.GET.get("q", ""))
    item_type = request.GET.get("item_type")
    if item_type in ItemType.values:
        items = items.filter(item_type=item_type)
    return render(
        request,
        "public/division.html",
        {
            "division": division,
            "breadcrumb": selectors.breadcrumb(division),
            "children": selectors.divisions_below(division),
            "page": paginate(request, items.order_by("code")),
            "item_types": ItemType.choices,
            "item_type": item_type,
        },
    )


def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    """An item of a published list by its implementation code. A cancelled item's page stays, saying when and why,
    with status 410, so links people saved do not silently break."""
    item = get_object_or_404(
        LocalItem.objects.select_related("organization", "division", "general_item").exclude(
            status__in=[LocalItemStatus.CLAIMED, LocalItemStatus.REJECTED]
        ),
        code=code.upper(),
    )
    cancellation = None
    if item.status == LocalItemStatus.CANCELLED:
        cancellation = item.changes.filter(kind="cancel").order_by("-created_at").first() or (
            item.general_item.changes.filter(kind__in=["cancel", "split", "merge"]).order_by("-created_at").first()
        )
    response = render(
        request,
        "public/item.html",
        {"item": item, "breadcrumb": selectors.breadcrumb(item.division), "cancellation": cancellation},
    )
    if item.status == LocalItemStatus.CANCELLED:
        response.status_code = 410
    return response


def division_changes(request: HttpRequest, code: str) -> HttpResponse:
    division = get_object_or_404(Division, code=code)
    changes = selectors.changes_for(division).order_by("-effective_date", "-id")
    return render(
        request,
        "public/changes.html",
        {"division": division, "breadcrumb": selectors.breadcrumb(division), "page": paginate(request, changes)},
    )
