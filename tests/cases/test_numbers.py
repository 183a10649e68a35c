"""Case and notice numbers: body, year, item and serial; a serial per body, year and item; notices numbered per case
and kind."""

from __future__ import annotations

import pytest

from cases.models import CaseSerial, NoticeKind
from cases.numbers import next_case_number, organization_code
from cases.services import Outcome, case_request_supplement
from tests.cases.flow import receive

pytestmark = pytest.mark.django_db


def test_serials_run_per_body_year_and_item(casebed):
    item = casebed["item"]
    prefix = organization_code(casebed["edu"]) + "2026" + item.general_item.code
    assert len(organization_code(casebed["edu"])) == 9
    assert [next_case_number(item, 2026) for _ in range(2)] == [prefix + "00001", prefix + "00002"]
    assert next_case_number(item, 2027).endswith("2027" + item.general_item.code + "00001")
    assert CaseSerial.objects.get(organization=casebed["edu"], year=2026).last == 2


def test_notices_are_numbered_after_their_case_and_kind(casebed):
    case = receive(casebed, missing=("营业执照",), outcome=Outcome.RECEIVE)
    case_request_supplement(actor=casebed["window"], case=case)
    notice = case.notices.get(kind=NoticeKind.SUPPLEMENT)
    assert notice.number == f"{case.number}-BZ01"
