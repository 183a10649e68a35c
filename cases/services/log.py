"""The one way a record is added to a case's log: numbered in order, and checked by electronic supervision in the
same transaction, so every event is supervised as it happens. ``record_step`` adds one record; ``record_steps``
adds the records of many cases' events at once (a batch from another system), with the same numbering and the same
supervision, in a bounded number of statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils import timezone

from cases import clocks, supervision
from cases.models import Case, CaseStep


def record_step(
    case: Case,
    kind: str,
    *,
    actor: User | None,
    actor_name: str = "",
    opinion: str = "",
    post: str = "",
    manual_step=None,
    at: dt.datetime | None = None,
    started_on: dt.date | None = None,
    due_on: dt.date | None = None,
    external_event_no: str = "",
    external_step_no: int | None = None,
    supervise: bool = True,
) -> CaseStep:
    """Append a step to ``case`` (locked by the caller), refresh its clocks, save it and run the supervision rules.
    The caller has already changed the case's own fields for the event. A caller recording several steps of one
    event (another system's event) passes ``supervise=False`` for all but the last, so the rules run once on the
    whole event."""
    last = case.steps.aggregate(last=Max("seq"))["last"] or 0
    step = CaseStep.objects.create(
        case=case,
        seq=last + 1,
        kind=kind,
        manual_step=manual_step,
        post=post,
        actor=actor,
        actor_name=actor_name or (actor.get_full_name() or actor.get_username() if actor else ""),
        opinion=opinion,
        at=at or timezone.now(),
        started_on=started_on,
        due_on=due_on,
        external_event_no=external_event_no,
        external_step_no=external_step_no,
    )
    clocks.refresh(case)
    case.save()
    if supervise:
        supervision.on_event(case, step)
    return step


def record_steps(entries: Sequence[tuple[Case, list[CaseStep]]]) -> list[CaseStep]:
    """Append each case's new steps (unsaved, in the order they happened) to its log, after what is recorded, and run
    the supervision rules once per case on its whole event — for a case with no new step too, as ``record_step``'s
    callers do. The cases are saved and locked by the caller, with their clocks refreshed (the clocks read the
    case's fields, not its log). Two statements for the log, and the rules' bounded number, whatever the number
    of cases."""
    ids = [case.pk for case, steps in entries if steps]
    last = (
        dict(
            CaseStep.objects.filter(case_id__in=ids)
            .values("case_id")
            .annotate(last=Max("seq"))
            .values_list("case_id", "last")
        )
        if ids
        else {}
    )
    rows = []
    for case, steps in entries:
        for seq, step in enumerate(steps, start=last.get(case.pk, 0) + 1):
            step.case, step.seq = case, seq
            step.at = step.at or timezone.now()
            rows.append(step)
    CaseStep.objects.bulk_create(rows)
    supervision.on_events([(case, steps[-1] if steps else None) for case, steps in entries])
    return rows
