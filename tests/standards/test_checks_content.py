"""Quality rules on the content of a standard (C rules): each fires when exactly one element is broken, and stays
quiet on the complete standard and on near misses."""

from __future__ import annotations

import pytest

from standards.checks import run_checks
from standards.models import Citation, FeeItem, ManualStep, Material, ProcessStep, SpecialProcedure
from tests.standards.conftest import found, nth, set_guide, set_manual
from tests.standards.factories import charge


# ---------------------------------------------------------------------------------------------------- C01
def test_c01_item_name_differs_from_the_general_catalogue(standard):
    set_guide(standard, item_name="中小学教师继续教育办学资格审核")
    assert found(standard, "C01") == [("error", "guide.item_name")]


def test_c01_item_type_differs_from_the_general_catalogue(standard):
    set_guide(standard, item_type="20")
    assert found(standard, "C01") == [("error", "guide.item_type")]


def test_c01_founding_article_differs(standard):
    Citation.objects.filter(standard=standard, role="founding").update(article_ref="第十四条")
    assert found(standard, "C01") == [("error", "citations[0].article_ref")]


def test_c01_founding_law_not_in_the_catalogue(standard):
    Citation.objects.filter(standard=standard, role="founding").update(law_name="《教育法》")
    assert found(standard, "C01") == [("error", "citations"), ("error", "citations[0].law_name")]


def test_c01_founding_basis_missing(standard):
    Citation.objects.filter(standard=standard, role="founding").update(role="implementing")
    assert found(standard, "C01") == [("error", "citations")]


def test_c01_extra_founding_citation(standard):
    Citation.objects.filter(standard=standard, role="condition").update(role="founding")
    assert found(standard, "C01") == [("error", "citations[1].law_name")]


def test_c01_quiet_when_only_brackets_and_spaces_differ(standard):
    Citation.objects.filter(standard=standard, role="founding").update(
        law_name="教师资格条例 ", article_ref="第 十三 条"
    )
    set_guide(standard, item_name=" 中小学教师继续教育办学资格审批")
    assert found(standard, "C01") == []


# ---------------------------------------------------------------------------------------------------- C02
def test_c02_citation_without_article(standard):
    Citation.objects.filter(standard=standard, role="condition").update(article_ref="")
    assert found(standard, "C02") == [("error", "citations[1].article_ref")]


def test_c02_citation_without_law_name(standard):
    Citation.objects.filter(standard=standard, role="condition").update(law_name="")
    assert found(standard, "C02") == [("error", "citations[1].law_name")]


@pytest.mark.parametrize("article", ["第三章", "全文", "12"])
def test_c02_article_not_down_to_the_article_is_a_warning(standard, article):
    Citation.objects.filter(standard=standard, role="condition").update(article_ref=article)
    assert found(standard, "C02") == [("warning", "citations[1].article_ref")]


@pytest.mark.parametrize("article", ["第十二条第（三）项", "第二十九条第一款", "第12条"])
def test_c02_quiet_for_articles(standard, article):
    Citation.objects.filter(standard=standard, role="condition").update(article_ref=article)
    assert found(standard, "C02") == []


def test_c02_department_rule_without_order_number(standard):
    Citation.objects.filter(standard=standard, role="condition").update(law_rank="department_rule", doc_number="")
    assert found(standard, "C02") == [("warning", "citations[1].doc_number")]


# ---------------------------------------------------------------------------------------------------- C03
def test_c03_promised_above_legal(standard):
    set_guide(standard, promised_limit=21)
    assert found(standard, "C03") == [("error", "guide.promised_limit")]


def test_c03_promised_equal_to_legal_is_fine(standard):
    set_guide(standard, promised_limit=20)
    assert found(standard, "C03") == []


def test_c03_months_and_years_compare(standard):
    set_guide(standard, legal_limit=1, legal_limit_unit="year", promised_limit=13, promised_limit_unit="month")
    assert ("error", "guide.promised_limit") in found(standard, "C03")
    set_guide(standard, promised_limit=12)
    assert ("error", "guide.promised_limit") not in found(standard, "C03")


@pytest.mark.parametrize(
    ("promised", "legal"),
    [
        ((10, "working_day"), (14, "natural_day")),  # two ordinary weeks, or more across a holiday
        ((30, "natural_day"), (20, "working_day")),
        ((1, "month"), (20, "working_day")),
        ((20, "working_day"), (1, "month")),
    ],
)
def test_c03_units_that_depend_on_the_start_date_are_a_warning(standard, promised, legal):
    set_guide(
        standard,
        promised_limit=promised[0],
        promised_limit_unit=promised[1],
        legal_limit=legal[0],
        legal_limit_unit=legal[1],
        case_type="2",
    )
    findings = [f for f in run_checks(standard) if f.code == "C03" and f.field_path.startswith("guide.")]
    assert [(f.severity, f.field_path) for f in findings] == [("warning", "guide.promised_limit_unit")]
    assert "取决于受理日期" in findings[0].message


@pytest.mark.parametrize(
    ("promised", "legal", "over"),
    [
        ((15, "working_day"), (60, "natural_day"), False),  # the example: never more, whatever the start
        ((20, "working_day"), (38, "natural_day"), False),  # 20 working days have spanned at most 38 days
        ((20, "working_day"), (20, "natural_day"), True),  # no 20 days in a row are all working days
        ((10, "natural_day"), (10, "working_day"), False),
        ((60, "natural_day"), (20, "working_day"), True),
        ((2, "month"), (60, "working_day"), False),  # 59 to 62 days, 60 working days never fewer than 82
        ((6, "month"), (60, "working_day"), True),
        ((1, "year"), (200, "working_day"), True),
    ],
)
def test_c03_decides_across_units_when_the_answer_is_certain(standard, promised, legal, over):
    set_guide(
        standard,
        promised_limit=promised[0],
        promised_limit_unit=promised[1],
        legal_limit=legal[0],
        legal_limit_unit=legal[1],
    )
    expected = [("error", "guide.promised_limit")] if over else []
    assert [f for f in found(standard, "C03") if f[1].startswith("guide.")] == expected


def test_c03_working_day_spans_are_the_calendars_extremes():
    from standards.checks.limits import span_bounds

    assert span_bounds(5, "working_day") == (5, 15)  # a make-up week, or a Spring Festival week in between
    low, high = span_bounds(20, "working_day")
    assert low > 20 and high < 60
    assert span_bounds(1, "month") == (28, 31)


def test_c03_promised_days_when_the_law_says_instant(standard):
    set_guide(standard, legal_limit=None, legal_limit_unit="instant")
    assert found(standard, "C03") == [("error", "guide.promised_limit")]


def test_c03_internal_steps_above_promised(standard):
    ManualStep.objects.filter(standard=standard, step="review").update(step_limit=6)
    assert found(standard, "C03") == [("error", "manual_steps")]


def test_c03_internal_steps_not_counted_do_not_add_up(standard):
    ManualStep.objects.create(
        standard=standard,
        position=3,
        step="hearing",
        step_limit=20,
        step_limit_unit="working_day",
        counted_in_limit=False,
    )
    assert found(standard, "C03") == []


def test_c03_internal_steps_sum_per_business_kind(standard):
    for position, (step, days) in enumerate([("accept", 2), ("review", 5), ("decide", 3)], start=3):
        ManualStep.objects.create(
            standard=standard,
            position=position,
            business_kind="change",
            step=step,
            step_limit=days,
            step_limit_unit="working_day",
        )
    assert found(standard, "C03") == []
    ManualStep.objects.filter(standard=standard, business_kind="change", step="decide").update(step_limit=4)
    assert found(standard, "C03") == [("error", "manual_steps")]


def test_c03_internal_step_in_another_unit_is_left_out_with_a_warning(standard):
    ManualStep.objects.filter(standard=standard, step="review").update(step_limit_unit="natural_day")
    assert found(standard, "C03") == [("warning", "manual_steps")]


def test_c03_public_steps_above_promised(standard):
    ProcessStep.objects.filter(standard=standard, name="审查").update(duration=6)
    assert found(standard, "C03") == [("error", "steps")]


def test_c03_special_procedures_not_counted_do_not_add_up(standard):
    assert SpecialProcedure.objects.get(standard=standard).duration == 15
    assert found(standard, "C03") == []
    SpecialProcedure.objects.filter(standard=standard).update(counted_in_limit=True)
    assert found(standard, "C03") == [("error", "steps")]


def test_c03_instant_promise_with_day_long_steps(standard):
    set_guide(standard, promised_limit=None, promised_limit_unit="instant", case_type="1", review_mode="2")
    assert found(standard, "C03") == [("error", "manual_steps[0].step_limit"), ("error", "steps[0].duration")]
    ProcessStep.objects.filter(standard=standard).update(duration=None, duration_unit="instant")
    ManualStep.objects.filter(standard=standard).update(step_limit=None, step_limit_unit="instant")
    assert found(standard, "C03") == []


# ---------------------------------------------------------------------------------------------------- C04
@pytest.mark.parametrize(
    ("values", "path"),
    [
        ({"promised_limit": None, "promised_limit_unit": "instant"}, "guide.promised_limit_unit"),
        ({"case_type": "1"}, "guide.case_type"),
        ({"review_mode": "2"}, "guide.review_mode"),
        ({"promised_limit": None, "promised_limit_unit": "instant", "case_type": "1"}, "guide.review_mode"),
    ],
)
def test_c04_the_field_off_is_flagged(standard, values, path):
    set_guide(standard, **values)
    assert found(standard, "C04") == [("error", path)]


def test_c04_two_fields_disagreeing_are_both_flagged(standard):
    set_guide(standard, promised_limit_unit="", case_type="1")
    assert found(standard, "C04") == [("error", "guide.case_type"), ("error", "guide.review_mode")]


@pytest.mark.parametrize(
    "values",
    [
        {"promised_limit": None, "promised_limit_unit": "instant", "case_type": "1", "review_mode": "2"},
        {"review_mode": "3"},  # 并联审批 of a 承诺件 is not 即办
        {"case_type": ""},  # nothing to compare with: F02's business
    ],
)
def test_c04_quiet_when_consistent(standard, values):
    set_guide(standard, **values)
    assert found(standard, "C04") == []


# ---------------------------------------------------------------------------------------------------- C05
def test_c05_charged_without_basis(standard):
    charge(standard)
    set_guide(standard, fee_basis="")
    assert found(standard, "C05") == [("error", "guide.fee_basis")]


def test_c05_charged_without_fee_rows(standard):
    set_guide(standard, is_charged=True, fee_basis="粤价〔2016〕1号")
    assert found(standard, "C05") == [("error", "fees")]


def test_c05_free_but_paid_online(standard):
    set_guide(standard, pay_online=True)
    assert found(standard, "C05") == [("error", "guide.pay_online")]


def test_c05_free_with_fee_rows_is_a_warning(standard):
    FeeItem.objects.create(standard=standard, name="工本费", standard_text="10元", basis="粤价〔2016〕1号")
    assert found(standard, "C05") == [("warning", "fees")]


def test_c05_charged_fee_row_without_standard(standard):
    charge(standard)
    FeeItem.objects.filter(standard=standard).update(standard_text="")
    assert found(standard, "C05") == [("error", "fees[0].standard_text")]


# ---------------------------------------------------------------------------------------------------- C06
@pytest.mark.parametrize(
    "phone",
    [
        "0763-3362001",
        "0763-12318",
        "076333620011",
        "07633362001",
        "020-83135000",
        "(0763)3362001",
        "0763 3362001",
        "０７６３－３３６２００１",
        "0763-3362001转8001",
        "0763-3362001、0763-3362002",
        "省厅：020-83135000；广州：020-83135001",
        "0763-3362001（工作日9:00-17:30、节假日除外）。",
        "0777—6428820",
        "0763-3362001-8",
        "0763-3362001 转 8001",
        "400-888-1234",
        "12366-2-4",
        "12333",
        "96333",
        "0763 3362001 0763 3362002",
    ],
)
def test_c06_landlines_with_area_code_pass(standard, phone):
    set_guide(standard, consult_phone=phone)
    assert found(standard, "C06") == []


@pytest.mark.parametrize("phone", ["3362001", "0763-33", "763-3362001", "电话待定", "0763-3362001、3362002"])
def test_c06_phone_without_area_code(standard, phone):
    set_guide(standard, consult_phone=phone)
    assert found(standard, "C06") == [("error", "guide.consult_phone")]


def test_c06_each_bad_number_is_reported_once(standard):
    set_guide(standard, consult_phone="3362001、3362001；0763-33（值班）")
    findings = [f for f in run_checks(standard) if f.code == "C06"]
    assert len(findings) == 2
    assert "“3362001”不是带区号的电话号码" in findings[0].message
    assert "“0763-33”不是完整的电话号码" in findings[1].message


def test_c06_the_same_hotline_with_other_extensions_is_the_same_number(standard):
    set_guide(standard, consult_phone="12366-2-4", complain_phone="12366-5")
    findings = [f for f in run_checks(standard) if f.code == "C06"]
    assert [(f.severity, f.field_path) for f in findings] == [("error", "guide.complain_phone")]
    assert "同一号码" in findings[0].message and "分机" in findings[0].message
    set_guide(standard, complain_phone="12345")
    assert found(standard, "C06") == []


@pytest.mark.parametrize("phone", ["13800138000", "138-0013-8000"])
def test_c06_mobile_phone_is_a_warning(standard, phone):
    set_guide(standard, complain_phone=phone)
    assert found(standard, "C06") == [("warning", "guide.complain_phone")]


@pytest.mark.parametrize(
    "complain", ["0763-3362001", "(0763)3362001", "0763-12345、0763-3362001", "0763-3362001转8", "监督：07633362001。"]
)
def test_c06_complaint_phone_equal_to_consultation_phone(standard, complain):
    set_guide(standard, complain_phone=complain)
    assert found(standard, "C06") == [("error", "guide.complain_phone")]


def test_c06_office_hours_without_working_days(standard):
    set_guide(standard, office_hours="周一至周五 9:00-17:30")
    assert found(standard, "C06") == [("error", "guide.office_hours")]


@pytest.mark.parametrize(
    "address",
    [
        "清远市清城区人民一路28号政务服务中心",
        "清城区政务服务中心二楼",
        "清远市住房和城乡建设局",
        "清远市无线电管理办公室",
    ],
)
def test_c06_address_not_down_to_a_window(standard, address):
    set_guide(standard, address=address)
    assert found(standard, "C06") == [("error", "guide.address")]


@pytest.mark.parametrize(
    "address",
    [
        "政务服务中心二楼301室",
        "政务服务中心3号台",
        "教育局2楼205房",
        "综合受理窗口",
        "行政服务中心C16综合窗",
        "政务服务中心一楼8号窗",
        "市民中心B座服务台",
        "不动产登记中心一楼柜台",
        "教育局档案室",
    ],
)
def test_c06_address_with_a_window_or_room(standard, address):
    set_guide(standard, address=address)
    assert found(standard, "C06") == []


# ---------------------------------------------------------------------------------------------------- C07
@pytest.mark.parametrize("field", ["material_type", "material_form", "source_channel", "necessity"])
def test_c07_material_row_incomplete(standard, field):
    Material.objects.filter(pk=nth(Material, standard, 1).pk).update(**{field: ""})
    assert found(standard, "C07") == [("error", f"materials[1].{field}")]


def test_c07_material_without_any_count(standard):
    Material.objects.filter(pk=nth(Material, standard, 1).pk).update(original_count=None, copy_count=None)
    assert found(standard, "C07") == [("error", "materials[1].original_count")]


def test_c07_paper_material_with_zero_copies(standard):
    Material.objects.filter(pk=nth(Material, standard, 1).pk).update(original_count=0, copy_count=0)
    assert found(standard, "C07") == [("error", "materials[1].original_count")]


def test_c07_electronic_material_needs_no_paper_copies(standard):
    Material.objects.filter(pk=nth(Material, standard, 1).pk).update(
        material_form="electronic", original_count=0, copy_count=0
    )
    assert found(standard, "C07") == []


def test_c07_copy_type_with_no_copies_is_a_warning(standard):
    Material.objects.filter(pk=nth(Material, standard, 1).pk).update(original_count=1, copy_count=0)
    assert found(standard, "C07") == [("warning", "materials[1].copy_count")]


@pytest.mark.parametrize(
    "name",
    [
        "其他材料",
        "相关材料",
        "相关证明材料",
        "其他相关材料",
        "身份证、户口簿等材料",
        "身份证明等",
        "有关文件。",
        "相关证明资料",
        "申请人身份证明及相关证明资料",
        "其它需要提交的材料",
        "审批机关要求提供的其他相关证明资料",
        "营业执照、法人身份证等资料",
        "项目资本金、有关地方配套、自筹资金及金融机构出具的筹资、贷款承诺书，其它资金来源落实情况材料",
    ],
)
def test_c07_vague_material_name(standard, name):
    Material.objects.filter(pk=nth(Material, standard, 1).pk).update(name=name)
    assert found(standard, "C07") == [("error", "materials[1].name")]


@pytest.mark.parametrize(
    "name",
    [
        "身份证明材料",
        "等级证书",
        "中等职业学校毕业证书",
        "无犯罪记录证明",
        "其他股东的身份证明",
        "有关安排资金的通知文件",
    ],
)
def test_c07_specific_material_names_pass(standard, name):
    Material.objects.filter(pk=nth(Material, standard, 1).pk).update(name=name)
    assert found(standard, "C07") == []


# ---------------------------------------------------------------------------------------------------- C08
@pytest.mark.parametrize(
    ("phrase", "severity"),
    [
        ("法律法规规定的其他条件", "error"),
        ("法律、法规规定的其他条件", "error"),
        ("法律、行政法规规定的其它条件", "error"),
        ("其他条件", "error"),
        ("其他有关法律、法规规定的条件", "error"),
        ("具备法人资格和其他有关法律、法规规定的条件", "error"),
        ("法律、行政法规规定的其他情形", "error"),
        ("符合相关规定", "warning"),
        ("具有良好信用", "warning"),
        ("具有相应经济实力", "warning"),
    ],
)
def test_c08_catch_all_or_vague_condition(standard, phrase, severity):
    set_guide(standard, acceptance_conditions=f"1. 申请人为依法登记的法人；\n2. {phrase}。")
    findings = [f for f in run_checks(standard) if f.code == "C08"]
    assert [(f.severity, f.field_path) for f in findings] == [(severity, "guide.acceptance_conditions")]
    assert "第2行" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "取得无线电频率使用许可，申请人需满足以下全部申请条件：",
        "1. 本行政许可予以批准的条件： 1.1. 申请材料齐全。 1.2. 以下审查内容通过的： 1.2.1.",
        "1.《办学许可证》在有效期内；2.符合相关变更要求。",
        "1.内容真实有效；2.符合国家相关法律法规。",
    ],
)
def test_c08_a_cut_off_list_or_an_unnamed_requirement_is_a_warning(standard, text):
    set_guide(standard, acceptance_conditions=text)
    assert found(standard, "C08") == [("warning", "guide.acceptance_conditions")]


def test_c08_also_reads_the_manuals_approval_conditions(standard):
    set_manual(standard, approval_conditions="1. 依法登记；2. 法律、法规规定的其他条件。")
    assert found(standard, "C08") == [("error", "manual.approval_conditions")]


@pytest.mark.parametrize(
    "text", ["申请人应当具备下列条件：其他股东已书面同意。", "有下列情形之一的，不予批准：（一）申请材料虚假的。"]
)
def test_c08_quiet_on_ordinary_conditions(standard, text):
    set_guide(standard, acceptance_conditions=text)
    assert found(standard, "C08") == []


def test_c08_quiet_when_a_condition_forbids_further_conditions(standard):
    set_guide(standard, acceptance_conditions="1. 申请人为依法登记的法人。\n除上述条件外，不得设定其他条件。")
    assert found(standard, "C08") == []
