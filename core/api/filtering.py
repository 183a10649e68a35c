"""The FilterSet every list of the API uses: the schema and the answers agree on empty and unknown values.

- A parameter given empty (``?since=``, ``?node_kind=``) is an error at that parameter, the same 400 as a malformed
  value — never silently "no filter": the schema documents no empty value, and a client that sends one has a bug it
  should hear about.
- A well-formed code that names nothing (``?division=999999``) answers 404 naming the parameter: the request was
  right by the schema, the thing it names does not exist (a field raises ``ValidationError(code="not_found")``).
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

EMPTY_MESSAGE = _("参数不能为空：不需要这个条件时请去掉它")
NOT_FOUND = "not_found"


class PortalFilterSet(django_filters.FilterSet):
    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data is None:
            return
        for name, filter_ in self.filters.items():
            if name in data and any(value == "" for value in data.getlist(name)):
                # The filter's own form field then refuses the empty value with the same error shape as a bad one.
                filter_.extra["required"] = True
                filter_.extra["error_messages"] = {**filter_.extra.get("error_messages", {}), "required": EMPTY_MESSAGE}
                # A form field built earlier from the class's filters (the schema generator builds them) is copied
                # with the filter and would ignore the change: drop it so it is built again from ``extra``.
                filter_.__dict__.pop("_field", None)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            errors = self.form.errors.as_data()
            if all(error.code == NOT_FOUND for field_errors in errors.values() for error in field_errors):
                raise exceptions.NotFound(
                    {name: [m for error in found for m in error.messages] for name, found in errors.items()}
                )
        return valid

    @classmethod
    def unfiltered(cls, queryset: QuerySet) -> QuerySet:
        """What the list holds when the request names none of the filters: all of ``queryset`` unless a FilterSet
        narrows its default (and then its ``filter_queryset`` calls this too, so both paths say it once)."""
        return queryset


class PortalFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend``, except that a request naming none of the FilterSet's filters gets
    ``FilterSet.unfiltered(queryset)`` without the FilterSet and its form being built — the same rows (no filter
    value, nothing to validate), for a fraction of the cost of a page a client walks whole. A FilterSet with a required
    filter always takes the full path, so its absence is still refused."""

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if (
            filterset_class is not None
            and issubclass(filterset_class, PortalFilterSet)
            and not request.query_params.keys() & filterset_class.base_filters.keys()
            and not any(f.extra.get("required") for f in filterset_class.base_filters.values())
        ):
            return filterset_class.unfiltered(queryset)
        return super().filter_queryset(request, queryset, view)
