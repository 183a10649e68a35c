"""Cases for the supervision tests, made directly with the ORM on the ``casebed`` county, with dates around the 2026
Mid-Autumn and National Day holidays (Friday Sep 25 and Oct 1–7 off, Saturday Oct 10 worked)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from cases import clocks
from cases.models import Alert, Case, CaseStatus
from cases.services.log import record_step
from standards.models import ManualStep

_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def make_case(bed, *, accepted_on: dt.date | None = dt.date(2026, 9, 24), **fields) -> Case:
    """An accepted case in progress, legal limit 20 and promised 5 working days from ``accepted_on`` (Thursday
    Sep 24: the promised limit ends Friday Oct 9, the legal one Thursday Oct 29)."""
    values = {
        "number": f"SV{next(_numbers):05d}",
        "local_item": bed["item"],
        "standard": bed["standard"],
        "organization": bed["edu"],
        "division": bed["item"].division,
        "applicant_name": "张三",
        "applicant_phone": "13800001234",
        "received_at": at(accepted_on or dt.date(2026, 9, 24), 9),
        "status": CaseStatus.IN_PROGRESS if accepted_on else CaseStatus.RECEIVED,
        "legal_limit": 20,
        "promised_limit": 5,
    }
    if accepted_on:
        values.update(accepted_at=at(accepted_on), accepted_on=accepted_on)
    values.update(fields)
    case = Case(**values)
    clocks.refresh(case, today=accepted_on)
    case.save()
    return case


def manual_step(bed, code: str) -> ManualStep:
    return ManualStep.objects.get(standard=bed["standard"], business_kind="new", step=code)


def step(bed, case: Case, kind: str, who: str | None = None, day: dt.date = dt.date(2026, 9, 25), **kwargs):
    """Record a step of the manual (its post and manual row when the manual has it) done by ``bed[who]``."""
    manual = ManualStep.objects.filter(standard=bed["standard"], business_kind="new", step=kind).first()
    if manual is not None:
        kwargs.setdefault("manual_step", manual)
        kwargs.setdefault("post", manual.responsible_post)
    actor = bed[who] if who else None
    return record_step(case, kind, actor=actor, at=at(day), **kwargs)


def open_alerts(case: Case, rule: str | None = None) -> list[Alert]:
    alerts = Alert.objects.filter(case=case, cleared_at__isnull=True)
    if rule:
        alerts = alerts.filter(rule=rule)
    return list(alerts.order_by("pk"))


def keys(case: Case, rule: str) -> list[str]:
    return [a.key for a in open_alerts(case, rule)]
