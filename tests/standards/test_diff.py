"""Comparison of two versions of a standard: fields by label, rows paired by uid, moves as the minimal set."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from standards.diff import Segment, char_diff, diff_standards
from standards.models import GUIDE_ROWS, MANUAL_ROWS, ItemStandard, ManualStep, Material, ReviewPoint, StandardState
from standards.services import standard_start
from tests.standards.factories import complete_standard

EXPECTED_QUERIES = 2 + len(GUIDE_ROWS + MANUAL_ROWS)  # guide, manual, one per kind of row


def next_version(standard: ItemStandard, actor) -> ItemStandard:
    """Publish ``standard`` (bypassing the workflow) and start the next version, a copy of it."""
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.PUBLISHED)
    standard.refresh_from_db()
    return standard_start(actor=actor, local_item=standard.local_item)


def add_materials(standard: ItemStandard, *names: str) -> None:
    start = standard.materials.count()
    for offset, name in enumerate(names):
        Material.objects.create(standard=standard, position=start + offset, name=name, necessity="required")


def names(standard: ItemStandard) -> list[str]:
    return list(standard.materials.order_by("position", "id").values_list("name", flat=True))


def reorder(standard: ItemStandard, order: list[str]) -> None:
    """Renumber the materials as the editor does: 0, 1, 2… in the given order."""
    for position, name in enumerate(order):
        Material.objects.filter(standard=standard, name=name).update(position=position)


@pytest.fixture
def v1(standard):
    return standard


@pytest.fixture
def v2(v1, people):
    return next_version(v1, people["clerk"])


def test_an_unchanged_copy_has_no_differences(v1, v2):
    assert v2.version == 2 and v2.based_on_id == v1.pk
    diff = diff_standards(v1, v2)
    assert diff.is_empty
    assert diff.summary() == [] and diff.summary_text() == ""
    assert diff.counts.total == 0
    assert [s.key for s in diff.row_sections] == [m._meta.model_name for m in GUIDE_ROWS + MANUAL_ROWS]
    assert all(s.is_empty for s in diff.row_sections)
    # The reverse direction, and a version against itself, are as empty.
    assert diff_standards(v2, v1).is_empty and diff_standards(v1, v1).is_empty


def test_a_copy_keeps_the_kind_of_each_internal_step(standard, people):
    copy = next_version(standard, people["clerk"])
    assert diff_standards(standard, copy).section("manualstep").is_empty


def test_a_scalar_change_is_shown_with_the_fields_label(v1, v2):
    guide = v2.guide
    guide.promised_limit = 8
    guide.is_charged = True
    guide.save()
    manual = v2.manual
    manual.effective_on = datetime.date(2025, 3, 1)
    manual.save()

    diff = diff_standards(v1, v2)
    by_name = {c.name: c for c in diff.guide.changes}
    assert set(by_name) == {"promised_limit", "is_charged"}
    limit = by_name["promised_limit"]
    assert (limit.label, limit.old, limit.new, limit.segments) == ("承诺办结时限", "10", "8", ())
    assert (by_name["is_charged"].label, by_name["is_charged"].old, by_name["is_charged"].new) == (
        "是否收费",
        "否",
        "是",
    )
    (effective,) = diff.manual.changes
    assert (effective.label, effective.old, effective.new) == ("实施日期", "", "2025年3月1日")
    assert diff.counts.fields == 3 and not diff.is_empty
    assert diff.summary() == ["办事指南：修改2项", "业务手册：修改1项"]


def test_choices_are_shown_by_label(v1, v2):
    guide = v2.guide
    guide.case_type = "1"
    guide.service_objects = ["1"]
    guide.delivery_methods = ["post", "window"]  # same set, another order: not a change
    guide.handle_forms = ["online", "window", "post"]
    guide.save()
    Material.objects.filter(standard=v2, name="营业执照").update(necessity="deferrable")

    diff = diff_standards(v1, v2)
    shown = {c.name: (c.label, c.old, c.new) for c in diff.guide.changes}
    assert shown == {
        "case_type": ("办件类型", "承诺件", "即办件"),
        "service_objects": ("服务对象", "企业法人、社会组织法人", "自然人"),
        "handle_forms": ("办理形式", "窗口办理、网上办理", "窗口办理、网上办理、快递（邮寄）申请"),
    }
    (row,) = diff.section("material").rows
    assert row.changed and not row.moved
    assert [(c.label, c.old, c.new) for c in row.changes] == [("必要性", "必要", "容缺后补")]


def test_rows_added_removed_and_changed(v1, v2):
    Material.objects.filter(standard=v2, name="营业执照").delete()
    Material.objects.filter(standard=v2, name="申请书").update(paper_spec="A3", copy_count=2)
    add_materials(v2, "授权委托书")
    Material.objects.filter(standard=v2, name="授权委托书").update(blank_form="standards/99/授权委托书.docx")

    section = diff_standards(v1, v2).section("material")
    assert section.title == "申请材料" and section.part == "guide"
    (added,) = section.added
    assert added.label == "授权委托书" and added.new_index == 2 and added.old_index is None
    assert ("空白表格", "", "授权委托书.docx") in [(c.label, c.old, c.new) for c in added.changes]
    assert ("必要性", "", "必要") in [(c.label, c.old, c.new) for c in added.changes]
    (removed,) = section.removed
    assert removed.label == "营业执照" and removed.old_index == 2 and removed.new_index is None
    assert ("材料类型", "复印件", "") in [(c.label, c.old, c.new) for c in removed.changes]
    (changed,) = section.changed
    assert changed.label == "申请书"
    assert [(c.name, c.old, c.new) for c in changed.changes] == [("copy_count", "0", "2"), ("paper_spec", "A4", "A3")]
    assert section.moved == []
    assert (section.counts.added, section.counts.removed, section.counts.changed, section.counts.moved) == (1, 1, 1, 0)


def test_a_reference_to_an_internal_step_is_compared_by_uid_and_shown_by_label(v1, v2):
    # The copy points at the copied step (another id): no change, as the identical-copy test shows. Pointing the
    # review point at another step is one.
    decide = ManualStep.objects.get(standard=v2, step="decide")
    ReviewPoint.objects.filter(standard=v2).update(step=decide)
    (row,) = diff_standards(v1, v2).section("reviewpoint").rows
    assert [(c.label, c.old, c.new) for c in row.changes] == [("所属环节", "新办 · 审查", "新办 · 决定")]

    # A step changed in place keeps its uid: the review point does not change, the step does.
    ReviewPoint.objects.filter(standard=v2).update(step=ManualStep.objects.get(standard=v2, step="review"))
    ManualStep.objects.filter(standard=v2, step="review").update(responsible_post="实质审查岗")
    diff = diff_standards(v1, v2)
    assert diff.section("reviewpoint").is_empty
    (step,) = diff.section("manualstep").rows
    assert step.label == "新办 · 审查" and [c.new for c in step.changes] == ["实质审查岗"]


@pytest.fixture
def four(standard, people):
    """Version 1 with materials 申请书, 营业执照, 身份证明, 场地证明; version 2 a copy."""
    add_materials(standard, "身份证明", "场地证明")
    assert names(standard) == ["申请书", "营业执照", "身份证明", "场地证明"]
    return standard, next_version(standard, people["clerk"])


def moved_labels(old, new) -> list[str]:
    return [r.label for r in diff_standards(old, new).section("material").moved]


def test_swapping_two_rows_moves_exactly_those_rows(four):
    v1, v2 = four
    reorder(v2, ["场地证明", "营业执照", "身份证明", "申请书"])
    section = diff_standards(v1, v2).section("material")
    assert sorted(r.label for r in section.moved) == ["场地证明", "申请书"]
    assert section.changed == [] and section.added == [] and section.removed == []
    first = section.moved[0]
    assert (first.label, first.old_index, first.new_index, first.changes) == ("场地证明", 4, 1, [])


def test_swapping_neighbours_moves_one_row(four):
    """Of two swapped neighbours, moving one explains the new order: the one that went up is reported."""
    v1, v2 = four
    reorder(v2, ["申请书", "身份证明", "营业执照", "场地证明"])
    assert moved_labels(v1, v2) == ["身份证明"]


def test_moving_one_row_far_moves_only_that_row(four):
    v1, v2 = four
    reorder(v2, ["场地证明", "申请书", "营业执照", "身份证明"])
    assert moved_labels(v1, v2) == ["场地证明"]


def test_rows_shifted_by_an_insertion_or_removal_are_not_moved(four):
    v1, v2 = four
    add_materials(v2, "授权委托书")
    reorder(v2, ["授权委托书", "申请书", "营业执照", "身份证明", "场地证明"])
    section = diff_standards(v1, v2).section("material")
    assert [r.label for r in section.rows] == ["授权委托书"] and section.rows[0].added
    assert section.moved == []

    Material.objects.filter(standard=v2, name="申请书").delete()
    reorder(v2, ["授权委托书", "营业执照", "身份证明", "场地证明"])
    section = diff_standards(v1, v2).section("material")
    # The removed row stood first: nothing that is still there preceded it.
    assert [(r.label, r.added, r.removed) for r in section.rows] == [
        ("申请书", False, True),
        ("授权委托书", True, False),
    ]
    assert section.moved == []


def test_a_row_can_be_changed_and_moved(four):
    v1, v2 = four
    reorder(v2, ["场地证明", "申请书", "营业执照", "身份证明"])
    Material.objects.filter(standard=v2, name="场地证明").update(name="经营场所证明")
    (row,) = diff_standards(v1, v2).section("material").rows
    assert row.changed and row.moved and row.relabelled
    assert (row.label, row.old_label) == ("经营场所证明", "场地证明")
    assert [(c.label, c.old, c.new) for c in row.changes] == [("材料名称", "场地证明", "经营场所证明")]


def test_a_text_change_has_character_segments(v1, v2):
    guide = v2.guide
    old_text = guide.process_text_offline
    assert old_text == "申请人到窗口提交材料，窗口受理后审查，作出决定并送达。"
    guide.process_text_offline = "申请人到窗口或网上提交材料，窗口受理后审查，作出决定并送达。"
    guide.save()

    (change,) = diff_standards(v1, v2).guide.changes
    assert change.label == "窗口办理流程"
    assert change.segments == (
        Segment("equal", "申请人到窗口"),
        Segment("insert", "或网上"),
        Segment("equal", "提交材料，窗口受理后审查，作出决定并送达。"),
    )
    assert "".join(s.text for s in change.segments if s.op != "insert") == change.old
    assert "".join(s.text for s in change.segments if s.op != "delete") == change.new
    # op and text unpack as a pair.
    assert [op for op, _text in change.segments] == ["equal", "insert", "equal"]


def test_character_diff_keeps_both_texts_and_folds_stray_matches():
    assert char_diff("", "") == [] and char_diff("同", "同") == [Segment("equal", "同")]
    assert char_diff("", "新") == [Segment("insert", "新")]
    assert char_diff("10个工作日", "8个工作日") == [
        Segment("delete", "10"),
        Segment("insert", "8"),
        Segment("equal", "个工作日"),
    ]
    old, new = "领取证书时核验原件。", "全程网办，无需到现场。"
    segments = char_diff(old, new)
    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    # A line break on its own is flagged so the page can make it visible.
    assert [(s.text, s.is_blank) for s in char_diff("甲乙", "甲\n乙")] == [("甲", False), ("\n", True), ("乙", False)]
    # A lone common character inside a rewrite does not split it into pieces.
    assert [s.op for s in char_diff("甲的乙", "丙的丁")] == ["delete", "insert"]


def test_summary_lists_each_kind_of_difference(four):
    v1, v2 = four
    Material.objects.filter(standard=v2, name="营业执照").delete()
    add_materials(v2, "授权委托书")
    Material.objects.filter(standard=v2, name="申请书").update(paper_spec="A3")
    Material.objects.filter(standard=v2, name="身份证明").update(copy_count=1)
    reorder(v2, ["场地证明", "申请书", "身份证明", "授权委托书"])
    guide = v2.guide
    guide.promised_limit = 8
    guide.save()

    diff = diff_standards(v1, v2)
    section = diff.section("material")
    assert section.summary() == "申请材料：新增1项、删除1项、修改2项、调整顺序1项"
    assert diff.summary() == ["办事指南：修改1项", "申请材料：新增1项、删除1项、修改2项、调整顺序1项"]
    assert diff.summary_text() == "办事指南：修改1项；申请材料：新增1项、删除1项、修改2项、调整顺序1项"
    # New order, the removed row where it stood (after 申请书, which preceded it and is still there).
    assert [r.label for r in section.rows] == ["场地证明", "申请书", "营业执照", "身份证明", "授权委托书"]
    counts = diff.counts
    assert (counts.fields, counts.added, counts.removed, counts.changed, counts.moved) == (1, 1, 1, 2, 1)
    assert [s.key for s in diff.sections] == ["guide", "material"]


def test_loading_takes_the_same_queries_whatever_the_row_count(v1, v2, local_items, people):
    with CaptureQueriesContext(connection) as small:
        diff_standards(v1, v2)

    big_v1 = complete_standard(people["qx_clerk"], local_items["qx"])
    add_materials(big_v1, *[f"材料{k}" for k in range(28)])
    for k in range(10):
        ReviewPoint.objects.create(
            standard=big_v1, position=k + 1, step=big_v1.manual_steps.first(), point=f"要点{k}", standard_text="齐全"
        )
    big_v2 = next_version(big_v1, people["qx_clerk"])
    assert big_v2.materials.count() == 30
    Material.objects.filter(standard=big_v2).update(remark="已核对")
    ReviewPoint.objects.filter(standard=big_v2).update(step=big_v2.manual_steps.last())
    with CaptureQueriesContext(connection) as big:
        diff = diff_standards(big_v1, big_v2)
    assert len(diff.section("material").changed) == 30 and len(diff.section("reviewpoint").changed) == 11
    assert len(small.captured_queries) == len(big.captured_queries) == EXPECTED_QUERIES


def render(people, **context) -> str:
    request = RequestFactory().get("/standards/diff/")
    request.user = people["clerk"]
    return render_to_string("standards/diff.html", context, request=request)


def test_the_page_shows_badges_values_and_highlights(four, people):
    v1, v2 = four
    Material.objects.filter(standard=v2, name="营业执照").delete()
    add_materials(v2, "授权委托书")
    Material.objects.filter(standard=v2, name="申请书").update(paper_spec="A3")
    reorder(v2, ["场地证明", "申请书", "身份证明", "授权委托书"])
    guide = v2.guide
    guide.promised_limit = 8
    guide.case_type = "1"
    guide.process_text_offline = "申请人到窗口或网上提交材料，窗口受理后审查，\n作出决定并送达。"
    guide.save()
    v1 = ItemStandard.objects.select_related("local_item").get(pk=v1.pk)
    v2 = ItemStandard.objects.select_related("local_item").get(pk=v2.pk)

    html = render(people, standard_old=v1, standard_new=v2, diff=diff_standards(v1, v2))
    assert v2.local_item.name in html
    assert "第1版 → 第2版" in html
    assert "css/diff.css" in html
    for badge in ("新增", "删除", "修改", "调整顺序"):
        assert f">{badge}</span>" in html
    assert "申请材料：新增1项、删除1项、修改1项、调整顺序1项" in html
    assert "承诺办结时限" in html and ">10<" in html and ">8<" in html
    assert "承诺件" in html and "即办件" in html
    assert "授权委托书" in html and "营业执照" in html and ">A3<" in html
    assert '<ins class="diff-ins">或网上</ins>' in html
    assert '<ins class="diff-ins diff-blank">\n</ins>' in html
    assert 'class="table-responsive"' in html
    assert 'style="' not in html.split('<main id="main"', 1)[1]
    assert "内容相同" not in html


def test_the_page_says_when_versions_are_identical(v1, v2, people):
    html = render(people, standard_old=v1, standard_new=v2, diff=diff_standards(v1, v2))
    assert "第1版与第2版内容相同" in html
    assert "<table" not in html
