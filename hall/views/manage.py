"""Hall management for the service centre's supervisors: the windows with their staff (A/B), items and groups, and a
plain edit of a window's staff and items. Everything else about a hall is in the Django admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import access as catalogue_access
from catalogue.models import LocalItem, LocalItemStatus
from core.audit import out_of_scope
from core.pages import page_rule
from hall import permissions
from hall.forms import WindowEditForm
from hall.models import Hall, ServiceGroup, StaffRole, Window, WindowStaff
from hall.services.windows import window_staff_set


def _managed_hall(request: HttpRequest, hall_id: int) -> Hall:
    hall = permissions.managed_halls(request.user).select_related("division").filter(pk=hall_id).first()
    if hall is None:
        raise out_of_scope(request, Hall, {"pk": hall_id}, _("大厅不存在"))
    return hall


@page_rule(permissions.can_open_hall_management, gettext_lazy("您没有管理服务大厅的权限"))
def manage_view(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = _managed_hall(request, hall_id)
    windows = (
        Window.objects.filter(hall=hall)
        .select_related("department")
        .prefetch_related(
            Prefetch(
                "staff",
                queryset=WindowStaff.objects.filter(is_active=True)
                .select_related("user")
                .order_by("role", "user__username"),
                to_attr="on_duty",
            ),
            Prefetch("items", queryset=LocalItem.objects.order_by("name").only("pk", "name")),
            Prefetch("groups", queryset=ServiceGroup.objects.order_by("prefix")),
        )
        .order_by("number")
    )
    groups = ServiceGroup.objects.filter(hall=hall).prefetch_related("windows").order_by("prefix")
    return render(
        request, "hall/manage.html", {"hall": hall, "windows": windows, "groups": groups, "A": StaffRole.PRIMARY}
    )


def _people(hall: Hall):
    return (
        User.objects.filter(
            catalogue_access.subtree_q([hall.division], "memberships__organization__division__"),
            memberships__role__in=permissions.WINDOW_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


def _items(hall: Hall):
    return LocalItem.objects.filter(
        catalogue_access.subtree_q([hall.division], "division__"), status=LocalItemStatus.ACTIVE
    ).order_by("name")


@page_rule(permissions.can_open_hall_management, gettext_lazy("您没有管理服务大厅的权限"))
def window_edit_view(request: HttpRequest, hall_id: int, window_id: int) -> HttpResponse:
    hall = _managed_hall(request, hall_id)
    window = Window.objects.filter(hall=hall, pk=window_id).first()
    if window is None:
        raise out_of_scope(request, Window, {"pk": window_id}, _("窗口不存在"))
    on_duty = WindowStaff.objects.filter(window=window, is_active=True)
    initial = {
        "primary": [s.user_id for s in on_duty if s.role == StaffRole.PRIMARY],
        "backup": [s.user_id for s in on_duty if s.role == StaffRole.BACKUP],
        "items": list(window.items.values_list("pk", flat=True)),
    }
    form = WindowEditForm(request.POST or None, initial=initial, people=_people(hall), items=_items(hall))
    if request.method == "POST" and form.is_valid():
        window_staff_set(actor=request.user, window=window, **form.cleaned_data)
        messages.success(request, _("窗口%(number)s的人员和事项已保存") % {"number": window.number})
        return redirect("hall:manage", hall_id=hall.pk)
    return render(
        request,
        "hall/window_edit.html",
        {"hall": hall, "window": window, "form": form},
        status=400 if form.errors else 200,
    )
