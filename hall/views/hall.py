"""The hall's public pages — the kiosk (取号) and the big-screen display — and the staff's hall index and figures.

The kiosk and the display are anonymous: a visitor or a screen in the hall needs no login. The display polls
``display.json`` (plain script in ``static/js/hall_display.js``), which costs a bounded number of queries whatever
the queue length.
"""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from core.audit import out_of_scope
from core.pages import page_rule
from hall import permissions, selectors
from hall.forms import DayForm, TakeTicketForm
from hall.models import Hall, ServiceGroup, Ticket
from hall.services import queue

TICKET_SALT = "hall.kiosk.ticket"


def _public_hall(hall_id: int) -> Hall:
    return get_object_or_404(Hall, pk=hall_id, is_active=True)


def kiosk_view(request: HttpRequest, hall_id: int) -> HttpResponse:
    """Big buttons, one per group; a priority and a phone may be given. Works on a phone as on the kiosk."""
    hall = _public_hall(hall_id)
    groups = ServiceGroup.objects.filter(hall=hall, is_active=True).order_by("prefix")
    form = TakeTicketForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = queue.take_ticket(
                group=form.cleaned_data["group"],
                priority=form.cleaned_data["priority"],
                phone=form.cleaned_data["phone"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("hall:kiosk_ticket", hall_id=hall.pk, key=signing.dumps(ticket.pk, salt=TICKET_SALT))
    closed = queue.closed_message(hall, queue.timezone.now())
    day = selectors.today()
    return render(
        request,
        "hall/kiosk.html",
        {"hall": hall, "form": form, "groups": selectors.groups_with_waiting(hall, day), "closed": closed},
        status=400 if form.errors else 200,
    )


def kiosk_ticket_view(request: HttpRequest, hall_id: int, key: str) -> HttpResponse:
    """The printed (or phone-shown) number with how many wait ahead; the address is signed, so numbers cannot be
    walked through."""
    try:
        pk = signing.loads(key, salt=TICKET_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature:
        raise Http404(_("号码不存在")) from None
    ticket = get_object_or_404(Ticket.objects.select_related("group", "hall", "window"), pk=pk, hall_id=hall_id)
    return render(
        request,
        "hall/ticket.html",
        {"ticket": ticket, "hall": ticket.hall, "ahead": selectors.waiting_ahead(ticket)},
    )


def display_view(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = _public_hall(hall_id)
    state = selectors.display_state(hall, selectors.today())
    return render(
        request,
        "hall/display.html",
        {"hall": hall, "state": state, "json_url": reverse("hall:display_json", args=[hall.pk])},
    )


@never_cache
def display_json_view(request: HttpRequest, hall_id: int) -> JsonResponse:
    """The display's poll: latest calls and waiting counts — three queries whatever the queue length."""
    hall = Hall.objects.filter(pk=hall_id, is_active=True).first()
    if hall is None:
        return JsonResponse({"detail": _("大厅不存在")}, status=404)
    return JsonResponse(selectors.display_state(hall, selectors.today()))


@page_rule(permissions.can_open_hall_index, gettext_lazy("您没有查看服务大厅的权限"))
def index_view(request: HttpRequest) -> HttpResponse:
    halls = permissions.figure_halls(request.user).select_related("division", "organization").order_by("name")
    managed = set(permissions.managed_halls(request.user).values_list("pk", flat=True))
    return render(request, "hall/index.html", {"halls": halls, "managed": managed})


@page_rule(permissions.can_open_hall_figures, gettext_lazy("您没有查看大厅统计的权限"))
def figures_view(request: HttpRequest, hall_id: int) -> HttpResponse:
    hall = permissions.figure_halls(request.user).filter(pk=hall_id).first()
    if hall is None:
        raise out_of_scope(request, Hall, {"pk": hall_id}, _("大厅不存在"))
    form = DayForm(request.GET or None)
    day = selectors.today()
    if form.is_bound and form.is_valid() and form.cleaned_data["day"]:
        day = form.cleaned_data["day"]
    elif form.is_bound and form.errors:
        messages.error(request, form.errors["day"][0])
    return render(
        request,
        "hall/figures.html",
        {
            "hall": hall,
            "form": form,
            "day": day,
            "windows": selectors.window_figures(hall, day),
            "items": selectors.busiest_items(hall, day),
            "totals": selectors.hall_totals(hall, day),
        },
    )
