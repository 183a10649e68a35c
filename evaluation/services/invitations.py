"""Invitations to evaluate (Bozhou's practice): a case finished ``EVALUATION_INVITE_AFTER_WORKDAYS`` working days
ago with no evaluation is invited once by SMS — recorded here, not sent — and never again, whatever happens later.
Cases finished more than ``EVALUATION_INVITE_LOOKBACK_DAYS`` before that are left alone, so switching the job on
does not message years of old applicants."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.models import Case, CaseStatus
from core.workdays import add_workdays

from ..models import Channel, Evaluation, Invitation, Target


def invite_after_workdays() -> int:
    return int(getattr(settings, "EVALUATION_INVITE_AFTER_WORKDAYS", 3))


def invitation_cutoff(today: dt.date, workdays: int) -> dt.date:
    """The last finishing day whose ``workdays`` working days have passed by ``today``."""
    day = today
    while add_workdays(day, workdays) > today:
        day -= dt.timedelta(days=1)
    return day


@transaction.atomic
def invitations_send(*, today: dt.date | None = None) -> int:
    """Record one invitation for each case due one; returns how many were recorded now."""
    today = today or timezone.localdate()
    cutoff = invitation_cutoff(today, invite_after_workdays())
    lookback = int(getattr(settings, "EVALUATION_INVITE_LOOKBACK_DAYS", 30))
    due = (
        Case.objects.filter(
            status=CaseStatus.FINISHED,
            finished_on__lte=cutoff,
            finished_on__gte=cutoff - dt.timedelta(days=lookback),
        )
        .exclude(applicant_phone="")
        .annotate(
            evaluated=Exists(Evaluation.objects.filter(case=OuterRef("pk"), target=Target.CASE)),
            invited=Exists(Invitation.objects.filter(case=OuterRef("pk"))),
        )
        .filter(evaluated=False, invited=False)
        .values_list("pk", "applicant_phone")
    )
    now = timezone.now()
    rows = [Invitation(case_id=pk, channel=Channel.SMS, phone=phone, invited_at=now) for pk, phone in due]
    Invitation.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
