"""Consultation (咨询) with 首问责任: whoever first takes a question owns it until it is answered or handed on.

- Questions taken at the window, by phone or by mail are logged by the person who took them, who becomes the owner.
- Questions from the public guide page (web) belong to the item's implementing unit and have no owner until one of
  its staff takes them; taking makes them the owner.
- Handing on writes a ``ConsultationHandoff`` row: the record that ends the first owner's responsibility.
- An answer to a web question may be proposed for the guide's FAQ; the department head approves, which writes the
  FAQ row into a draft of the item's standard — a new revision opened through ``standards.services.standard_start``,
  or the draft already being written — and never into the published version.

Every due date is counted in working days by ``core.workdays``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import LocalItem, LocalItemStatus, Organization
from core.exceptions import ConflictError, TransitionNotAllowed
from core.workdays import add_workdays
from standards.models import Faq, ItemStandard
from standards.services import standard_save, standard_start

from .. import permissions
from ..models import Consultation, ConsultationChannel, ConsultationHandoff, ConsultationStatus, Hall

# Channels a staff member logs; web questions arrive through the public form only.
STAFF_CHANNELS = (ConsultationChannel.WINDOW, ConsultationChannel.PHONE, ConsultationChannel.MAIL)
MIN_ANSWER = 4


def consultation_due_date(received: dt.date) -> dt.date:
    """The day by which a question received on ``received`` is to be answered (``HALL_CONSULTATION_WORKDAYS``
    working days; a question received on a holiday counts from the next working day)."""
    return add_workdays(received, settings.HALL_CONSULTATION_WORKDAYS)


def _lock(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update(of=("self",))
        .select_related("organization", "local_item__organization")
        .get(pk=consultation.pk)
    )


def _clean_text(value: str, field: str, *, minimum: int = 1, message: str) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def consultation_record(
    *,
    actor: User,
    channel: str,
    question: str,
    local_item: LocalItem | None = None,
    organization: Organization | None = None,
    asker_name: str = "",
    asker_phone: str = "",
    answer: str = "",
    hall: Hall | None = None,
    at: dt.datetime | None = None,
) -> Consultation:
    """Log a question taken at the window, by phone or by mail. The one who logs it owns it (首问责任); an answer
    given on the spot closes it at once. The responsible unit is the item's implementing unit, or — for a question
    about no item — one of the actor's own units."""
    if not permissions.can_record_consultation(actor):
        raise PermissionDenied(_("您没有登记咨询的权限"))
    if channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": _("请选择窗口、电话或信件")})
    question = _clean_text(question, "question", message=_("请填写咨询内容"))
    if local_item is not None:
        if not permissions.recordable_items(actor).filter(pk=local_item.pk).exists():
            raise ValidationError({"local_item": _("只能登记您可查看的在用事项")})
        organization = local_item.organization
    elif organization is None:
        raise ValidationError({"local_item": _("请选择咨询事项，或选择负责答复的单位")})
    elif not permissions.recording_organizations(actor).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("只能为本单位登记咨询")})
    at = at or timezone.now()
    consultation = Consultation(
        channel=channel,
        hall=hall,
        local_item=local_item,
        organization=organization,
        asker_name=(asker_name or "").strip(),
        asker_phone=(asker_phone or "").strip(),
        question=question,
        owner=actor,
        received_at=at,
        due_date=consultation_due_date(timezone.localdate(at)),
    )
    answer = (answer or "").strip()
    if answer:
        consultation.answer = answer
        consultation.status = ConsultationStatus.ANSWERED
        consultation.answered_at = at
        consultation.answered_by = actor
    consultation.save()
    return consultation


@transaction.atomic
def consultation_submit_web(
    *, local_item: LocalItem, question: str, asker_name: str = "", asker_phone: str = "", at: dt.datetime | None = None
) -> Consultation:
    """A question from the public guide page: the item's implementing unit answers it; nobody owns it until one of
    the unit's staff takes it."""
    if local_item.status != LocalItemStatus.ACTIVE or not local_item.standards.published().exists():
        raise ValidationError(_("该事项当前不接受网上咨询"))
    question = _clean_text(question, "question", message=_("请填写咨询内容"))
    at = at or timezone.now()
    return Consultation.objects.create(
        channel=ConsultationChannel.WEB,
        local_item=local_item,
        organization=local_item.organization,
        asker_name=(asker_name or "").strip(),
        asker_phone=(asker_phone or "").strip(),
        question=question,
        received_at=at,
        due_date=consultation_due_date(timezone.localdate(at)),
    )


@transaction.atomic
def consultation_take(*, actor: User, consultation: Consultation) -> Consultation:
    """Take an unowned web question: the taker becomes its owner (首问责任) until it is answered or handed on."""
    consultation = _lock(consultation)
    if consultation.owner_id is not None and consultation.status == ConsultationStatus.OPEN:
        raise ConflictError(_("该咨询已由他人接办"))
    if not permissions.can_take_consultation(actor, consultation):
        raise PermissionDenied(_("只有责任单位的工作人员可以接办该咨询"))
    consultation.owner = actor
    consultation.save(update_fields=["owner", "updated_at"])
    return consultation


@transaction.atomic
def consultation_answer(
    *, actor: User, consultation: Consultation, answer: str, at: dt.datetime | None = None
) -> Consultation:
    consultation = _lock(consultation)
    if consultation.status != ConsultationStatus.OPEN:
        raise TransitionNotAllowed(_("该咨询已答复"))
    if not permissions.can_answer_consultation(actor, consultation):
        raise PermissionDenied(_("只有首问责任人可以答复该咨询，请先接办或请责任人移交"))
    answer = _clean_text(answer, "answer", minimum=MIN_ANSWER, message=_("答复内容至少 4 个字"))
    consultation.answer = answer
    consultation.status = ConsultationStatus.ANSWERED
    consultation.answered_at = at or timezone.now()
    consultation.answered_by = actor
    consultation.save(update_fields=["answer", "status", "answered_at", "answered_by", "updated_at"])
    return consultation


@transaction.atomic
def consultation_hand_over(
    *,
    actor: User,
    consultation: Consultation,
    to_user: User,
    to_organization: Organization,
    reason: str,
    at: dt.datetime | None = None,
) -> ConsultationHandoff:
    """Hand a question on to someone of the same division's units, with the reason: the receiver owns it from now
    on, and their unit becomes the responsible unit. The due date stays: handing on does not buy time."""
    consultation = _lock(consultation)
    if consultation.status != ConsultationStatus.OPEN:
        raise TransitionNotAllowed(_("该咨询已答复，不能移交"))
    if not permissions.can_hand_over_consultation(actor, consultation):
        raise PermissionDenied(_("只有首问责任人可以移交该咨询"))
    if to_user.pk == actor.pk:
        raise ValidationError({"to": _("不能移交给自己")})
    if not permissions.can_receive_consultation(to_user, to_organization, consultation):
        raise ValidationError({"to": _("接收人须是本区划内负责答复咨询的单位工作人员")})
    reason = _clean_text(reason, "reason", minimum=2, message=_("请填写移交原因"))
    handoff = ConsultationHandoff.objects.create(
        consultation=consultation,
        from_user=actor,
        to_user=to_user,
        to_organization=to_organization,
        reason=reason[:300],
        at=at or timezone.now(),
    )
    consultation.owner = to_user
    consultation.organization = to_organization
    consultation.save(update_fields=["owner", "organization", "updated_at"])
    return handoff


@transaction.atomic
def consultation_propose_faq(
    *, actor: User, consultation: Consultation, question: str, answer: str, at: dt.datetime | None = None
) -> Consultation:
    """Propose an answered web question for the guide's FAQ, in the words the guide should show (the question is
    cut to the FAQ's 300 characters by the proposer, not silently)."""
    consultation = _lock(consultation)
    if not permissions.can_propose_faq(actor, consultation):
        raise PermissionDenied(_("只有已答复的网上咨询可以申请公开到常见问题"))
    question = _clean_text(question, "faq_question", minimum=4, message=_("请填写拟公开的问题"))
    if len(question) > 300:
        raise ValidationError({"faq_question": _("问题最长 300 个字")})
    answer = _clean_text(answer, "faq_answer", minimum=MIN_ANSWER, message=_("请填写拟公开的解答"))
    consultation.faq_requested = True
    consultation.faq_question = question
    consultation.faq_answer = answer
    consultation.faq_requested_by = actor
    consultation.faq_requested_at = at or timezone.now()
    consultation.faq_decided_at = None
    consultation.faq_refusal = ""
    consultation.save()
    return consultation


def _faq_draft(actor: User, item: LocalItem) -> ItemStandard:
    """The draft the FAQ row goes into: the version being written (草稿 or 退回修改), else a new revision opened
    from the published one. A version under review is not touched: its reviewers read what was submitted."""
    in_progress = item.standards.in_progress().first()
    if in_progress is None:
        return standard_start(actor=actor, local_item=item)
    if not in_progress.is_editable:
        raise ConflictError(
            _("该事项的第%(version)s版正在%(state)s，不能写入常见问题；请待其发布或退回后再审核")
            % {"version": in_progress.version, "state": in_progress.get_state_display()}
        )
    return in_progress


@transaction.atomic
def consultation_approve_faq(*, actor: User, consultation: Consultation, at: dt.datetime | None = None) -> Consultation:
    """The department head approves publishing the answer: the FAQ row is added to a draft of the item's standard
    (a revision is opened when none is being written), which then goes through review like any other change. The
    published guide stays as it is until that version is published. The draft is recorded on the consultation."""
    consultation = _lock(consultation)
    if not permissions.can_decide_faq(actor, consultation):
        raise PermissionDenied(_("只有事项实施部门的负责人可以审核公开到常见问题"))
    item = LocalItem.objects.get(pk=consultation.local_item_id)
    draft = _faq_draft(actor, item)

    def write(standard: ItemStandard) -> None:
        last = Faq.objects.filter(standard=standard).aggregate(p=Max("position"))["p"]
        Faq.objects.create(
            standard=standard,
            position=(last if last is not None else -1) + 1,
            question=consultation.faq_question,
            answer=consultation.faq_answer,
        )

    draft = standard_save(actor=actor, standard=draft, expected_revision=draft.revision, write=write)
    consultation.faq_approved_by = actor
    consultation.faq_decided_at = at or timezone.now()
    consultation.faq_standard = draft
    consultation.save(update_fields=["faq_approved_by", "faq_decided_at", "faq_standard", "updated_at"])
    return consultation


@transaction.atomic
def consultation_refuse_faq(
    *, actor: User, consultation: Consultation, reason: str, at: dt.datetime | None = None
) -> Consultation:
    consultation = _lock(consultation)
    if not permissions.can_decide_faq(actor, consultation):
        raise PermissionDenied(_("只有事项实施部门的负责人可以审核公开到常见问题"))
    reason = _clean_text(reason, "reason", minimum=2, message=_("请填写不予公开的理由"))
    consultation.faq_decided_at = at or timezone.now()
    consultation.faq_refusal = reason[:300]
    consultation.faq_requested = False
    consultation.save(update_fields=["faq_decided_at", "faq_refusal", "faq_requested", "updated_at"])
    return consultation


__all__ = [
    "STAFF_CHANNELS",
    "consultation_answer",
    "consultation_approve_faq",
    "consultation_due_date",
    "consultation_hand_over",
    "consultation_propose_faq",
    "consultation_record",
    "consultation_refuse_faq",
    "consultation_submit_web",
    "consultation_take",
]
