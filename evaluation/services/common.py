"""What the evaluation services share: the stage limits from the settings, and the unit that owns a grade."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from catalogue.models import Organization

from ..models import Stage

DEFAULT_STAGE_WORKDAYS = 5


def stage_workdays(stage: str) -> int:
    """The working days a stage of a rectification is given (``EVALUATION_STAGE_WORKDAYS``, 5 each by default)."""
    configured = getattr(settings, "EVALUATION_STAGE_WORKDAYS", {}) or {}
    return int(configured.get(str(stage), DEFAULT_STAGE_WORKDAYS))


def moment(at: dt.datetime | None) -> tuple[dt.datetime, dt.date]:
    at = at or timezone.now()
    return at, timezone.localdate(at)


def next_stage(stage: str) -> str:
    order = [Stage.VERIFY, Stage.RECTIFY, Stage.REPLY, Stage.FOLLOW_UP, Stage.CLOSED]
    return order[order.index(stage) + 1]


def visit_owner(ticket) -> Organization:
    """A visit's grade belongs to the window's department, or, at a comprehensive window, to the hall's organization."""
    if ticket.window_id and ticket.window.department_id:
        return ticket.window.department
    return ticket.hall.organization
