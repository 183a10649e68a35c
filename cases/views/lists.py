"""The case list (办件) and the department head's queue of extension requests."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.pages import page_rule, paginate

from .. import permissions, selectors
from ..models import AlertLevel, CaseStatus


@page_rule(permissions.can_open_case_list, _("您没有查看办件的权限"))
def case_list_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.CaseFilters.from_query(request.GET)
    page = paginate(request, selectors.case_list(request.user, filters))
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": CaseStatus.choices,
            "alert_levels": [(v, label) for v, label in AlertLevel.choices if v],
            "items": selectors.list_items(request.user),
            "show_size": True,
            "size_choices": settings.PAGE_SIZE_CHOICES,
            "can_accept": permissions.can_open_acceptance(request.user),
            "can_decide_extensions": permissions.can_open_extension_queue(request.user),
        },
    )


@page_rule(permissions.can_open_extension_queue, _("延长审批期限须由部门负责人批准"))
def extension_queue_view(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.extension_queue(request.user))
    return render(request, "cases/extension_queue.html", {"page": page})
