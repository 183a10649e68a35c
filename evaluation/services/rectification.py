"""A bad grade's rectification: verify → rectify → reply to the applicant → follow-up call (回访).

Each stage is due ``EVALUATION_STAGE_WORKDAYS[stage]`` working days (``core.workdays``) after the previous stage
closed — the first after the grade was given — and closes with a written record that keeps its due date and whether
it was met. A real-name bad grade is followed up by telephone without exception: its follow-up stage does not close
without the call's time, caller and result. Only the unit that owns the grade works it.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue.models import Membership, Role
from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError
from core.i18n import Message as M
from core.models import Notification
from core.notifications import Message, notify
from core.workdays import add_workdays

from .. import permissions
from ..models import OPEN_STAGES, Evaluation, Rectification, RectificationStep, Stage
from .common import moment, next_stage, stage_workdays

MIN_NOTE = 2
NOTIFY_ROLES = (Role.DEPT_HEAD, Role.CENTER_SUPERVISOR)


def rectification_open(evaluation: Evaluation) -> Rectification:
    """Open the rectification of a bad grade (called in the evaluation's transaction) and tell the unit's heads."""
    day = moment(evaluation.submitted_at)[1]
    rectification = Rectification.objects.create(
        evaluation=evaluation,
        organization_id=evaluation.organization_id,
        division_id=evaluation.division_id,
        stage=Stage.VERIFY,
        stage_started_on=day,
        stage_due=add_workdays(day, stage_workdays(Stage.VERIFY)),
        opened_at=evaluation.submitted_at,
    )
    people = [
        m.user
        for m in Membership.objects.filter(
            organization_id=evaluation.organization_id, role__in=NOTIFY_ROLES, user__is_active=True
        ).select_related("user")
    ]
    notify(
        people,
        Message(
            kind=Notification.Kind.TASK,
            key=f"eval-rect:{rectification.pk}",
            title=M(gettext_noop("差评整改：%(grade)s"), grade=evaluation.get_grade_display()),
            body=M(gettext_noop("请于%(due)s前核实差评情况。"), due=rectification.stage_due.isoformat()),
            url=reverse("evaluation:rectification", args=[rectification.pk]),
        ),
    )
    return rectification


@transaction.atomic
def rectification_advance(
    *,
    rectification: Rectification,
    actor: User,
    note: str,
    call_at: dt.datetime | None = None,
    call_by: str = "",
    call_result: str = "",
    at: dt.datetime | None = None,
) -> Rectification:
    """Close the current stage with its written record and open the next one (the last closes the rectification)."""
    rectification = (
        Rectification.objects.select_for_update(of=("self",)).select_related("evaluation").get(pk=rectification.pk)
    )
    if not permissions.can_work_rectification(actor, rectification):
        raise PermissionDenied(_("只有该差评的责任单位可以办理整改"))
    if rectification.stage not in OPEN_STAGES:
        raise TransitionNotAllowed(
            _("该整改当前为“%(stage)s”，不能再办理") % {"stage": rectification.get_stage_display()}
        )
    errors: dict[str, str] = {}
    note = (note or "").strip()
    if len(note) < MIN_NOTE:
        errors["note"] = _("请填写办理记录（至少 %(n)s 个字）") % {"n": MIN_NOTE}
    call_by, call_result = (call_by or "").strip(), (call_result or "").strip()
    called = bool(call_at or call_by or call_result)
    if rectification.stage == Stage.FOLLOW_UP and (rectification.evaluation.is_real_name or called):
        if call_at is None:
            errors["call_at"] = _("实名差评须电话回访，请填写回访时间")
        if not call_by:
            errors["call_by"] = _("请填写回访人")
        if not call_result:
            errors["call_result"] = _("请填写回访结果")
    if errors:
        raise ValidationError(errors)
    at, day = moment(at)
    on_time = rectification.stage_due is None or day <= rectification.stage_due
    is_follow_up = rectification.stage == Stage.FOLLOW_UP
    RectificationStep.objects.create(
        rectification=rectification,
        stage=rectification.stage,
        note=note,
        actor=actor,
        at=at,
        due_on=rectification.stage_due,
        on_time=on_time,
        call_at=call_at if is_follow_up else None,
        call_by=call_by if is_follow_up else "",
        call_result=call_result if is_follow_up else "",
    )
    rectification.late = rectification.late or not on_time
    if is_follow_up and called:
        rectification.followed_up = True
    following = next_stage(rectification.stage)
    rectification.stage = following
    rectification.stage_started_on = day
    if following == Stage.CLOSED:
        rectification.stage_due = None
        rectification.closed_at = at
    else:
        rectification.stage_due = add_workdays(day, stage_workdays(following))
    rectification.save()
    return rectification
