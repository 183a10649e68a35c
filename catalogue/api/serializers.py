"""Output serializers of the catalogue's API (the API reads only; input is checked by the FilterSets)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import (
    Division,
    DivisionLevel,
    GeneralItem,
    ItemStatus,
    ItemType,
    Organization,
    OrganizationKind,
    Sector,
)
from core.api.fields import LabelField


class DivisionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Division
        fields = ["code", "name", "level"]


class DivisionSerializer(serializers.ModelSerializer):
    level_label = LabelField(DivisionLevel.choices, source="level", help_text=_("层级名称"))
    parent = serializers.CharField(source="parent_id", allow_null=True, help_text=_("上级区划代码"))
    url = serializers.HyperlinkedIdentityField(view_name="api:division-detail", lookup_field="code")

    class Meta:
        model = Division
        fields = [
            "code",
            "name",
            "full_name",
            "level",
            "level_label",
            "parent",
            "province_code",
            "city_code",
            "county_code",
            "url",
        ]


class DivisionDetailSerializer(DivisionSerializer):
    ancestors = serializers.SerializerMethodField(help_text=_("从省级到上一级的各级区划"))
    children = DivisionRefSerializer(many=True, read_only=True, help_text=_("直接下级区划"))

    class Meta(DivisionSerializer.Meta):
        fields = [*DivisionSerializer.Meta.fields, "ancestors", "children"]

    @extend_schema_field(DivisionRefSerializer(many=True))
    def get_ancestors(self, division: Division) -> list[dict]:
        return DivisionRefSerializer(getattr(division, "ancestor_rows", []), many=True).data


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["uscc", "name"]


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = LabelField(OrganizationKind.choices, source="kind", help_text=_("机构类别名称"))
    division = DivisionRefSerializer()
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organization-detail", lookup_field="uscc", lookup_url_kwarg="code"
    )

    class Meta:
        model = Organization
        fields = ["uscc", "name", "short_name", "kind", "kind_label", "division", "is_active", "updated_at", "url"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["code", "name"]


class GeneralItemSerializer(serializers.ModelSerializer):
    item_type_label = LabelField(ItemType.choices, source="item_type", help_text=_("事项类型名称"))
    status_label = LabelField(ItemStatus.choices, source="status", help_text=_("状态名称"))
    province = serializers.CharField(source="province_id", help_text=_("所属省份目录的区划代码"))
    sector = SectorSerializer()
    parent = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text=_("上级事项的通用目录编码")
    )
    levels = serializers.SerializerMethodField(help_text=_("可行使层级：2省级 3市级 4县级 5乡镇级"))
    url = serializers.HyperlinkedIdentityField(view_name="api:general-item-detail", lookup_field="code")

    class Meta:
        model = GeneralItem
        fields = [
            "code",
            "name",
            "item_type",
            "item_type_label",
            "node_kind",
            "parent",
            "has_sub_items",
            "province",
            "sector",
            "levels",
            "bases",
            "central_guiding_dept",
            "status",
            "status_label",
            "effective_date",
            "cancel_date",
            "updated_at",
            "url",
        ]

    def get_levels(self, item: GeneralItem) -> list[str]:
        return list(item.levels)
