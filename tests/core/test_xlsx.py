"""The shared workbook writer: what every export's cells become when a person opens the file."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core.xlsx import Column, display_width, write_table

COLUMNS = [
    Column("名称", "name", width=20),
    Column("类型", "kind", labels={"01": "行政许可"}),
    Column("有效", "active", kind="bool"),
    Column("日期", "day", kind="date"),
    Column("更新时间", "updated", kind="datetime"),
    Column("层级", "levels", labels=lambda v: "、".join(v)),
]


def written(rows):
    workbook = Workbook(write_only=True)
    count = write_table(workbook, "表", COLUMNS, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return count, load_workbook(buffer).worksheets[0]


def test_cells_read_as_people_expect():
    updated = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)
    count, sheet = written([("教师资格认定", "01", True, dt.date(2026, 1, 2), updated, "34")])
    assert count == 1 and sheet.title == "表"
    assert [c.value for c in sheet[1]] == ["名称", "类型", "有效", "日期", "更新时间", "层级"]
    name, kind, active, day, when, levels = sheet[2]
    assert (name.value, kind.value, active.value, levels.value) == ("教师资格认定", "行政许可", "是", "3、4")
    assert day.value == dt.datetime(2026, 1, 2) and day.number_format == "yyyy-mm-dd"
    assert when.value == timezone.localtime(updated).replace(tzinfo=None)  # local time, as the pages show it
    assert when.number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F2"
    assert sheet[1][0].font.bold


def test_empty_values_stay_empty_and_unknown_codes_show_as_stored():
    _, sheet = written([(None, "99", None, None, None, None)])
    assert [c.value for c in sheet[2]] == [None, "99", None, None, None, None]


def test_text_starting_with_an_equals_sign_is_never_a_formula():
    _, sheet = written([('=HYPERLINK("http://example.com","点我")', None, False, None, None, None)])
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert sheet["C2"].value == "否"


def test_widths_fit_chinese_headers():
    assert display_width("统一社会信用代码") == 16 and display_width("abc") == 3
    _, sheet = written([])
    assert sheet.column_dimensions["A"].width == 20 and sheet.column_dimensions["E"].width >= 10
