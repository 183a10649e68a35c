"""One JSON shape for every API error, so a client reads a 400, 404 or 429 the same way.

``{"status": 400, "code": "invalid", "detail": "…", "errors": {"field": ["…"]}}`` — ``errors`` only when the input
was wrong, ``retry_after`` (seconds) on 429. Domain exceptions raised by services map here too: Django's
``ValidationError`` → 400, ``PermissionDenied`` → 403, ``TransitionNotAllowed`` and ``ConflictError`` → 409.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ConflictError, TransitionNotAllowed


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (documented in the schema for 400, 401, 403, 404, 406 and 429)."""

    status = serializers.IntegerField(help_text=gettext_lazy("HTTP 状态码"))
    code = serializers.CharField(help_text=gettext_lazy("错误代码，如 invalid、not_found、throttled"))
    detail = serializers.CharField(help_text=gettext_lazy("给人看的错误说明"))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=gettext_lazy("输入有误时：参数名 → 错误说明列表"),
    )
    retry_after = serializers.IntegerField(required=False, help_text=gettext_lazy("被限流时：多少秒后可以重试"))


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


def _messages(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _messages(inner)]
    if isinstance(value, list | tuple):
        return [message for inner in value for message in _messages(inner)]
    return [str(value)]


def _field_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail)
    if isinstance(exc, TransitionNotAllowed | ConflictError):
        return Conflict(exc.message)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500 handling and logging
    body: dict[str, Any] = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        body.update(code="invalid", detail=_("请求参数有误"), errors=_field_errors(exc.detail))
    elif isinstance(exc, exceptions.Throttled):
        wait = math.ceil(exc.wait) if exc.wait is not None else None
        body.update(code="throttled", detail=_("请求过于频繁，请稍后再试。"))
        if wait is not None:
            body["detail"] = _("请求过于频繁，请在 %(seconds)d 秒后再试。") % {"seconds": wait}
            body["retry_after"] = wait
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        body.update(code=codes if isinstance(codes, str) else exc.default_code, detail=" ".join(_messages(exc.detail)))
        if isinstance(exc.detail, dict):  # a 404 naming the parameter whose value names nothing
            body.update(detail=" ".join(_messages(list(exc.detail.values()))), errors=_field_errors(exc.detail))
    response.data = body
    return response
