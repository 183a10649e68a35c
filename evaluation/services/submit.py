"""Giving an evaluation: 一事一评 of a case and 一次一评 of a visit, by an anonymous applicant on a public page.

One evaluation per case and per visit: the case or ticket is locked while the evaluation is written, and the unique
constraints stand behind the lock, so a double submission (two taps, two phones) leaves the first one as it was and
raises ``AlreadyEvaluated``. A bad grade opens its rectification and a guide-accuracy complaint its revision task in
the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus
from core.exceptions import ConflictError, TransitionNotAllowed, ValidationError
from hall.models import Ticket, TicketStatus

from ..models import (
    GUIDE_ACCURACY,
    OVERALL,
    Channel,
    ComplaintCategory,
    Evaluation,
    EvaluationScore,
    IndicatorKind,
    IndicatorSet,
    Target,
)
from .common import moment, visit_owner
from .rectification import rectification_open
from .revision import revision_request_open

# A case is evaluated once its result is out; a visit once the window has served it.
EVALUABLE_CASE_STATUSES = (CaseStatus.FINISHED, CaseStatus.NOT_ACCEPTED)
EVALUABLE_TICKET_STATUSES = (TicketStatus.SERVING, TicketStatus.DONE)
PHONE = re.compile(r"^1\d{10}$")


class AlreadyEvaluated(ConflictError):
    """The case or visit has its evaluation already; nothing was changed."""


@dataclass(frozen=True)
class EvaluationInput:
    """What the applicant gave: a grade (1..5) per indicator code, and the rest of the form."""

    grades: dict[str, int] = field(default_factory=dict)
    comment: str = ""
    category: str = ""
    real_name: bool = False
    name: str = ""
    phone: str = ""
    channel: str = ""


def case_evaluable(case: Case) -> bool:
    return case.status in EVALUABLE_CASE_STATUSES


def ticket_evaluable(ticket: Ticket) -> bool:
    return ticket.status in EVALUABLE_TICKET_STATUSES


def current_set(kind: str) -> IndicatorSet:
    indicator_set = IndicatorSet.objects.current(kind)
    if indicator_set is None:
        raise TransitionNotAllowed(_("评价指标体系尚未配置，暂不能评价"))
    return indicator_set


def _checked(indicator_set: IndicatorSet, data: EvaluationInput) -> dict[str, int]:
    """The grade of every indicator of the set, or a ValidationError naming each one missing or out of range."""
    errors: dict[str, str] = {}
    grades: dict[str, int] = {}
    for indicator in indicator_set.indicators.all():
        value = data.grades.get(indicator.code)
        if value not in (1, 2, 3, 4, 5):
            errors[f"grade_{indicator.code}"] = _("请为“%(name)s”选择 1 至 5 星") % {"name": indicator.name}
        else:
            grades[indicator.code] = value
    if data.real_name:
        if not data.name.strip():
            errors["name"] = _("实名评价请填写姓名")
        if not PHONE.match(data.phone.strip()):
            errors["phone"] = _("实名评价请填写 11 位手机号码")
    if data.category and data.category not in ComplaintCategory.values:
        errors["category"] = _("请选择列出的差评类别")
    if len(data.comment) > 1000:
        errors["comment"] = _("评价内容最多 1000 字")
    if errors:
        raise ValidationError(errors)
    return grades


def _write(evaluation: Evaluation, indicator_set: IndicatorSet, grades: dict[str, int]) -> Evaluation:
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError as exc:
        raise AlreadyEvaluated(_("已评价：每次办事只能评价一次")) from exc
    EvaluationScore.objects.bulk_create(
        [
            EvaluationScore(evaluation=evaluation, indicator=i, grade=grades[i.code])
            for i in indicator_set.indicators.all()
        ]
    )
    if evaluation.is_bad:
        rectification_open(evaluation)
    guide_grade = grades.get(GUIDE_ACCURACY)
    guide_complaint = (guide_grade is not None and guide_grade <= 2) or (
        evaluation.is_bad and evaluation.category == ComplaintCategory.GUIDE
    )
    if guide_complaint and evaluation.local_item_id:
        revision_request_open(evaluation)
    return evaluation


def _fields(data: EvaluationInput, grades: dict[str, int], at: dt.datetime, default_channel: str) -> dict:
    grade = grades[OVERALL]
    return {
        "grade": grade,
        "channel": data.channel if data.channel in Channel.values else default_channel,
        "comment": data.comment.strip(),
        "category": data.category if grade <= 2 else "",
        "is_real_name": data.real_name,
        "name": data.name.strip() if data.real_name else "",
        "phone": data.phone.strip() if data.real_name else "",
        "submitted_at": at,
    }


@transaction.atomic
def evaluation_submit_for_case(*, case: Case, data: EvaluationInput, at: dt.datetime | None = None) -> Evaluation:
    """一事一评 with the online indicator set. Refused before the case's result is out and after its evaluation."""
    case = Case.objects.select_for_update(of=("self",)).select_related("organization").get(pk=case.pk)
    if Evaluation.objects.filter(case=case, target=Target.CASE).exists():
        raise AlreadyEvaluated(_("已评价：每次办事只能评价一次"))
    if not case_evaluable(case):
        raise TransitionNotAllowed(_("办件办结后才能评价"))
    indicator_set = current_set(IndicatorKind.ONLINE)
    grades = _checked(indicator_set, data)
    at, _day = moment(at)
    ticket = case.tickets.select_related("window").order_by("-taken_at").first()
    evaluation = Evaluation(
        target=Target.CASE,
        indicator_set=indicator_set,
        case=case,
        window=ticket.window if ticket else None,
        staff_id=case.accepted_by_id or case.received_by_id,
        local_item_id=case.local_item_id,
        organization_id=case.organization_id,
        division_id=case.division_id,
        **_fields(data, grades, at, Channel.ONLINE),
    )
    return _write(evaluation, indicator_set, grades)


@transaction.atomic
def evaluation_submit_for_visit(*, ticket: Ticket, data: EvaluationInput, at: dt.datetime | None = None) -> Evaluation:
    """一次一评 with the counter indicator set, for a visit the window has served."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("hall__organization", "window__department", "case")
        .get(pk=ticket.pk)
    )
    if Evaluation.objects.filter(ticket=ticket, target=Target.VISIT).exists():
        raise AlreadyEvaluated(_("已评价：每次办事只能评价一次"))
    if not ticket_evaluable(ticket):
        raise TransitionNotAllowed(_("窗口办理后才能评价"))
    indicator_set = current_set(IndicatorKind.COUNTER)
    grades = _checked(indicator_set, data)
    at, _day = moment(at)
    owner = visit_owner(ticket)
    evaluation = Evaluation(
        target=Target.VISIT,
        indicator_set=indicator_set,
        ticket=ticket,
        case=ticket.case,
        window=ticket.window,
        staff_id=ticket.staff_id,
        local_item_id=ticket.local_item_id or (ticket.case.local_item_id if ticket.case else None),
        organization=owner,
        division_id=ticket.hall.division_id,
        **_fields(data, grades, at, Channel.QR),
    )
    return _write(evaluation, indicator_set, grades)
