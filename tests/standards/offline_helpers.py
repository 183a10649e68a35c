"""Working with offline workbooks the way a person does in Excel: find a line by what it shows, change a cell under
its column heading, add a line at the end, delete a line."""

from __future__ import annotations

import io

from django.forms.models import model_to_dict
from openpyxl import Workbook, load_workbook

from standards.models import ROW_MODELS, ItemStandard


def open_book(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def save_book(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def column_of(ws, label: str) -> int:
    """The column under a visible heading (a required column's heading starts with *)."""
    for cell in ws[2]:
        if str(cell.value or "").lstrip("*") == label:
            return cell.column
    raise KeyError(label)


def line_of(ws, label: str, value) -> int:
    column = column_of(ws, label)
    for row in range(3, ws.max_row + 1):
        if ws.cell(row=row, column=column).value == value:
            return row
    raise KeyError(value)


def set_cell(ws, row: int, label: str, value) -> None:
    ws.cell(row=row, column=column_of(ws, label)).value = value  # cell(value=None) would keep the old value


def add_line(ws, values: dict) -> int:
    row = ws.max_row + 1
    for label, value in values.items():
        set_cell(ws, row, label, value)
    return row


def snapshot(standard: ItemStandard) -> dict:
    """Everything a standard holds, to compare before and after: guide, manual and every row."""
    standard = ItemStandard.objects.get(pk=standard.pk)
    data = {
        "revision": standard.revision,
        "guide": model_to_dict(standard.guide),
        "manual": model_to_dict(standard.manual),
    }
    for model in ROW_MODELS:
        rows = model.objects.filter(standard=standard).order_by("position", "id")
        data[model.__name__] = [{k: v for k, v in model_to_dict(r).items() if k != "id"} | {"uid": r.uid} for r in rows]
    return data
