"""The home page: it sums up every app for the signed-in person, so it lives above all of them."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from catalogue.access import can_open_home, role_titles
from catalogue.selectors import home_summary
from core import workdays
from standards import permissions

from .workbench import sections_for


def home(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors land on the public catalogue; staff on their workbench."""
    if not can_open_home(request.user):
        return redirect("public:index")
    return staff_home(request)


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The person's own to-dos, one section per role (``portal.workbench``), above the figures of their scope."""
    return render(
        request,
        "core/home.html",
        {
            "sections": sections_for(request.user),
            "summary": home_summary(request.user),
            "roles": role_titles(request.user),
            "calendar_warning": workdays.calendar_warning(can_enter=permissions.can_enter_workdays(request.user))
            if permissions.can_watch_calendar(request.user)
            else None,
        },
    )
