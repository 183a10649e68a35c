"""What the API benchmark serves with gunicorn (settings ``bench.api_settings``): the project's URLs, plus one bare
Django view as the baseline — the same rows of the items list, read with ``values()`` and returned by
``JsonResponse``, no REST framework. Never part of the project's own URLconf."""

from __future__ import annotations

import time

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

FIELDS = (
    "code",
    "name",
    "item_type",
    "level",
    "status",
    "division_id",
    "division__name",
    "division__level",
    "organization__uscc",
    "organization__name",
    "general_item__code",
    "effective_date",
    "cancel_date",
    "updated_at",
    "guide_version",
    "guide_published_at",
)


class ServerTiming:
    """Adds ``Server-Timing: app;dur=…`` (milliseconds in Django, middleware included) to every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response


def items_values(request: HttpRequest) -> JsonResponse:
    from django.contrib.auth.models import AnonymousUser

    from catalogue.models import LocalItemStatus
    from standards import selectors

    size = int(request.GET.get("page_size", 100))
    rows = (
        selectors.api_items(user=AnonymousUser())
        .exclude(status=LocalItemStatus.CANCELLED)
        .order_by("code")
        .values(*FIELDS)[:size]
    )
    return JsonResponse({"results": list(rows)})


urlpatterns = [
    path("bench/items-values/", items_values),
    path("", include("config.urls")),
]
