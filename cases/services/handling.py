"""Handling along the business manual, after 受理: the manual's steps in order by their posts, the decision with
its remedies, delivery and 办结.

Each service locks the case, asks ``cases.permissions`` again, refuses what the case's state does not allow, and
appends its record through ``record_step`` — which refreshes the clocks, saves the case and runs the supervision
rules in the same transaction. Nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import permissions
from cases.models import Case, CaseStatus, Decision, NoticeKind, StepKind
from cases.notices import issue_notice, progress_path
from core.exceptions import TransitionNotAllowed
from standards.models import DeliveryMethod, InternalStep, ManualStep

from .common import (
    MIN_OPINION,
    ensure_handling,
    ensure_status,
    last_step_end,
    lock,
    moment,
    pending_steps,
    point_at_next_step,
    require_text,
    step_due,
)
from .log import record_step

# Steps that need a written opinion (审查、决定).
OPINION_STEPS = (InternalStep.REVIEW, InternalStep.DECIDE)
# The states in which the manual's own steps are recorded.
STEP_STATUSES = (CaseStatus.IN_PROGRESS, CaseStatus.DECIDED, CaseStatus.DELIVERED)
# Steps with services of their own.
OWN_SERVICE = {
    InternalStep.DECIDE: gettext_lazy("请通过“作出决定”办理该环节"),
    InternalStep.DELIVER: gettext_lazy("请通过“送达”办理该环节"),
}


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
    ensure_status(case, *STEP_STATUSES)
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
    ensure_status(case, CaseStatus.IN_PROGRESS)
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
    # 结果公开: a licensing decision is published right away (the beat catches any this misses).
    from cases.tasks import publish_results

    case_id = case.pk
    transaction.on_commit(lambda: publish_results.delay(case_id))
    return case


@transaction.atomic
def case_deliver(*, actor: User, case: Case, method: str, address: str = "", at: dt.datetime | None = None) -> Case:
    """送达 the decision by one of the guide's delivery methods."""
    case = lock(case)
    ensure_handling(actor, case)
    ensure_status(case, CaseStatus.DECIDED)
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
    ensure_handling(actor, case)
    ensure_status(case, CaseStatus.DELIVERED)
    at, today = moment(at)
    case.status = CaseStatus.FINISHED
    case.finished_at, case.finished_on = at, today
    case.current_step, case.current_step_due = "", None
    record_step(case, StepKind.FINISH, actor=actor, at=at, started_on=today)
    return case
