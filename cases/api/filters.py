"""Filters of the case list. Every value is checked and a wrong one answers 400 naming the parameter."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseStatus
from catalogue.api.filters import DivisionFilter, UsccFilter
from core.api.filtering import PortalFilterSet

ALERT_CHOICES = [("none", _("正常")), ("yellow", _("黄色预警")), ("red", _("红色警告"))]


class CaseFilterSet(PortalFilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, help_text=_("状态"))
    item = django_filters.CharFilter(
        field_name="local_item__code", max_length=64, help_text=_("实施编码（事项）"), method="filter_item"
    )
    organization = UsccFilter(field_name="organization__uscc", help_text=_("实施主体的统一社会信用代码"))
    division = DivisionFilter(prefix="division__")
    alert_level = django_filters.ChoiceFilter(choices=ALERT_CHOICES, help_text=_("监察状态"), method="filter_alert")
    accepted_from = django_filters.DateFilter(
        field_name="accepted_on", lookup_expr="gte", help_text=_("受理日期不早于（yyyy-mm-dd）")
    )
    accepted_to = django_filters.DateFilter(
        field_name="accepted_on", lookup_expr="lte", help_text=_("受理日期不晚于（yyyy-mm-dd）")
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_item(self, queryset, name, value):
        return queryset.filter(local_item__code=value.strip().upper())

    def filter_alert(self, queryset, name, value):
        return queryset.filter(alert_level="" if value == "none" else value)
