"""The window caller (叫号): the window's staff see the number in hand and the queues they serve, and call, recall,
mark no-show, start, finish, transfer — each a POST to one action view that calls one service.

受理 hands over to the cases app's acceptance page. ``cases`` cannot import ``hall`` (import order), so the hand-over
goes through the session and a hook: ``accept_view`` checks the ticket is this window's, remembers it in the session
and opens ``cases:accept`` for its item; when the acceptance page registers a case it calls the hooks listed in
``settings.CASE_ACCEPTED_HOOKS`` — here ``hall.hooks.link_accepted_case`` — which links the case to the remembered
ticket through ``queue.link_case`` (staff checked again). This keeps one acceptance page and one acceptance service,
rather than a hall copy of the form that would drift from it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.forms import ItemPickForm
from core.audit import out_of_scope
from core.exceptions import TransitionNotAllowed
from core.pages import page_rule
from hall import permissions, selectors
from hall.forms import TransferForm
from hall.models import Ticket, TicketStatus, Window
from hall.services import queue

SESSION_TICKET = "hall_accepting_ticket"


def _my_window(request: HttpRequest, window_id: int) -> Window:
    window = permissions.staffed_windows(request.user).select_related("hall").filter(pk=window_id).first()
    if window is None:
        raise out_of_scope(request, Window, {"pk": window_id}, _("窗口不存在"))
    return window


def _transfer_targets(window: Window):
    return Window.objects.filter(hall=window.hall, is_active=True).exclude(pk=window.pk).order_by("number")


@page_rule(permissions.can_open_caller, gettext_lazy("您不在任何窗口的岗位上"))
def windows_view(request: HttpRequest) -> HttpResponse:
    """The windows the user sits at; always a page (not a redirect to a single one), as the navigation expects."""
    windows = permissions.staffed_windows(request.user).select_related("hall").order_by("hall__name", "number")
    return render(request, "hall/windows.html", {"windows": windows})


@page_rule(permissions.can_open_caller, gettext_lazy("您不在任何窗口的岗位上"))
def caller_view(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _my_window(request, window_id)
    current = queue.current_ticket(window)
    return render(
        request,
        "hall/caller.html",
        {
            "window": window,
            "hall": window.hall,
            "current": current,
            "groups": selectors.groups_with_waiting(window.hall, selectors.today(), window=window),
            "transfer": TransferForm(windows=_transfer_targets(window)),
            "recall_minutes": int(queue.recall_wait().total_seconds() // 60),
        },
    )


ACTIONS = {
    "recall": queue.recall,
    "no_show": queue.mark_no_show,
    "start": queue.start,
    "finish": queue.finish,
}


@require_POST
@page_rule(permissions.can_open_caller, gettext_lazy("您不在任何窗口的岗位上"))
def act_view(request: HttpRequest, window_id: int) -> HttpResponse:
    """One button of the caller. The window and the ticket come from the form; the services check the staff and the
    ticket's state again, so a forged POST changes nothing it should not."""
    window = _my_window(request, window_id)
    action = request.POST.get("action", "")
    back = redirect("hall:caller", window_id=window.pk)
    try:
        if action == "call":
            ticket = queue.call_next(request.user, window)
            if ticket is None:
                messages.info(request, _("暂无等候的号码"))
            else:
                messages.success(
                    request, _("请%(number)s号到%(window)s窗口") % {"number": ticket.number, "window": window.number}
                )
            return back
        ticket = Ticket.objects.filter(pk=_int(request.POST.get("ticket")), hall=window.hall).first()
        if ticket is None:
            messages.error(request, _("号码不存在"))
            return back
        if action == "transfer":
            form = TransferForm(request.POST, windows=_transfer_targets(window))
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, errors[0])
                return back
            queue.transfer(request.user, window, ticket, form.cleaned_data["to_window"], form.cleaned_data["reason"])
            messages.success(
                request,
                _("%(number)s已转至%(to)s窗口")
                % {"number": ticket.number, "to": form.cleaned_data["to_window"].number},
            )
            return back
        service = ACTIONS.get(action)
        if service is None:
            messages.error(request, _("未知的操作"))
            return back
        service(request.user, window, ticket)
    except (ValidationError, TransitionNotAllowed) as exc:
        for message in getattr(exc, "messages", None) or [exc.message]:
            messages.error(request, message)
    return back


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
@page_rule(permissions.can_open_caller, gettext_lazy("您不在任何窗口的岗位上"))
def accept_view(request: HttpRequest, window_id: int, ticket_id: int) -> HttpResponse:
    """受理: remember the window's ticket in the session and open the cases acceptance page for its item."""
    window = _my_window(request, window_id)
    ticket = (
        Ticket.objects.select_related("booking")
        .filter(pk=ticket_id, window=window, status__in=(TicketStatus.CALLED, TicketStatus.SERVING))
        .first()
    )
    if ticket is None:
        messages.error(request, _("该号码不在本窗口办理中"))
        return redirect("hall:caller", window_id=window.pk)
    request.session[SESSION_TICKET] = {"ticket": ticket.pk, "window": window.pk}
    # The acceptance page lays out its checklist only once it knows the item and the situation: the booking's
    # situation if the number came from one, else the page's own default (新办), so the clerk lands on the form.
    query = {}
    if ticket.local_item_id:
        situation = ticket.booking.situation if ticket.booking_id else ItemPickForm.base_fields["situation"].initial
        query = {"local_item": ticket.local_item_id, "situation": situation}
    url = reverse("cases:accept")
    return redirect(f"{url}?{urlencode(query)}" if query else url)
