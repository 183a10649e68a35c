"""Local items with their published guide, staff drafts and the change feed over REST.

Everyone reads the published catalogue; staff signed in (session or token) also see their own scope's items and
drafts through the same endpoints — the scoping is ``catalogue.access`` via the selectors, and a draft is shown only
when ``standards.permissions.can_read`` allows it, else 404 as for anything out of scope.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from catalogue.api.filters import ITEM_CODE_ANY_CASE, StrictOrderingFilter
from catalogue.api.views import checked, code_parameter
from catalogue.models import LocalItem, Organization
from core.api.conditional import not_modified, stamp, validators
from core.api.filtering import PortalFilterBackend
from core.api.pagination import PortalCursorPagination
from core.api.renderers import FastJSONRenderer
from core.api.views import ConditionalReadOnlyViewSet
from core.audit import out_of_scope
from standards import permissions, selectors
from standards.models import ItemStandard

from .filters import ChangeFeedFilterSet, LocalItemFilterSet
from .serializers import (
    ROW_FIELDS,
    ChangeSerializer,
    GuideSerializer,
    LocalItemDetailSerializer,
    LocalItemSerializer,
)


class FeedPagination(PortalCursorPagination):
    """Oldest change first, so a client that stops half-way resumes from the last ``changed_at`` it saw."""

    ordering = ("modified", "code")


ITEM_CODE_MESSAGE = gettext_lazy("实施编码只能由数字、大写字母和“-”组成，最长 64 位")
STAMP_MODELS = (LocalItem, ItemStandard, Organization)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("实施清单事项列表（已公开的；工作人员另见本辖区的）"), tags=[gettext_lazy("实施清单")]
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("按实施编码查事项及其已发布的办事指南"),
        tags=[gettext_lazy("实施清单")],
        parameters=[code_parameter(gettext_lazy("实施编码"), ITEM_CODE_ANY_CASE)],
    ),
)
class LocalItemViewSet(ConditionalReadOnlyViewSet):
    filter_backends = [PortalFilterBackend, StrictOrderingFilter]
    filterset_class = LocalItemFilterSet
    ordering_fields = ["code", "updated_at"]
    ordering = "code"
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    stamp_models = STAMP_MODELS

    def get_queryset(self):
        return selectors.api_items(user=self.request.user)

    def get_serializer_class(self):
        return LocalItemDetailSerializer if self.action == "retrieve" else LocalItemSerializer

    def get_renderers(self):
        # The list's pages are strings, integers and None only: orjson writes DRF's bytes in a tenth of the time.
        return [FastJSONRenderer()] if self.action == "list" else super().get_renderers()

    def paginate_queryset(self, queryset):
        # A page of the list is read as flat rows: no model instances to build (the serializer writes them out).
        return super().paginate_queryset(queryset.values(*ROW_FIELDS))

    def get_object(self) -> LocalItem:
        code = checked(self.kwargs["code"], ITEM_CODE_ANY_CASE, str(ITEM_CODE_MESSAGE))
        item = selectors.with_modified(self.get_queryset()).filter(code=code).first()
        if item is None:
            raise Http404(_("没有这个事项，或您无权查看"))
        return item

    def modified(self, instance: LocalItem):
        return instance.modified

    def prepare(self, instance: LocalItem) -> LocalItem:
        instance.published_standard = selectors.guide_version(instance, published=True)
        instance.readable_draft = None
        if self.request.user.is_authenticated:
            draft = instance.standards.in_progress().first()
            if draft is not None and permissions.can_read(self.request.user, draft):
                instance.readable_draft = draft
        return instance

    @extend_schema(
        summary=gettext_lazy("在办版本的办事指南（本辖区工作人员）"),
        tags=[gettext_lazy("实施清单")],
        parameters=[code_parameter(gettext_lazy("实施编码"), ITEM_CODE_ANY_CASE)],
        responses=GuideSerializer,
    )
    @action(
        detail=True, methods=["get"], permission_classes=[IsAuthenticated], filter_backends=[], pagination_class=None
    )
    def draft(self, request, code: str):
        """The version in progress — never public. 404 for staff outside the item's scope, as for an unknown code."""
        item = self.get_object()
        draft = item.standards.in_progress().first()
        if draft is None or not permissions.can_read(request.user, draft):
            if draft is None:
                raise Http404(_("没有可查看的在办版本"))
            raise out_of_scope(request, ItemStandard, {"pk": draft.pk}, _("没有可查看的在办版本"))
        etag, last_modified = validators(request, draft.updated_at, item.modified)
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        standard = selectors.guide_version(item, published=False)
        response = Response(GuideSerializer(standard, context=self.get_serializer_context()).data)
        response["Cache-Control"] = "private, no-cache"
        return stamp(response, etag, last_modified)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("变更订阅：某时刻以来发布、变更或取消的事项"),
        description=gettext_lazy(
            "按变更时间排序，游标分页。cancelled 为墓碑（只有编码和取消日期），客户端据此删除本地副本；"
            "published / changed 带事项当前内容。同步完成后，以最后一条的 changed_at 作为下次的 since。"
        ),
        tags=[gettext_lazy("变更订阅")],
    )
)
class ChangeFeedViewSet(ConditionalReadOnlyViewSet):
    serializer_class = ChangeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ChangeFeedFilterSet
    pagination_class = FeedPagination
    stamp_models = STAMP_MODELS

    def get_queryset(self):
        return selectors.with_modified(selectors.api_items(user=self.request.user))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["since"] = getattr(self, "_since", None)
        return context

    def filter_queryset(self, queryset):
        filterset = ChangeFeedFilterSet(self.request.query_params, queryset=queryset, request=self.request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        self._since = filterset.form.cleaned_data["since"]
        return filterset.qs
