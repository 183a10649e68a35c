"""Records every ``PermissionDenied`` a view raises; Django's own handling then answers with the 403 page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from core import audit


class AuditPermissionDeniedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            audit.record(
                audit.Kind.PERMISSION_DENIED,
                request=request,
                user=getattr(request, "user", None),
                detail=f"{request.method} {exception}".strip()[:1000],
            )
        return None  # let the exception reach Django's 403 handling
