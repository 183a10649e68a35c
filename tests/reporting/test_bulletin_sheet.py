"""The workbook's overdue bulletin (超期通报) reads well when nobody is overdue: it says so, and its columns are wide
enough for Chinese titles and names."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reporting.services import progress_report_build, progress_report_create


def test_an_empty_bulletin_says_no_unit_is_overdue_and_fits_chinese(small, people, geo):
    report = progress_report_create(
        actor=people["supervisor"],
        division=geo["qy"],
        period_start=dt.date(2026, 11, 1),
        period_end=timezone.localdate(),
        contact="张三 0763-3362001",
    )
    report = progress_report_build(report_id=report.pk)
    assert report.figures["bulletin"] == []
    sheet = load_workbook(report.file.path)["超期通报"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][0] == "无超期单位"
    widths = {
        sheet.cell(row=1, column=i).value: sheet.column_dimensions[get_column_letter(i)].width
        for i in range(1, sheet.max_column + 1)
    }
    assert widths["工作计划"] >= 40 and widths["工作节点"] >= 24 and widths["单位"] >= 20 and widths["情况"] >= 20
    assert min(widths.values()) >= 10  # no 6-character columns
