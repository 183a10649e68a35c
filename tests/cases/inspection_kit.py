"""Finished cases for the inspection tests, on the ``casebed`` county (standard: steps 受理 2 / 审查 5 / 决定 3
working days, one review point, one checklist line of 20 points, one fee item). ``good_case`` is a case whose record
fires no rule; its keyword switches each take one thing away."""

from __future__ import annotations

import datetime as dt
import itertools

from cases.inspection.rules import PREFETCH, sheet_for
from cases.models import Case, CaseFee, CaseStatus, Notice
from standards.models import FeeItem

from .supervision_kit import at, make_case, step

_serial = itertools.count(1)
ACCEPTED = dt.date(2026, 9, 24)  # promised due Friday Oct 9


def good_case(
    bed,
    *,
    finished_on: dt.date = dt.date(2026, 9, 30),
    skip: tuple[str, ...] = (),
    review_opinion: str = "材料齐全，符合条件",
    review_due: dt.date | None = None,
    notice: bool = True,
    fee_off: bool = False,
    supplement_without_notice: bool = False,
    organization=None,
    item=None,
) -> Case:
    fields = {}
    if organization is not None:
        fields["organization"] = organization
    if item is not None:
        fields.update(local_item=item, division=item.division)
    case = make_case(bed, accepted_on=ACCEPTED, **fields)
    if supplement_without_notice:
        step(bed, case, "supplement_notice", day=dt.date(2026, 9, 23))
    if "accept" not in skip:
        step(bed, case, "accept", day=ACCEPTED)
    if "review" not in skip:
        extra = {"due_on": review_due} if review_due else {}
        step(bed, case, "review", day=dt.date(2026, 9, 25), opinion=review_opinion, **extra)
    step(bed, case, "decide", day=dt.date(2026, 9, 28), opinion="同意，准予许可")
    if "deliver" not in skip:
        step(bed, case, "deliver", day=dt.date(2026, 9, 29))
    if "finish" not in skip:
        step(bed, case, "finish", day=finished_on)
    if notice:
        Notice.objects.create(case=case, kind="acceptance", number=f"TZ-{case.number}")
    fee_item = FeeItem.objects.filter(standard=bed["standard"]).first()
    CaseFee.objects.create(case=case, fee_item=None if fee_off else fee_item, name="证书工本费", amount=10)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.FINISHED,
        finished_at=at(finished_on, 17),
        finished_on=finished_on,
        delivered_at=None if "deliver" in skip else at(dt.date(2026, 9, 29)),
        accepted_on=None if "accept" in skip else ACCEPTED,
        accepted_at=None if "accept" in skip else at(ACCEPTED),
    )
    return Case.objects.get(pk=case.pk)


def fired(case: Case) -> set[str]:
    case = Case.objects.select_related("standard").prefetch_related(*PREFETCH).get(pk=case.pk)
    return {line.rule for line in sheet_for(case) if line.rule}
