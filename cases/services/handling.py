"""Handling along the business manual, after 受理: the manual's steps in order by their posts, the decision with
its remedies, delivery, 办结, and the events that move the clocks (special procedures, extensions) or are recorded
beside them (fees).

Each service locks the case, asks ``cases.permissions`` again, refuses what the case's state does not allow, and
appends its record through ``record_step`` — which refreshes the clocks, saves the case and runs the supervision
rules in the same transaction. Nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import clocks, permissions
from cases.models import (
    Case,
    CaseFee,
    CaseStatus,
    Decision,
    Extension,
    ExtensionState,
    NoticeKind,
    StepKind,
    Suspension,
)
from cases.notices import issue_notice, progress_path
from core.exceptions import TransitionNotAllowed
from standards.models import DeliveryMethod, FeeItem, InternalStep, ManualStep, SpecialProcedure

from .common import MIN_OPINION, last_step_end, lock, moment, pending_steps, point_at_next_step, require_text, step_due
from .log import record_step

# The legal extension (行政许可法 第四十二条): at most 10 working days in all.
MAX_EXTENSION_DAYS = 10
# Steps that need a written opinion (审查、决定).
OPINION_STEPS = (InternalStep.REVIEW, InternalStep.DECIDE)
# The states in which the manual's own steps are recorded.
STEP_STATUSES = (CaseStatus.IN_PROGRESS, CaseStatus.DECIDED, CaseStatus.DELIVERED)
# Steps with services of their own.
OWN_SERVICE = {
    InternalStep.DECIDE: gettext_lazy("请通过“作出决定”办理该环节"),
    InternalStep.DELIVER: gettext_lazy("请通过“送达”办理该环节"),
}


def _ensure_handling(actor: User, case: Case) -> None:
    if not permissions.can_handle(actor, case):
        raise PermissionDenied(_("您无权办理该办件"))


def _ensure_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise TransitionNotAllowed(
            _("办件当前为“%(status)s”，不能进行此项操作") % {"status": case.get_status_display()}
        )


def _record_manual(case: Case, step: ManualStep, *, actor: User, at: dt.datetime, opinion: str, kind: str) -> None:
    started = last_step_end(case)
    record_kwargs = {
        "actor": actor,
        "at": at,
        "opinion": opinion,
        "post": step.responsible_post,
        "manual_step": step,
        "started_on": started,
        "due_on": step_due(started, step),
    }
    # Point at the step after this one before the record saves the case.
    done_on = moment(at)[1]
    remaining = [s for s in pending_steps(case) if s.pk != step.pk]
    case.current_step = remaining[0].step if remaining else ""
    case.current_step_due = step_due(done_on, remaining[0]) if remaining else None
    record_step(case, kind, **record_kwargs)


@transaction.atomic
def case_do_step(
    *, actor: User, case: Case, manual_step: ManualStep, opinion: str = "", at: dt.datetime | None = None
) -> Case:
    """Record the next step of the manual, done by a holder of its post (or their registered backup). Steps out of
    the manual's order are refused here; supervision still watches for them in cases from other systems."""
    case = lock(case)
    if not permissions.can_do_step(actor, case, manual_step.responsible_post):
        raise PermissionDenied(
            _("该环节须由“%(post)s”岗位人员（或其登记的B岗）办理") % {"post": manual_step.responsible_post}
        )
    # Steps after the decision (制证、归档) are done while the case is decided or delivered.
    _ensure_status(case, *STEP_STATUSES)
    pending = pending_steps(case)
    if not pending or pending[0].pk != manual_step.pk:
        expected = pending[0].get_step_display() if pending else _("无")
        raise TransitionNotAllowed(_("须按业务手册顺序办理，下一环节为“%(step)s”") % {"step": expected})
    if manual_step.step in OWN_SERVICE:
        raise TransitionNotAllowed(str(OWN_SERVICE[manual_step.step]))
    if manual_step.step in OPINION_STEPS:
        opinion = require_text(opinion, "opinion", _("审查、决定环节须填写书面意见（不少于4个字）"), least=MIN_OPINION)
    opinion = (opinion or "").strip()
    _record_manual(case, manual_step, actor=actor, at=moment(at)[0], opinion=opinion, kind=manual_step.step)
    return case


def _decide_step(case: Case) -> ManualStep | None:
    """The manual's decision step when it is next; refuses a decision with earlier steps still to do."""
    pending = pending_steps(case)
    decide = next((s for s in pending if s.step == InternalStep.DECIDE), None)
    before = pending[: pending.index(decide)] if decide else [s for s in pending if s.step in OPINION_STEPS]
    if before:
        raise TransitionNotAllowed(
            _("须按业务手册顺序办理，下一环节为“%(step)s”") % {"step": before[0].get_step_display()}
        )
    return decide


def decision_notice(case: Case, *, actor: User, at: dt.datetime, opinion: str):
    guide = case.standard.guide if case.standard_id else None
    return issue_notice(
        case,
        NoticeKind.DECISION,
        actor=actor,
        at=at,
        content={
            "item": case.local_item.name,
            "applicant": case.applicant_name,
            "decision": case.decision,
            "decision_label": str(Decision(case.decision).label),
            "reason": case.decision_reason,
            "opinion": opinion,
            "result_name": guide.result_name if guide else "",
            "review_channel": guide.review_channel if guide else "",
            "litigation_channel": guide.litigation_channel if guide else "",
            "decided_at": at,
            "progress_path": progress_path(case),
        },
    )


@transaction.atomic
def case_decide(
    *,
    actor: User,
    case: Case,
    decision: str,
    opinion: str,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """决定: 准予 or 不予 (with its reason), with the written opinion; the decision notice names the remedies
    (行政复议、行政诉讼) from the guide."""
    case = lock(case)
    _ensure_status(case, CaseStatus.IN_PROGRESS)
    step = _decide_step(case)
    if not permissions.can_do_step(actor, case, step.responsible_post if step else ""):
        raise PermissionDenied(
            _("该环节须由“%(post)s”岗位人员（或其登记的B岗）办理") % {"post": step.responsible_post if step else ""}
        )
    if decision not in Decision.values:
        raise ValidationError({"decision": _("请选择准予或不予")})
    opinion = require_text(opinion, "opinion", _("审查、决定环节须填写书面意见（不少于4个字）"), least=MIN_OPINION)
    if decision == Decision.DENY:
        reason = require_text(reason, "reason", _("不予许可须写明理由"))
    at = moment(at)[0]
    case.decision, case.decision_reason, case.decided_at = decision, (reason or "").strip(), at
    case.status = CaseStatus.DECIDED
    decision_notice(case, actor=actor, at=at, opinion=opinion)
    if step is not None:
        _record_manual(case, step, actor=actor, at=at, opinion=opinion, kind=StepKind.DECIDE)
    else:
        started = last_step_end(case)
        point_at_next_step(case, since=moment(at)[1])
        record_step(case, StepKind.DECIDE, actor=actor, at=at, opinion=opinion, started_on=started)
    return case


@transaction.atomic
def case_deliver(*, actor: User, case: Case, method: str, address: str = "", at: dt.datetime | None = None) -> Case:
    """送达 the decision by one of the guide's delivery methods."""
    case = lock(case)
    _ensure_handling(actor, case)
    _ensure_status(case, CaseStatus.DECIDED)
    methods = list(case.standard.guide.delivery_methods or []) if case.standard_id else list(DeliveryMethod.values)
    if method not in methods:
        raise ValidationError({"method": _("送达方式须为办事指南所列方式之一")})
    address = (address or "").strip()
    if method == DeliveryMethod.POST and not address:
        raise ValidationError({"address": _("邮寄送达须填写送达地址")})
    pending = pending_steps(case)
    deliver = next((s for s in pending if s.step == InternalStep.DELIVER), None)
    before = pending[: pending.index(deliver)] if deliver else [s for s in pending if s.step != InternalStep.ARCHIVE]
    if before:
        raise TransitionNotAllowed(
            _("须按业务手册顺序办理，下一环节为“%(step)s”") % {"step": before[0].get_step_display()}
        )
    if deliver is not None and not permissions.can_do_step(actor, case, deliver.responsible_post):
        raise PermissionDenied(
            _("该环节须由“%(post)s”岗位人员（或其登记的B岗）办理") % {"post": deliver.responsible_post}
        )
    at = moment(at)[0]
    case.status = CaseStatus.DELIVERED
    case.delivery_method, case.delivery_address, case.delivered_at = method, address, at
    opinion = str(DeliveryMethod(method).label) + (f"：{address}" if address else "")
    if deliver is not None:
        _record_manual(case, deliver, actor=actor, at=at, opinion=opinion, kind=StepKind.DELIVER)
    else:
        started = last_step_end(case)
        point_at_next_step(case, since=moment(at)[1])
        record_step(case, StepKind.DELIVER, actor=actor, at=at, opinion=opinion, started_on=started)
    return case


@transaction.atomic
def case_finish(*, actor: User, case: Case, at: dt.datetime | None = None) -> Case:
    """办结: the case is closed once the decision was delivered; its clocks stop."""
    case = lock(case)
    _ensure_handling(actor, case)
    _ensure_status(case, CaseStatus.DELIVERED)
    at, today = moment(at)
    case.status = CaseStatus.FINISHED
    case.finished_at, case.finished_on = at, today
    case.current_step, case.current_step_due = "", None
    record_step(case, StepKind.FINISH, actor=actor, at=at, started_on=today)
    return case


# --- the clocks -----------------------------------------------------------------------------------------------------


@transaction.atomic
def case_suspend(
    *,
    actor: User,
    case: Case,
    special_procedure: SpecialProcedure | str,
    reason: str,
    planned_days: int,
    at: dt.datetime | None = None,
) -> Suspension:
    """Start a special procedure of the standard (听证、检验、检测、鉴定、专家评审): both clocks stop, and the
    applicant is told in writing how long it is planned to take."""
    case = lock(case)
    _ensure_handling(actor, case)
    _ensure_status(case, CaseStatus.IN_PROGRESS)
    rows = list(case.standard.special_procedures.all()) if case.standard_id else []
    if isinstance(special_procedure, SpecialProcedure):
        procedure = next((p for p in rows if p.pk == special_procedure.pk), None)
    else:
        procedure = next((p for p in rows if p.name == (special_procedure or "").strip()), None)
    if procedure is None:
        raise ValidationError({"special_procedure": _("只能启动审批标准所列的特殊环节")})
    reason = require_text(reason, "reason", _("请写明启动特殊环节的事由"))
    try:
        planned_days = int(planned_days)
    except (TypeError, ValueError):
        planned_days = 0
    if planned_days < 1:
        raise ValidationError({"planned_days": _("请填写预计所需工作日（至少1个）")})
    at, today = moment(at)
    notice = issue_notice(
        case,
        NoticeKind.SUSPENSION,
        actor=actor,
        at=at,
        content={
            "item": case.local_item.name,
            "applicant": case.applicant_name,
            "procedure": procedure.name,
            "reason": reason,
            "planned_days": planned_days,
            "started_on": today,
            "basis": procedure.legal_basis,
        },
    )
    suspension = Suspension.objects.create(
        case=case,
        special_procedure=procedure,
        name=procedure.name,
        reason=reason,
        planned_days=planned_days,
        started_on=today,
        started_by=actor,
        notice=notice,
    )
    case.status, case.suspended_since = CaseStatus.SUSPENDED, today
    record_step(case, StepKind.SUSPEND, actor=actor, at=at, opinion=f"{procedure.name}：{reason}", started_on=today)
    return suspension


@transaction.atomic
def case_resume(*, actor: User, case: Case, at: dt.datetime | None = None) -> Case:
    """End the special procedure: its working days are added to the case's stopped time, the clocks run again."""
    case = lock(case)
    _ensure_handling(actor, case)
    _ensure_status(case, CaseStatus.SUSPENDED)
    at, today = moment(at)
    suspension = case.suspensions.select_for_update().filter(ended_on__isnull=True).order_by("-pk").first()
    counted = clocks.suspended_workdays(case.suspended_since, today)
    if suspension is not None:
        suspension.ended_on, suspension.counted_days = today, counted
        suspension.save(update_fields=["ended_on", "counted_days"])
    case.suspended_days += counted
    case.suspended_since = None
    case.status = CaseStatus.IN_PROGRESS
    name = suspension.name if suspension else ""
    record_step(
        case,
        StepKind.RESUME,
        actor=actor,
        at=at,
        opinion=_("%(name)s结束，不计时%(days)d个工作日") % {"name": name, "days": counted},
    )
    return case


def _extension_days_used(case: Case, *states: str) -> int:
    return case.extensions.filter(state__in=states).aggregate(n=Sum("days"))["n"] or 0


@transaction.atomic
def case_request_extension(
    *, actor: User, case: Case, reason: str, days: int = MAX_EXTENSION_DAYS, at: dt.datetime | None = None
) -> Extension:
    """Ask the department head to extend the limit (第四十二条), with the reason the applicant will be told."""
    case = lock(case)
    _ensure_handling(actor, case)
    _ensure_status(case, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
    reason = require_text(reason, "reason", _("请写明延长审批期限的理由"))
    if case.extensions.filter(state=ExtensionState.REQUESTED).exists():
        raise TransitionNotAllowed(_("已有待批准的延长申请"))
    used = _extension_days_used(case, ExtensionState.APPROVED)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if days < 1 or used + days > MAX_EXTENSION_DAYS:
        raise ValidationError(
            {
                "days": _("延长期限合计不得超过%(max)d个工作日，还可延长%(left)d个工作日")
                % {"max": MAX_EXTENSION_DAYS, "left": MAX_EXTENSION_DAYS - used}
            }
        )
    at = moment(at)[0]
    extension = Extension.objects.create(case=case, days=days, reason=reason, requested_by=actor, requested_at=at)
    record_step(
        case,
        StepKind.EXTEND_REQUEST,
        actor=actor,
        at=at,
        opinion=_("申请延长%(days)d个工作日：%(reason)s") % {"days": days, "reason": reason},
    )
    return extension


@transaction.atomic
def case_decide_extension(
    *, actor: User, extension: Extension, approve: bool, opinion: str = "", at: dt.datetime | None = None
) -> Extension:
    """The head approves or refuses an extension; an approval moves both clocks and issues the
    延长审批期限告知书 with the reason."""
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    case = lock(extension.case)
    if not permissions.can_decide_extension(actor, case):
        raise PermissionDenied(_("延长审批期限须由部门负责人批准"))
    if extension.state != ExtensionState.REQUESTED:
        raise TransitionNotAllowed(_("该延长申请已处理"))
    _ensure_status(case, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
    opinion = (opinion or "").strip()
    if not approve:
        opinion = require_text(opinion, "opinion", _("不批准延长须写明意见"))
    at = moment(at)[0]
    extension.decided_by, extension.decided_at, extension.head_opinion = actor, at, opinion
    if approve:
        if _extension_days_used(case, ExtensionState.APPROVED) + extension.days > MAX_EXTENSION_DAYS:
            raise ValidationError(_("延长期限合计不得超过%(max)d个工作日") % {"max": MAX_EXTENSION_DAYS})
        extension.state = ExtensionState.APPROVED
        case.extension_days += extension.days
        clocks.refresh(case, today=moment(at)[1])
        extension.notice = issue_notice(
            case,
            NoticeKind.EXTENSION,
            actor=actor,
            at=at,
            content={
                "item": case.local_item.name,
                "applicant": case.applicant_name,
                "days": extension.days,
                "reason": extension.reason,
                "legal_due": case.legal_due,
                "promised_due": case.promised_due,
                "approved_by": actor.get_full_name() or actor.get_username(),
            },
        )
        kind = StepKind.EXTEND_APPROVE
    else:
        extension.state = ExtensionState.REFUSED
        kind = StepKind.EXTEND_REFUSE
    extension.save()
    record_step(case, kind, actor=actor, at=at, opinion=opinion or extension.reason)
    return extension


@transaction.atomic
def case_charge(*, actor: User, case: Case, fee_item: FeeItem | str, amount, at: dt.datetime | None = None) -> CaseFee:
    """Record a fee actually charged. A fee off the standard's rows is recorded as charged (with no row), and
    supervision raises it."""
    case = lock(case)
    _ensure_handling(actor, case)
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        amount = Decimal("-1")
    if amount <= 0 or amount.as_tuple().exponent < -2:
        raise ValidationError({"amount": _("请填写收费金额（元，最多两位小数）")})
    if isinstance(fee_item, FeeItem):
        if fee_item.standard_id != case.standard_id:
            raise ValidationError({"fee_item": _("收费项目不属于本办件适用的审批标准")})
        row, name = fee_item, fee_item.name
    else:
        name = require_text(fee_item, "fee_item", _("请填写收费项目"))
        row = case.standard.fees.filter(name=name).first() if case.standard_id else None
    at = moment(at)[0]
    fee = CaseFee.objects.create(case=case, fee_item=row, name=name, amount=amount, charged_at=at, recorded_by=actor)
    opinion = _("%(name)s %(amount)s元") % {"name": name, "amount": amount}
    record_step(case, StepKind.FEE, actor=actor, at=at, opinion=opinion)
    return fee
