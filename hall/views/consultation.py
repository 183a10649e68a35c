"""The consultation log for staff: the list, the record form for window/phone/mail questions, and a question's page
with the actions its viewer may take (take, answer, hand on, propose for the FAQ, approve or refuse the proposal).

Every action posts to the question's page and goes through one service, which asks the permission again; an action
the page would not offer is refused (403) before any form is read.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.views.common import Action, errors_into
from core import audit
from core.exceptions import ConflictError, TransitionNotAllowed
from core.pages import page_rule, paginate

from .. import permissions, selectors
from ..forms import AnswerForm, ConsultationRecordForm, FaqProposalForm, FaqRefusalForm, HandoverForm
from ..models import Consultation, ConsultationChannel, ConsultationStatus
from ..services import consultation as services

REFUSAL = gettext_lazy("您没有查看咨询记录的权限")


@page_rule(permissions.can_open_consultations, REFUSAL)
def consultation_list_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.ConsultationFilters.from_query(request.GET)
    page = paginate(request, selectors.consultation_list(request.user, filters))
    return render(
        request,
        "hall/consultation/list.html",
        {
            "page": page,
            "filters": filters,
            "today": timezone.localdate(),
            "statuses": ConsultationStatus.choices,
            "channels": ConsultationChannel.choices,
            "show_size": True,
            "size_choices": settings.PAGE_SIZE_CHOICES,
            "can_record": permissions.can_record_consultation(request.user),
            "unowned": selectors.unowned_count(request.user),
            "faq_waiting": selectors.faq_queue(request.user).count(),
        },
    )


@page_rule(permissions.can_record_consultation, REFUSAL)
def consultation_record_view(request: HttpRequest) -> HttpResponse:
    form = ConsultationRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = services.consultation_record(
                actor=request.user,
                channel=data["channel"],
                question=data["question"],
                local_item=data["local_item"],
                organization=None if data["local_item"] else data["organization"],
                asker_name=data["asker_name"],
                asker_phone=data["asker_phone"],
                answer=data["answer"],
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("咨询已登记，您是该咨询的首问责任人"))
            return redirect("consultations:detail", pk=consultation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "hall/consultation/record.html", {"form": form}, status=status)


@page_rule(permissions.can_open_consultations, REFUSAL)
def faq_queue_view(request: HttpRequest) -> HttpResponse:
    return render(request, "hall/consultation/faq_queue.html", {"rows": list(selectors.faq_queue(request.user))})


def _actions(request: HttpRequest, consultation: Consultation, data=None) -> dict[str, Action]:
    user, actions = request.user, {}

    def add(name, title, form, run, button, style="btn-primary"):
        actions[name] = Action(name, title, form, run, button, style)

    if permissions.can_take_consultation(user, consultation):
        add(
            "take",
            _("接办（成为首问责任人）"),
            forms.Form(data),
            lambda f: services.consultation_take(actor=user, consultation=consultation),
            _("接办"),
        )
    if permissions.can_answer_consultation(user, consultation):
        add(
            "answer",
            _("答复"),
            AnswerForm(data),
            lambda f: services.consultation_answer(
                actor=user, consultation=consultation, answer=f.cleaned_data["answer"]
            ),
            _("提交答复"),
        )
    if permissions.can_hand_over_consultation(user, consultation):

        def hand_over(f: HandoverForm):
            membership = f.membership
            return services.consultation_hand_over(
                actor=user,
                consultation=consultation,
                to_user=membership.user,
                to_organization=membership.organization,
                reason=f.cleaned_data["reason"],
            )

        add(
            "hand_over",
            _("移交"),
            HandoverForm(data, memberships=permissions.handover_memberships(consultation, user)),
            hand_over,
            _("移交"),
            "btn-outline-secondary",
        )
    if permissions.can_propose_faq(user, consultation):
        add(
            "propose_faq",
            _("申请公开到办事指南的常见问题"),
            FaqProposalForm(
                data,
                initial={"faq_question": consultation.question[:300], "faq_answer": consultation.answer},
            ),
            lambda f: services.consultation_propose_faq(
                actor=user,
                consultation=consultation,
                question=f.cleaned_data["faq_question"],
                answer=f.cleaned_data["faq_answer"],
            ),
            _("提交部门负责人审核"),
            "btn-outline-primary",
        )
    if permissions.can_decide_faq(user, consultation):
        add(
            "approve_faq",
            _("同意公开（写入办事指南修订稿）"),
            forms.Form(data),
            lambda f: services.consultation_approve_faq(actor=user, consultation=consultation),
            _("同意公开"),
        )
        add(
            "refuse_faq",
            _("不予公开"),
            FaqRefusalForm(data),
            lambda f: services.consultation_refuse_faq(
                actor=user, consultation=consultation, reason=f.cleaned_data["reason"]
            ),
            _("不予公开"),
            "btn-outline-danger",
        )
    return actions


def _render(request: HttpRequest, consultation: Consultation, actions: dict[str, Action], status: int = 200):
    return render(
        request,
        "hall/consultation/detail.html",
        {
            "c": consultation,
            "today": timezone.localdate(),
            "overdue": consultation.is_open and consultation.due_date < timezone.localdate(),
            "handoffs": list(consultation.handoffs.select_related("from_user", "to_user", "to_organization")),
            "actions": list(actions.values()),
        },
        status=status,
    )


@page_rule(permissions.can_open_consultations, REFUSAL)
def consultation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = selectors.consultation_for_page(request.user, pk)
    if consultation is None:
        raise audit.out_of_scope(request, Consultation, {"pk": pk}, _("没有找到该咨询"))
    if request.method != "POST":
        return _render(request, consultation, _actions(request, consultation))
    actions = _actions(request, consultation, request.POST)
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        raise PermissionDenied(_("您不能对该咨询进行此项操作，或咨询状态已变化"))
    if action.form.is_valid():
        try:
            action.run(action.form)
        except ValidationError as exc:
            errors_into(action.form, exc, fields={"question": "faq_question", "answer": "answer", "to": "to"})
        except (TransitionNotAllowed, ConflictError) as exc:
            messages.error(request, exc.message)
            return redirect("consultations:detail", pk=consultation.pk)
        else:
            messages.success(request, _("已办理：%(action)s") % {"action": action.title})
            return redirect("consultations:detail", pk=consultation.pk)
    return _render(request, consultation, {**actions, action.name: action}, status=400)
