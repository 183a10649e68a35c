"""The flowchart the public guide draws on the server: boxes, side procedures, escaping, wrapping and durations."""

from __future__ import annotations

import re
from types import SimpleNamespace

from standards.flowchart import format_duration, render_flowchart, text_width, wrap_text


def step(name, office="审批服务股", duration=2, unit="working_day"):
    return SimpleNamespace(name=name, handling_office=office, duration=duration, duration_unit=unit)


def special(name, duration=15, unit="working_day", counted=False):
    return SimpleNamespace(name=name, duration=duration, duration_unit=unit, counted_in_limit=counted)


def view_box(svg: str) -> list[float]:
    return [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]


def test_flowchart_without_steps_goes_from_application_to_completion():
    svg = str(render_flowchart([], []))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'width="100%"' in svg and "<title" in svg and 'role="img"' in svg
    assert svg.count('class="fc-terminal"') == 2 and "申请" in svg and "办结" in svg
    assert 'class="fc-step"' not in svg and svg.count('class="fc-arrow"') == 1
    assert "stroke-dasharray" not in svg


def test_flowchart_with_one_and_many_steps():
    one = str(render_flowchart([step("受理")], []))
    assert one.count('class="fc-step"') == 1 and one.count('class="fc-arrow"') == 2
    assert "1. 受理" in one and "审批服务股" in one and "时限：2个工作日" in one

    many = str(render_flowchart([step(f"环节{i}") for i in range(12)], []))
    assert many.count('class="fc-step"') == 12 and many.count('class="fc-arrow"') == 13
    assert view_box(many)[3] > view_box(one)[3]
    assert many == str(render_flowchart([step(f"环节{i}") for i in range(12)], []))  # deterministic


def test_special_procedures_are_dashed_side_boxes_at_the_decision_step():
    steps = [step("受理"), step("审查", duration=5), step("决定", duration=3)]
    svg = str(render_flowchart(steps, [special("专家评审"), special("听证", duration=None, unit="")]))
    assert svg.count('class="fc-special"') == 2
    for box in re.findall(r'<g class="fc-special">.*?</g>', svg):
        assert 'stroke-dasharray="6 4"' in box
    assert svg.count('class="fc-link"') == 2 and "不计入办结时限" in svg and "15个工作日" in svg
    assert "在“决定”环节" in svg
    assert view_box(svg)[2] > view_box(str(render_flowchart(steps, [])))[2]  # a side column was added
    # Without a decision step they hang on the last step; without steps, on the start.
    assert "在“审查”环节" in str(render_flowchart(steps[:2], [special("听证")]))
    assert "在“申请”环节" in str(render_flowchart([], [special("听证")]))


def test_flowchart_text_is_escaped():
    svg = str(render_flowchart([step("<script>alert(1)</script>", office='"&')], [special("<b>听证</b>")]))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;听证&lt;/b&gt;" in svg and "&quot;&amp;" in svg


def test_long_chinese_text_wraps_inside_the_box():
    office = "清远市清城区政务服务中心综合受理窗口和审批服务股业务科室联合审查岗"
    svg = str(render_flowchart([step("决定", office=office)], []))
    assert len(re.findall(r'<text class="fc-meta"', svg)) >= 3  # office on two lines or more, then the limit
    lines = wrap_text(office + "，并出具意见。", 200, 13)
    assert "".join(lines) == office + "，并出具意见。"
    assert all(text_width(line, 13) <= 200 + 13 for line in lines)  # one closing mark may hang over
    assert not any(line[0] in "，。、）" for line in lines)
    assert wrap_text("Guangdong Government Service Network", 100, 13) == [
        "Guangdong",
        "Government",
        "Service",
        "Network",
    ]
    assert wrap_text("很长" * 100, 100, 13, max_lines=2)[-1].endswith("…")


def test_durations_are_written_with_their_unit():
    assert format_duration(2, "working_day") == "2个工作日"
    assert format_duration(15, "natural_day") == "15个自然日"
    assert format_duration(3, "month") == "3个月"
    assert format_duration(1, "year") == "1年"
    assert format_duration(None, "instant") == "即办"
    assert format_duration(None, "working_day") == ""
