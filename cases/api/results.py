"""Published results as open data (结果公开): a list with filters and a streamed CSV / JSON export, for anyone.

Only what the public pages show, from the same selector: results not withdrawn, the applicant as published (a
person by family name only; never an ID number, phone or address). Errors keep the API's one shape: an empty or
malformed parameter is a 400 at that parameter (``core.api.filtering.PortalFilterSet``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

import django_filters
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.views import APIView

from cases.models import Decision, PublishedResult
from cases.results import selectors
from catalogue.api.filters import DivisionFilter, UsccFilter
from core.api.filtering import PortalFilterSet
from core.api.pagination import PortalCursorPagination
from core.downloads import attachment
from core.xlsx import CHUNK

TAG = _("行政许可结果公开")


class PublishedResultFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(max_length=100, method="filter_q", help_text=_("事项名称包含，或实施编码前缀"))
    item = django_filters.CharFilter(
        field_name="item_code", max_length=64, method="filter_item", help_text=_("实施编码（事项）")
    )
    organization = UsccFilter(field_name="organization__uscc", help_text=_("实施部门的统一社会信用代码"))
    division = DivisionFilter(prefix="division__")
    decision = django_filters.ChoiceFilter(choices=Decision.choices, help_text=_("审批决定"))
    decided_from = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", help_text=_("决定日期不早于（yyyy-mm-dd）")
    )
    decided_to = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", help_text=_("决定日期不晚于（yyyy-mm-dd）")
    )

    class Meta:
        model = PublishedResult
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return selectors.filter_results(queryset, selectors.ResultFilters(q=value))

    def filter_item(self, queryset, name, value):
        return queryset.filter(item_code=value.strip().upper())


class BasisSerializer(serializers.Serializer):
    law = serializers.CharField(help_text=_("法律法规名称"))
    doc_number = serializers.CharField(help_text=_("文号"))
    article = serializers.CharField(help_text=_("条款号"))


class PublishedResultSerializer(serializers.ModelSerializer):
    division = serializers.CharField(source="division_id", help_text=_("实施区划代码"))
    basis = BasisSerializer(many=True, read_only=True)
    applicant = serializers.CharField(source="applicant_display", help_text=_("申请人（自然人仅保留姓氏）"))

    class Meta:
        model = PublishedResult
        fields = [
            "id", "item_code", "item_name", "department_name", "division", "division_name", "decision",
            "decided_on", "document_number", "basis", "applicant_kind", "applicant", "applicant_credit_code",
            "published_at",
        ]  # fmt: skip
        read_only_fields = fields


class ResultPagination(PortalCursorPagination):
    ordering = ("-decided_on", "-id")


@extend_schema_view(list=extend_schema(summary=_("已公开的行政许可结果（准予、不予）"), tags=[TAG]))
class PublishedResultViewSet(viewsets.mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PublishedResultSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublishedResultFilterSet
    pagination_class = ResultPagination

    def get_queryset(self):
        return selectors.public_results()


# (header, field) of the export; the same columns as the API's list.
COLUMNS = (
    (_("编号"), "id"),
    (_("实施编码"), "item_code"),
    (_("事项名称"), "item_name"),
    (_("实施部门"), "department_name"),
    (_("实施区划代码"), "division_id"),
    (_("实施区划"), "division_name"),
    (_("审批决定"), "decision"),
    (_("决定日期"), "decided_on"),
    (_("决定文书编号"), "document_number"),
    (_("法律依据"), "basis"),
    (_("申请人类型"), "applicant_kind"),
    (_("申请人"), "applicant_display"),
    (_("统一社会信用代码"), "applicant_credit_code"),
    (_("公开时间"), "published_at"),
)
FIELDS = [field for _, field in COLUMNS]


def _basis_text(basis: list) -> str:
    return "；".join(
        " ".join(part for part in (b.get("law", ""), b.get("doc_number", ""), b.get("article", "")) if part)
        for b in basis or []
        if isinstance(b, dict)
    )


class ResultExportView(APIView):
    filterset_class = PublishedResultFilterSet
    filter_backends: list = [DjangoFilterBackend]
    queryset = PublishedResult.objects.none()
    extension = ""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    def rows(self, request) -> Iterator[dict]:
        filterset = self.filterset_class(request.query_params, queryset=selectors.public_results(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        decisions = dict(Decision.choices)
        for row in filterset.qs.order_by("-decided_on", "-pk").values(*FIELDS).iterator(chunk_size=CHUNK):
            row["decision"] = str(decisions.get(row["decision"], row["decision"]))
            row["decided_on"] = row["decided_on"].isoformat()
            row["published_at"] = timezone.localtime(row["published_at"]).isoformat(timespec="seconds")
            yield row

    def filename(self) -> str:
        return f"licensing-results-{timezone.localdate():%Y%m%d}.{self.extension}"


def _export_schema(media_type: str, summary):
    return extend_schema(summary=summary, tags=[TAG], filters=True, responses={(200, media_type): OpenApiTypes.BINARY})


class _Line:
    def write(self, value: str) -> str:
        return value


@_export_schema("text/csv", _("导出已公开的行政许可结果（CSV，UTF-8 带 BOM，流式）"))
class ResultCsvExportView(ResultExportView):
    extension = "csv"

    def get(self, request):
        rows = self.rows(request)
        writer = csv.writer(_Line())
        first = next(rows, None)  # the filters are checked before the answer starts

        def lines() -> Iterator[str]:
            yield "\ufeff" + writer.writerow([str(header) for header, _field in COLUMNS])
            if first is not None:
                yield writer.writerow(self.line(first))
                for row in rows:
                    yield writer.writerow(self.line(row))

        return attachment(StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), self.filename())

    @staticmethod
    def line(row: dict) -> list:
        return [_basis_text(row[f]) if f == "basis" else row[f] for f in FIELDS]


class ExportRowSerializer(serializers.Serializer):
    """A row of the JSON export (documentation only: the rows are written as they are read)."""

    id = serializers.IntegerField()
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    department_name = serializers.CharField()
    division_id = serializers.CharField(help_text=_("实施区划代码"))
    division_name = serializers.CharField()
    decision = serializers.CharField(help_text=_("审批决定（准予、不予）"))
    decided_on = serializers.DateField()
    document_number = serializers.CharField(allow_blank=True)
    basis = BasisSerializer(many=True)
    applicant_kind = serializers.CharField()
    applicant_display = serializers.CharField(help_text=_("申请人（自然人仅保留姓氏）"))
    applicant_credit_code = serializers.CharField(allow_blank=True)
    published_at = serializers.CharField(help_text=_("公开时间（ISO 8601）"))


class ExportSerializer(serializers.Serializer):
    generated_at = serializers.CharField(help_text=_("生成时间（ISO 8601）"))
    results = ExportRowSerializer(many=True)


@extend_schema(
    summary=_("导出已公开的行政许可结果（JSON，流式）"),
    tags=[TAG],
    filters=True,
    responses={(200, "application/json"): ExportSerializer},
)
class ResultJsonExportView(ResultExportView):
    extension = "json"

    def get(self, request):
        rows = self.rows(request)
        first = next(rows, None)

        def chunks() -> Iterator[str]:
            yield json.dumps({"generated_at": timezone.now().isoformat()}, ensure_ascii=False)[:-1] + ', "results": ['
            if first is not None:
                yield json.dumps(first, ensure_ascii=False)
                for row in rows:
                    yield "," + json.dumps(row, ensure_ascii=False)
            yield "]}"

        return attachment(
            StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8"), self.filename()
        )
