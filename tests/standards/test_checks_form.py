"""Quality rules on the form of a standard (F rules): each fires when exactly one element is broken, and stays quiet
on the complete standard and on near misses."""

from __future__ import annotations

import pytest

from standards.checks import has_errors, run_checks
from standards.models import Citation, Faq, ManualStep, Material, ProcessStep, ReviewPoint, SupervisionCheck
from tests.standards.conftest import found, set_guide, set_manual


# ---------------------------------------------------------------------------------------------------- F01
def test_f01_manual_with_no_steps_review_points_or_conditions(standard):
    ReviewPoint.objects.filter(standard=standard).delete()
    ManualStep.objects.filter(standard=standard).delete()
    set_manual(standard, approval_conditions="")
    assert found(standard, "F01") == [("error", "manual")]


def test_f01_guide_with_nothing_substantive(standard):
    set_guide(standard, scope="", acceptance_conditions="")
    Material.objects.filter(standard=standard).delete()
    ProcessStep.objects.filter(standard=standard).delete()
    assert found(standard, "F01") == [("error", "guide")]


def test_f01_quiet_when_the_manual_has_only_its_conditions(standard):
    ReviewPoint.objects.filter(standard=standard).delete()
    ManualStep.objects.filter(standard=standard).delete()
    assert found(standard, "F01") == []


def test_f01_a_guide_without_manual_is_one_finding_and_leaves_the_content_findings_visible(standard):
    """A guide imported from a province's export comes with no manual: one F01, not a finding per manual field."""
    ReviewPoint.objects.filter(standard=standard).delete()
    ManualStep.objects.filter(standard=standard).delete()
    SupervisionCheck.objects.filter(standard=standard).delete()
    set_manual(standard, approval_conditions="", staff_requirements="")
    set_guide(standard, consult_phone="3362001")
    findings = run_checks(standard)
    assert [(f.code, f.field_path) for f in findings if f.code.startswith("F")] == [("F01", "manual")]
    assert [(f.code, f.field_path) for f in findings if f.code.startswith("C")] == [("C06", "guide.consult_phone")]


def test_f01_a_part_with_some_content_keeps_its_element_findings(standard):
    ReviewPoint.objects.filter(standard=standard).delete()
    ManualStep.objects.filter(standard=standard).delete()
    assert found(standard, "F01") == []
    assert found(standard, "F02") == [("error", "manual_steps"), ("error", "review_points")]
    assert found(standard, "F03") == [("error", "manual_steps")]


# ---------------------------------------------------------------------------------------------------- F02
GUIDE_TEXT = [
    "item_name",
    "scope",
    "accepting_body",
    "deciding_body",
    "review_mode",
    "case_type",
    "acceptance_conditions",
    "result_type",
    "result_name",
    "address",
    "office_hours",
    "consult_phone",
    "complain_phone",
    "applicant_rights",
    "applicant_duties",
    "review_channel",
    "litigation_channel",
]


@pytest.mark.parametrize("field", GUIDE_TEXT)
def test_f02_blank_guide_field(standard, field):
    set_guide(standard, **{field: "   " if field in ("scope", "address") else ""})
    assert found(standard, "F02") == [("error", f"guide.{field}")]


@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"service_objects": []}, "guide.service_objects"),
        ({"legal_limit": None}, "guide.legal_limit"),
        ({"legal_limit": 0}, "guide.legal_limit"),
        ({"legal_limit_unit": ""}, "guide.legal_limit_unit"),
        ({"promised_limit": None}, "guide.promised_limit"),
        ({"promised_limit_unit": ""}, "guide.promised_limit_unit"),
    ],
)
def test_f02_empty_list_or_incomplete_limit(standard, values, path):
    set_guide(standard, **values)
    assert found(standard, "F02") == [("error", path)]


def test_f02_a_legal_limit_of_instant_needs_no_number(standard):
    set_guide(standard, legal_limit=None, legal_limit_unit="instant")
    assert found(standard, "F02") == []


@pytest.mark.parametrize(
    ("field", "path"),
    [("staff_requirements", "manual.staff_requirements"), ("approval_conditions", "manual.approval_conditions")],
)
def test_f02_blank_manual_field(standard, field, path):
    set_manual(standard, **{field: ""})
    assert found(standard, "F02") == [("error", path)]


def test_f02_no_founding_citation(standard):
    Citation.objects.filter(standard=standard, role="founding").update(role="implementing")
    assert found(standard, "F02") == [("error", "citations")]


@pytest.mark.parametrize(
    ("model", "path"),
    [(Material, "materials"), (ProcessStep, "steps"), (ReviewPoint, "review_points")],
)
def test_f02_missing_row_list(standard, model, path):
    model.objects.filter(standard=standard).delete()
    assert found(standard, "F02") == [("error", path)]


def test_f02_no_manual_step(standard):
    ReviewPoint.objects.filter(standard=standard).update(step=None)
    ManualStep.objects.filter(standard=standard).delete()
    assert found(standard, "F02") == [("error", "manual_steps")]


def test_f02_a_licensing_item_without_faq_is_a_warning(standard):
    Faq.objects.filter(standard=standard).delete()
    findings = [f for f in run_checks(standard) if f.code == "F02"]
    assert [(f.severity, f.field_path) for f in findings] == [("warning", "faqs")]
    assert not has_errors(run_checks(standard))


# ---------------------------------------------------------------------------------------------------- F03
def test_f03_one_public_step_cannot_make_a_flowchart(standard):
    ProcessStep.objects.filter(standard=standard, position__gt=0).delete()
    assert found(standard, "F03") == [("error", "steps")]


def test_f03_two_public_steps_are_enough(standard):
    ProcessStep.objects.filter(standard=standard, position=2).delete()
    assert found(standard, "F03") == []


def test_f03_one_internal_step_cannot_make_an_internal_flowchart(standard):
    ReviewPoint.objects.filter(standard=standard).update(step=None)
    ManualStep.objects.filter(standard=standard, position__gt=0).delete()
    assert found(standard, "F03") == [("error", "manual_steps")]


def test_f03_no_supervision_checklist(standard):
    SupervisionCheck.objects.filter(standard=standard).delete()
    assert found(standard, "F03") == [("error", "supervision_checks")]


def test_f03_supervision_rows_must_be_scored(standard):
    SupervisionCheck.objects.filter(standard=standard).update(score=None)
    assert found(standard, "F03") == [("warning", "supervision_checks[0].score")]
