"""Streaming readers for item lists: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), XLSX and JSON lines.

Each yields ``(row number, {column: text})`` one row at a time, so a 100,000-row file never sits in memory. What
is wrong with the file as a whole (its kind, its encoding, its header) raises FileProblem with a message fit for the
person who uploaded it; what is wrong with one row is that row's rejection, decided by the caller.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext_noop

from core.i18n import Message
from core.text import normalize_newlines

from .profiles import Profile

SNIFF_BYTES = 64 * 1024
KIND_NAMES = {
    "csv": gettext_noop("CSV 文本"),
    "xlsx": gettext_noop("Excel 工作簿（.xlsx）"),
    "jsonl": gettext_noop("JSON lines 文本"),
}


class FileProblem(ValueError):
    """The file cannot be read as the profile says; nothing of it is imported. The message is a ``Message``, kept
    with the import and shown in the reader's language."""


Row = tuple[int, dict[str, str]]


def sniff_kind(head: bytes) -> str:
    """What the first bytes say the file is, whatever its name: xlsx, xls, pdf, binary or text."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    if b"\x00" in head:
        return "binary"
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    return "jsonl" if stripped.startswith(b"{") else "csv"


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the sample decodes as UTF-8, otherwise GB18030 (a superset of GBK and
    GB2312, what Chinese Excel writes by default)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # The sample may end inside a character: decode up to the last line break.
    cut = head[: head.rfind(b"\n") + 1] or head
    try:
        cut.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        cut.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise FileProblem(
            Message(gettext_noop("无法识别文件的字符编码（既不是 UTF-8，也不是 GBK/GB18030），请另存为 UTF-8 CSV"))
        ) from exc


NUMBERS = "__numbers__"  # column → the number Excel stored in a code column, as Excel shows it


def read_rows(path: Path, profile: Profile) -> Iterator[Row]:
    """Read the file as what its content says it is (CSV, xlsx or JSON lines: the profile's ``format`` is only the
    default it names), read its header, check every column the profile names is there, then yield the rows after
    the header, their line breaks normalised (``\\n`` only). Blank rows are skipped."""
    for number, row in _read_rows(path, profile):
        yield number, {key: value if key == NUMBERS else normalize_newlines(value) for key, value in row.items()}


def excel_number_message(column: str, shown: str) -> Message:
    """Why a code read from an Excel number cell cannot be trusted, and how to save the file so it can. A number in
    scientific notation or with a fraction has certainly lost digits; a whole number may have lost leading zeros."""
    lost = "E" in shown or "." in shown
    reason = (
        gettext_noop(
            "列“%(column)s”在 Excel 中存成了数字（%(value)s），编码末尾的数位已经丢失（Excel 只保留15位有效数字）。"
        )
        if lost
        else gettext_noop(
            "列“%(column)s”在 Excel 中存成了数字（%(value)s），编码开头的0可能已经丢失（如“01”变成“1”）。"
        )
    )
    return Message(
        gettext_noop("%(reason)s%(advice)s"),  # two sentences: English puts a space between them
        reason=Message(reason, column=column, value=shown),
        advice=Message(
            gettext_noop(
                "请在 Excel 中把该列设为“文本”格式后重新填入编码（或从原系统重新导出），也可把文件另存为 CSV 再导入"
            )
        ),
    )


def _read_rows(path: Path, profile: Profile) -> Iterator[Row]:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise FileProblem(Message(gettext_noop("文件是空的")))
    kind = sniff_kind(head)
    if kind == "xls":
        raise FileProblem(Message(gettext_noop("这是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后再导入")))
    if kind in ("pdf", "binary"):
        looks = gettext_noop("文件不是 %(kind)s，无法读取（看起来是PDF文件）")
        if kind == "binary":
            looks = gettext_noop("文件不是 %(kind)s，无法读取（看起来是二进制文件）")
        raise FileProblem(Message(looks, kind=Message(KIND_NAMES[profile.format])))
    if kind == "utf16":
        raise FileProblem(Message(gettext_noop("文件是 UTF-16 编码的文本，请另存为 UTF-8 或 GBK 编码的 CSV")))
    if kind == "xlsx":
        yield from _xlsx_rows(path, profile)
    else:
        encoding = detect_encoding(head) if profile.encoding == "auto" else profile.encoding
        reader = _csv_rows if kind == "csv" else _jsonl_rows
        yield from reader(path, profile, encoding)


def _check_header(header: list[str], profile: Profile, *, row_number: int) -> None:
    missing = [c for c in profile.columns if c not in header]
    if missing:
        shown = [h for h in header if h] or Message(gettext_noop("（无）"))
        raise FileProblem(
            Message(
                gettext_noop(
                    "导入方案“%(profile)s”要求的列“%(missing)s”在文件第%(row)s行的表头中不存在；文件的列为：%(columns)s"
                ),
                profile=profile.name,
                missing=missing,
                row=row_number,
                columns=shown,
            )
        )


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    """Lines of a text file, decoding strictly so a wrong encoding is reported with its line, not read as garbage."""
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise FileProblem(Message(gettext_noop("导入方案指定的编码“%(encoding)s”不存在"), encoding=encoding)) from exc
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        line_number = 0
        try:
            for line_number, line in enumerate(text, start=1):  # noqa: B007 - used after the loop on error
                yield line
        except UnicodeDecodeError as exc:
            raise FileProblem(
                Message(
                    gettext_noop("文件第%(line)s行附近不是有效的 %(encoding)s 编码文本（文件可能混用了编码）"),
                    line=line_number + 1,
                    encoding=encoding,
                )
            ) from exc


def _csv_rows(path: Path, profile: Profile, encoding: str) -> Iterator[Row]:
    lines = _text_lines(path, encoding)
    reader = csv.reader(lines)
    header: list[str] | None = None
    try:
        for record in reader:
            number = reader.line_num
            if header is None:
                if number < profile.header_row:
                    continue
                header = [h.strip().lstrip("\ufeff") for h in record]
                _check_header(header, profile, row_number=number)
                continue
            if not any(cell.strip() for cell in record):
                continue
            yield number, dict(zip(header, record, strict=False))
    except csv.Error as exc:
        raise FileProblem(
            Message(gettext_noop("CSV 格式错误（第%(line)s行）：%(error)s"), line=reader.line_num, error=str(exc))
        ) from exc
    if header is None:
        raise FileProblem(Message(gettext_noop("文件不足%(n)s行，找不到表头"), n=profile.header_row))


def _jsonl_rows(path: Path, profile: Profile, encoding: str) -> Iterator[Row]:
    checked = False
    for number, line in enumerate(_text_lines(path, encoding), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                number,
                {
                    "__error__": Message(
                        gettext_noop("不是有效的 JSON：%(error)s（第%(column)s个字符）"),
                        error=exc.msg,
                        column=exc.colno,
                    )
                },
            )
            continue
        if not isinstance(data, dict):
            yield number, {"__error__": Message(gettext_noop("每行应为一个 JSON 对象（{…}）"))}
            continue
        row = {str(k): "" if v is None else str(v) for k, v in data.items()}
        if not checked:
            # JSON lines have no header: the first object stands for it, later rows may omit empty keys.
            _check_header(list(row), profile, row_number=number)
            checked = True
        yield number, row


def _xlsx_rows(path: Path, profile: Profile) -> Iterator[Row]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileProblem(Message(gettext_noop("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏"))) from exc
    try:
        if profile.sheet:
            if profile.sheet not in workbook.sheetnames:
                raise FileProblem(
                    Message(
                        gettext_noop("工作簿中没有名为“%(sheet)s”的工作表（现有：%(sheets)s）"),
                        sheet=profile.sheet,
                        sheets=list(workbook.sheetnames),
                    )
                )
            sheet = workbook[profile.sheet]
        else:
            sheet = workbook.worksheets[0]
        header: list[str] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else str(v).strip() for v in values]
            if header is None:
                if number < profile.header_row:
                    continue
                header = _xlsx_header(cells, profile, number)
                continue
            if not any(cells):
                continue
            row = dict(zip(header, cells, strict=False))
            numbers = _code_numbers(header, values, profile)
            if numbers:
                row.update({column: text for column, (text, _shown) in numbers.items()})
                row[NUMBERS] = {column: shown for column, (_text, shown) in numbers.items()}
            yield number, row
        if header is None:
            raise FileProblem(Message(gettext_noop("工作表不足%(n)s行，找不到表头"), n=profile.header_row))
    finally:
        workbook.close()


def _code_numbers(header: list[str], values: tuple, profile: Profile) -> dict[str, tuple[str, str]]:
    """The code columns whose cells Excel stored as numbers: column → (the digits as text, the number as Excel
    shows it). A code is text whatever the cell's type; whether the number still is the code is the matcher's to
    say (``1`` for ``01`` is not), except a number past 15 digits, which has lost its last digits for certain."""
    found = {}
    for column, value in zip(header, values, strict=False):
        if column not in profile.code_columns or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(value, float) and (not value.is_integer() or abs(value) >= 1e15):
            found[column] = ("", f"{value:.3E}" if abs(value) >= 1e15 else repr(value))
        else:
            found[column] = (str(int(value)), str(int(value)))
    return found


def _xlsx_header(cells: list[str], profile: Profile, number: int) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    blanks = [i for i, c in enumerate(cells) if not c]
    if blanks:
        from openpyxl.utils import get_column_letter

        raise FileProblem(
            Message(
                gettext_noop(
                    "表头（第%(row)s行）的%(columns)s列为空：可能是合并单元格或多行表头。"
                    "请取消合并，每列一个列名，或在导入方案中用 source.header_row 指定列名所在的行"
                ),
                row=number,
                columns=[get_column_letter(i + 1) for i in blanks],
            )
        )
    _check_header(cells, profile, row_number=number)
    return cells
