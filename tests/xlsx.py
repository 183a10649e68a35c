"""Reading a downloaded workbook back, as a person opening it would see it."""

from __future__ import annotations

import io
from urllib.parse import unquote

from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_name(response) -> str:
    """The file name a browser saves the download under (RFC 5987 ``filename*`` or plain ``filename``)."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment"), disposition
    if "filename*=" in disposition:
        return unquote(disposition.split("filename*=", 1)[1].split("''", 1)[1])
    return disposition.split('filename="', 1)[1].rstrip('"')


def open_sheet(response):
    """The first sheet of an xlsx response, loaded again with openpyxl."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(body)).worksheets[0]


def sheet_rows(response) -> tuple[list, list[list]]:
    """The header and the data rows of an xlsx response's first sheet."""
    rows = [list(row) for row in open_sheet(response).iter_rows(values_only=True)]
    return rows[0], rows[1:]
