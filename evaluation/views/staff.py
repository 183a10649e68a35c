"""The staff pages: the evaluations list, the unit's rectification list and a rectification's page with its stage
actions and the appeal, the supervising office's appeal queue, and the QR code a window shows for a visit."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases.notices import qr_svg
from cases.views.common import errors_into
from core.audit import out_of_scope
from core.exceptions import TransitionNotAllowed, ValidationError
from core.pages import page_rule, paginate, staff_required
from hall.models import Ticket

from .. import permissions, selectors
from ..forms import AppealForm, DecideForm, StageForm
from ..models import OPEN_STAGES, Appeal, AppealState, Grade, Rectification, Stage, Target
from ..services import appeal_decide, appeal_file, rectification_advance
from ..tokens import visit_path

list_page = page_rule(permissions.can_open_evaluation_list, gettext_lazy("您没有查看好差评的权限"))
rectification_page = page_rule(permissions.can_open_rectification_list, gettext_lazy("您没有查看差评整改的权限"))
appeal_page = page_rule(permissions.can_open_appeal_queue, gettext_lazy("差评申诉由监督机构审核"))


def _sizes() -> dict:
    return {"show_size": True, "size_choices": settings.PAGE_SIZE_CHOICES}


@list_page
def evaluation_list_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.EvaluationFilters.from_query(request.GET)
    page = paginate(request, selectors.evaluation_list(request.user, filters))
    return render(
        request,
        "evaluation/evaluation_list.html",
        {"page": page, "filters": filters, "grades": Grade.choices, "targets": Target.choices, **_sizes()},
    )


@rectification_page
def rectification_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = selectors.RectificationFilters.from_query(request.GET)
    page = paginate(request, selectors.rectification_list(request.user, filters, today))
    return render(
        request,
        "evaluation/rectification_list.html",
        {
            "page": page,
            "filters": filters,
            "stages": Stage.choices,
            "today": today,
            "open_stages": list(OPEN_STAGES),
            "overdue_total": selectors.overdue_count(request.user, today),
            "can_decide_appeals": permissions.can_open_appeal_queue(request.user),
            **_sizes(),
        },
    )


def _rectification_or_404(request: HttpRequest, pk: int) -> Rectification:
    rectification = selectors.rectification_for_page(request.user, pk)
    if rectification is None:
        raise out_of_scope(request, Rectification, {"pk": pk}, _("没有找到该差评整改，或您无权查看"))
    return rectification


def _render_rectification(request: HttpRequest, rectification: Rectification, status: int = 200, **forms):
    user = request.user
    evaluation = rectification.evaluation
    appeals = list(evaluation.appeals.all())
    may_work = rectification.stage in OPEN_STAGES and permissions.can_work_rectification(user, rectification)
    may_appeal = (
        permissions.can_appeal(user, evaluation)
        and not evaluation.excluded
        and not any(a.state == AppealState.PENDING for a in appeals)
    )
    context = {
        "r": rectification,
        "evaluation": evaluation,
        "scores": list(evaluation.scores.all()),
        "steps": list(rectification.steps.all()),
        "appeals": appeals,
        "today": timezone.localdate(),
        "open": rectification.stage in OPEN_STAGES,
        "is_follow_up": rectification.stage == Stage.FOLLOW_UP,
        "stage_form": forms.get("stage_form") or (StageForm() if may_work else None),
        "appeal_form": forms.get("appeal_form") or (AppealForm() if may_appeal else None),
    }
    return render(request, "evaluation/rectification.html", context, status=status)


@rectification_page
def rectification_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_rectification(request, _rectification_or_404(request, pk))


@require_POST
@rectification_page
def rectification_advance_view(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _rectification_or_404(request, pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("有内容需要填写，请查看标红的字段"))
        return _render_rectification(request, rectification, 400, stage_form=form)
    done = rectification.get_stage_display()
    try:
        rectification_advance(rectification=rectification, actor=request.user, **form.cleaned_data)
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.message)
    except ValidationError as exc:
        errors_into(form, exc)
        return _render_rectification(request, rectification, 400, stage_form=form)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    else:
        messages.success(request, _("“%(stage)s”已办理") % {"stage": done})
    return redirect("evaluation:rectification", pk=rectification.pk)


@require_POST
@rectification_page
def appeal_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    rectification = _rectification_or_404(request, pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        return _render_rectification(request, rectification, 400, appeal_form=form)
    try:
        appeal_file(evaluation=rectification.evaluation, actor=request.user, **form.cleaned_data)
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.message)
    except ValidationError as exc:
        errors_into(form, exc)
        return _render_rectification(request, rectification, 400, appeal_form=form)
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    else:
        messages.success(request, _("申诉已提交，等待监督机构审核"))
    return redirect("evaluation:rectification", pk=rectification.pk)


@appeal_page
def appeal_list_view(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", AppealState.PENDING)
    state = state if state in (*AppealState.values, "all") else AppealState.PENDING
    page = paginate(request, selectors.appeal_list(request.user, "" if state == "all" else state))
    forms = {a.pk: DecideForm(prefix=f"a{a.pk}") for a in page.object_list if a.state == AppealState.PENDING}
    return render(
        request,
        "evaluation/appeal_list.html",
        {"page": page, "state": state, "states": AppealState.choices, "forms": forms, **_sizes()},
    )


@require_POST
@appeal_page
def appeal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = permissions.appeal_queue(request.user).filter(pk=pk).first()
    if appeal is None:
        raise out_of_scope(request, Appeal, {"pk": pk}, _("没有找到该申诉，或您无权审核"))
    form = DecideForm(request.POST, prefix=f"a{pk}")
    if not form.is_valid():
        messages.error(request, _("请选择审核结论并填写审核意见"))
        return redirect("evaluation:appeals")
    try:
        appeal_decide(appeal=appeal, actor=request.user, **form.cleaned_data)
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.message)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    else:
        messages.success(request, _("申诉已审核"))
    return redirect("evaluation:appeals")


@staff_required
def ticket_code_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The page a window shows its visitor (a second screen or the evaluation pad): the visit's QR code."""
    ticket = (
        Ticket.objects.filter(permissions.window_tickets_q(request.user), pk=pk)
        .select_related("hall", "window", "local_item")
        .distinct()
        .first()
    )
    if ticket is None:
        raise out_of_scope(request, Ticket, {"pk": pk}, _("没有找到该排队号，或您无权查看"))
    url = request.build_absolute_uri(visit_path(ticket.evaluation_token))
    return render(
        request,
        "evaluation/ticket_code.html",
        # segno writes the SVG itself from the URL, which holds only the ticket's random code.
        {"ticket": ticket, "url": url, "qr": mark_safe(qr_svg(url))},
    )
