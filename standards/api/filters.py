"""FilterSets of the items API and the change feed; bad values answer 400 (see ``catalogue.api.filters``)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from catalogue.api.filters import DivisionFilter, MomentFilter, SearchFilter, UpdatedSinceFilter, UsccFilter
from catalogue.models import LEVEL_CHOICES, ItemType, LocalItem, LocalItemStatus
from core.api.filtering import PortalFilterSet
from standards.selectors import items_changed_since


class LocalItemFilterSet(PortalFilterSet):
    division = DivisionFilter(prefix="division__")
    organization = UsccFilter(field_name="organization__uscc", help_text=_("实施主体的统一社会信用代码"))
    item_type = django_filters.ChoiceFilter(choices=ItemType.choices, help_text=_("事项类型"))
    level = django_filters.ChoiceFilter(choices=LEVEL_CHOICES, help_text=_("行使层级"))
    status = django_filters.ChoiceFilter(
        choices=LocalItemStatus.choices,
        help_text=_("状态；不指定时列出在用和暂停的事项（已取消的须指定 status=cancelled）"),
    )
    general_item = django_filters.CharFilter(
        field_name="general_item__code", max_length=14, help_text=_("通用目录编码")
    )
    has_guide = django_filters.ChoiceFilter(
        choices=(("true", _("是")), ("false", _("否"))),
        method="filter_has_guide",
        help_text=_("是否已有公开的办事指南"),
    )
    q = SearchFilter()
    updated_since = UpdatedSinceFilter(method="filter_updated_since")

    class Meta:
        model = LocalItem
        fields: list[str] = []

    @classmethod
    def unfiltered(cls, queryset):
        """Without ``status``, the items in force: cancelled ones are listed only when asked for."""
        return queryset.exclude(status=LocalItemStatus.CANCELLED)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = self.unfiltered(queryset)
        return super().filter_queryset(queryset)

    def filter_updated_since(self, queryset, name, value):
        return items_changed_since(queryset, value)

    def filter_has_guide(self, queryset, name, value):
        return queryset.filter(guide_version__isnull=value != "true")


class ChangeFeedFilterSet(PortalFilterSet):
    since = MomentFilter(
        required=True,
        method="filter_since",
        help_text=_("起点（ISO 8601，含该时刻）：返回此后发布、变更或取消的事项；首次同步可用 1970-01-01T00:00:00Z"),
    )
    division = DivisionFilter(prefix="division__")
    organization = UsccFilter(field_name="organization__uscc", help_text=_("实施主体的统一社会信用代码"))
    item_type = django_filters.ChoiceFilter(choices=ItemType.choices, help_text=_("事项类型"))

    class Meta:
        model = LocalItem
        fields: list[str] = []

    def filter_since(self, queryset, name, value):
        return items_changed_since(queryset, value)
