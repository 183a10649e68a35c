"""The electronic supervision pages: the supervisor view of open alerts and 督办, and a 督办's own page where the
department replies and the supervising office closes or sends it back."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import permissions
from cases.inspection import selectors as inspection_selectors
from cases.models import AlertLevel, AlertRule, Oversight, OversightState
from cases.services.oversight import oversight_close, oversight_reply, oversight_send_back
from cases.supervision import board
from cases.supervision.forms import OversightCloseForm, OversightReplyForm, OversightSendBackForm
from core.pages import page_rule, paginate

from .common import form_action

REFUSAL = gettext_lazy("电子监察页面仅对办件相关人员开放")
supervision_page = page_rule(permissions.can_open_supervision, REFUSAL)


@supervision_page
def supervision_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = board.Filters.of(request.GET)
    if filters.tab == "oversights":
        rows = board.oversights(request.user, filters, today)
    else:
        rows = board.open_alerts(request.user, filters)
    page = paginate(request, rows)
    replying = set()
    if filters.tab == "oversights":
        replying = {o.pk for o in page.object_list if permissions.can_reply_oversight(request.user, o)}
    return render(
        request,
        "cases/supervision/board.html",
        {
            "page": page,
            "filters": filters,
            "figures": board.counts(request.user, filters, today),
            "levels": [(AlertLevel.RED, AlertLevel.RED.label), (AlertLevel.YELLOW, AlertLevel.YELLOW.label)],
            "rules": AlertRule.choices,
            "states": [*OversightState.choices, ("overdue", _("已超期"))],
            "department_filter": board.department_choices(request.user, filters),
            "replying": replying,
            "today": today,
            "inspection_panel": inspection_selectors.department_panel(request.user, today),
            "show_size": True,
            "size_choices": settings.PAGE_SIZE_CHOICES,
        },
    )


def _oversight_or_404(request: HttpRequest, pk: int) -> Oversight:
    oversight = (
        Oversight.objects.filter(permissions.visible_cases_q(request.user, prefix="case__"), pk=pk)
        .select_related("case", "case__local_item", "alert", "organization", "replied_by", "closed_by")
        .first()
    )
    if oversight is None:
        raise Http404(_("没有找到该督办，或您无权查看"))
    return oversight


def _render_oversight(request: HttpRequest, oversight: Oversight, **forms) -> HttpResponse:
    may_reply = oversight.state == OversightState.OPEN and permissions.can_reply_oversight(request.user, oversight)
    may_close = oversight.state == OversightState.REPLIED and permissions.can_close_oversight(request.user, oversight)
    context = {
        "oversight": oversight,
        "alert": oversight.alert,
        "case": oversight.case,
        "overdue": oversight.state == OversightState.OPEN and oversight.reply_due < timezone.localdate(),
        "reply_form": forms.get("reply_form") or (OversightReplyForm() if may_reply else None),
        "close_form": forms.get("close_form") or (OversightCloseForm() if may_close else None),
        "back_form": forms.get("back_form") or (OversightSendBackForm() if may_close else None),
    }
    return render(request, "cases/supervision/oversight.html", context, status=400 if forms else 200)


@supervision_page
def oversight_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_oversight(request, _oversight_or_404(request, pk))


def _act(request: HttpRequest, oversight: Oversight, form, form_name: str, service, done: str) -> HttpResponse:
    return form_action(
        request, form, form_name, lambda data: service(oversight=oversight, actor=request.user, **data), done,
        render_page=lambda _status, **forms: _render_oversight(request, oversight, **forms),
        back=redirect("cases:oversight", pk=oversight.pk),
    )  # fmt: skip


@require_POST
@supervision_page
def oversight_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    oversight = _oversight_or_404(request, pk)
    form = OversightReplyForm(request.POST)
    return _act(request, oversight, form, "reply_form", oversight_reply, _("已答复督办，等待监察机构办结"))


@require_POST
@supervision_page
def oversight_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    oversight = _oversight_or_404(request, pk)
    form = OversightCloseForm(request.POST)
    return _act(request, oversight, form, "close_form", oversight_close, _("督办已办结"))


@require_POST
@supervision_page
def oversight_send_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    oversight = _oversight_or_404(request, pk)
    form = OversightSendBackForm(request.POST)
    return _act(request, oversight, form, "back_form", oversight_send_back, _("已退回责任单位重新答复"))
