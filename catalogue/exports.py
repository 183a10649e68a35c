"""The staff catalogue browser's lists as Excel workbooks: exactly the rows a page lists, all pages of them.

The views hand over the page's own filtered queryset (scope, filters, search and sort already applied); this module
only chooses the columns and streams the rows from one ``values_list`` query read in chunks. Apps built on the
catalogue add their own columns to the implementation list (the standards app: the state of each item's guide); the
catalogue knows nothing of them, so the project's settings name them (``CATALOGUE_LOCAL_EXPORT_EXTRAS``, dotted paths
of ``ExtraColumns``), as ``config`` wires the apps together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from catalogue.models import (
    LEVEL_CHOICES,
    Division,
    GeneralItem,
    ItemStatus,
    ItemType,
    LocalItem,
    LocalItemStatus,
    NodeKind,
    levels_display,
)
from core.xlsx import CHUNK, Column, write_table


@dataclass(frozen=True)
class ExtraColumns:
    """Columns another app adds to the implementation list: ``annotate`` adds the fields they read."""

    annotate: Callable[[QuerySet[LocalItem]], QuerySet[LocalItem]]
    columns: tuple[Column, ...]
    after: str = "needs_adjustment"  # the field of the column they follow


def local_extras() -> list[ExtraColumns]:
    """The columns the settings add to the implementation list's export."""
    return [import_string(path) for path in getattr(settings, "CATALOGUE_LOCAL_EXPORT_EXTRAS", ())]


LOCAL_COLUMNS = (
    Column(gettext_lazy("实施编码"), "code", width=34),
    Column(gettext_lazy("事项名称"), "name", width=40),
    Column(gettext_lazy("事项类型"), "item_type", labels=dict(ItemType.choices)),
    Column(gettext_lazy("行使层级"), "level", width=10, labels=dict(LEVEL_CHOICES)),
    Column(gettext_lazy("实施部门"), "organization__name", width=28),
    Column(gettext_lazy("统一社会信用代码"), "organization__uscc", width=22),
    Column(gettext_lazy("区划代码"), "division_id", width=11),
    Column(gettext_lazy("实施区划"), "division__name", width=14),
    Column(gettext_lazy("通用目录编码"), "general_item__code", width=16),
    Column(gettext_lazy("状态"), "status", width=10, labels=dict(LocalItemStatus.choices)),
    Column(gettext_lazy("待调整"), "needs_adjustment", width=8, kind="bool"),
    Column(gettext_lazy("生效日期"), "effective_date", kind="date"),
    Column(gettext_lazy("取消日期"), "cancel_date", kind="date"),
    Column(gettext_lazy("更新时间"), "updated_at", width=17, kind="datetime"),
)

GENERAL_COLUMNS = (
    Column(gettext_lazy("通用目录编码"), "code", width=16),
    Column(gettext_lazy("事项名称"), "name", width=40),
    Column(gettext_lazy("节点类型"), "node_kind", width=10, labels=dict(NodeKind.choices)),
    Column(gettext_lazy("上级事项"), "parent__name", width=30),
    Column(gettext_lazy("事项类型"), "item_type", labels=dict(ItemType.choices)),
    Column(gettext_lazy("部门类别"), "sector__name", width=14),
    Column(gettext_lazy("可行使层级"), "levels", width=20, labels=levels_display),
    Column(gettext_lazy("实施数"), "local_count", width=8, kind="number"),
    Column(gettext_lazy("状态"), "status", width=10, labels=dict(ItemStatus.choices)),
    Column(gettext_lazy("待核实"), "needs_review", width=8, kind="bool"),
    Column(gettext_lazy("生效日期"), "effective_date", kind="date"),
    Column(gettext_lazy("取消日期"), "cancel_date", kind="date"),
    Column(gettext_lazy("更新时间"), "updated_at", width=17, kind="datetime"),
)


def local_columns(extras: list[ExtraColumns]) -> list[Column]:
    columns = list(LOCAL_COLUMNS)
    for extra in extras:
        at = next(i for i, c in enumerate(columns) if c.field == extra.after) + 1
        columns[at:at] = extra.columns
    return columns


def _rows(queryset: QuerySet, columns: list[Column] | tuple[Column, ...]) -> Iterator[tuple]:
    return queryset.values_list(*[c.field for c in columns]).iterator(chunk_size=CHUNK)


def local_items_xlsx(items: QuerySet[LocalItem], *, division: Division) -> tuple[Workbook, str]:
    """The implementation list a page shows (``items``, filtered and sorted by the page) as a workbook and its file
    name (``core.export_jobs`` streams it or builds it as a job)."""
    extras = local_extras()
    for extra in extras:
        items = extra.annotate(items)
    columns = local_columns(extras)
    workbook = Workbook(write_only=True)
    write_table(workbook, _("实施清单"), columns, _rows(items, columns))
    filename = _("%(division)s实施清单-%(code)s-%(date)s.xlsx") % {
        "division": division.name,
        "code": division.code,
        "date": f"{timezone.localdate():%Y%m%d}",
    }
    return workbook, filename


def general_items_xlsx(items: QuerySet[GeneralItem], *, province: Division) -> tuple[Workbook, str]:
    """A province's general catalogue as the page lists it (``items``, filtered and in catalogue order), as a workbook
    and its file name."""
    workbook = Workbook(write_only=True)
    write_table(workbook, _("通用目录"), GENERAL_COLUMNS, _rows(items, GENERAL_COLUMNS))
    filename = _("%(province)s通用目录-%(date)s.xlsx") % {
        "province": province.name,
        "date": f"{timezone.localdate():%Y%m%d}",
    }
    return workbook, filename
