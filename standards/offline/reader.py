"""Reading an uploaded offline workbook back into ``ItemInput``s, with a row error for every cell that cannot be
read. Nothing is looked up or saved here: the items, versions and rows are checked by the apply step."""

from __future__ import annotations

import io
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .inputs import ItemInput, Parsed, Place, RowError, RowInput
from .schema import ITEM_KEY, UID_KEY, sheets
from .workbook import META_SHEET, read_payload

FIRST_DATA_ROW = 3


def not_a_workbook() -> str:
    return _("文件不是 Excel 工作簿（.xlsx），请上传本系统导出的离线填报表")


def not_ours() -> str:
    return _("该工作簿不是本系统导出的离线填报表，或其隐藏的核对信息已被改动；请重新下载填报表")


def read_workbook(content: bytes, *, name: str = "") -> Parsed:
    parsed = Parsed(source_name=name)
    whole = Place(sheet=name or _("上传的文件"))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError, EOFError):
        parsed.errors.append(RowError(whole, not_a_workbook()))
        return parsed
    try:
        payload = read_payload(book[META_SHEET]["A1"].value) if META_SHEET in book.sheetnames else None
        if payload is None:
            parsed.errors.append(RowError(whole, not_ours()))
            return parsed
        items: dict[str, ItemInput] = {}
        for code, standard_id, revision in payload["items"]:
            items[code] = ItemInput(
                code=code,
                place=whole,
                standard_id=standard_id or None,
                revision=revision,
                exported_from_blank=not standard_id,
                language=payload.get("lang") or "",
            )
        with translation.override(payload.get("lang") or translation.get_language()):
            for sheet in sheets():
                if sheet.title not in book.sheetnames:
                    message = _("缺少工作表“%(s)s”，请勿修改工作表名称") % {"s": sheet.title}
                    parsed.errors.append(RowError(whole, message))
                    continue
                _read_sheet(book[sheet.title], sheet, items, parsed.errors)
        parsed.items = list(items.values())
    finally:
        book.close()
    return parsed


def _read_sheet(ws, sheet, items: dict[str, ItemInput], errors: list[RowError]) -> None:
    rows = ws.iter_rows(values_only=True)
    keys = [str(k).strip() if k is not None else "" for k in next(rows, ())]
    index = {key: i for i, key in enumerate(keys) if key}
    needed = [ITEM_KEY, *(c.key for c in sheet.columns)]
    missing = [c.label for c in sheet.columns if c.key not in index] + (
        [_("事项编码")] if ITEM_KEY not in index else []
    )
    if missing:
        message = _("缺少列：%(cols)s（请勿删除列或修改隐藏的第1行）") % {"cols": "、".join(missing)}
        errors.append(RowError(Place(sheet.title), message))
        return
    next(rows, None)  # the labels
    if sheet.is_rows:
        for item in items.values():
            item.rows[sheet.form] = []
    seen: set[str] = set()
    only = next(iter(items)) if len(items) == 1 else ""
    for number, values in enumerate(rows, start=FIRST_DATA_ROW):
        cell = {key: (values[i] if i < len(values) else None) for key, i in index.items()}
        if all(cell[key] in (None, "") for key in needed[1:]):
            continue  # a blank line, or a line whose contents were cleared to delete it
        code = str(cell[ITEM_KEY] or "").strip() or only
        place = Place(sheet.title, number)
        if not code:
            errors.append(RowError(Place(sheet.title, number, _("事项编码")), _("请选择本行所属的事项编码")))
            continue
        item = items.get(code)
        if item is None:
            message = _("事项编码“%(code)s”不是本表导出的事项") % {"code": code}
            errors.append(RowError(Place(sheet.title, number, _("事项编码")), message, item=code))
            continue
        values_in: dict = {}
        for column in sheet.columns:
            value, problem = column.to_data(cell[column.key])
            if problem:
                errors.append(RowError(Place(sheet.title, number, column.label), problem, item=code))
            else:
                values_in[column.name] = value
        if sheet.is_rows:
            uid = str(cell.get(UID_KEY) or "").strip()
            item.rows[sheet.form].append(RowInput(values=values_in, place=place, uid=uid))
            continue
        if code in seen:
            message = _("事项“%(code)s”在本表中出现了多行，每个事项只填一行") % {"code": code}
            errors.append(RowError(place, message, item=code))
            continue
        seen.add(code)
        for column in sheet.columns:
            if column.name in values_in:
                getattr(item, column.form)[column.name] = values_in[column.name]
                item.places[column.key] = Place(sheet.title, number, column.label)
