"""The supervisor's download of a unit's evaluations in the national exchange shape (``evaluation.exchange``):
streamed CSV (UTF-8 with a byte-order mark, so Excel opens the Chinese right) and a write-only xlsx streamed from a
temporary file. Headers are the exchange keys, so the provincial platform reads the file as it reads the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import FileResponse
from openpyxl import Workbook

from catalogue.models import Division
from core.xlsx import Column, write_table, xlsx_response
from evaluation.exchange import EXCHANGE_KEYS, exchange_rows, flat
from evaluation.models import Evaluation
from evaluation.selectors import within_dates

EXPORT_FORMATS = ("csv", "xlsx")


def exported_evaluations(division: Division, start: dt.date, end: dt.date) -> QuerySet[Evaluation]:
    """Every evaluation of the division's subtree given in the period, excluded ones too (they are flagged)."""
    return within_dates(Evaluation.objects.filter(**{f"division__{division.level}_code": division.code}), start, end)


def export_filename(division: Division, start: dt.date, end: dt.date, fmt: str) -> str:
    return f"evaluations_{division.code}_{start:%Y%m%d}_{end:%Y%m%d}.{fmt}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(evaluations: QuerySet[Evaluation]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXCHANGE_KEYS)
    for values in flat(exchange_rows(evaluations)):
        yield writer.writerow(values)


def export_xlsx_response(evaluations: QuerySet[Evaluation], filename: str) -> FileResponse:
    workbook = Workbook(write_only=True)
    columns = [Column(key, key, width=14) for key in EXCHANGE_KEYS]
    write_table(workbook, "evaluations", columns, flat(exchange_rows(evaluations)))
    return xlsx_response(workbook, filename)


def csv_text(evaluations: QuerySet[Evaluation]) -> str:
    """The whole CSV as one string (tests and small scopes)."""
    buffer = io.StringIO()
    for part in export_csv(evaluations):
        buffer.write(part)
    return buffer.getvalue()
