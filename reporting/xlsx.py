"""The progress report workbook (openpyxl, write-only), written from a report's frozen figures and rows only.

Sheets: 封面 (period, reporting unit, recipient 省编办, contact, generated at), 各市汇总, 县区明细 (one row per county
with the counts, the rates, the change since the last sent report and the rank), 部门明细, 超期通报 (units behind a
milestone and by how much), 办件与监察 (the case figures of every unit, ``reporting.case_figures.xlsx``),
好差评 and 服务大厅 (``reporting.evaluation_figures.xlsx``). Rates are numbers with a percent format, header rows
are frozen with an autofilter, rates below the 100 % target are filled, and column widths follow the longest text
(a Chinese character counts twice).
"""

from __future__ import annotations

import datetime as dt
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from core.xlsx import CHUNK, HEADER_FONT, display_width, finish_sheet, start_sheet

from .case_figures.xlsx import CASE_COLUMNS, CASE_SHEET_TITLE, NO_CASES, case_sheet_rows
from .evaluation_figures.xlsx import (
    EVALUATION_COLUMNS,
    EVALUATION_SHEET_TITLE,
    HALL_COLUMNS,
    HALL_SHEET_TITLE,
    NO_EVALUATIONS,
    NO_HALL,
    evaluation_sheet_rows,
)
from .models import ProgressReport, ScopeKind
from .rates import TARGET, shown_rate
from .report_data import NO_OVERDUE_UNITS

BELOW_TARGET_FILL = PatternFill("solid", fgColor="FCE4D6")
PERCENT = "0.0%"
WIDTH_SAMPLE = 500  # rows read for the column widths
CHANGE = "+0.0%;-0.0%;0.0%"

# The workbook is a document for the province, written in the language it is built in (Chinese by default).
# (header, key, kind): kind "text", "count", "rate" (highlighted below target), "change" or "rank".
RATE_COLUMNS = [
    (gettext_lazy("应编写事项数"), "active", "count"),
    (gettext_lazy("已录入数"), "entered", "count"),
    (gettext_lazy("已提交数"), "submitted", "count"),
    (gettext_lazy("标准录入提交率"), "submission_rate", "rate"),
    (gettext_lazy("提交率较上期"), "submission_change", "change"),
    (gettext_lazy("待部门确认"), "dept_confirm", "count"),
    (gettext_lazy("待合规审查"), "compliance_review", "count"),
    (gettext_lazy("待合法审查"), "legality_review", "count"),
    (gettext_lazy("退回数"), "returned", "count"),
    (gettext_lazy("审查通过待发布"), "approved", "count"),
    (gettext_lazy("已发布数"), "published", "count"),
    (gettext_lazy("审查通过数"), "passed", "count"),
    (gettext_lazy("审查通过率"), "approval_rate", "rate"),
    (gettext_lazy("通过率较上期"), "approval_change", "change"),
    (gettext_lazy("一次通过数"), "first_pass", "count"),
    (gettext_lazy("一次通过率"), "first_pass_rate", "rate"),
    (gettext_lazy("超期未审数"), "overdue", "count"),
    (gettext_lazy("排名"), "rank", "rank"),
]
CITY_COLUMNS = [(gettext_lazy("区划代码"), "code", "text"), (gettext_lazy("地市"), "name", "text"), *RATE_COLUMNS]
COUNTY_COLUMNS = [
    (gettext_lazy("区划代码"), "code", "text"),
    (gettext_lazy("县（市、区）"), "name", "text"),
    (gettext_lazy("所属地市"), "city", "text"),
    *RATE_COLUMNS,
]
DEPARTMENT_COLUMNS = [
    (gettext_lazy("区划代码"), "code", "text"),
    (gettext_lazy("所在区划"), "county", "text"),
    (gettext_lazy("部门"), "name", "text"),
    *RATE_COLUMNS,
]
BULLETIN_COLUMNS = [
    (gettext_lazy("工作计划"), "plan", "text"),
    (gettext_lazy("工作节点"), "milestone", "text"),
    (gettext_lazy("截止日期"), "due", "text"),
    (gettext_lazy("区划代码"), "code", "text"),
    (gettext_lazy("单位"), "name", "text"),
    (gettext_lazy("情况"), "situation", "text"),
    (gettext_lazy("在用事项数"), "active", "count"),
    (gettext_lazy("已完成数"), "done", "count"),
    (gettext_lazy("尚差事项数"), "shortfall", "count"),
    (gettext_lazy("完成率"), "rate", "rate"),
    (gettext_lazy("超期天数"), "days_overdue", "count"),
]


# The least width of the bulletin's text columns (a Chinese character counts two), so the sheet reads well even when
# its rows are few or none: a plan's title, a milestone, a date, a division code, a unit's name, the situation.
BULLETIN_MIN_WIDTHS = {"plan": 40, "milestone": 24, "due": 12, "code": 14, "name": 20, "situation": 20}


def _widths(columns, rows, minimum: dict[str, int] | None = None) -> list[float]:
    """Widths from the header and the first rows: enough for Chinese text without reading a huge sheet twice."""
    widths = []
    for header, key, kind in columns:
        width = max(display_width(str(header)), (minimum or {}).get(key, 0))
        if kind == "text":
            for row in rows:
                width = max(width, display_width(str(row.get(key) or "")))
        else:
            width = max(width, 10)
        widths.append(min(width + 2, 60))
    return widths


def _table(
    wb: Workbook, title: str, columns, rows, sample: list[dict], *, minimum=None, empty: str | None = None
) -> None:
    """A sheet of ``rows`` (any iterable of dicts, read once), sized from ``sample`` and at least ``minimum``; a sheet
    without rows says ``empty`` under its header, when given."""
    widths = _widths(columns, sample, minimum)
    ws = start_sheet(wb, str(title), [str(header) for header, _key, _kind in columns], widths)
    count = 0
    for row in rows:
        cells = []
        for _header, key, kind in columns:
            value = row.get(key)
            if kind == "rate":
                value = shown_rate(value)  # rounded down like every rate shown: 100 % only when nothing is missing
            cell = WriteOnlyCell(ws, value="—" if value is None and kind in ("rate", "change") else value)
            if kind in ("rate", "change") and value is not None:
                cell.number_format = PERCENT if kind == "rate" else CHANGE
                if kind == "rate" and value < TARGET:
                    cell.fill = BELOW_TARGET_FILL
            cells.append(cell)
        ws.append(cells)
        count += 1
    if count == 0 and empty:
        ws.append([WriteOnlyCell(ws, value=str(empty))])
    finish_sheet(ws, len(columns), count)


def _rows_table(wb: Workbook, title: str, columns, rows: QuerySet) -> None:
    """A sheet streamed from the report's rows: a server-side cursor on PostgreSQL, a chunk at a time."""
    keys = [key for _header, key, _kind in columns]
    sample = list(rows.values(*keys)[:WIDTH_SAMPLE])
    _table(wb, title, columns, rows.values(*keys).iterator(chunk_size=CHUNK), sample)


def _cover(wb: Workbook, figures: dict) -> None:
    ws = wb.create_sheet(_("封面"))
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 60
    title = WriteOnlyCell(ws, value=_("行政审批标准化工作进度报表"))
    title.font = Font(bold=True, size=16)
    ws.append([title])
    ws.append([])
    generated = dt.datetime.fromisoformat(figures["generated_at"])
    total = figures["total"]
    base = _("已提交事项") if figures.get("approval_base") != "active" else _("全部在用事项")
    # (label, value, whether the value is a rate)
    lines = [
        (
            _("统计期"),
            _("%(start)s 至 %(end)s") % {"start": figures["period_start"], "end": figures["period_end"]},
            False,
        ),
        (_("报送单位"), _("%(name)s（%(code)s）") % figures["unit"], False),
        (_("报送对象"), figures["recipient"], False),
        (_("联系人及电话"), figures["contact"] or "—", False),
        (_("生成时间"), generated.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M"), False),
        (
            _("上期报表"),
            figures["previous"]["period_end"] if figures.get("previous") else _("无（首次报送）"),
            False,
        ),
        (_("应编写事项数"), total["active"], False),
        (_("已提交数"), total["submitted"], False),
        (_("标准录入提交率"), total["submission_rate"], True),
        (_("审查通过数"), total["passed"], False),
        (_("审查通过率"), total["approval_rate"], True),
        (_("审查通过率分母"), base, False),
        (_("一次通过率"), total["first_pass_rate"], True),
        (_("超期未审数"), total["overdue"], False),
    ]
    for label, value, is_rate in lines:
        key = WriteOnlyCell(ws, value=label)
        key.font = HEADER_FONT
        if label.endswith("率") and isinstance(value, float):
            value = shown_rate(value)
        cell = WriteOnlyCell(ws, value="—" if value is None else value)
        if is_rate and isinstance(value, float):
            cell.number_format = PERCENT
            cell.alignment = Alignment(horizontal="left")
            if value < TARGET:
                cell.fill = BELOW_TARGET_FILL
        ws.append([key, cell])


def write_workbook(report: ProgressReport, figures: dict, target: BinaryIO) -> None:
    """Write the workbook of ``report`` into ``target`` (a file: a zip of the whole province is not kept in memory)
    from its frozen ``figures`` and rows."""
    wb = Workbook(write_only=True)
    _cover(wb, figures)
    rows = report.rows.order_by("code", "name")
    cities = rows.filter(kind=ScopeKind.CITY)
    if report.division.level in (ScopeKind.PROVINCE, ScopeKind.CITY) and cities.exists():
        _rows_table(wb, _("各市汇总"), CITY_COLUMNS, cities)
    _rows_table(wb, _("县区明细"), COUNTY_COLUMNS, rows.filter(kind=ScopeKind.COUNTY))
    _rows_table(wb, _("部门明细"), DEPARTMENT_COLUMNS, rows.filter(kind=ScopeKind.DEPARTMENT))
    bulletin = figures["bulletin"]
    _table(
        wb,
        _("超期通报"),
        BULLETIN_COLUMNS,
        bulletin,
        bulletin[:WIDTH_SAMPLE],
        minimum=BULLETIN_MIN_WIDTHS,
        empty=NO_OVERDUE_UNITS,
    )
    case_rows, case_sample = case_sheet_rows(report, WIDTH_SAMPLE)
    _table(wb, str(CASE_SHEET_TITLE), CASE_COLUMNS, case_rows, case_sample, empty=NO_CASES)
    evaluated, hall = evaluation_sheet_rows(figures.get("evaluations", {}))
    _table(
        wb, str(EVALUATION_SHEET_TITLE), EVALUATION_COLUMNS, evaluated, evaluated[:WIDTH_SAMPLE], empty=NO_EVALUATIONS
    )
    _table(wb, str(HALL_SHEET_TITLE), HALL_COLUMNS, hall, hall[:WIDTH_SAMPLE], empty=NO_HALL)
    wb.save(target)
