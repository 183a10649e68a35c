"""Records every ``PermissionDenied`` a view raises (Django's own handling then answers with the 403 page), and
serves the portal's error pages where DEBUG would show Django's technical ones."""

from __future__ import annotations

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext
from django.views.defaults import page_not_found, server_error

from core import audit, passwords

request_logger = logging.getLogger("django.request")


class AuditPermissionDeniedMiddleware:
    """Every refusal on the record: a ``PermissionDenied`` a view raises (Django then answers with the 403 page), and
    any other 403 a view or the API returns (DRF's refusals, a forbidden response). Rate-limited per user or address
    (``core.audit.record_refusal``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if response.status_code == 403:
            audit.record_refusal(audit.Kind.PERMISSION_DENIED, request, f"{request.method} 403")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            audit.record_refusal(audit.Kind.PERMISSION_DENIED, request, f"{request.method} {exception}".strip())
        return None  # let the exception reach Django's 403 handling


class PasswordChangeRequiredMiddleware:
    """A session whose password must be changed (set by an administrator, or past its maximum age) reaches the change
    page, sign-out and the language switch only; everything else redirects there. The flag was set at sign-in
    (``core.passwords``), so this costs no query."""

    ALLOWED = ("password_change", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.session.get(passwords.SESSION_KEY) and not self._allowed(request):
            return redirect("password_change")
        return self.get_response(request)

    def _allowed(self, request: HttpRequest) -> bool:
        if request.path_info.startswith(("/static/", "/media/", "/favicon")):
            return True
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return True  # the 404 page gives nothing away
        return match.url_name in self.ALLOWED


class BrandedErrorPagesMiddleware:
    """The portal's own 404 and 500 pages while DEBUG is on (``make run``), where Django would show its technical
    pages: whoever tries the portal locally sees what the public sees. The local settings add it, innermost but for
    django-axes; ``DEBUG_TECHNICAL_PAGES=1`` leaves it out for a developer who wants Django's pages back.

    A 500's traceback still goes to the console through the ``django.request`` logger, as Django would log it. A
    ``PermissionDenied`` is left to Django, whose 403 page is the portal's in every mode already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exc:
            # No view will run, so no process_exception: answer here (CommonMiddleware still adds a missing slash).
            return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | BadRequest | SuspiciousOperation):
            return None
        request_logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={"status_code": 500, "request": request},
        )
        response = server_error(request)
        response._has_been_logged = True  # logged above with its traceback; Django's own line would repeat it
        return response


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "")


class RefuseUnrepresentableInputMiddleware:
    """A NUL byte in the address, the query or a form is refused with a 400 before any view reads it: no database
    stores it (PostgreSQL refuses text with 0x00), so it can only be an error or a probe. The API answers in its JSON
    error shape, naming the parameters, and pages with the portal's 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            fields.append(request.POST)
        bad = [
            key.replace("\x00", "") or "?"
            for data in fields
            for key, values in data.lists()
            if any("\x00" in text for text in (key, *values))
        ]
        if "\x00" in request.path:
            bad.insert(0, "path")
        return refusal(request, bad) if bad else self.get_response(request)


def refusal(request: HttpRequest, parameters: list[str]) -> HttpResponse:
    detail = gettext("请求中含有无法处理的字符（NUL），未被执行")
    if request.path.startswith("/api/"):
        body = {"status": 400, "code": "invalid", "detail": detail, "errors": {name: [detail] for name in parameters}}
        return JsonResponse(body, status=400)
    return render(request, "400.html", {"detail": detail}, status=400)
