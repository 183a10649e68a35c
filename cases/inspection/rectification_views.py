"""The rectification (整改) pages: the list for the departments and the inspectors, and one rectification, where the
department replies and the inspector closes it or returns it."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import InspectionRectification, RectificationState
from cases.views.common import form_action
from core.pages import paginate

from . import permissions, selectors, services
from .forms import CloseForm, ReplyForm, ReturnForm
from .views import inspection_page


@inspection_page
def rectification_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    state = request.GET.get("state", "")
    state = state if state in {"late", "all", *RectificationState.values} else ""
    page = paginate(request, selectors.rectification_list(request.user, state=state, today=today))
    for rectification in page:  # the same lateness as the rectification's own page (closed late counts too)
        rectification.late = services.is_late(rectification, today)
    return render(
        request,
        "cases/inspection/rectifications.html",
        {
            "page": page,
            "state": state,
            "states": [("", _("未销号")), *RectificationState.choices, ("late", _("已超期")), ("all", _("全部"))],
            "today": today,
            "show_size": True,
            "size_choices": settings.PAGE_SIZE_CHOICES,
        },
    )


def _rectification_or_404(request: HttpRequest, pk: int) -> InspectionRectification:
    rectification = (
        permissions.visible_rectifications(request.user)
        .select_related(
            "inspection", "inspection__division", "organization", "sampled__case", "opened_by", "replied_by",
            "closed_by",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if rectification is None:
        raise Http404(_("没有找到该整改，或您无权查看"))
    return rectification


def _render(request: HttpRequest, rectification: InspectionRectification, status: int = 200, **forms):
    may_reply = rectification.state == RectificationState.OPEN and permissions.can_reply_rectification(
        request.user, rectification
    )
    may_close = rectification.state == RectificationState.REPLIED and permissions.can_close_rectification(
        request.user, rectification
    )
    context = {
        "r": rectification,
        "late": services.is_late(rectification, timezone.localdate()),
        "reply_form": forms.get("reply_form") or (ReplyForm() if may_reply else None),
        "close_form": forms.get("close_form") or (CloseForm() if may_close else None),
        "return_form": forms.get("return_form") or (ReturnForm() if may_close else None),
    }
    return render(request, "cases/inspection/rectification.html", context, status=status)


@inspection_page
def rectification_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _rectification_or_404(request, pk))


def _act(request, pk: int, form_class, form_name: str, service, done: str) -> HttpResponse:
    rectification = _rectification_or_404(request, pk)
    return form_action(
        request, form_class(request.POST), form_name,
        lambda data: service(rectification=rectification, actor=request.user, **data), done,
        render_page=lambda status, **forms: _render(request, rectification, status, **forms),
        back=redirect("cases:inspection_rectification", pk=rectification.pk),
    )  # fmt: skip


@require_POST
@inspection_page
def rectification_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReplyForm, "reply_form", services.rectification_reply, _("整改情况已回复"))


@require_POST
@inspection_page
def rectification_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, CloseForm, "close_form", services.rectification_close, _("整改已销号"))


@require_POST
@inspection_page
def rectification_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, ReturnForm, "return_form", services.rectification_return, _("已退回继续整改"))
