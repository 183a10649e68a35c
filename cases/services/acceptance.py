"""Acceptance at the window (受理), as 行政许可法 第三十二条 sets it.

The clerk picks the item and the business situation; the checklist is laid out from the materials of the standard
published that day, which the case keeps for good. What was received decides the outcome: 受理 when every required
material is there, 一次性告知 (补正) naming exactly the missing ones, 不予受理 with its reason, or 即办 — accepted,
decided and finished at once — for items the standard marks so. A clerk may also only receive, and tell the applicant
what is missing later (within 5 working days, which supervision watches); when the last missing material arrives the
case is accepted that day. Every outcome writes its notice and its records through ``record_step``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import clocks, permissions
from cases.models import ApplicantKind, Case, CaseMaterial, CaseSource, CaseStatus, Decision, NoticeKind, StepKind
from cases.notices import issue_notice, progress_path
from cases.numbers import next_case_number
from catalogue.models import LocalItem
from core.exceptions import TransitionNotAllowed
from standards.models import ItemStandard, Material, Necessity, Situation

from .common import (
    limits_from_guide,
    lock,
    moment,
    point_at_next_step,
    require_text,
    step_due,
    window_step,
)
from .log import record_step


class Outcome(TextChoices):
    ACCEPT = "accept", gettext_lazy("受理")
    SUPPLEMENT = "supplement", gettext_lazy("一次性告知补正")
    REFUSE = "refuse", gettext_lazy("不予受理")
    IMMEDIATE = "immediate", gettext_lazy("即办")
    RECEIVE = "receive", gettext_lazy("仅收件（稍后告知）")


AT_THE_WINDOW = (CaseStatus.RECEIVED, CaseStatus.SUPPLEMENT)


def published_standard(local_item: LocalItem) -> ItemStandard | None:
    return ItemStandard.objects.published().select_related("guide").filter(local_item=local_item).first()


def checklist_materials(standard: ItemStandard, situation: str) -> list[Material]:
    """The standard's materials for ``situation``, or those for 新办 when it lists none for it."""
    rows = list(standard.materials.filter(situation=situation).order_by("position", "pk"))
    if not rows and situation != Situation.NEW:
        rows = list(standard.materials.filter(situation=Situation.NEW).order_by("position", "pk"))
    return rows


def is_immediate_item(standard: ItemStandard) -> bool:
    return limits_from_guide(standard)[2]


@transaction.atomic
def case_receive(
    *,
    actor: User,
    local_item: LocalItem,
    situation: str = Situation.NEW,
    applicant_name: str,
    applicant_kind: str = ApplicantKind.PERSON,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    applicant_address: str = "",
    legal_representative: str = "",
    contact_name: str = "",
    received: Mapping[int, bool] | None = None,
    outcome: str = Outcome.ACCEPT,
    reason: str = "",
    competent_body: str = "",
    opinion: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Receive an application for ``local_item`` and give it ``outcome``; raises ``PermissionDenied`` for an item
    the actor may not accept, ``ValidationError`` (by field) for bad input, and then nothing is saved."""
    if not permissions.can_accept_for(actor, local_item):
        raise PermissionDenied(_("您无权受理该事项的申请"))
    local_item = LocalItem.objects.select_related("general_item", "organization", "division").get(pk=local_item.pk)
    standard = published_standard(local_item)
    if standard is None:
        raise ValidationError({"local_item": _("该事项尚无已发布的审批标准，不能受理")})
    if situation not in Situation.values:
        raise ValidationError({"situation": _("请选择业务情形")})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择受理结果")})
    applicant_name = require_text(applicant_name, "applicant_name", _("请填写申请人名称"))
    if applicant_kind not in ApplicantKind.values:
        raise ValidationError({"applicant_kind": _("请选择申请人类型")})
    materials = checklist_materials(standard, situation)
    received = {int(k): bool(v) for k, v in (received or {}).items()}
    unknown = set(received) - {m.pk for m in materials}
    if unknown:
        raise ValidationError({"received": _("所勾选的材料不在该事项本业务情形的材料目录中")})
    missing = [m.name for m in materials if m.necessity == Necessity.REQUIRED and not received.get(m.pk)]
    if outcome in (Outcome.ACCEPT, Outcome.IMMEDIATE) and missing:
        raise ValidationError(
            {"outcome": _("尚缺必要材料：%(names)s，应一次性告知补正") % {"names": "、".join(missing)}}
        )
    if outcome == Outcome.SUPPLEMENT and not missing:
        raise ValidationError({"outcome": _("必要材料已齐全，无需补正，请选择受理")})
    if outcome == Outcome.IMMEDIATE and not is_immediate_item(standard):
        raise ValidationError({"outcome": _("该事项的审批标准未列为即办件，不能即办")})
    if outcome == Outcome.REFUSE:
        require_text(reason, "reason", _("不予受理须写明理由"))

    at, today = moment(at)
    case = Case.objects.create(
        number=next_case_number(local_item, today.year),
        local_item=local_item,
        standard=standard,
        organization=local_item.organization,
        division=local_item.division,
        situation=situation,
        source=CaseSource.WINDOW,
        applicant_kind=applicant_kind,
        applicant_name=applicant_name,
        applicant_id_number=(applicant_id_number or "").strip().upper(),
        applicant_phone=(applicant_phone or "").strip(),
        applicant_address=(applicant_address or "").strip(),
        legal_representative=(legal_representative or "").strip(),
        contact_name=(contact_name or "").strip(),
        status=CaseStatus.RECEIVED,
        received_at=at,
        received_by=actor,
    )
    CaseMaterial.objects.bulk_create(
        CaseMaterial(
            case=case,
            material=m,
            name=m.name,
            required=m.necessity == Necessity.REQUIRED,
            original_count=m.original_count,
            copy_count=m.copy_count,
            received=received.get(m.pk, False),
            received_on=today if received.get(m.pk) else None,
            position=index,
        )
        for index, m in enumerate(materials)
    )
    receive = window_step(case, "receive")
    record_step(case, StepKind.RECEIVE, actor=actor, at=at, manual_step=receive, post=_post(receive), started_on=today)
    if outcome == Outcome.ACCEPT:
        _accept(case, actor=actor, at=at)
    elif outcome == Outcome.IMMEDIATE:
        _accept(case, actor=actor, at=at)
        _decide_at_once(case, actor=actor, at=at, opinion=opinion)
    elif outcome == Outcome.SUPPLEMENT:
        _request_supplement(case, actor=actor, at=at)
    elif outcome == Outcome.REFUSE:
        _refuse(case, actor=actor, at=at, reason=reason, competent_body=competent_body)
    return case


def _post(step) -> str:
    return step.responsible_post if step is not None else ""


def _ensure_window(actor: User, case: Case) -> None:
    if not permissions.can_receive(actor, case):
        raise PermissionDenied(_("您无权办理该办件的受理"))
    if case.status not in AT_THE_WINDOW:
        raise TransitionNotAllowed(_("办件当前为“%(status)s”，不在受理环节") % {"status": case.get_status_display()})


def _missing(case: Case) -> list[CaseMaterial]:
    return [m for m in case.materials.all() if m.required and not m.received]


def _accept(case: Case, *, actor: User, at: dt.datetime) -> None:
    today = moment(at)[1]
    legal, promised, immediate = limits_from_guide(case.standard)
    case.status = CaseStatus.IN_PROGRESS
    case.accepted_at, case.accepted_on, case.accepted_by = at, today, actor
    case.legal_limit, case.promised_limit, case.is_immediate = legal, promised, immediate
    clocks.refresh(case, today=today)
    point_at_next_step(case, since=today)
    guide = case.standard.guide
    issue_notice(
        case,
        NoticeKind.ACCEPTANCE,
        actor=actor,
        at=at,
        content={
            "item": case.local_item.name,
            "applicant": case.applicant_name,
            "materials": [
                {"name": m.name, "original": m.original_count, "copies": m.copy_count}
                for m in case.materials.all()
                if m.received
            ],
            "accepted_at": at,
            "clerk": actor.get_full_name() or actor.get_username(),
            "legal_limit": legal,
            "promised_limit": promised,
            "legal_due": case.legal_due,
            "promised_due": case.promised_due,
            "immediate": immediate,
            "progress": guide.public_query_channel,
            "progress_path": progress_path(case),
            "consult_phone": guide.consult_phone,
        },
    )
    accept = window_step(case, "accept")
    received_on = moment(case.received_at)[1]
    record_step(
        case,
        StepKind.ACCEPT,
        actor=actor,
        at=at,
        manual_step=accept,
        post=_post(accept),
        started_on=received_on,
        due_on=step_due(received_on, accept),
    )


def _decide_at_once(case: Case, *, actor: User, at: dt.datetime, opinion: str) -> None:
    """即办: the decision (准予) and 办结 in the same moment as the acceptance."""
    from .handling import decision_notice

    today = moment(at)[1]
    case.decision, case.decided_at = Decision.GRANT, at
    case.status = CaseStatus.DECIDED
    decision_notice(case, actor=actor, at=at, opinion=opinion or _("符合条件，当场准予"))
    record_step(case, StepKind.DECIDE, actor=actor, at=at, opinion=opinion or _("即办件，当场准予"), started_on=today)
    case.status = CaseStatus.FINISHED
    case.finished_at, case.finished_on = at, today
    case.current_step, case.current_step_due = "", None
    record_step(case, StepKind.FINISH, actor=actor, at=at, started_on=today)


def _request_supplement(case: Case, *, actor: User, at: dt.datetime) -> None:
    missing = _missing(case)
    if not missing:
        raise ValidationError({"outcome": _("必要材料已齐全，无需补正，请选择受理")})
    CaseMaterial.objects.filter(pk__in=[m.pk for m in missing]).update(missing_at_acceptance=True)
    case.status = CaseStatus.SUPPLEMENT
    guide = case.standard.guide
    issue_notice(
        case,
        NoticeKind.SUPPLEMENT,
        actor=actor,
        at=at,
        content={
            "item": case.local_item.name,
            "applicant": case.applicant_name,
            "received_at": case.received_at,
            "missing": [{"name": m.name, "original": m.original_count, "copies": m.copy_count} for m in missing],
            "clerk": actor.get_full_name() or actor.get_username(),
            "consult_phone": guide.consult_phone,
            "progress_path": progress_path(case),
        },
    )
    record_step(
        case,
        StepKind.SUPPLEMENT_NOTICE,
        actor=actor,
        at=at,
        opinion=_("需补正：%(names)s") % {"names": "、".join(m.name for m in missing)},
    )


def _refuse(case: Case, *, actor: User, at: dt.datetime, reason: str, competent_body: str) -> None:
    reason = require_text(reason, "reason", _("不予受理须写明理由"))
    case.status = CaseStatus.NOT_ACCEPTED
    case.refusal_reason, case.competent_body = reason, (competent_body or "").strip()
    case.current_step, case.current_step_due = "", None
    guide = case.standard.guide
    issue_notice(
        case,
        NoticeKind.NOT_ACCEPTED,
        actor=actor,
        at=at,
        content={
            "item": case.local_item.name,
            "applicant": case.applicant_name,
            "received_at": case.received_at,
            "reason": reason,
            "competent_body": case.competent_body,
            "review_channel": guide.review_channel,
            "litigation_channel": guide.litigation_channel,
            "clerk": actor.get_full_name() or actor.get_username(),
        },
    )
    record_step(case, StepKind.NOT_ACCEPT, actor=actor, at=at, opinion=reason)


@transaction.atomic
def case_accept(*, actor: User, case: Case, at: dt.datetime | None = None) -> Case:
    """受理 a case received earlier, once every required material is there."""
    case = lock(case)
    _ensure_window(actor, case)
    missing = _missing(case)
    if missing:
        raise ValidationError(
            _("尚缺必要材料：%(names)s，应一次性告知补正") % {"names": "、".join(m.name for m in missing)}
        )
    _accept(case, actor=actor, at=moment(at)[0])
    return case


@transaction.atomic
def case_request_supplement(*, actor: User, case: Case, at: dt.datetime | None = None) -> Case:
    """一次性告知: the 补正材料通知书 naming exactly the required materials not received."""
    case = lock(case)
    _ensure_window(actor, case)
    if case.status != CaseStatus.RECEIVED:
        raise TransitionNotAllowed(_("已一次性告知补正，不得再次告知"))
    _request_supplement(case, actor=actor, at=moment(at)[0])
    return case


@transaction.atomic
def case_refuse(
    *, actor: User, case: Case, reason: str, competent_body: str = "", at: dt.datetime | None = None
) -> Case:
    """不予受理, with its reason and, when the matter belongs to another body, which one."""
    case = lock(case)
    _ensure_window(actor, case)
    _refuse(case, actor=actor, at=moment(at)[0], reason=reason, competent_body=competent_body)
    return case


@transaction.atomic
def case_supplement_received(
    *, actor: User, case: Case, material_ids: Iterable[int], at: dt.datetime | None = None
) -> Case:
    """Tick the materials that arrived (after the 补正 notice, or before it was issued); when the last missing
    required one is in, the case is accepted that day (art. 32) and the 受理通知书 issued."""
    case = lock(case)
    _ensure_window(actor, case)
    ids = {int(pk) for pk in material_ids}
    lines = [m for m in case.materials.all() if m.pk in ids and not m.received]
    if not ids or len(lines) != len(ids):
        raise ValidationError({"material_ids": _("请勾选本次补正收到的、尚未收取的材料")})
    at, today = moment(at)
    CaseMaterial.objects.filter(pk__in=[m.pk for m in lines]).update(received=True, received_on=today)
    record_step(
        case,
        StepKind.SUPPLEMENT_RECEIVED,
        actor=actor,
        at=at,
        opinion=_("收到补正材料：%(names)s") % {"names": "、".join(m.name for m in lines)},
    )
    if not _missing(case):
        _accept(case, actor=actor, at=at)
    return case
