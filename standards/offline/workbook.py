"""The offline workbook: which items a clerk may take offline, and the .xlsx that carries their current standards.

Each item's values come from its draft in progress, else its published version, else what the catalogue knows (the
same start a first draft gets). The hidden sheet ``_portal`` holds a signed list of the items with the version and
save each was exported at: an upload is refused when that signature is missing or wrong, and the save counter
is the editor's conflict check.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from catalogue.models import LocalItem

from .. import permissions, selectors
from ..forms import ROW_FORMSETS
from ..models import (
    EDITABLE_STATES,
    IN_PROGRESS_STATES,
    BusinessManual,
    Citation,
    ItemStandard,
    ServiceGuide,
    StandardState,
)
from ..services import blank_content
from .inputs import MAX_ITEMS
from .schema import ITEM_KEY, NAME_KEY, REVISION_KEY, UID_KEY, Column, Sheet, sheets

SIGNING_SALT = "standards.offline.workbook"
META_SHEET, LISTS_SHEET, GUIDE_SHEET = "_portal", "_lists", gettext_lazy("填写说明")
FORMAT_VERSION = 1
HEADER_FILL = PatternFill("solid", fgColor="FCE9E7")
# Validation ranges reach this far below the last exported row, so rows the clerk adds are checked too.
SPARE_ROWS = 500

ROW_MODELS = {prefix: formset.model for prefix, _title, _section, formset in ROW_FORMSETS}


# --- which items -------------------------------------------------------------------------------------------------


def writable_items(*, user: User | AnonymousUser) -> QuerySet[LocalItem]:
    """Items in force the user writes standards for (their department's; everything for an administrator)."""
    return permissions.writable_items(user, selectors.items_with_standards(user=user).select_related("general_item"))


def items_needing_standard(*, user: User | AnonymousUser) -> QuerySet[LocalItem]:
    """The clerk's to-do list: items without a standard, or whose version in progress is a draft or was returned."""
    return writable_items(user=user).filter(Q(latest_id__isnull=True) | Q(latest_state__in=EDITABLE_STATES))


def items_for_export(*, user: User | AnonymousUser, item_ids: Iterable[int]) -> list[LocalItem]:
    """The chosen items, or Http404 for one the user cannot see, PermissionDenied for one of another department and
    ValidationError for one whose version is under review (nobody edits it until it comes back)."""
    ids = sorted({int(i) for i in item_ids})
    if not ids:
        raise ValidationError(_("请至少选择一个事项"))
    if len(ids) > MAX_ITEMS:
        raise ValidationError(_("一次最多导出 %(n)s 个事项，请分批下载") % {"n": MAX_ITEMS})
    visible = {i.pk: i for i in selectors.items_with_standards(user=user).filter(pk__in=ids)}
    if len(visible) != len(ids):
        raise Http404(_("事项不存在或不在您的权限范围内"))
    writable = set(writable_items(user=user).filter(pk__in=ids).values_list("pk", flat=True))
    others = [visible[i].name for i in ids if i not in writable]
    if others:
        raise PermissionDenied(_("只能导出本部门的事项：%(names)s") % {"names": "、".join(others)})
    items = list(writable_items(user=user).filter(pk__in=ids).order_by("organization__name", "code"))
    busy = [
        f"{i.name}（{StandardState(i.latest_state).label}）"
        for i in items
        if i.latest_state in IN_PROGRESS_STATES and i.latest_state not in EDITABLE_STATES
    ]
    if busy:
        raise ValidationError(_("以下事项的标准正在审查中，退回前不能修改：%(names)s") % {"names": "、".join(busy)})
    return items


# --- what they hold ----------------------------------------------------------------------------------------------


def _standards_of(items: list[LocalItem]) -> dict[int, ItemStandard]:
    """Per item, the version a clerk edits from: the draft in progress, else the published one. Thirteen queries
    whatever the number of items (one for the versions with guide and manual, one per kind of row)."""
    prefetches = [
        Prefetch(model._meta.default_related_name, queryset=model.objects.order_by("position", "id"))
        for model in ROW_MODELS.values()
    ]
    rows = (
        ItemStandard.objects.filter(
            local_item__in=[i.pk for i in items], state__in=[StandardState.PUBLISHED, *EDITABLE_STATES]
        )
        .select_related("guide", "manual")
        .prefetch_related(*prefetches)
    )
    chosen: dict[int, ItemStandard] = {}
    for standard in rows:
        if standard.local_item_id not in chosen or standard.state != StandardState.PUBLISHED:
            chosen[standard.local_item_id] = standard
    return chosen


class _Blank:
    """Stands in for a standard an item does not have yet: the catalogue's values (unsaved model instances, so the
    model defaults show too) and no rows but the founding citations."""

    def __init__(self, item: LocalItem):
        guide, manual, citations = blank_content(item)
        self.guide, self.manual = ServiceGuide(**guide), BusinessManual(**manual)
        self.citations = [Citation(**values, uid=None) for values in citations]


def _value(obj, column: Column):
    return column.to_cell(getattr(obj, column.name, None))


def _payload(items: list[LocalItem], standards: dict[int, ItemStandard]) -> str:
    """The exported items with the version and save each was at, and the language it was written
    in: its sheets, labels and choices are read back in that language, whatever the uploader's."""
    entries = []
    for item in items:
        standard = standards.get(item.pk)
        entries.append([item.code, standard.pk if standard else 0, standard.revision if standard else 0])
    payload = {"v": FORMAT_VERSION, "items": entries, "lang": get_language()}
    return signing.dumps(payload, salt=SIGNING_SALT, compress=True)


def build_workbook(*, items: list[LocalItem], user: User) -> bytes:
    """The .xlsx of these items (already checked by ``items_for_export``)."""
    standards = _standards_of(items)
    layout = sheets()
    book = Workbook()
    guide_sheet = book.active
    guide_sheet.title = str(GUIDE_SHEET)
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}

    def list_range(key: str, values: list[str]) -> str:
        if key not in list_ranges:
            column = get_column_letter(len(list_ranges) + 1)
            for row, value in enumerate(values or [""], start=1):
                lists.cell(row=row, column=len(list_ranges) + 1, value=value)
            list_ranges[key] = f"'{LISTS_SHEET}'!${column}$1:${column}${max(len(values), 1)}"
        return list_ranges[key]

    codes = [item.code for item in items]
    steps_by_standard = {s.pk: {step.pk: step.row_label() for step in s.manual_steps.all()} for s in standards.values()}
    step_labels = sorted({label for labels in steps_by_standard.values() for label in labels.values()})

    for sheet in layout:
        ws = book.create_sheet(sheet.title)
        _write_sheet(ws, sheet, items, standards, steps_by_standard)
        last = ws.max_row + SPARE_ROWS
        for index, column in enumerate(_columns(sheet), start=1):
            if isinstance(column, Column) and column.kind in ("choice", "bool"):
                source = list_range(column.key, column.labels())
            elif isinstance(column, Column) and column.kind == "step":
                source = list_range("steps", step_labels)
            elif column == ITEM_KEY:
                source = list_range("items", codes)
            else:
                continue
            letter = get_column_letter(index)
            check = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True)
            check.errorTitle = _("不是可选值")
            check.error = _("请从下拉列表中选择")
            check.add(f"{letter}3:{letter}{last}")
            ws.add_data_validation(check)

    _write_instructions(guide_sheet, items, user)
    meta = book.create_sheet(META_SHEET)
    meta["A1"] = _payload(items, standards)
    meta.sheet_state = "veryHidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _columns(sheet: Sheet) -> list:
    return [ITEM_KEY, NAME_KEY, *sheet.columns, UID_KEY if sheet.is_rows else REVISION_KEY]


def _write_sheet(ws, sheet: Sheet, items, standards, steps_by_standard) -> None:
    columns = _columns(sheet)
    labels = {
        ITEM_KEY: (_("事项编码"), _("本行所属事项的实施编码；新增的行请从下拉列表中选择事项")),
        NAME_KEY: (_("事项名称"), _("仅供阅读，上传时不读取此列")),
        UID_KEY: (_("行标识"), _("系统用于识别原有的行，请勿修改；复制整行新增时可保留")),
        REVISION_KEY: (_("保存次数"), _("导出时标准的保存次数，系统用于发现冲突，请勿修改")),
    }
    for index, column in enumerate(columns, start=1):
        key = column.key if isinstance(column, Column) else column
        ws.cell(row=1, column=index, value=key)
        if isinstance(column, Column):
            label = f"*{column.label}" if column.required else column.label
            note = column.help
            if column.kind in ("choice", "bool"):
                note += "\n" + _("从下拉列表中选择：") + "、".join(column.labels())
            elif column.kind == "multi":
                note += "\n" + _("可填多项，用顿号分隔：") + "、".join(column.labels())
            elif column.kind == "int":
                note += "\n" + _("填写整数")
            elif column.kind == "date":
                note += "\n" + _("填写日期，如 2025-01-31")
            width = column.width
        else:
            label, note = labels[column]
            width = 34 if column == ITEM_KEY else 28
        cell = ws.cell(row=2, column=index, value=label)
        cell.font = Font(bold=True, color="B42318" if label.startswith("*") else "1F2937")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        if note.strip():
            comment = Comment(note.strip(), _("审批标准"))
            comment.width, comment.height = 320, 140
            cell.comment = comment
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = width
        if column in (UID_KEY, REVISION_KEY):
            ws.column_dimensions[letter].hidden = True
    ws.row_dimensions[1].hidden = True
    ws.row_dimensions[2].height = 32
    ws.freeze_panes = "C3"

    row_number = 3
    for item in items:
        standard = standards.get(item.pk)
        source = standard if standard is not None else _Blank(item)
        if sheet.is_rows:
            model = ROW_MODELS[sheet.form]
            rows = getattr(source, model._meta.default_related_name, [])
            rows = rows.all() if hasattr(rows, "all") else rows
            step_names = steps_by_standard.get(standard.pk, {}) if standard else {}
            for obj in rows:
                values = [item.code, item.name]
                for column in sheet.columns:
                    if column.kind == "step":
                        values.append(step_names.get(obj.step_id))
                    else:
                        values.append(_value(obj, column))
                values.append(str(obj.uid) if obj.uid else None)
                _put_row(ws, row_number, values, sheet)
                row_number += 1
        else:
            values = [item.code, item.name]
            for column in sheet.columns:
                values.append(_value(getattr(source, column.form), column))
            values.append(standard.revision if standard else 0)
            _put_row(ws, row_number, values, sheet)
            row_number += 1


def _put_row(ws, row_number: int, values: list, sheet: Sheet) -> None:
    long_columns = {i for i, c in enumerate(sheet.columns, start=3) if c.kind == "long"}
    for index, value in enumerate(values, start=1):
        cell = ws.cell(row=row_number, column=index, value=value)
        cell.alignment = Alignment(wrap_text=index in long_columns, vertical="top")


def _write_instructions(ws, items: list[LocalItem], user: User) -> None:
    lines = [
        _("审批标准离线填报表"),
        _("导出时间：%(at)s　导出人：%(who)s　事项数：%(n)s")
        % {
            "at": f"{timezone.localtime():%Y-%m-%d %H:%M}",
            "who": user.get_full_name() or user.username,
            "n": len(items),
        },
        "",
        _("1. 每个工作表对应编辑页的一组要素：基本信息等工作表每个事项一行，申请材料等工作表每条记录一行。"),
        _("2. 标红星（*）的列必填；有下拉箭头的列请从列表中选择；表头批注中有填写说明。"),
        _("3. 新增一行：在表格末尾填写，并在“事项编码”列选择所属事项；删除一行：删除整行即可。行的先后即显示顺序。"),
        _("4. 不要修改隐藏的行和列，也不要修改工作表名称；上传时系统据此核对事项和版本。"),
        _("5. 填好后在“审批标准 → 离线填报”上传：先预览改动和错误，确认后保存为草稿。"),
        _("6. 导出后若有人在系统中保存过同一标准，上传会被拒绝，以免覆盖对方的修改。"),
        "",
        _("本表包含的事项："),
    ]
    lines += [f"{item.code}　{item.name}（{item.organization.name}）" for item in items]
    for row, line in enumerate(lines, start=1):
        ws.cell(row=row, column=1, value=line)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110


def read_payload(value: object) -> dict | None:
    """The signed list of exported items, or None for a workbook the portal did not make (or one tampered with)."""
    if not isinstance(value, str):
        return None
    try:
        payload = signing.loads(value, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("v") != FORMAT_VERSION:
        return None
    return payload
