"""Divisions, organizations and the general catalogue over REST, read-only and public."""

from __future__ import annotations

import re

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions

from catalogue import selectors
from catalogue.models import Division, GeneralItem, Organization
from core.api.views import ConditionalReadOnlyViewSet

from . import filters
from .serializers import DivisionDetailSerializer, DivisionSerializer, GeneralItemSerializer, OrganizationSerializer


def checked(value: str, pattern: re.Pattern, message: str) -> str:
    """A code from the address: malformed answers 400 (not 404), so a client learns its request was wrong. The
    pattern (the schema's too) is checked on the code as sent, nothing trimmed; letters are then read in any case."""
    if not pattern.fullmatch(value):
        raise exceptions.ValidationError({"code": [message]})
    return value.upper()


def code_parameter(description: str, pattern: re.Pattern) -> OpenApiParameter:
    return OpenApiParameter("code", str, OpenApiParameter.PATH, description=description, pattern=pattern.pattern)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("行政区划列表"), tags=[gettext_lazy("行政区划")]),
    retrieve=extend_schema(
        summary=gettext_lazy("按代码查行政区划（含上级与直接下级）"),
        tags=[gettext_lazy("行政区划")],
        parameters=[code_parameter(gettext_lazy("区划代码（6 位或 9 位数字）"), filters.DIVISION_CODE)],
    ),
)
class DivisionViewSet(ConditionalReadOnlyViewSet):
    """Divisions are reference data without time stamps (``load_divisions``): their answers are validated by content."""

    queryset = Division.objects.all()
    serializer_class = DivisionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.DivisionFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    validate_by_content = True

    def get_serializer_class(self):
        return DivisionDetailSerializer if self.action == "retrieve" else DivisionSerializer

    def get_object(self):
        code = checked(self.kwargs["code"], filters.DIVISION_CODE, _("区划代码须为 6 位或 9 位数字"))
        return get_object_or_404(Division.objects.prefetch_related("children"), code=code)

    def prepare(self, instance: Division) -> Division:
        instance.ancestor_rows = selectors.breadcrumb(instance)[:-1]
        return instance


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("机构列表"), tags=[gettext_lazy("机构")]),
    retrieve=extend_schema(
        summary=gettext_lazy("按统一社会信用代码查机构"),
        tags=[gettext_lazy("机构")],
        parameters=[code_parameter(gettext_lazy("统一社会信用代码（18 位）"), filters.USCC_ANY_CASE)],
    ),
)
class OrganizationViewSet(ConditionalReadOnlyViewSet):
    serializer_class = OrganizationSerializer
    filter_backends = [DjangoFilterBackend, filters.StrictOrderingFilter]
    filterset_class = filters.OrganizationFilterSet
    ordering_fields = ["uscc", "updated_at"]
    ordering = "uscc"
    lookup_field = "uscc"
    lookup_url_kwarg = "code"
    lookup_value_regex = "[^/]+"
    stamp_models = (Organization,)

    def get_queryset(self):
        return selectors.api_organizations(user=self.request.user)

    def get_object(self):
        code = checked(self.kwargs["code"], filters.USCC_ANY_CASE, _("统一社会信用代码须为 18 位数字或大写字母"))
        return get_object_or_404(self.get_queryset(), uscc=code)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("通用目录事项列表"), tags=[gettext_lazy("通用目录")]),
    retrieve=extend_schema(
        summary=gettext_lazy("按通用目录编码查事项"),
        tags=[gettext_lazy("通用目录")],
        parameters=[code_parameter(gettext_lazy("通用目录编码（12 或 14 位）"), filters.GENERAL_CODE_ANY_CASE)],
    ),
)
class GeneralItemViewSet(ConditionalReadOnlyViewSet):
    serializer_class = GeneralItemSerializer
    filter_backends = [DjangoFilterBackend, filters.StrictOrderingFilter]
    filterset_class = filters.GeneralItemFilterSet
    ordering_fields = ["code", "updated_at"]
    ordering = "code"
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    stamp_models = (GeneralItem,)

    def get_queryset(self):
        return selectors.api_general_items()

    def get_object(self):
        code = checked(self.kwargs["code"], filters.GENERAL_CODE_ANY_CASE, _("通用目录编码须为 12 位（办理项 14 位）"))
        return get_object_or_404(self.get_queryset(), code=code)
