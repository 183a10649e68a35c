"""The events that move a case's clocks: special procedures (听证、检验、检测、鉴定、专家评审) stop both clocks for
their working days (行政许可法 第四十五条), and an extension approved by the department head moves both
(第四十二条, at most 10 working days in all), each with its written notice to the applicant."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from cases import clocks, permissions
from cases.models import Case, CaseStatus, Extension, ExtensionState, NoticeKind, StepKind, Suspension
from cases.notices import issue_notice
from core.exceptions import TransitionNotAllowed
from standards.models import SpecialProcedure

from .common import ensure_handling, ensure_status, lock, moment, require_text
from .log import record_step

# The legal extension (行政许可法 第四十二条): at most 10 working days in all.
MAX_EXTENSION_DAYS = 10


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
    ensure_handling(actor, case)
    ensure_status(case, CaseStatus.IN_PROGRESS)
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
    ensure_handling(actor, case)
    ensure_status(case, CaseStatus.SUSPENDED)
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
    ensure_handling(actor, case)
    ensure_status(case, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
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
    ensure_status(case, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
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
