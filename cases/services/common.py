"""What the acceptance and handling services share: locking a case, the manual's steps for it, the limits copied
from its guide, and the checks of written input."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import permissions
from cases.models import Case, CaseStep
from core.exceptions import TransitionNotAllowed
from core.workdays import add_workdays
from standards.models import InternalStep, ItemStandard, LimitUnit, ManualStep, Situation

# The manual's steps done at the window: acceptance covers them; the handling steps are those after.
WINDOW_STEPS = (InternalStep.RECEIVE, InternalStep.ACCEPT)
# The least an opinion of 审查 or 决定 says.
MIN_OPINION = 4


def lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("local_item__general_item", "organization", "standard__guide")
        .get(pk=case.pk)
    )


def moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    at = at or timezone.now()
    return at, timezone.localdate(at)


def manual_steps(standard: ItemStandard | None, situation: str) -> list[ManualStep]:
    """The manual's steps for ``situation`` in order, or those for 新办 when the manual has none for it."""
    if standard is None:
        return []
    steps = list(standard.manual_steps.filter(business_kind=situation).order_by("position", "pk"))
    if not steps and situation != Situation.NEW:
        steps = list(standard.manual_steps.filter(business_kind=Situation.NEW).order_by("position", "pk"))
    return steps


def handling_steps(case: Case) -> list[ManualStep]:
    return [s for s in manual_steps(case.standard, case.situation) if s.step not in WINDOW_STEPS]


def window_step(case: Case, kind: str) -> ManualStep | None:
    return next((s for s in manual_steps(case.standard, case.situation) if s.step == kind), None)


def pending_steps(case: Case) -> list[ManualStep]:
    """The handling steps not yet recorded on the case, in the manual's order."""
    done = set(CaseStep.objects.filter(case=case, manual_step__isnull=False).values_list("manual_step_id", flat=True))
    return [s for s in handling_steps(case) if s.pk not in done]


def last_step_end(case: Case) -> dt.date | None:
    """When the step now due started: the day the last step of the manual (or the acceptance) was recorded."""
    last = (
        CaseStep.objects.filter(case=case, kind__in=[k for k in InternalStep.values if k != InternalStep.RECEIVE])
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )
    if last is not None:
        return timezone.localdate(last)
    return case.accepted_on


def step_due(started_on: dt.date | None, step: ManualStep | None) -> dt.date | None:
    if started_on is None or step is None or step.step_limit is None:
        return None
    if step.step_limit_unit not in ("", LimitUnit.WORKING_DAY):
        return None
    return add_workdays(started_on, step.step_limit)


def point_at_next_step(case: Case, *, since: dt.date | None) -> None:
    """Keep ``current_step``/``current_step_due`` on the next handling step (empty when none is left)."""
    pending = pending_steps(case)
    if not pending:
        case.current_step, case.current_step_due = "", None
        return
    case.current_step = pending[0].step
    case.current_step_due = step_due(since, pending[0])


def require_text(value: str, field: str, message: str, *, least: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < least:
        raise ValidationError({field: message})
    return value


def limits_from_guide(standard: ItemStandard) -> tuple[int | None, int | None, bool]:
    """The legal and promised limits in working days, and whether the item is handled at once (即办)."""
    guide = standard.guide
    immediate = guide.promised_limit_unit == LimitUnit.INSTANT or guide.case_type == "1"
    legal = guide.legal_limit if guide.legal_limit_unit in ("", LimitUnit.WORKING_DAY) else None
    if guide.legal_limit_unit == LimitUnit.INSTANT:
        legal = 0
    promised = 0 if immediate else guide.promised_limit
    if not immediate and guide.promised_limit_unit not in ("", LimitUnit.WORKING_DAY):
        promised = None
    return legal, promised, immediate


def ensure_handling(actor: User, case: Case) -> None:
    if not permissions.can_handle(actor, case):
        raise PermissionDenied(_("您无权办理该办件"))


def ensure_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise TransitionNotAllowed(
            _("办件当前为“%(status)s”，不能进行此项操作") % {"status": case.get_status_display()}
        )
