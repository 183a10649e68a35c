"""Quality rules of an item standard: the registry of rules, empty drafts, progress, and what checking costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.services import local_item_build
from standards.checks import RULES, CheckContext, Finding, has_errors, progress, required_elements, rule, run_checks
from standards.models import Citation, Faq, Material, ProcessStep
from tests.standards.conftest import empty_draft, found, set_guide
from tests.standards.factories import charge, complete_standard


# ---------------------------------------------------------------------------------------------------- registry
def test_every_machine_decidable_code_has_one_rule_and_legality_is_left_to_reviewers():
    assert list(RULES) == ["C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "F01", "F02", "F03"]
    assert all(r.title and r.code == code for code, r in RULES.items())
    assert not [code for code in RULES if code.startswith("L")]


def test_a_code_cannot_be_registered_twice_or_malformed():
    with pytest.raises(ValueError, match="already registered"):
        rule("C03", "另一条规则")(lambda ctx: [])
    with pytest.raises(ValueError, match="not of the form"):
        rule("X1", "无效编码")
    assert RULES["C03"].function.__name__ == "time_limits"


def test_the_complete_standard_has_no_findings(standard):
    assert run_checks(standard) == []


def test_the_complete_charged_standard_has_no_findings(standard):
    charge(standard)
    assert run_checks(standard) == []


def test_a_complete_public_service_standard_has_no_findings(general, geo, orgs, people):
    item = local_item_build(
        general_item=general["township"], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
    )
    standard = complete_standard(people["clerk"], item)
    Faq.objects.filter(standard=standard).delete()  # FAQ is only required of 行政许可 items
    # The catalogue lists no founding basis for this item, so there is nothing for C01 to compare; F02 still wants one.
    assert [(f.code, f.field_path) for f in run_checks(standard)] == [("F02", "citations")]
    Citation.objects.create(standard=standard, role="founding", law_name="《学生资助管理办法》", article_ref="第三条")
    assert run_checks(standard) == []


def test_findings_are_sorted_errors_first_then_code_then_natural_field_order(standard):
    for position in range(2, 12):
        Material.objects.create(standard=standard, position=position, name=f"材料{position}")  # C07 incomplete rows
    Material.objects.filter(standard=standard, position=11).update(name="其他材料")
    set_guide(standard, consult_phone="13800138000")  # C06 warning
    findings = run_checks(standard)
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s != "error")
    errors = [f for f in findings if f.severity == "error"]
    assert [f.code for f in errors] == sorted(f.code for f in errors)
    c07_rows = [f.field_path.split(".")[0] for f in errors if f.code == "C07"]
    assert c07_rows.index("materials[2]") < c07_rows.index("materials[10]") < c07_rows.index("materials[11]")
    assert findings[-1] == Finding("C06", "warning", "guide.consult_phone", findings[-1].message)


def test_has_errors_ignores_warnings():
    warning = Finding("F02", "warning", "faqs", "x")
    assert not has_errors([]) and not has_errors([warning])
    assert has_errors([warning, Finding("F02", "error", "guide.scope", "x")])


def test_checks_see_unsaved_edits_given_a_context(standard):
    ctx = CheckContext.load(standard)
    ctx.guide.consult_phone = "3362001"
    assert [(f.code, f.field_path) for f in run_checks(ctx)] == [("C06", "guide.consult_phone")]
    assert run_checks(standard) == []  # the saved standard is untouched


def test_messages_are_chinese_and_say_how_to_fix(standard):
    set_guide(standard, promised_limit=30)
    (finding,) = run_checks(standard)
    assert "30个工作日" in finding.message and "20个工作日" in finding.message and "请" in finding.message
    assert finding.as_dict()["field_path"] == "guide.promised_limit"


# ---------------------------------------------------------------------------------------------------- empty drafts
def test_an_empty_draft_reports_each_missing_part_once_without_crashing(local_items):
    standard = empty_draft(local_items["qc"])
    findings = run_checks(standard)
    assert [(f.code, f.field_path) for f in findings if f.code.startswith("F")] == [("F01", "guide"), ("F01", "manual")]
    guide, manual = (f.message for f in findings if f.code == "F01")
    assert "适用范围" in guide and "法定办结时限" in guide and "常见问题" in guide
    assert "审批人员资格要求" in manual and "审查要点" in manual and "监督检查量化表" in manual
    assert all(isinstance(f.message, str) and f.message for f in findings)
    assert progress(standard) == (0, 28)


def test_a_standard_without_guide_or_manual_does_not_crash(local_items):
    standard = empty_draft(local_items["qc"], with_parts=False)
    findings = run_checks(standard)
    assert {f.field_path for f in findings if f.code == "F01"} == {"guide", "manual"}
    assert has_errors(findings)
    assert progress(standard) == (0, 28)


def test_a_freshly_started_draft_is_checked_without_crashing(local_items, people):
    from standards.services import standard_start

    standard = standard_start(actor=people["clerk"], local_item=local_items["qc"])
    findings = run_checks(standard)
    assert {(f.code, f.field_path) for f in findings if f.code.startswith("F")} == {("F01", "guide"), ("F01", "manual")}
    assert not [f for f in findings if f.code == "C01"]  # prefilled from the catalogue, so 四级四同 holds
    # item name, both bodies and the founding citation come from the catalogue
    assert progress(standard) == (4, 28)


# ---------------------------------------------------------------------------------------------------- progress
def test_progress_counts_filled_required_elements(standard):
    assert progress(standard) == (28, 28)
    set_guide(standard, scope="", promised_limit=None)
    Faq.objects.filter(standard=standard).delete()
    assert progress(standard) == (25, 28)


def test_required_elements_of_a_non_licensing_item_leave_out_the_faq(general, geo, orgs, people):
    item = local_item_build(
        general_item=general["township"], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
    )
    standard = complete_standard(people["clerk"], item)
    assert "faqs" in [e.key for e in required_elements()]
    assert "faqs" not in [e.key for e in required_elements(standard)]
    Faq.objects.filter(standard=standard).delete()
    assert progress(standard) == (26, 27)  # the catalogue gives no founding basis to prefill
    Citation.objects.create(standard=standard, role="founding", law_name="《学生资助管理办法》", article_ref="第三条")
    assert progress(standard) == (27, 27)
    assert found(standard, "F02") == []


# ---------------------------------------------------------------------------------------------------- queries
def test_the_number_of_queries_does_not_depend_on_row_counts(standard, local_items, people):
    with CaptureQueriesContext(connection) as plain:
        assert run_checks(standard) == []

    big = complete_standard(people["qx_clerk"], local_items["qx"])
    Material.objects.bulk_create(
        Material(
            standard=big,
            position=10 + i,
            name=f"证明{i}",
            material_type="original",
            material_form="paper",
            source_channel="applicant",
            original_count=1,
            necessity="required",
        )
        for i in range(28)
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(standard=big, position=10 + i, name=f"环节{i}", duration=0, duration_unit="working_day")
        for i in range(7)
    )
    Citation.objects.bulk_create(
        Citation(standard=big, position=20 + i, role="implementing", law_name=f"《条例{i}》", article_ref="第一条")
        for i in range(8)
    )
    assert (big.materials.count(), big.steps.count(), big.citations.count()) == (30, 10, 10)
    with CaptureQueriesContext(connection) as many:
        assert run_checks(big) == []
    assert len(many.captured_queries) == len(plain.captured_queries) <= 12


def test_messy_catalogue_bases_and_units_do_not_crash(standard, general):
    type(general["plain"]).objects.filter(pk=general["plain"].pk).update(
        bases=["《教师资格条例》第十三条", {"law": "《教师资格条例》", "doc_number": None, "article": None}, {}]
    )
    set_guide(standard, promised_limit_unit="fortnight", legal_limit_unit="fortnight")
    findings = run_checks(standard)
    assert ("C01", "citations[0].article_ref") in [(f.code, f.field_path) for f in findings]
    assert all(f.message for f in findings)
