"""Decided cases for the published-results tests, written straight to the table (the handling services are tested
elsewhere; one test goes through them end to end)."""

from __future__ import annotations

import datetime as dt

from cases.models import Case, CaseStatus, Notice, NoticeKind
from tests.cases.flow import at

PERSON = {
    "applicant_kind": "1",
    "applicant_name": "欧阳娜娜",
    "applicant_id_number": "441802199001011234",
    "applicant_phone": "13800001234",
    "applicant_address": "清远市清城区东城街道人民路8号",
}
ORGANIZATION = {
    "applicant_kind": "2",
    "applicant_name": "清远市示范培训学校有限公司",
    "applicant_id_number": "91441802MA4UXXXX1X",
    "applicant_phone": "13900005678",
    "applicant_address": "清远市清城区新城路1号",
}


def decided(bed, n: int, *, day: str | dt.date, decision: str = "grant", applicant=None, item=None) -> Case:
    item = item or bed["item"]
    case = Case.objects.create(
        number=f"RESULT-{n}",
        local_item=item,
        standard=bed["standard"] if item == bed["item"] else None,
        organization=item.organization,
        division=item.division,
        received_at=at(day, 9),
        status=CaseStatus.DECIDED,
        decision=decision,
        decision_reason="场地不符合要求" if decision == "deny" else "",
        decided_at=at(day, 15),
        **(applicant or ORGANIZATION),
    )
    Notice.objects.create(case=case, kind=NoticeKind.DECISION, number=f"清教许字〔2026〕{n}号", issued_at=at(day, 15))
    return case
