"""The evaluation list for the provincial platform: every evaluation the user may see
(``evaluation.permissions.visible_evaluations``, the rule of the staff pages, as the case API uses
``visible_cases``), newest first, in the national exchange shape, read-only, cursor-paginated, filtered by ``since``.
Two queries a page (the rows with their joins, then their indicator grades) whatever the page size."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated

from core.api.pagination import PortalCursorPagination
from evaluation import permissions
from evaluation.exchange import exchange_values, with_indicators

from .filters import EvaluationFilterSet
from .serializers import ExchangeEvaluationSerializer

TAG = gettext_lazy("好差评")


class EvaluationPagination(PortalCursorPagination):
    ordering = ("-evaluateTime", "-evaluationId")


class CanOpenEvaluationList(BasePermission):
    message = gettext_lazy("您没有查看评价的权限")

    def has_permission(self, request, view) -> bool:
        return permissions.can_open_evaluation_list(request.user)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("评价列表（国家好差评交换格式，本辖区，不含评价人信息）"),
        tags=[TAG],
    )
)
class EvaluationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, CanOpenEvaluationList]
    filter_backends = [DjangoFilterBackend]
    filterset_class = EvaluationFilterSet
    pagination_class = EvaluationPagination
    serializer_class = ExchangeEvaluationSerializer

    def get_queryset(self):
        return permissions.visible_evaluations(self.request.user)

    def filter_queryset(self, queryset):
        return exchange_values(super().filter_queryset(queryset))

    def list(self, request, *args, **kwargs):
        page = with_indicators(list(self.paginate_queryset(self.filter_queryset(self.get_queryset()))))
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response["Cache-Control"] = "private, no-store"
        return response
