"""What the cases app calls back into the hall (listed in ``settings.CASE_ACCEPTED_HOOKS``; cases cannot import
hall): a case registered at the window while a queue number was being served there is linked to that number."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from core.exceptions import TransitionNotAllowed
from hall.models import Ticket, Window
from hall.services import queue
from hall.views.caller import SESSION_TICKET


def link_accepted_case(request: HttpRequest, case) -> None:
    """Link ``case`` to the ticket the window's 受理 button remembered, once; a ticket that moved on in between is
    reported, never an error of the acceptance itself."""
    remembered = request.session.pop(SESSION_TICKET, None)
    if not remembered:
        return
    ticket = Ticket.objects.filter(pk=remembered.get("ticket")).first()
    window = Window.objects.filter(pk=remembered.get("window")).first()
    if ticket is None or window is None:
        return
    try:
        queue.link_case(request.user, window, ticket, case)
    except (PermissionDenied, ValidationError, TransitionNotAllowed):
        messages.warning(request, _("办件已登记，但未能关联排队号%(number)s") % {"number": ticket.number})
    else:
        messages.info(request, _("办件已关联排队号%(number)s") % {"number": ticket.number})
