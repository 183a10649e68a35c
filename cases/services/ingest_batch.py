"""A request of case events applied as a batch: the same guarantees as ``ingest`` (its module docstring), at the
cost of a bulk ``INSERT`` rather than dozens of statements per event.

A request is read in a handful of queries (the events already taken, the items, the cases — locked — with their
recorded step numbers, the standards' versions), every event is checked in Python against what was read (a refusal
is that event's outcome, and nothing of it is written), and then the good ones are written together: the new cases,
the changed ones, their log through ``record_steps`` (which runs the supervision rules once per case, in a batch),
and the events taken.

The events of one case are applied in the order sent: a request carrying several events of a case is applied in
rounds, the first event of every case, then the second, and so on, so each event sees the case as the one before
left it and supervision judges each event on its own day, as the per-event path does. If a bulk write fails (a
constraint the reads could not foresee), the round is undone and applied again event by event through
``ingest.case_event_apply``, whose savepoints keep each event whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases.external import external_case_number
from cases.models import Case, CaseStep, ExternalEvent, ExternalSystem
from cases.services import ingest
from cases.services.log import record_steps
from catalogue.models import LocalItem
from standards.models import ItemStandard

# (index in the request, the validated event, the payload as sent)
Event = tuple[int, dict, dict]


def _values(case: Case) -> dict[str, object]:
    return {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields}


def case_events_apply(*, system: ExternalSystem, events: Sequence[Event]) -> list[ingest.EventOutcome]:
    """Apply the validated events of one request for ``system`` (its row locked by the caller), in rounds of at
    most one event per case; the outcomes come back in the order of ``events``."""
    rounds: list[list[Event]] = []
    taken: dict[str, int] = defaultdict(int)
    for entry in events:
        project_no = entry[1]["projectNo"]
        if taken[project_no] == len(rounds):
            rounds.append([])
        rounds[taken[project_no]].append(entry)
        taken[project_no] += 1
    outcomes: dict[int, ingest.EventOutcome] = {}
    for batch in rounds:
        outcomes.update(_apply_round(system, batch))
    return [outcomes[index] for index, _event, _payload in events]


def _apply_round(system: ExternalSystem, batch: list[Event]) -> dict[int, ingest.EventOutcome]:
    try:
        with transaction.atomic():
            return _round(system, batch)
    except (DatabaseError, ValidationError):
        return {
            index: ingest.case_event_apply(system=system, event=event, payload=payload, index=index)
            for index, event, payload in batch
        }


class _Reads:
    """What the round's events are checked against, read once for all of them."""

    def __init__(self, system: ExternalSystem, batch: list[Event]) -> None:
        events = [event for _index, event, _payload in batch]
        project_nos = {e["projectNo"] for e in events}
        self.seen = {
            (e.case_no, e.event_no): e
            for e in ExternalEvent.objects.select_related("case").filter(
                system=system, case_no__in=project_nos, event_no__in={e["eventNo"] for e in events}
            )
        }
        codes = {e["taskCode"] for e in events}
        codes |= {code[: ingest.ITEM_CODE_LENGTH] for code in codes if len(code) == ingest.HANDLING_ITEM_LENGTH}
        self.items = {
            item.code: item
            for item in LocalItem.objects.select_related("division", "organization").filter(code__in=codes)
        }
        numbers = [external_case_number(system.pk, no) for no in project_nos]
        self.cases = {
            case.number: case
            for case in Case.objects.select_for_update(of=("self",))
            .select_related("local_item")
            .filter(number__in=numbers)
        }
        # As read, so the bulk UPDATE sets only the columns some event changed.
        self.before = {case.pk: _values(case) for case in self.cases.values()}
        self.known: dict[int, list[tuple[str, int | None]]] = defaultdict(list)
        steps = CaseStep.objects.filter(case_id__in=[c.pk for c in self.cases.values()])
        for case_id, kind, step_no in steps.values_list("case_id", "kind", "external_step_no"):
            self.known[case_id].append((kind, step_no))
        # The standard in force is bound when a case is first accepted: versions only for the items of those.
        self.versions: dict[int, list[ItemStandard]] = defaultdict(list)
        accepting = set()
        for event in events:
            case = self.cases.get(external_case_number(system.pk, event["projectNo"]))
            item = self.items.get(event["taskCode"]) or self.items.get(event["taskCode"][: ingest.ITEM_CODE_LENGTH])
            if event.get("acceptDate") and item is not None and (case is None or case.accepted_at is None):
                accepting.add(item.pk)
        if accepting:
            versions = ItemStandard.objects.filter(
                local_item_id__in=accepting, state__in=ingest.ONCE_PUBLISHED, published_at__isnull=False
            ).select_related("guide")
            for version in versions:
                self.versions[version.local_item_id].append(version)

    def standard_for(self, item: LocalItem, moment: dt.datetime) -> ItemStandard | None:
        return ingest.in_force_among(self.versions.get(item.pk, []), moment)


def _round(system: ExternalSystem, batch: list[Event]) -> dict[int, ingest.EventOutcome]:
    reads = _Reads(system, batch)
    outcomes: dict[int, ingest.EventOutcome] = {}
    planned: list[tuple[ingest.EventOutcome, dict, dict, Case, list[CaseStep]]] = []
    for index, event, payload in batch:
        outcome = ingest.EventOutcome(index, event["eventNo"], event["projectNo"], "error")
        outcomes[index] = outcome
        try:
            seen = reads.seen.get((event["projectNo"], event["eventNo"]))
            if seen is not None:
                ingest.seen_outcome(seen, payload, outcome)
                continue
            item, handling = ingest.find_item(system, event, reads.items.get)
            case = reads.cases.get(external_case_number(system.pk, event["projectNo"]))
            known = reads.known.get(case.pk, []) if case is not None else []
            case, steps = ingest.plan_event(
                system,
                event,
                item=item,
                handling=handling,
                case=case,
                known=known,
                standard_for=reads.standard_for,
            )
        except ValidationError as exc:
            outcome.errors = ingest.refusal(exc)
            continue
        planned.append((outcome, event, payload, case, steps))
    if planned:
        _write(system, planned, reads.before)
    return outcomes


def _update_cases(cases: list[Case], fields: list) -> None:
    """Write ``fields`` of ``cases`` in one statement. On PostgreSQL an ``UPDATE … FROM (VALUES …)``: Django's
    ``bulk_update`` writes a ``CASE`` of one branch per row for every column, which PostgreSQL evaluates for every
    row — quadratic, and most of a 500-event request's time."""
    if connection.vendor != "postgresql":
        Case.objects.bulk_update(cases, [f.name for f in fields])
        return
    quote = connection.ops.quote_name
    pk = Case._meta.pk
    columns = [pk, *fields]
    row = "(" + ", ".join(f"CAST(%s AS {f.db_type(connection)})" for f in columns) + ")"
    table = quote(Case._meta.db_table)
    sql = (
        f"UPDATE {table} SET {', '.join(f'{quote(f.column)} = v.{quote(f.column)}' for f in fields)} "
        f"FROM (VALUES {', '.join([row] * len(cases))}) AS v({', '.join(quote(f.column) for f in columns)}) "
        f"WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}"
    )
    params = [f.get_db_prep_save(getattr(case, f.attname), connection) for case in cases for f in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _write(
    system: ExternalSystem,
    planned: list[tuple[ingest.EventOutcome, dict, dict, Case, list[CaseStep]]],
    before: dict[int, dict[str, object]],
) -> None:
    now = timezone.now()
    cases = [case for _o, _e, _p, case, _s in planned]
    for case in cases:
        case.set_phone_tail()
    new = [case for case in cases if case.pk is None]
    changed = [case for case in cases if case.pk is not None]
    if new:
        Case.objects.bulk_create(new)
    if changed:
        columns = {"updated_at"}
        for case in changed:
            case.updated_at = now
            was = before[case.pk]
            columns |= {name for name, value in _values(case).items() if was[name] != value}
        _update_cases(changed, [f for f in Case._meta.concrete_fields if f.attname in columns])
    record_steps([(case, steps) for _o, _e, _p, case, steps in planned])
    ExternalEvent.objects.bulk_create(
        ExternalEvent(
            system=system,
            case_no=event["projectNo"],
            event_no=event["eventNo"],
            case=case,
            payload=payload,
            received_at=now,
        )
        for _o, event, payload, case, _s in planned
    )
    for outcome, _e, _p, case, _s in planned:
        outcome.status, outcome.case_number = "applied", case.number
