"""Each rule that pre-fills a score line from the record fires on a case that breaks it and stays quiet on one that
does not."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.inspection.rules import PREFETCH, RUBRIC, RULES, sheet_for
from cases.models import Case, LineSource

from .inspection_kit import fired, good_case

pytestmark = pytest.mark.django_db


def test_a_clean_record_fires_no_rule(casebed):
    assert fired(good_case(casebed)) == set()


@pytest.mark.parametrize(
    ("rule", "breach"),
    [
        ("step_missing", {"skip": ("review",)}),
        ("step_late", {"review_due": dt.date(2026, 9, 24)}),
        ("fee_off_standard", {"fee_off": True}),
        ("acceptance_missing", {"skip": ("accept",)}),
        ("notice_missing", {"notice": False}),
        ("notice_missing", {"supplement_without_notice": True}),
        ("opinion_missing", {"review_opinion": ""}),
        ("limit_exceeded", {"finished_on": dt.date(2026, 10, 12)}),
        ("delivery_missing", {"skip": ("deliver",)}),
        ("archive_missing", {"skip": ("finish",)}),
    ],
)
def test_each_rule_fires_on_its_breach_and_only_there(casebed, rule, breach):
    assert rule in fired(good_case(casebed, **breach))
    assert rule not in fired(good_case(casebed))


def test_every_rule_is_tested_above():
    assert set(RULES) == {
        "step_missing", "step_late", "fee_off_standard", "acceptance_missing", "notice_missing", "opinion_missing",
        "limit_exceeded", "delivery_missing", "archive_missing",
    }  # fmt: skip


def test_the_sheet_holds_the_manual_and_the_rubric_and_a_fired_rule_suggests_zero(casebed):
    case = good_case(casebed, finished_on=dt.date(2026, 10, 12))
    case = Case.objects.select_related("standard").prefetch_related(*PREFETCH).get(pk=case.pk)
    lines = sheet_for(case)
    sources = [line.source for line in lines]
    for source in (LineSource.CHECK, LineSource.STEP, LineSource.LIMIT, LineSource.REVIEW, LineSource.FEE):
        assert source in sources
    assert [line.key for line in lines if line.source == LineSource.RUBRIC] == [f"rubric:{k}" for k, *_ in RUBRIC]
    check = next(line for line in lines if line.source == LineSource.CHECK)
    assert (check.label, check.max_points, check.suggested) == ("按时办结", 20, 20)
    limit = next(line for line in lines if line.key == "rubric:limit")
    assert (limit.rule, limit.suggested, limit.max_points) == ("limit_exceeded", 0, 15)
    assert limit.finding == str(RULES["limit_exceeded"])


def test_the_fee_line_agrees_with_electronic_supervision(casebed):
    """A fee on the standard's own row is still off the standard when the guide charges nothing, or when it is
    charged under another name — as the supervision rule says."""
    from cases.models import CaseFee
    from standards.models import ServiceGuide

    renamed = good_case(casebed)
    CaseFee.objects.filter(case=renamed).update(name="加急费")
    assert "fee_off_standard" in fired(renamed)
    ServiceGuide.objects.filter(standard=casebed["standard"]).update(is_charged=False)
    assert "fee_off_standard" in fired(good_case(casebed))
    ServiceGuide.objects.filter(standard=casebed["standard"]).update(is_charged=True)
    assert "fee_off_standard" not in fired(good_case(casebed))
