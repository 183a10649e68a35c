"""The case API: events from other systems in, cases out to staff.

The case lists are read-only and scoped by ``cases.permissions.visible_cases`` — the same rule as the staff pages.
Their answers hold personal data (masked, but still about a person): they are marked ``private, no-store`` so no
shared cache keeps them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from cases import permissions
from cases.models import Alert, Case, CaseMaterial, CaseStep, ExternalSystem
from cases.services import ingest, ingest_batch
from core.api.pagination import PortalCursorPagination
from core.api.schema import PortalAutoSchema
from core.audit import out_of_scope

from .authentication import ExternalSystemAuthentication, IsExternalSystem
from .events import EventBatchResultSerializer, validate_each
from .filters import CaseFilterSet
from .serializers import CaseDetailSerializer, CaseSerializer

MAX_BATCH = 500
# As the address carries it: 1 to 64 characters, no spaces (what the schema documents, nothing trimmed).
CASE_NUMBER = re.compile(r"^[^\s/]{1,64}$")
TAG = gettext_lazy("办件")


class CasePagination(PortalCursorPagination):
    ordering = ("-received_at", "-id")


class CanOpenCaseList(BasePermission):
    message = gettext_lazy("您没有查看办件的权限")

    def has_permission(self, request, view) -> bool:
        return permissions.can_open_case_list(request.user)


def _private(response: Response) -> Response:
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("办件列表（本辖区，证件号码和电话已脱敏）"),
        tags=[TAG],
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("按办件编号查办件，含办理记录"),
        tags=[TAG],
        parameters=[
            OpenApiParameter(
                "number", str, OpenApiParameter.PATH, description=gettext_lazy("办件编号"), pattern=CASE_NUMBER.pattern
            )
        ],
    ),
)
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated, CanOpenCaseList]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilterSet
    pagination_class = CasePagination
    lookup_field = "number"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return permissions.visible_cases(self.request.user).select_related(
            "local_item", "organization", "external_system"
        )

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def get_object(self):
        number = self.kwargs["number"]
        if not CASE_NUMBER.fullmatch(number):
            raise exceptions.ValidationError({"number": [_("办件编号须为 1 至 64 个字符，不含空格和“/”")]})
        case = (
            self.get_queryset()
            .prefetch_related(
                Prefetch("steps", queryset=CaseStep.objects.order_by("seq")),
                Prefetch("materials", queryset=CaseMaterial.objects.order_by("position", "pk")),
                Prefetch("alerts", queryset=Alert.objects.order_by("raised_at", "pk")),
            )
            .filter(number=number)
            .first()
        )
        if case is None:
            raise out_of_scope(self.request, Case, {"number": number}, _("没有这个办件，或您无权查看"))
        return case

    def list(self, request, *args, **kwargs):
        return _private(super().list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return _private(super().retrieve(request, *args, **kwargs))


class SystemThrottle(SimpleRateThrottle):
    """Requests per sending system (not per address: a platform may send from many)."""

    scope = "case_events"

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ExternalSystem):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


EVENT_EXAMPLE = {
    "eventNo": "1",
    "projectNo": "4418020012026000123",
    "taskCode": "11441802MB2C12345X4440102002003",
    "proStatus": "2",
    "projectType": "2",
    "userProp": "1",
    "applyName": "张三",
    "contactMobile": "13800001234",
    "acceptDate": "2026-09-30 09:30:00",
    "promiseDays": 10,
    "steps": [
        {"stepNo": 1, "stepName": "受理", "actorName": "李四", "opinion": "材料齐全", "time": "2026-09-30 09:30:00"}
    ],
}


EVENT_BODY = {
    "oneOf": [
        {"type": "object", "description": gettext_lazy("一个事件")},
        {
            "type": "array",
            "items": {"type": "object"},
            "minItems": 1,
            "maxItems": MAX_BATCH,
            "description": gettext_lazy("事件数组（一次最多 500 个）"),
        },
    ]
}


class EventBodySchema(PortalAutoSchema):
    """The body is required (a POST without one is a 400); drf-spectacular marks a body given as a raw schema
    optional."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True
        return body


class CaseEventView(APIView):
    """``POST /api/v1/case-events/``: one event or a list of them from another system."""

    schema = EventBodySchema()
    authentication_classes = [ExternalSystemAuthentication]
    permission_classes = [IsExternalSystem]
    throttle_classes = [SystemThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("接收其他系统的办件事件"),
        description=gettext_lazy(
            "请求体为一个事件，或事件数组（一次最多 500 个）。以系统令牌认证：Authorization: Bearer <令牌>。"
            "每个事件单独处理：有错误的事件不作任何改动，并在 results 中逐个说明（index、field、message），"
            "同一请求中其他正确的事件照常处理；只要请求体是 JSON 对象或对象数组，就返回 200。"
            "同一系统、同一办件编号、同一事件编号只处理一次：重发返回 duplicate，不作改动。"
            "本系统的办件编号为 EX<系统号>-<办件编号>。事项须属于本系统所辖区划。"
        ),
        tags=[TAG],
        # What the endpoint itself refuses with a 400: anything but one object or 1–500 objects. An object's fields
        # (CaseEventSerializer, shown in the example) are checked event by event and reported in the 200's results,
        # so the schema cannot make them a condition of the request without saying something the API does not do.
        request={"application/json": EVENT_BODY},
        responses={200: EventBatchResultSerializer},
        examples=[OpenApiExample(gettext_lazy("一个已受理的办件"), value=EVENT_EXAMPLE, request_only=True)],
    )
    def post(self, request):
        if not int(request.META.get("CONTENT_LENGTH") or 0):
            raise exceptions.ValidationError({"body": [_("请求体须为一个事件对象，或非空的事件对象数组")]})
        body = request.data
        events = [body] if isinstance(body, dict) else body
        if not isinstance(events, list) or not events or not all(isinstance(e, dict) for e in events):
            raise exceptions.ValidationError({"body": [_("请求体须为一个事件对象，或非空的事件对象数组")]})
        if len(events) > MAX_BATCH:
            raise exceptions.ValidationError({"body": [_("一次最多提交 %(n)d 个事件") % {"n": MAX_BATCH}]})
        outcomes: list[ingest.EventOutcome | None] = [None] * len(events)
        valid = []
        for index, (payload, (event, errors)) in enumerate(zip(events, validate_each(events), strict=True)):
            if event is not None:
                valid.append((index, event, payload))
            else:
                outcomes[index] = ingest.rejected(index, payload, errors)
        with transaction.atomic():
            # One sender's requests are applied one after the other, in the order they arrive.
            system = ExternalSystem.objects.select_for_update().select_related("division").get(pk=request.auth.pk)
            for outcome in ingest_batch.case_events_apply(system=system, events=valid):
                outcomes[outcome.index] = outcome
        results = [outcome.as_dict() for outcome in outcomes]
        statuses = [r["status"] for r in results]
        return Response(
            {
                "applied": statuses.count("applied"),
                "duplicates": statuses.count("duplicate"),
                "failed": statuses.count("error"),
                "results": results,
            }
        )
