"""Helpers for the acceptance and handling tests: moments in Beijing time and a case received at the window."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from cases.models import Case
from cases.services import Outcome, case_receive
from standards.models import ItemStandard, Material

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: dt.date | str, hour: int = 10) -> dt.datetime:
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BEIJING)


def materials(bed) -> dict[str, Material]:
    """The materials of the version of the bed's item published now, by name."""
    standard = ItemStandard.objects.published().filter(local_item=bed["item"]).first() or bed["standard"]
    return {m.name: m for m in standard.materials.filter(situation="new")}


def receive(bed, *, actor=None, missing: tuple[str, ...] = (), outcome: str = Outcome.ACCEPT, when="2026-09-28", **kw):
    """An application for the bed's item, with every material received except ``missing``."""
    received = {m.pk: name not in missing for name, m in materials(bed).items()}
    values = {
        "applicant_name": "清远市示范培训学校",
        "applicant_kind": "4",
        "applicant_id_number": "44180219800101123X",
        "applicant_phone": "13812341234",
    }
    values.update(kw)
    return case_receive(
        actor=actor or bed["window"],
        local_item=bed["item"],
        situation="new",
        received=received,
        outcome=outcome,
        at=at(when) if isinstance(when, str) else when,
        **values,
    )


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)
