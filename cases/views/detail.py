"""The case page: header, applicant (masked, whole on request for those handling it — audited), both clocks with
suspensions and extensions, the checklist, the log, the notices, the alerts, and the form of each next action the
user may take. Every action posts here and goes through one service, which asks the permission again."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.masking import mask_id_number, mask_phone
from core import audit
from core.exceptions import TransitionNotAllowed
from core.pages import staff_required
from standards.models import InternalStep

from .. import clocks, permissions, selectors, services
from ..forms import (
    DecisionForm,
    DeliveryForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    FeeForm,
    OpinionForm,
    RefuseForm,
    SupplementForm,
    SuspendForm,
)
from ..models import Case, CaseStatus, ExtensionState
from ..services.common import pending_steps
from ..services.handling import STEP_STATUSES
from .common import Action, errors_into

WINDOW = (CaseStatus.RECEIVED, CaseStatus.SUPPLEMENT)


def _actions(request: HttpRequest, case: Case, data=None) -> dict[str, Action]:
    """The actions open to ``request.user`` on ``case`` now, their forms bound to ``data`` when posted."""
    user, actions = request.user, {}

    def add(name, title, form, run, button, style="btn-primary"):
        actions[name] = Action(name, title, form, run, button, style)

    if case.status in WINDOW and permissions.can_receive(user, case):
        missing = [m for m in case.materials.all() if m.required and not m.received]
        if case.status == CaseStatus.RECEIVED and not missing:
            add("accept", _("受理"), forms.Form(data), lambda f: services.case_accept(actor=user, case=case), _("受理"))
        if case.status == CaseStatus.RECEIVED and missing:
            add(
                "request_supplement",
                _("一次性告知补正"),
                forms.Form(data),
                lambda f: services.case_request_supplement(actor=user, case=case),
                _("出具补正材料通知书"),
                "btn-warning",
            )
        if missing:
            add(
                "supplement",
                _("收到补正材料"),
                SupplementForm(data, lines=missing),
                lambda f: services.case_supplement_received(
                    actor=user, case=case, material_ids=f.cleaned_data["material_ids"]
                ),
                _("登记补正材料"),
            )
        add(
            "refuse",
            _("不予受理"),
            RefuseForm(data),
            lambda f: services.case_refuse(actor=user, case=case, **f.cleaned_data),
            _("不予受理"),
            "btn-outline-danger",
        )
    handling = permissions.can_handle(user, case)
    if case.status in STEP_STATUSES:
        pending = pending_steps(case)
        step = pending[0] if pending else None
        if step is not None and step.step not in (InternalStep.DECIDE, InternalStep.DELIVER):
            if permissions.can_do_step(user, case, step.responsible_post):
                add(
                    "step",
                    _("办理环节：%(step)s（%(post)s）")
                    % {"step": step.get_step_display(), "post": step.responsible_post},
                    OpinionForm(data),
                    lambda f: services.case_do_step(
                        actor=user, case=case, manual_step=step, opinion=f.cleaned_data["opinion"]
                    ),
                    _("提交"),
                )
        elif (
            case.status == CaseStatus.IN_PROGRESS
            and (step is None or step.step in (InternalStep.DECIDE, InternalStep.DELIVER))
            and permissions.can_do_step(user, case, step.responsible_post if step else "")
        ):
            add(
                "decide",
                _("作出决定"),
                DecisionForm(data),
                lambda f: services.case_decide(actor=user, case=case, **f.cleaned_data),
                _("作出决定"),
            )
    suspensible = case.status == CaseStatus.IN_PROGRESS and handling and case.standard_id
    if suspensible and case.standard.special_procedures.exists():
        add(
            "suspend",
            _("启动特别程序（中止计时）"),
            SuspendForm(data, procedures=case.standard.special_procedures.all()),
            lambda f: services.case_suspend(actor=user, case=case, **f.cleaned_data),
            _("启动并出具告知书"),
            "btn-outline-secondary",
        )
    if case.status == CaseStatus.SUSPENDED and handling:
        add(
            "resume",
            _("特别程序结束，恢复计时"),
            forms.Form(data),
            lambda f: services.case_resume(actor=user, case=case),
            _("恢复计时"),
        )
    if case.status in (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED):
        requested = next((e for e in case.extensions.all() if e.state == ExtensionState.REQUESTED), None)
        if handling and requested is None:
            add(
                "extension",
                _("申请延长审批期限"),
                ExtensionRequestForm(data),
                lambda f: services.case_request_extension(actor=user, case=case, **f.cleaned_data),
                _("提交负责人审批"),
                "btn-outline-secondary",
            )
        if requested is not None and permissions.can_decide_extension(user, case):

            def decide_extension(f: forms.Form):
                if f.cleaned_data["extension"] != requested.pk:
                    raise TransitionNotAllowed(_("该延长申请已处理，请查看最新情况"))
                return services.case_decide_extension(
                    actor=user,
                    extension=requested,
                    approve=f.cleaned_data["approve"],
                    opinion=f.cleaned_data["opinion"],
                )

            add(
                "extension_decide",
                _("审批延长申请（%(days)d个工作日）") % {"days": requested.days},
                ExtensionDecisionForm(data, initial={"extension": requested.pk}),
                decide_extension,
                _("提交"),
            )
    if case.status == CaseStatus.DECIDED and handling:
        methods = case.standard.guide.delivery_methods if case.standard_id else []
        add(
            "deliver",
            _("送达"),
            DeliveryForm(data, methods=methods),
            lambda f: services.case_deliver(actor=user, case=case, **f.cleaned_data),
            _("登记送达"),
        )
    if case.status == CaseStatus.DELIVERED and handling:
        add("finish", _("办结"), forms.Form(data), lambda f: services.case_finish(actor=user, case=case), _("办结"))
    if handling and case.status in (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED, CaseStatus.DECIDED):
        add(
            "fee",
            _("登记收费"),
            FeeForm(data, fees=case.standard.fees.all() if case.standard_id else None),
            lambda f: services.case_charge(
                actor=user,
                case=case,
                fee_item=f.cleaned_data["fee_item"] or f.cleaned_data["other_name"],
                amount=f.cleaned_data["amount"],
            ),
            _("登记"),
            "btn-outline-secondary",
        )
    return actions


def _case_or_404(request: HttpRequest, number: str) -> Case:
    case = selectors.case_for_page(request.user, number)
    if case is None:
        raise Http404(_("没有找到该办件"))
    return case


def _render(request: HttpRequest, case: Case, actions: dict[str, Action], *, show_personal=False, status=200):
    legal, promised = clocks.clocks(case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "legal_clock": legal,
            "promised_clock": promised,
            "actions": list(actions.values()),
            "show_personal": show_personal,
            "can_see_personal": permissions.can_see_personal_data(request.user, case),
            "masked_id": mask_id_number(case.applicant_id_number),
            "masked_phone": mask_phone(case.applicant_phone),
            "benchmarks": list(case.standard.benchmarks.all()) if "decide" in actions and case.standard_id else [],
            "alerts": list(case.alerts.all()),
            "oversights": list(case.oversights.all()),
        },
        status=status,
    )


@staff_required
def case_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_404(request, number)
    if request.method != "POST":
        return _render(request, case, _actions(request, case))
    actions = _actions(request, case, request.POST)
    action = actions.get(request.POST.get("action", ""))
    if action is None:
        # A forged or stale post: an action this user may not take on the case as it is now.
        raise PermissionDenied(_("您不能对该办件进行此项操作，或办件状态已变化"))
    if action.form.is_valid():
        try:
            action.run(action.form)
        except ValidationError as exc:
            errors_into(action.form, exc, fields={"material_ids": "material_ids"})
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", number=case.number)
        else:
            messages.success(request, _("已办理：%(action)s") % {"action": action.title})
            return redirect("cases:detail", number=case.number)
    return _render(request, case, {**actions, action.name: action}, status=400)


@staff_required
@require_POST
def personal_data_view(request: HttpRequest, number: str) -> HttpResponse:
    """The ID number and phone whole, for the staff handling the case; every view is audited."""
    case = _case_or_404(request, number)
    if not permissions.can_see_personal_data(request.user, case):
        raise PermissionDenied(_("只有办理该办件的工作人员可以查看完整个人信息"))
    audit.record(
        audit.Kind.PERSONAL_DATA_VIEW,
        request=request,
        user=request.user,
        detail=_("办件 %(number)s 申请人 %(name)s") % {"number": case.number, "name": case.applicant_name},
    )
    return _render(request, case, _actions(request, case), show_personal=True)
