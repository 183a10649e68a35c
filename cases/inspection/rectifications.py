"""The rectification (整改) of an inspection's finding: opened by the inspector with a due date in working days,
answered by the department (text and evidence), closed (销号) or returned by the inspector. The department's heads
and approvers hear of it in their inbox, as with 督办."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.models import InspectedCase, InspectionRectification, InspectionState, RectificationState
from catalogue.models import Membership
from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError
from core.i18n import Message as M
from core.models import Notification
from core.notifications import Message, notify
from core.workdays import add_workdays

from . import permissions

MAX_WORKDAYS = 60
NOTIFY_ROLES = permissions.REPLY_ROLES


# --- rectification ----------------------------------------------------------------------------------------------------


def tell_department(rectification: InspectionRectification) -> int:
    """The new rectification in the inbox of the department's heads and approvers (as 督办 is)."""
    people = [
        m.user
        for m in Membership.objects.filter(
            organization_id=rectification.organization_id, role__in=NOTIFY_ROLES, user__is_active=True
        ).select_related("user")
    ]
    message = Message(
        kind=Notification.Kind.OVERSIGHT,
        key=f"inspection-rectification:{rectification.pk}",
        title=M(gettext_noop("抽查整改：%(title)s"), title=rectification.inspection.title),
        body=M(gettext_noop("请于%(due)s前回复整改情况和佐证材料。"), due=rectification.due.isoformat()),
        url=reverse("cases:inspection_rectification", args=[rectification.pk]),
    )
    return notify(people, message)


@transaction.atomic
def rectification_open(
    *, sampled: InspectedCase, actor: User, finding: str, workdays: int, today: dt.date | None = None
) -> InspectionRectification:
    """A finding put to the department of a drawn case, due ``workdays`` working days from today."""
    sampled = InspectedCase.objects.select_for_update().select_related("inspection__division").get(pk=sampled.pk)
    if not permissions.can_score_inspection(actor, sampled.inspection):
        raise PermissionDenied(_("只有计划抽查的监督机构可以提出整改。"))
    if sampled.inspection.state == InspectionState.PLANNED:
        raise TransitionNotAllowed(_("抽取样本后才能提出整改。"))
    errors = {}
    if not finding.strip():
        errors["finding"] = _("请写明发现的问题和整改要求。")
    if not 1 <= workdays <= MAX_WORKDAYS:
        errors["workdays"] = _("整改期限须为 1 到 %(n)s 个工作日。") % {"n": MAX_WORKDAYS}
    if errors:
        raise ValidationError(errors)
    rectification = InspectionRectification.objects.create(
        inspection=sampled.inspection, sampled=sampled, organization_id=sampled.organization_id,
        finding=finding.strip(), workdays=workdays, due=add_workdays(today or timezone.localdate(), workdays),
        opened_by=actor,
    )  # fmt: skip
    tell_department(rectification)
    return rectification


def _locked(rectification: InspectionRectification) -> InspectionRectification:
    return (
        InspectionRectification.objects.select_for_update()
        .select_related("inspection__division")
        .get(pk=rectification.pk)
    )


@transaction.atomic
def rectification_reply(
    *, rectification: InspectionRectification, actor: User, reply: str, evidence: str = ""
) -> InspectionRectification:
    """The department's answer: what was corrected, and the evidence."""
    rectification = _locked(rectification)
    if not permissions.can_reply_rectification(actor, rectification):
        raise PermissionDenied(_("只有整改单位的负责人或审批人员可以回复整改。"))
    if rectification.state != RectificationState.OPEN:
        raise TransitionNotAllowed(_("该整改当前不在待整改状态，不能回复。"))
    if not reply.strip():
        raise ValidationError({"reply": _("请填写整改情况。")})
    rectification.reply, rectification.evidence = reply.strip(), evidence.strip()
    rectification.state, rectification.replied_by, rectification.replied_at = (
        RectificationState.REPLIED,
        actor,
        timezone.now(),
    )
    rectification.save(update_fields=["reply", "evidence", "state", "replied_by", "replied_at"])
    return rectification


@transaction.atomic
def rectification_close(
    *, rectification: InspectionRectification, actor: User, note: str = "", today: dt.date | None = None
) -> InspectionRectification:
    """销号: the inspector accepts the reply. Closed after the due date counts as late."""
    rectification = _locked(rectification)
    if not permissions.can_close_rectification(actor, rectification):
        raise PermissionDenied(_("只有提出整改的监督机构可以销号。"))
    if rectification.state != RectificationState.REPLIED:
        raise TransitionNotAllowed(_("整改单位回复后才能销号。"))
    rectification.state, rectification.close_note = RectificationState.CLOSED, note.strip()
    rectification.closed_by, rectification.closed_at = actor, timezone.now()
    rectification.closed_on = today or timezone.localdate()
    rectification.save(update_fields=["state", "close_note", "closed_by", "closed_at", "closed_on"])
    return rectification


@transaction.atomic
def rectification_return(*, rectification: InspectionRectification, actor: User, note: str) -> InspectionRectification:
    """The reply is not enough: back to the department with a note. The due date stays: lateness is counted
    against the date first set."""
    rectification = _locked(rectification)
    if not permissions.can_close_rectification(actor, rectification):
        raise PermissionDenied(_("只有提出整改的监督机构可以退回整改。"))
    if rectification.state != RectificationState.REPLIED:
        raise TransitionNotAllowed(_("只有已回复的整改可以退回。"))
    if not note.strip():
        raise ValidationError({"note": _("退回时请写明需要继续整改的内容。")})
    rectification.state, rectification.close_note = RectificationState.OPEN, note.strip()
    rectification.returned_count += 1
    rectification.save(update_fields=["state", "close_note", "returned_count"])
    return rectification


def is_late(rectification: InspectionRectification, today: dt.date) -> bool:
    """Late: still not closed after the due date, or closed after it."""
    if rectification.state == RectificationState.CLOSED:
        return bool(rectification.closed_on and rectification.closed_on > rectification.due)
    return rectification.due < today
