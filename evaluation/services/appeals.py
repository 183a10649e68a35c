"""Appeals (申诉) against a mistaken or malicious grade: filed by the owning unit's heads, decided by the supervising
office. An upheld appeal excludes the grade from every figure and ends its rectification; the evaluation, the
rectification's records and the appeal all stay."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.exceptions import PermissionDenied, TransitionNotAllowed, ValidationError

from .. import permissions
from ..models import OPEN_STAGES, Appeal, AppealReason, AppealState, Evaluation, Rectification, Stage
from .common import moment

MIN_TEXT = 4
MIN_NOTE = 2


@transaction.atomic
def appeal_file(
    *, evaluation: Evaluation, actor: User, reason: str, statement: str, at: dt.datetime | None = None
) -> Appeal:
    evaluation = Evaluation.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    if not permissions.can_appeal(actor, evaluation):
        raise PermissionDenied(_("只有差评责任单位的负责人可以申诉"))
    if not evaluation.is_bad:
        raise TransitionNotAllowed(_("只有差评可以申诉"))
    if evaluation.excluded:
        raise TransitionNotAllowed(_("该差评的申诉已成立"))
    if evaluation.appeals.filter(state=AppealState.PENDING).exists():
        raise TransitionNotAllowed(_("该差评已有待审核的申诉"))
    errors = {}
    if reason not in AppealReason.values:
        errors["reason"] = _("请选择申诉类型")
    if len((statement or "").strip()) < MIN_TEXT:
        errors["statement"] = _("请写明申诉理由（至少 %(n)s 个字）") % {"n": MIN_TEXT}
    if errors:
        raise ValidationError(errors)
    at, _day = moment(at)
    try:
        with transaction.atomic():
            return Appeal.objects.create(
                evaluation=evaluation,
                organization_id=evaluation.organization_id,
                reason=reason,
                statement=statement.strip(),
                filed_by=actor,
                filed_at=at,
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed(_("该差评已有待审核的申诉")) from exc


@transaction.atomic
def appeal_decide(*, appeal: Appeal, actor: User, upheld: bool, note: str, at: dt.datetime | None = None) -> Appeal:
    appeal = Appeal.objects.select_for_update(of=("self",)).select_related("evaluation").get(pk=appeal.pk)
    if not permissions.can_decide_appeal(actor, appeal):
        raise PermissionDenied(_("只有监督机构可以审核申诉，且不得审核本单位的申诉"))
    if appeal.state != AppealState.PENDING:
        raise TransitionNotAllowed(_("该申诉已审核"))
    if len((note or "").strip()) < MIN_NOTE:
        raise ValidationError({"note": _("请填写审核意见（至少 %(n)s 个字）") % {"n": MIN_NOTE}})
    at, _day = moment(at)
    appeal.state = AppealState.UPHELD if upheld else AppealState.REJECTED
    appeal.decided_by = actor
    appeal.decided_at = at
    appeal.decision_note = note.strip()
    appeal.save()
    if upheld:
        Evaluation.objects.filter(pk=appeal.evaluation_id).update(excluded=True)
        Rectification.objects.filter(evaluation_id=appeal.evaluation_id, stage__in=OPEN_STAGES).update(
            stage=Stage.VOID, stage_due=None, closed_at=at
        )
    return appeal
