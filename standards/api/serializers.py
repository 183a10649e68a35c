"""Output serializers of local items and their service guide. Only the guide: the business manual has no serializer
here, so no answer of this API can carry it."""

from __future__ import annotations

import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.api.serializers import DivisionRefSerializer, OrganizationRefSerializer
from catalogue.models import LEVEL_CHOICES, ItemType, LocalItem, LocalItemStatus
from core.api.fields import CodeLinkField, LabelField, code_link
from standards.models import (
    Citation,
    Faq,
    FeeItem,
    ItemStandard,
    Material,
    ProcessStep,
    ResultSample,
    ServiceGuide,
    SpecialProcedure,
    StandardState,
)
from standards.selectors import API_ITEM_COLUMNS

ROW_SKIP = ("id", "standard", "uid", "position")


def file_url(request, row, field: str) -> str | None:
    """The public download address of a guide file (served by the guide pages, which check the version's state)."""
    if not getattr(row, field):
        return None
    path = reverse("guides:file", kwargs={"model": row._meta.model_name, "pk": row.pk, "field": field})
    return request.build_absolute_uri(path) if request else path


class CitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Citation
        exclude = ROW_SKIP


class MaterialSerializer(serializers.ModelSerializer):
    blank_form = serializers.SerializerMethodField(help_text=gettext_lazy("空白表格下载地址"))
    sample_form = serializers.SerializerMethodField(help_text=gettext_lazy("示范文本下载地址"))

    class Meta:
        model = Material
        exclude = ROW_SKIP

    def get_blank_form(self, row: Material) -> str | None:
        return file_url(self.context.get("request"), row, "blank_form")

    def get_sample_form(self, row: Material) -> str | None:
        return file_url(self.context.get("request"), row, "sample_form")


class ProcessStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessStep
        exclude = ROW_SKIP


class SpecialProcedureSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecialProcedure
        exclude = ROW_SKIP


class FeeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeItem
        exclude = ROW_SKIP


class ResultSampleSerializer(serializers.ModelSerializer):
    sample = serializers.SerializerMethodField(help_text=gettext_lazy("结果样本下载地址"))

    class Meta:
        model = ResultSample
        exclude = ROW_SKIP

    def get_sample(self, row: ResultSample) -> str | None:
        return file_url(self.context.get("request"), row, "sample")


class FaqSerializer(serializers.ModelSerializer):
    class Meta:
        model = Faq
        exclude = ROW_SKIP


class ServiceGuideSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceGuide
        exclude = ("standard",)


class GuideSerializer(serializers.ModelSerializer):
    """One version of the service guide (办事指南) with all its rows."""

    state_label = LabelField(StandardState.choices, source="state", help_text=gettext_lazy("版本状态名称"))
    guide = ServiceGuideSerializer(help_text=gettext_lazy("办事指南各要素"))
    citations = CitationSerializer(many=True, help_text=gettext_lazy("法律依据"))
    materials = MaterialSerializer(many=True, help_text=gettext_lazy("申请材料"))
    steps = ProcessStepSerializer(many=True, help_text=gettext_lazy("办理流程"))
    special_procedures = SpecialProcedureSerializer(many=True, help_text=gettext_lazy("特别程序"))
    fees = FeeItemSerializer(many=True, help_text=gettext_lazy("收费项目"))
    result_samples = ResultSampleSerializer(many=True, help_text=gettext_lazy("审批结果样本"))
    faqs = FaqSerializer(many=True, help_text=gettext_lazy("常见问题"))

    class Meta:
        model = ItemStandard
        fields = [
            "version",
            "state",
            "state_label",
            "published_at",
            "change_note",
            "updated_at",
            "guide",
            "citations",
            "materials",
            "steps",
            "special_procedures",
            "fees",
            "result_samples",
            "faqs",
        ]


class GuideSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=gettext_lazy("已发布版本号"))
    published_at = serializers.DateTimeField(help_text=gettext_lazy("发布时间"))
    page = serializers.URLField(help_text=gettext_lazy("办事指南公开页面"))


class DraftSummarySerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=gettext_lazy("在办版本号"))
    state = serializers.ChoiceField(choices=StandardState.choices, help_text=gettext_lazy("版本状态"))
    updated_at = serializers.DateTimeField(help_text=gettext_lazy("最后保存时间"))
    url = serializers.URLField(help_text=gettext_lazy("在办版本办事指南的 API 地址"))


class RowWriter:
    """One item of the list as its JSON object, from a flat row (``ROW_FIELDS``, as ``values()`` gives it — the list
    reads its pages that way). What every row needs — the labels in the request's language, the time zone, the link
    templates — is made once per request (kept in the serializer context), not once per row: walking DRF's fields
    over a 100-row page, each field copied per request and each time stamp asking for the current time zone, was
    most of the page's cost, and this is the list clients walk whole. Writes what the declared fields of
    ``LocalItemSerializer`` write (ISO 8601 times in the current time zone, UTC as "Z")."""

    def __init__(self, context: dict) -> None:
        self.context = context
        self.item_types = {key: str(label) for key, label in ItemType.choices}
        self.levels = {key: str(label) for key, label in LEVEL_CHOICES}
        self.statuses = {key: str(label) for key, label in LocalItemStatus.choices}
        self.zone = timezone.get_current_timezone()

    def moment(self, value: datetime.datetime | None) -> str | None:
        if not value:
            return None
        text = value.astimezone(self.zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    def __call__(self, row: dict) -> dict:
        code, context = row["code"], self.context
        guide = None
        if row["guide_version"] is not None:
            guide = {
                "version": row["guide_version"],
                "published_at": self.moment(row["guide_published_at"]),
                "page": code_link(context, "guides:guide", code),
            }
        effective, cancelled = row["effective_date"], row["cancel_date"]
        return {
            "code": code,
            "name": row["name"],
            "item_type": row["item_type"],
            "item_type_label": self.item_types.get(row["item_type"], row["item_type"]),
            "level": row["level"],
            "level_label": self.levels.get(row["level"], row["level"]),
            "status": row["status"],
            "status_label": self.statuses.get(row["status"], row["status"]),
            "division": {"code": row["division__code"], "name": row["division__name"], "level": row["division__level"]},
            "organization": {"uscc": row["organization__uscc"], "name": row["organization__name"]},
            "general_item": row["general_item__code"],
            "effective_date": effective.isoformat() if effective else None,
            "cancel_date": cancelled.isoformat() if cancelled else None,
            "updated_at": self.moment(row["updated_at"]),
            "guide": guide,
            "url": code_link(context, "api:item-detail", code),
        }


def row_writer(context: dict) -> RowWriter:
    """The request's ``RowWriter``, made on first use and kept in the serializer context."""
    writer = context.get("_row_writer")
    if writer is None:
        writer = context["_row_writer"] = RowWriter(context)
    return writer


class LocalItemRowsSerializer(serializers.ListSerializer):
    """A page of items: every row through the request's one ``RowWriter``."""

    def to_representation(self, data) -> list[dict]:
        write = row_writer(self.context)
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        return [write(row if isinstance(row, dict) else flat_row(row)) for row in rows]


class LocalItemSerializer(serializers.ModelSerializer):
    item_type_label = LabelField(ItemType.choices, source="item_type", help_text=gettext_lazy("事项类型名称"))
    level_label = LabelField(LEVEL_CHOICES, source="level", help_text=gettext_lazy("行使层级名称"))
    status_label = LabelField(LocalItemStatus.choices, source="status", help_text=gettext_lazy("状态名称"))
    division = DivisionRefSerializer(help_text=gettext_lazy("实施区划"))
    organization = OrganizationRefSerializer(help_text=gettext_lazy("实施主体"))
    general_item = serializers.CharField(source="general_item.code", help_text=gettext_lazy("通用目录编码"))
    guide = serializers.SerializerMethodField(help_text=gettext_lazy("当前公开的办事指南；尚未发布时为 null"))
    url = CodeLinkField("api:item-detail", help_text=gettext_lazy("本事项的 API 地址"))

    class Meta:
        model = LocalItem
        list_serializer_class = LocalItemRowsSerializer
        fields = [
            "code",
            "name",
            "item_type",
            "item_type_label",
            "level",
            "level_label",
            "status",
            "status_label",
            "division",
            "organization",
            "general_item",
            "effective_date",
            "cancel_date",
            "updated_at",
            "guide",
            "url",
        ]

    def to_representation(self, item: LocalItem | dict) -> dict:
        """The declared fields, written out by hand (``RowWriter``) from a flat row or a model instance. The declared
        fields stay the schema; a test holds the two to the same output."""
        return row_writer(self.context)(item if isinstance(item, dict) else flat_row(item))

    @extend_schema_field(GuideSummarySerializer(allow_null=True))
    def get_guide(self, item: LocalItem) -> dict | None:
        if getattr(item, "guide_version", None) is None:
            return None
        return self.to_representation(item)["guide"]


# The columns of one row of the items list, read with ``values()``: the item's API columns, its guide's version and
# date included.
ROW_FIELDS = API_ITEM_COLUMNS


def flat_row(item: LocalItem) -> dict:
    """A model instance (with ``api_items``' annotations) as the flat row ``values(*ROW_FIELDS)`` gives."""
    row = {}
    for name in ROW_FIELDS:
        value = item
        for part in name.split("__"):
            value = getattr(value, part, None)
        row[name] = value
    return row


class LocalItemDetailSerializer(LocalItemSerializer):
    published_guide = serializers.SerializerMethodField(
        help_text=gettext_lazy("已发布的办事指南全文；尚未发布时为 null")
    )
    draft = serializers.SerializerMethodField(help_text=gettext_lazy("在办版本（仅本辖区工作人员可见；其他人为 null）"))

    class Meta(LocalItemSerializer.Meta):
        fields = [*LocalItemSerializer.Meta.fields, "published_guide", "draft"]

    def to_representation(self, item: LocalItem) -> dict:
        data = super().to_representation(item)
        data["published_guide"] = self.get_published_guide(item)
        data["draft"] = self.get_draft(item)
        return data

    @extend_schema_field(GuideSerializer(allow_null=True))
    def get_published_guide(self, item: LocalItem) -> dict | None:
        standard = getattr(item, "published_standard", None)
        return GuideSerializer(standard, context=self.context).data if standard else None

    @extend_schema_field(DraftSummarySerializer(allow_null=True))
    def get_draft(self, item: LocalItem) -> dict | None:
        draft = getattr(item, "readable_draft", None)
        if draft is None:
            return None
        path = reverse("api:item-draft", kwargs={"code": item.code})
        request = self.context.get("request")
        return {
            "version": draft.version,
            "state": draft.state,
            "updated_at": draft.updated_at,
            "url": request.build_absolute_uri(path) if request else path,
        }


CHANGE_ACTIONS = (
    ("published", gettext_lazy("发布了新的办事指南")),
    ("changed", gettext_lazy("事项信息变更")),
    ("cancelled", gettext_lazy("已取消（墓碑）")),
)


class ChangeSerializer(serializers.Serializer):
    """One entry of the change feed. A cancelled item is a tombstone: its code, when, and no item body."""

    code = serializers.CharField(help_text=gettext_lazy("实施编码"))
    action = serializers.SerializerMethodField(
        help_text=gettext_lazy("published / changed：更新本地副本；cancelled：删除")
    )
    changed_at = serializers.DateTimeField(
        source="modified", help_text=gettext_lazy("变更时间；下次同步可用最后一条的此值作 since")
    )
    cancel_date = serializers.SerializerMethodField(help_text=gettext_lazy("取消日期（仅 cancelled，其余为 null）"))
    item = serializers.SerializerMethodField(help_text=gettext_lazy("事项当前内容；cancelled 时为 null"))

    @extend_schema_field(serializers.ChoiceField(choices=CHANGE_ACTIONS))
    def get_action(self, item: LocalItem) -> str:
        if item.status == LocalItemStatus.CANCELLED:
            return "cancelled"
        if item.guide_published_at is not None and item.guide_published_at >= self.context["since"]:
            return "published"
        return "changed"

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_cancel_date(self, item: LocalItem):
        return item.cancel_date if item.status == LocalItemStatus.CANCELLED else None

    @extend_schema_field(LocalItemSerializer(allow_null=True))
    def get_item(self, item: LocalItem) -> dict | None:
        if item.status == LocalItemStatus.CANCELLED:
            return None
        return LocalItemSerializer(item, context=self.context).data
