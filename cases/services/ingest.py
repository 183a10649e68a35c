"""Case events from other systems (a provincial acceptance platform), in the national exchange shape.

An event says where a case stands in the other system (状态, 受理时间, 承诺时限, 办结时间, 结果) and carries the step
records that are new since its last event. Applying it updates the case and appends each step through
``record_step`` (``record_steps`` for a batch), so the same clocks and the same electronic supervision run on these
cases as on the portal's own.

A request is applied as a batch by ``ingest_batch`` (a handful of queries and bulk writes for all its events); this
module checks and plans each event (``find_item``, ``plan_event``) for both paths, and applies one event at a time
(``case_event_apply``) where the batch cannot.

Guarantees a sender relies on:
- an event is applied whole or not at all (checked whole before anything of it is written, and one savepoint per
  event when applied alone; a bad event never stops the good ones of its batch);
- an event is taken once per system, 办件编号 and event number (``ExternalEvent``): sent again, it answers the same
  outcome and changes nothing; the same event number with other content is refused;
- a step number already recorded for the case is skipped, so a sender that repeats earlier steps adds nothing twice;
- the item must belong to the system's division subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import clocks, supervision
from cases.external import external_case_number
from cases.models import (
    Case,
    CaseSource,
    CaseStatus,
    CaseStep,
    ExternalEvent,
    ExternalSystem,
    StepKind,
)
from cases.services.log import record_step
from catalogue.access import division_contains
from catalogue.models import LocalItem
from standards.models import ItemStandard, LimitUnit, StandardState

HANDLING_ITEM_LENGTH = 33
ITEM_CODE_LENGTH = 31

# proStatus of the national exchange.
WAITING, ACCEPTED, FINISHED = "1", "2", "3"
PRO_STATUS_LABELS = {WAITING: "待受理", ACCEPTED: "已受理", FINISHED: "已办结"}


@dataclass
class EventOutcome:
    """What became of one event of a request (the API answers a list of these)."""

    index: int
    event_no: str
    project_no: str
    status: str  # "applied", "duplicate" or "error"
    case_number: str | None = None
    errors: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "eventNo": self.event_no,
            "projectNo": self.project_no,
            "status": self.status,
            "case": self.case_number,
            "errors": self.errors,
        }


def error_list(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Nested validation messages as flat ``{"field", "message"}`` rows (``steps[1].time``)."""
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            if isinstance(key, int):  # a list's errors by position
                rows += error_list(value, f"{prefix}[{key}]")
                continue
            name = "" if key in ("__all__", "non_field_errors") else str(key)
            path = f"{prefix}.{name}" if prefix and name else (prefix or name)
            rows += error_list(value, path)
        return rows
    if isinstance(detail, list | tuple):
        if detail and all(isinstance(item, dict) for item in detail):
            return [row for i, item in enumerate(detail) for row in error_list(item, f"{prefix}[{i}]")]
        return [row for item in detail for row in error_list(item, prefix)]
    return [{"field": prefix, "message": str(detail)}]


# A version keeps being the one a case was accepted under after it is superseded or withdrawn.
ONCE_PUBLISHED = (StandardState.PUBLISHED, StandardState.SUPERSEDED, StandardState.WITHDRAWN)


def standard_in_force(item: LocalItem, moment: dt.datetime) -> ItemStandard | None:
    """The version of the item's standard that was published at ``moment`` (a later version or a withdrawal does
    not change which one a case was accepted under)."""
    return (
        ItemStandard.objects.filter(local_item=item, published_at__lte=moment, state__in=ONCE_PUBLISHED)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=moment))
        .select_related("guide")
        .order_by("-published_at")
        .first()
    )


def in_force_among(versions: list[ItemStandard], moment: dt.datetime) -> ItemStandard | None:
    """``standard_in_force`` among versions already read (every once-published version of the item): the same
    condition, for a batch that reads the versions of all its items at once."""
    candidates = [
        v
        for v in versions
        if v.state in ONCE_PUBLISHED
        and v.published_at is not None
        and v.published_at <= moment
        and (v.withdrawn_at is None or v.withdrawn_at > moment)
    ]
    return max(candidates, key=lambda v: v.published_at, default=None)


def _working_days(value: int | None, unit: str) -> int | None:
    return value if value is not None and unit in ("", LimitUnit.WORKING_DAY) else None


def _items_by_code(code: str) -> LocalItem | None:
    return LocalItem.objects.select_related("division", "organization").filter(code=code).first()


def find_item(
    system: ExternalSystem, event: dict, item_by_code: Callable[[str], LocalItem | None] = _items_by_code
) -> tuple[LocalItem, str]:
    """The event's item (by its 31-character code, or by a 33-character handling-item code's first 31) and its
    handling-item code; ``item_by_code`` reads the items (the batch path passes the ones it read for the request)."""
    code = event["taskCode"]
    handling = event.get("taskHandleItem") or ""
    item = item_by_code(code)
    if item is None and len(code) == HANDLING_ITEM_LENGTH:
        item = item_by_code(code[:ITEM_CODE_LENGTH])
        if item is not None:
            if handling and handling != code:
                raise ValidationError({"taskHandleItem": _("业务办理项编码与实施编码（33 位）不一致")})
            handling = code
    if item is None:
        raise ValidationError({"taskCode": _("没有实施编码为 %(code)s 的事项") % {"code": code}})
    if handling and not handling.startswith(item.code):
        raise ValidationError({"taskHandleItem": _("业务办理项编码须以事项的实施编码开头")})
    if not division_contains(system.division, item.division):
        raise ValidationError(
            {"taskCode": _("事项不属于本系统所辖区划（%(division)s）") % {"division": system.division.name}}
        )
    return item, handling


def _new_case(system: ExternalSystem, event: dict, item: LocalItem, number: str) -> Case:
    missing = {
        key: _("新办件须填写%(label)s") % {"label": label}
        for key, label in (("userProp", "申请人类型"), ("applyName", "申请人名称"))
        if not event.get(key)
    }
    if missing:
        raise ValidationError(missing)
    moments = [m for m in (event.get("applyDate"), event.get("acceptDate")) if m]
    moments += [step["time"] for step in event.get("steps", [])]
    return Case(
        number=number,
        local_item=item,
        organization=item.organization,
        division=item.division,
        source=CaseSource.EXTERNAL,
        external_system=system,
        received_at=min(moments) if moments else timezone.now(),
    )


def _update_case(
    case: Case,
    event: dict,
    handling: str,
    standard_for: Callable[[LocalItem, dt.datetime], ItemStandard | None] = standard_in_force,
) -> None:
    """Copy the event's view of the case onto it; refuse what contradicts what is already recorded.
    ``standard_for`` finds the standard in force (the batch path passes the versions it read for the request)."""
    status = event["proStatus"]
    if case.status == CaseStatus.FINISHED and status != FINISHED:
        raise ValidationError({"proStatus": _("办件已办结，不能改为“%(s)s”") % {"s": PRO_STATUS_LABELS[status]}})
    if case.accepted_at is not None and status == WAITING:
        raise ValidationError({"proStatus": _("办件已受理，不能改为“待受理”")})
    if handling:
        case.handling_item_code = handling
    for key, attribute in (
        ("userProp", "applicant_kind"),
        ("applyName", "applicant_name"),
        ("applyCardNumber", "applicant_id_number"),
        ("contactMobile", "applicant_phone"),
    ):
        if event.get(key):
            setattr(case, attribute, event[key])
    if event.get("projectType"):
        case.is_immediate = event["projectType"] == "1"
    if event.get("applyDate"):
        case.received_at = event["applyDate"]

    accepted = event.get("acceptDate")
    if accepted is not None:
        if accepted < case.received_at:
            raise ValidationError({"acceptDate": _("受理时间不能早于收件时间")})
        if case.accepted_at is None:
            case.standard = standard_for(case.local_item, accepted)
            guide = getattr(case.standard, "guide", None) if case.standard else None
            if guide is not None:
                case.legal_limit = _working_days(guide.legal_limit, guide.legal_limit_unit)
                if case.promised_limit is None:
                    case.promised_limit = _working_days(guide.promised_limit, guide.promised_limit_unit)
        case.accepted_at = accepted
        case.accepted_on = timezone.localtime(accepted).date()
    elif status != WAITING and case.accepted_at is None:
        raise ValidationError({"acceptDate": _("已受理或已办结的办件须填写受理时间")})
    if event.get("promiseDays") is not None:
        case.promised_limit = event["promiseDays"]

    result_date = event.get("resultDate")
    if result_date is not None and case.accepted_at is not None and result_date < case.accepted_at:
        raise ValidationError({"resultDate": _("办结时间不能早于受理时间")})
    if event.get("result"):
        case.decision = event["result"]
        case.decision_reason = event.get("resultReason", "")
        decided = [s["time"] for s in event.get("steps", []) if s["kind"] == StepKind.DECIDE]
        case.decided_at = max(decided) if decided else (result_date or case.decided_at or timezone.now())
    if status == FINISHED:
        if result_date is None and case.finished_at is None:
            raise ValidationError({"resultDate": _("已办结的办件须填写办结时间")})
        if result_date is not None:
            case.finished_at = result_date
            case.finished_on = timezone.localtime(result_date).date()
        case.status = CaseStatus.FINISHED
    elif status == ACCEPTED:
        case.status = CaseStatus.DECIDED if case.decision else CaseStatus.IN_PROGRESS
    else:
        case.status = CaseStatus.RECEIVED


def _steps_to_record(system: ExternalSystem, case: Case, event: dict, known: list[tuple[str, int | None]]) -> list:
    """The event's steps not yet recorded, plus the 受理, 决定 and 办结 records the event states without sending
    them as steps (so the log says what the case's fields say), in time order."""
    known_numbers = {number for _kind, number in known if number is not None}
    kinds = {kind for kind, _number in known} | {step["kind"] for step in event.get("steps", [])}
    rows = [
        (step["time"], step["stepNo"], step["kind"], step.get("actorName", ""), step.get("opinion", ""))
        for step in event.get("steps", [])
        if step["stepNo"] not in known_numbers
    ]
    implied = []
    if case.accepted_at is not None and StepKind.ACCEPT not in kinds:
        implied.append((case.accepted_at, StepKind.ACCEPT, ""))
    if case.decision and StepKind.DECIDE not in kinds:
        implied.append((case.decided_at, StepKind.DECIDE, case.decision_reason))
    if case.status == CaseStatus.FINISHED and StepKind.FINISH not in kinds:
        implied.append((case.finished_at, StepKind.FINISH, ""))
    rows += [(at, None, kind, system.name, opinion) for at, kind, opinion in implied]
    # Same moment: the sender's steps in their numbering, then the implied ones in the order above.
    order = {StepKind.ACCEPT: 0, StepKind.DECIDE: 1, StepKind.FINISH: 2}
    return sorted(rows, key=lambda r: (r[0], r[1] is None, r[1] or 0, order.get(r[2], 0)))


def seen_outcome(seen: ExternalEvent, payload: dict, outcome: EventOutcome) -> EventOutcome:
    """An event taken before: the same answer when it is the same, a refusal when its number is reused."""
    if seen.payload != payload:
        raise ValidationError({"eventNo": _("该事件编号已用于内容不同的事件，事件编号不能重复使用")})
    outcome.status, outcome.case_number = "duplicate", seen.case.number
    return outcome


def plan_event(
    system: ExternalSystem,
    event: dict,
    *,
    item: LocalItem,
    handling: str,
    case: Case | None,
    known: list[tuple[str, int | None]],
    standard_for: Callable[[LocalItem, dt.datetime], ItemStandard | None] = standard_in_force,
) -> tuple[Case, list[CaseStep]]:
    """Everything an event changes, checked and computed before anything is written: the case (new, or the locked
    one with the event's fields on it, clocks refreshed) and its new log records (unsaved, in time order). Raises
    ``ValidationError`` for what the event may not do; both the per-event and the batch path write this."""
    number = external_case_number(system.pk, event["projectNo"])
    if case is None:
        case = _new_case(system, event, item, number)
    elif case.local_item_id != item.pk:
        raise ValidationError(
            {"taskCode": _("与该办件已登记的事项（%(code)s）不一致") % {"code": case.local_item.code}}
        )
    _update_case(case, event, handling, standard_for)
    rows = _steps_to_record(system, case, event, known)
    if case.status == CaseStatus.FINISHED:
        case.current_step = ""
    elif rows:
        case.current_step = rows[-1][2]
    clocks.refresh(case)
    steps = [
        CaseStep(
            kind=kind,
            actor=None,
            actor_name=actor_name,
            opinion=opinion,
            at=at,
            external_event_no=event["eventNo"],
            external_step_no=step_no,
        )
        for at, step_no, kind, actor_name, opinion in rows
    ]
    return case, steps


def _apply(system: ExternalSystem, event: dict, payload: dict, outcome: EventOutcome) -> EventOutcome:
    project_no, event_no = event["projectNo"], event["eventNo"]
    seen = (
        ExternalEvent.objects.select_related("case")
        .filter(system=system, case_no=project_no, event_no=event_no)
        .first()
    )
    if seen is not None:
        return seen_outcome(seen, payload, outcome)

    item, handling = find_item(system, event)
    number = external_case_number(system.pk, project_no)
    case = Case.objects.select_for_update().filter(number=number).first()
    known = list(case.steps.values_list("kind", "external_step_no")) if case is not None else []
    case, steps = plan_event(system, event, item=item, handling=handling, case=case, known=known)
    case.save()
    for index, step in enumerate(steps, start=1):
        record_step(
            case,
            step.kind,
            actor=None,
            actor_name=step.actor_name,
            opinion=step.opinion,
            at=step.at,
            external_event_no=event_no,
            external_step_no=step.external_step_no,
            supervise=index == len(steps),  # the rules run once, on the whole event
        )
    if not steps:
        supervision.on_event(case, None)
    ExternalEvent.objects.create(system=system, case_no=project_no, event_no=event_no, case=case, payload=payload)
    outcome.status, outcome.case_number = "applied", case.number
    return outcome


def case_event_apply(*, system: ExternalSystem, event: dict, payload: dict, index: int = 0) -> EventOutcome:
    """Apply one validated event for ``system`` (the sender acts here, not a user) in its own savepoint. A refusal
    comes back as the outcome's errors, with nothing of the event kept; the caller's transaction goes on."""
    outcome = EventOutcome(index, event["eventNo"], event["projectNo"], "error")
    try:
        with transaction.atomic():
            return _apply(system, event, payload, outcome)
    except ValidationError as exc:
        outcome.errors = refusal(exc)
        outcome.case_number = None
        return outcome


def refusal(exc: ValidationError) -> list[dict[str, str]]:
    """A refused event's errors as the API answers them."""
    return error_list(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


def rejected(index: int, payload: Any, errors: Any) -> EventOutcome:
    """The outcome of an event whose shape is wrong (it never reached ``case_event_apply``)."""
    payload = payload if isinstance(payload, dict) else {}
    return EventOutcome(
        index,
        str(payload.get("eventNo", ""))[:64],
        str(payload.get("projectNo", ""))[:64],
        "error",
        errors=error_list(errors),
    )
