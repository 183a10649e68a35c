"""FilterSets of the catalogue's API. Every value is checked: an unknown choice, a malformed code or date answers
400 saying which parameter is wrong (``core.api.errors``); nothing reaches the database unchecked."""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

from catalogue.filters import search_items
from catalogue.models import (
    LEVEL_CHOICES,
    Division,
    DivisionLevel,
    GeneralItem,
    ItemStatus,
    ItemType,
    NodeKind,
    Organization,
    OrganizationKind,
)
from core.api.filtering import NOT_FOUND, PortalFilterSet

DIVISION_CODE = re.compile(r"^[0-9]{6}([0-9]{3})?$")
USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
# General-catalogue codes (12 characters, a main item with sub items ends in Y, handling items 14) and
# implementation codes (31/33 characters; imported foreign codes keep their own form, up to 64 characters).
GENERAL_CODE = re.compile(r"^[0-9]{11}[0-9Y]([0-9]{2})?$")
ITEM_CODE = re.compile(r"^[0-9A-Z][0-9A-Z\-]{0,63}$")
SECTOR_CODE = re.compile(r"^[0-9]{2}$")
# Codes are read in any case (a client may have lower-cased one); these say so to the schema and are checked on the
# value as sent, before it is upper-cased, so nothing outside them (a "ſ" upper-cases to "S") slips through.
USCC_ANY_CASE = re.compile(r"^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$")
GENERAL_CODE_ANY_CASE = re.compile(r"^[0-9]{11}[0-9Yy]([0-9]{2})?$")
ITEM_CODE_ANY_CASE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{0,63}$")


class CodeField(forms.CharField):
    """A code exactly as the schema's pattern says: not stripped, not upper-cased (a value the schema calls malformed
    is refused, never quietly repaired)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(*args, **kwargs)


class DivisionField(CodeField):
    """A division code that must exist; cleans to the Division. Malformed is a 400; well-formed but unknown a 404
    (``core.api.filtering``)."""

    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        if not DIVISION_CODE.fullmatch(value):
            raise forms.ValidationError(_("区划代码须为 6 位或 9 位数字"), code="invalid")
        division = Division.objects.filter(code=value).first()
        if division is None:
            raise forms.ValidationError(_("区划代码 %(code)s 不存在") % {"code": value}, code=NOT_FOUND)
        return division


class DivisionCodeFilter(django_filters.Filter):
    """Exactly this division (``parent``, ``province``), given by its code."""

    field_class = DivisionField


class DivisionFilter(django_filters.Filter):
    """The division given and its whole subtree (one indexed equality on the stored ancestor code)."""

    field_class = DivisionField

    def __init__(self, *args, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("help_text", _("区划代码：该区划及其所有下级区划"))
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: Division | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(**{f"{self.prefix}{value.level}_code": value.code})


class UsccField(CodeField):
    def clean(self, value):
        value = super().clean(value)
        if value in (None, ""):
            return None
        if not USCC_ANY_CASE.fullmatch(value):
            raise forms.ValidationError(_("统一社会信用代码须为 18 位数字或大写字母"), code="invalid")
        return value.upper()


class UsccFilter(django_filters.Filter):
    field_class = UsccField


class MomentField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment, turned into UTC at once: any offset Python reads (up to ±23:59) is fine here, while the
    database takes offsets only up to ±15:59, so an unusual but valid offset must never reach it. A valid moment that
    falls outside what UTC can hold (year 1 with a positive offset, year 9999 with a negative one) is before or after
    every record, so it is read as the earliest or latest moment rather than refused."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except (OverflowError, ValueError):
            edge = dt.datetime.min if moment.year == dt.MINYEAR else dt.datetime.max
            return edge.replace(tzinfo=dt.UTC)


class MomentFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class UpdatedSinceFilter(MomentFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("help_text", _("只返回此时刻（ISO 8601，如 2026-05-01T00:00:00+08:00）以后更新的记录"))
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("名称包含、编码前缀或拼音首字母（xzsp 找到“行政审批”）"))
        kwargs.setdefault("max_length", 100)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return search_items(qs, value)


class StrictOrderingFilter(OrderingFilter):
    """DRF's ordering, but anything but a comma-separated list of the view's fields (each optionally with ``-``)
    answers 400 instead of being silently ignored; the schema carries the same rule as its pattern."""

    @staticmethod
    def pattern(view) -> str:
        field = "-?(" + "|".join(re.escape(f) for f in sorted(getattr(view, "ordering_fields", ()))) + ")"
        return f"^{field}(,{field})*$"

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is not None and not re.fullmatch(self.pattern(view)[1:-1], params):
            allowed = set(getattr(view, "ordering_fields", ()))
            choices = ", ".join(sorted(allowed | {f"-{f}" for f in allowed}))
            raise exceptions.ValidationError(
                {self.ordering_param: [_("不支持的排序字段，可选：%(choices)s") % {"choices": choices}]}
            )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["pattern"] = self.pattern(view)
        return parameters


class DivisionFilterSet(PortalFilterSet):
    level = django_filters.ChoiceFilter(choices=DivisionLevel.choices, help_text=_("层级"))
    parent = DivisionCodeFilter(field_name="parent", help_text=_("上级区划代码：只列其直接下级"))
    within = DivisionFilter(field_name="code", help_text=_("区划代码：该区划及其所有下级区划"))
    q = SearchFilter(help_text=_("名称包含或代码前缀"), method="filter_q")

    class Meta:
        model = Division
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__contains=value) | queryset.filter(code__startswith=value)


class OrganizationFilterSet(PortalFilterSet):
    division = DivisionFilter(prefix="division__")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, help_text=_("机构类别"))
    q = SearchFilter(help_text=_("名称包含或统一社会信用代码前缀"), method="filter_q")
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__contains=value) | queryset.filter(uscc__startswith=value.upper())


class GeneralItemFilterSet(PortalFilterSet):
    province = DivisionCodeFilter(field_name="province", help_text=_("省级区划代码：该省的通用目录"))
    item_type = django_filters.ChoiceFilter(choices=ItemType.choices, help_text=_("事项类型"))
    level = django_filters.ChoiceFilter(
        choices=LEVEL_CHOICES, field_name="levels", lookup_expr="contains", help_text=_("可在该层级行使")
    )
    status = django_filters.ChoiceFilter(choices=ItemStatus.choices, help_text=_("状态"))
    node_kind = django_filters.ChoiceFilter(choices=NodeKind.choices, help_text=_("节点类型"))
    sector = django_filters.CharFilter(
        field_name="sector__code", max_length=2, help_text=_("目录部门编码（2 位数字）"), method="filter_sector"
    )
    q = SearchFilter()
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = GeneralItem
        fields: list[str] = []

    def filter_sector(self, queryset, name, value):
        if not SECTOR_CODE.fullmatch(value):
            raise exceptions.ValidationError({"sector": [_("目录部门编码须为 2 位数字")]})
        return queryset.filter(sector__code=value)
