"""Filters of the evaluation list. ``since`` takes an ISO 8601 date or date-time (a date means its local midnight);
a wrong value answers 400 naming the parameter."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from catalogue.api.filters import DivisionFilter
from core.api.filtering import PortalFilterSet
from evaluation.models import Evaluation, Grade

SINCE_INVALID = _("须为日期（yyyy-mm-dd）或带时区的 ISO 8601 时间")


class SinceField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            moment = parse_datetime(value)
            day = None if moment else parse_date(value)
        except ValueError:
            moment = day = None
        if moment is None and day is None:
            raise forms.ValidationError(SINCE_INVALID, code="invalid")
        if moment is None:
            return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class SinceFilter(django_filters.Filter):
    field_class = SinceField


class EvaluationFilterSet(PortalFilterSet):
    since = SinceFilter(
        field_name="submitted_at", lookup_expr="gte", help_text=_("评价时间不早于（yyyy-mm-dd 或 ISO 8601 时间）")
    )
    grade = django_filters.TypedChoiceFilter(choices=Grade.choices, coerce=int, help_text=_("评价等级"))
    division = DivisionFilter(prefix="division__")

    class Meta:
        model = Evaluation
        fields: list[str] = []
