"""What the API benchmark serves with gunicorn (settings ``bench.api_settings``): the project's URLs, plus one bare
Django view as the baseline. Never part of the project's own URLconf.

The baseline is truly bare: ``LocalItem.objects.values()`` of the very columns a page of ``/api/v1/items/`` reads
(``ROW_FIELDS``, the joins to division, body and general item they name included), ordered by code, the first
``page_size`` rows, returned by ``JsonResponse`` — no scoping, no visibility filter, no subquery, no REST framework,
no pagination, no ETag. What the project's list costs beyond it is what its own code adds."""

from __future__ import annotations

import time

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


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
    from catalogue.models import LocalItem
    from standards.api.serializers import ROW_FIELDS

    size = int(request.GET.get("page_size", 100))
    rows = LocalItem.objects.order_by("code").values(*ROW_FIELDS)[:size]
    return JsonResponse({"results": list(rows)})


urlpatterns = [
    path("bench/items-values/", items_values),
    path("", include("config.urls")),
]
