"""Filters of the catalogue lists, shared by the staff browser, the public list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalogue.models import LEVEL_CHOICES, GeneralItem, ItemStatus, ItemType, LocalItem, LocalItemStatus, Organization


def search_items(queryset: QuerySet, value: str) -> QuerySet:
    """Name (contains), code (prefix) or pinyin initials (xzsp finds 行政审批)."""
    value = (value or "").strip()
    if not value:
        return queryset
    q = Q(name__contains=value) | Q(code__startswith=value.upper())
    if value.isascii() and value.isalpha():
        q |= Q(name_initials__contains=value.lower())
    return queryset.filter(q)


class StyledFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter widgets, so templates can render the fields one by one."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for name, field in form.fields.items():
                css = "form-select" if hasattr(field, "choices") else "form-control"
                field.widget.attrs.setdefault("class", css)
                field.widget.attrs.setdefault("id", f"id_{name}")
            form._styled = True
        return form


class LocalItemFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称、编码或拼音首字母"), method="filter_q")
    item_type = django_filters.ChoiceFilter(label=_("事项类型"), choices=ItemType.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=LocalItemStatus.choices)
    level = django_filters.ChoiceFilter(label=_("行使层级"), choices=LEVEL_CHOICES)
    organization = django_filters.ModelChoiceFilter(label=_("实施部门"), queryset=Organization.objects.none())
    needs_adjustment = django_filters.BooleanFilter(label=_("待调整"))
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("code", "code"), ("name", "name"), ("organization__name", "organization"), ("updated_at", "updated")),
        field_labels={
            "code": _("编码"),
            "-code": _("编码（降序）"),
            "name": _("名称"),
            "-name": _("名称（降序）"),
            "organization__name": _("部门"),
            "-organization": _("部门（降序）"),
            "updated_at": _("更新时间"),
            "-updated": _("更新时间（降序）"),
        },
        empty_label=_("编码顺序"),
    )

    class Meta:
        model = LocalItem
        fields = ["q", "item_type", "status", "level", "organization", "needs_adjustment"]

    def __init__(self, *args, organizations: QuerySet[Organization] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.filters["organization"]
        else:
            self.filters["organization"].queryset = organizations

    def filter_q(self, queryset, name, value):
        return search_items(queryset, value)


class GeneralItemFilter(StyledFilterSet):
    q = django_filters.CharFilter(label=_("名称、编码或拼音首字母"), method="filter_q")
    item_type = django_filters.ChoiceFilter(label=_("事项类型"), choices=ItemType.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ItemStatus.choices)
    level = django_filters.ChoiceFilter(label=_("可行使层级"), choices=LEVEL_CHOICES, method="filter_level")
    sort = django_filters.OrderingFilter(
        label=_("排序"),
        fields=(("name", "name"), ("updated_at", "updated")),
        field_labels={
            "name": _("名称"),
            "-name": _("名称（降序）"),
            "updated_at": _("更新时间"),
            "-updated": _("更新时间（降序）"),
        },
        empty_label=_("目录顺序"),
    )

    class Meta:
        model = GeneralItem
        fields = ["q", "item_type", "status", "sector", "node_kind"]

    def filter_q(self, queryset, name, value):
        return search_items(queryset, value)

    def filter_level(self, queryset, name, value):
        return queryset.filter(levels__contains=value)
