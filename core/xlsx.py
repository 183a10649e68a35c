"""Excel workbooks people open: one look for every sheet the portal writes, and a download that keeps memory flat.

Every workbook is written in openpyxl's write-only mode, so rows go to disk as they arrive and a sheet of 150,000 rows
costs what one of 1,000 does. Write-only sheets fix their column widths before the first row, so widths come from
the columns' declared sizes (or a sample the caller already holds), never from a second pass over the rows.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .downloads import attachment

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MAX_WIDTH = 60
# Rows an export reads from the database per round trip (a server-side cursor on PostgreSQL).
CHUNK = 2000


class StreamedSheet(Protocol):
    """What the exports use of a write-only sheet (``Workbook(write_only=True).create_sheet()``): rows are appended
    once, in order, so memory stays flat however many there are."""

    column_dimensions: Any
    freeze_panes: Any
    auto_filter: Any

    def append(self, iterable: Iterable[Any]) -> None: ...


def display_width(text: str) -> int:
    """Columns a text takes in Excel: a Chinese (wide) character counts twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def start_sheet(workbook: Workbook, title: str, headers: Sequence[str], widths: Sequence[float]) -> StreamedSheet:
    """A sheet with its column widths, a styled header row frozen in place; call ``finish_sheet`` after the rows."""
    sheet = workbook.create_sheet(title=title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    header = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def finish_sheet(sheet: StreamedSheet, columns: int, rows: int) -> None:
    """The autofilter over the header and every row (a write-only sheet writes it after the rows)."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows + 1, 2)}"


@dataclass(frozen=True)
class Column:
    """One column of a streamed table. ``labels`` turns stored codes into what people read (a choices mapping, or a
    function of the value); ``kind`` "date" and "datetime" become real Excel dates (local time), "bool" 是/否."""

    header: str
    field: str
    width: int = 12
    kind: str = "text"  # text | number | date | datetime | bool
    labels: Mapping[Any, Any] | Callable[[Any], Any] | None = None

    @property
    def fitted_width(self) -> int:
        return max(self.width, display_width(str(self.header)) + 2)


def _converter(sheet: StreamedSheet, column: Column) -> Callable[[Any], Any] | None:
    """How a column's values become cells; labels are translated once per sheet, not once per cell."""
    if callable(column.labels):
        labels = column.labels
        return lambda value: None if value is None else str(labels(value))
    if column.labels is not None:
        names = {key: str(label) for key, label in column.labels.items()}
        return lambda value: None if value is None else names.get(value, value)
    if column.kind == "bool":
        yes, no = _("是"), _("否")
        return lambda value: None if value is None else (yes if value else no)
    if column.kind in ("date", "datetime"):
        number_format = DATETIME_FORMAT if column.kind == "datetime" else DATE_FORMAT

        def date_cell(value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            return cell

        return date_cell

    def text_cell(value: Any) -> Any:
        # Text from other systems may start with "=": it stays text, never a formula Excel would run.
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    return text_cell if column.kind == "text" else None


# Told the number of rows written so far, every CHUNK rows, while an export job builds a workbook
# (``core.export_jobs``): the apps' export functions stay as they are, and the job's page shows how far it got.
rows_written: ContextVar[Callable[[int], None] | None] = ContextVar("rows_written", default=None)


def write_table(workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> int:
    """Stream ``rows`` (values in the order of ``columns``) into a new sheet; returns how many were written."""
    sheet = start_sheet(workbook, title, [c.header for c in columns], [c.fitted_width for c in columns])
    converters = [_converter(sheet, column) for column in columns]
    tell = rows_written.get()
    count = 0
    for row in rows:
        sheet.append(
            [value if convert is None else convert(value) for convert, value in zip(converters, row, strict=True)]
        )
        count += 1
        if tell is not None and count % CHUNK == 0:
            tell(count)
    finish_sheet(sheet, len(columns), count)
    return count


def xlsx_response(workbook: Workbook, filename: str) -> FileResponse:
    """The workbook saved to a temporary file and streamed from it, so the response never holds it in memory."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    workbook.save(handle)
    handle.seek(0)
    return attachment(FileResponse(handle, content_type=XLSX_CONTENT_TYPE), filename)
