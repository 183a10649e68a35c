"""The applicant's evaluation pages, anonymous and made for a phone: 一事一评 from the case's signed link and 一次一评
from the QR code at the window. A second submission shows 已评价 and changes nothing."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cases.views.common import errors_into
from core.exceptions import TransitionNotAllowed, ValidationError
from hall.models import Ticket

from ..forms import EvaluationForm
from ..models import Channel, Evaluation, IndicatorKind, Target
from ..services import (
    AlreadyEvaluated,
    case_evaluable,
    evaluation_submit_for_case,
    evaluation_submit_for_visit,
    ticket_evaluable,
)
from ..services.submit import current_set
from ..tokens import case_from_token

TEMPLATE = "evaluation/public/evaluate.html"


def _page(request: HttpRequest, context: dict, *, submit, evaluable: bool, done: bool, kind: str, channel: str):
    if done:
        return render(request, TEMPLATE, {**context, "already": True})
    if not evaluable:
        return render(request, TEMPLATE, {**context, "not_yet": True})
    try:
        indicator_set = current_set(kind)
    except TransitionNotAllowed as exc:
        return render(request, TEMPLATE, {**context, "unavailable": exc.message}, status=503)
    if request.method != "POST":
        return render(request, TEMPLATE, {**context, "form": EvaluationForm(indicator_set=indicator_set)})
    form = EvaluationForm(request.POST, indicator_set=indicator_set)
    if not form.is_valid():
        return render(request, TEMPLATE, {**context, "form": form}, status=400)
    try:
        evaluation = submit(form.to_input(channel))
    except AlreadyEvaluated:
        return render(request, TEMPLATE, {**context, "already": True})
    except TransitionNotAllowed as exc:
        return render(request, TEMPLATE, {**context, "not_yet": True, "reason": exc.message}, status=409)
    except ValidationError as exc:
        errors_into(form, exc)
        return render(request, TEMPLATE, {**context, "form": form}, status=400)
    return render(request, TEMPLATE, {**context, "thanks": True, "evaluation": evaluation})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def evaluate_case(request: HttpRequest, token: str) -> HttpResponse:
    case = case_from_token(token)
    if case is None:
        raise Http404(_("评价链接无效"))
    done = Evaluation.objects.filter(case=case, target=Target.CASE).exists()
    context = {"title": _("一事一评"), "item": case.local_item.name, "number": case.number, "unit": case.organization}
    return _page(
        request,
        context,
        submit=lambda data: evaluation_submit_for_case(case=case, data=data),
        evaluable=case_evaluable(case),
        done=done,
        kind=IndicatorKind.ONLINE,
        channel=Channel.ONLINE,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def evaluate_visit(request: HttpRequest, token: str) -> HttpResponse:
    ticket = (
        Ticket.objects.select_related("hall", "window", "local_item").filter(evaluation_token=token).first()
        if 8 <= len(token) <= 32
        else None
    )
    if ticket is None:
        raise Http404(_("评价码无效"))
    done = Evaluation.objects.filter(ticket=ticket, target=Target.VISIT).exists()
    context = {
        "title": _("一次一评"),
        "item": ticket.local_item.name if ticket.local_item else "",
        "number": ticket.number,
        "unit": ticket.hall,
        "window": ticket.window,
    }
    return _page(
        request,
        context,
        submit=lambda data: evaluation_submit_for_visit(ticket=ticket, data=data),
        evaluable=ticket_evaluable(ticket),
        done=done,
        kind=IndicatorKind.COUNTER,
        channel=Channel.QR,
    )
