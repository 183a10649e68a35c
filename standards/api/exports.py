"""The published catalogue of a division as CSV, JSON and xlsx, streamed so memory stays flat at any size.

Rows come from one query read in chunks (a server-side cursor on PostgreSQL) and are written out as they arrive;
the xlsx goes through openpyxl's write-only mode into a temporary file, which is then streamed. Only published data:
the reader's sign-in does not widen an export.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from openpyxl import Workbook
from rest_framework.views import APIView

from catalogue.api.filters import DivisionFilter
from catalogue.models import LEVEL_CHOICES, Division, ItemType, LocalItem, LocalItemStatus
from core.downloads import attachment
from core.xlsx import CHUNK, Column, write_table, xlsx_response
from standards import selectors

from .filters import LocalItemFilterSet

# (header, value path in .values(), how to show it)
COLUMNS = (
    (gettext_lazy("实施编码"), "code"),
    (gettext_lazy("事项名称"), "name"),
    (gettext_lazy("事项类型"), "item_type"),
    (gettext_lazy("行使层级"), "level"),
    (gettext_lazy("状态"), "status"),
    (gettext_lazy("实施区划代码"), "division_id"),
    (gettext_lazy("实施区划"), "division__name"),
    (gettext_lazy("实施主体"), "organization__name"),
    (gettext_lazy("统一社会信用代码"), "organization__uscc"),
    (gettext_lazy("通用目录编码"), "general_item__code"),
    (gettext_lazy("生效日期"), "effective_date"),
    (gettext_lazy("办事指南版本"), "guide_version"),
    (gettext_lazy("办事指南发布时间"), "guide_published_at"),
    (gettext_lazy("更新时间"), "updated_at"),
)
FIELDS = [field for _, field in COLUMNS]
# The xlsx sheet's columns: the same, with widths that fit their usual content.
WIDTHS = {"code": 34, "name": 40, "division__name": 16, "organization__name": 28, "organization__uscc": 22}
XLSX_COLUMNS = [Column(header, field, width=WIDTHS.get(field, 14)) for header, field in COLUMNS]


class ExportFilterSet(LocalItemFilterSet):
    # Declared here (not set per instance) so the schema says it is required too.
    division = DivisionFilter(
        prefix="division__", required=True, help_text=gettext_lazy("区划代码（必填）：导出该区划及其所有下级区划的清单")
    )


class ExportView(APIView):
    """Shared by the three formats: check the filters (400 in JSON), then stream."""

    filterset_class = ExportFilterSet
    # Read by the schema only (so it lists the filters, the required division among them); ``filtered()`` applies
    # the filterset itself.
    filter_backends: list = [DjangoFilterBackend]
    queryset = LocalItem.objects.none()  # the schema's model for the filters; rows come from ``filtered()``
    media_type = "application/octet-stream"
    extension = ""

    def perform_content_negotiation(self, request, force=False):
        # The format is in the address; errors are always JSON, whatever the client accepts.
        return super().perform_content_negotiation(request, force=True)

    def filtered(self, request) -> tuple[Division, QuerySet[LocalItem]]:
        """The division asked for and the published items that match the filters; 400 when a filter is wrong."""
        filterset = self.filterset_class(
            request.query_params, queryset=selectors.api_items(user=AnonymousUser()), request=request
        )
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.form.cleaned_data["division"], filterset.qs

    def rows(self, request) -> tuple[Division, Iterator[tuple]]:
        division, items = self.filtered(request)
        queryset = items.order_by("code").values_list(*FIELDS)
        return division, labelled(queryset.iterator(chunk_size=CHUNK))

    def filename(self, division: Division) -> str:
        return f"catalogue-{division.code}-{timezone.localdate():%Y%m%d}.{self.extension}"


def labelled(rows: Iterable[tuple]) -> Iterator[tuple]:
    types, levels, statuses = dict(ItemType.choices), dict(LEVEL_CHOICES), dict(LocalItemStatus.choices)
    for row in rows:
        row = list(row)
        row[2] = str(types.get(row[2], row[2]))
        row[3] = str(levels.get(row[3], row[3]))
        row[4] = str(statuses.get(row[4], row[4]))
        for index in (12, 13):
            if isinstance(row[index], datetime):
                row[index] = timezone.localtime(row[index]).isoformat(timespec="seconds")
        if row[10] is not None:
            row[10] = row[10].isoformat()
        yield tuple(row)


class _Line:
    def write(self, value: str) -> str:
        return value


def export_schema(media_type: str, summary):
    return extend_schema(
        summary=summary,
        tags=[gettext_lazy("导出与开放数据")],
        filters=True,
        responses={(200, media_type): OpenApiTypes.BINARY},
    )


@export_schema("text/csv", gettext_lazy("导出区划的已公开清单（CSV，UTF-8 带 BOM，流式）"))
class CsvExportView(ExportView):
    extension = "csv"

    def get(self, request):
        division, rows = self.rows(request)
        writer = csv.writer(_Line())

        def lines() -> Iterator[str]:
            yield "\ufeff" + writer.writerow([str(header) for header, _ in COLUMNS])
            for row in rows:
                yield writer.writerow(["" if v is None else v for v in row])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        return attachment(response, self.filename(division))


@export_schema("application/json", gettext_lazy("导出区划的已公开清单（JSON，流式）"))
class JsonExportView(ExportView):
    extension = "json"

    def get(self, request):
        division, rows = self.rows(request)
        keys = [field.replace("__", "_") for field in FIELDS]

        def chunks() -> Iterator[str]:
            head = {"division": {"code": division.code, "name": division.name}, "generated_at": timezone.now()}
            yield json.dumps(head, ensure_ascii=False, default=str)[:-1] + ', "items": ['
            for index, row in enumerate(rows):
                yield ("," if index else "") + json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False)
            yield "]}"

        response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
        return attachment(response, self.filename(division))


@export_schema(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    gettext_lazy("导出区划的已公开清单（Excel xlsx）"),
)
class XlsxExportView(ExportView):
    extension = "xlsx"

    def get(self, request):
        division, rows = self.rows(request)
        workbook = Workbook(write_only=True)
        write_table(workbook, division.code, XLSX_COLUMNS, rows)
        return xlsx_response(workbook, self.filename(division))
