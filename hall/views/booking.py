"""The arrival desk (/hall/bookings/arrive/): hall staff type or scan the booking code; the booking is marked arrived
and a priority (预约) queue number is taken for it. Today's bookings of the user's halls are listed below."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import TransitionNotAllowed
from core.pages import page_rule

from .. import permissions, selectors
from ..forms import ArrivalForm
from ..models import Booking
from ..services import booking as bookings


@page_rule(permissions.can_open_arrivals, gettext_lazy("只有大厅窗口和服务中心的工作人员可以登记预约到场"))
def arrive_view(request: HttpRequest) -> HttpResponse:
    form = ArrivalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            booking = (
                Booking.objects.filter(
                    code=form.cleaned_data["code"], group__hall__in=permissions.arrival_halls(request.user)
                )
                .select_related("group__hall")
                .first()
            )
            if booking is None:
                # The same answer whether the code is unknown or another hall's: codes reveal nothing.
                form.add_error("code", _("本大厅没有该预约码的预约"))
            else:
                try:
                    ticket = bookings.booking_arrive(actor=request.user, booking=booking)
                except (TransitionNotAllowed, ValidationError) as exc:
                    form.add_error("code", exc.message if isinstance(exc, TransitionNotAllowed) else exc.messages[0])
                else:
                    messages.success(
                        request,
                        _("%(name)s 已到场，优先号 %(number)s") % {"name": booking.name, "number": ticket.number},
                    )
                    return redirect("bookings:arrive")
    rows = list(selectors.arrivals_today(request.user))
    return render(request, "hall/booking/arrive.html", {"form": form, "rows": rows}, status=status)
