"""Writes the security audit trail (``AuditEvent``). A failure to write is logged and never breaks the request."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Model
from django.http import Http404, HttpRequest

from core.models import AuditEvent
from core.security import client_ip

logger = logging.getLogger("core.audit")

Kind = AuditEvent.Kind


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    detail: str = "",
    ip_address: str | None = None,
) -> AuditEvent | None:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    path = ""
    if request is not None:
        path = request.get_full_path()[:500]
        ip_address = ip_address or client_ip(request)
    fields = {
        "kind": kind,
        "user": user,
        "username": (username or "")[:150],
        "ip_address": ip_address or None,
        "path": path,
        "detail": detail,
    }
    try:
        with transaction.atomic():
            return AuditEvent.objects.create(**fields)
    except DatabaseError:
        logger.exception("could not write audit event %s", fields)
        return None


def _refusal_allowed(request: HttpRequest | None) -> bool:
    """At most ``AUDIT_REFUSALS_PER_MINUTE`` refusal records a minute per user (or address), so a scan of thousands of
    addresses cannot flood the table; the first ones of every minute are always kept."""
    limit = getattr(settings, "AUDIT_REFUSALS_PER_MINUTE", 30)
    if request is None or not limit:
        return True
    user = getattr(request, "user", None)
    who = f"u{user.pk}" if user is not None and user.is_authenticated else f"a{client_ip(request)}"
    key = f"audit-refusals:{who}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        return True


def record_refusal(kind: str, request: HttpRequest, detail: str) -> None:
    """A refused request on the record (who, what, which object, outcome), rate-limited per user or address; marks
    the request so the same refusal is not recorded twice on its way out."""
    if getattr(request, "_refusal_recorded", False):
        return
    request._refusal_recorded = True
    if _refusal_allowed(request):
        record(kind, request=request, user=getattr(request, "user", None), detail=detail[:1000])


def out_of_scope(request: HttpRequest, model: type[Model], lookup: dict, message: str) -> Http404:
    """The 404 of an object asked for outside the user's scope. When the object exists (the refusal is a refusal,
    not a typo) the attempt is recorded; the answer is the same 404 either way, so ids reveal nothing."""
    try:
        exists = model._default_manager.filter(**lookup).exists()
    except (ValueError, TypeError, DatabaseError):
        exists = False
    if exists:
        described = ", ".join(f"{key}={value}" for key, value in lookup.items())
        record_refusal(Kind.OUT_OF_SCOPE, request, f"{request.method} {model._meta.label} {described}")
    return Http404(message)
