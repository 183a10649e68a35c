"""Writes the security audit trail (``AuditEvent``). A failure to write is logged and never breaks the request."""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.http import HttpRequest

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
