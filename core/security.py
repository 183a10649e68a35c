"""Security helpers wired in through settings: the client address the lockout and the audit use, the lockout page
django-axes answers with, and the page a CSRF refusal shows."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address. ``X-Forwarded-For`` counts only when ``TRUSTED_PROXY_COUNT`` proxies are declared: the
    address the outermost trusted proxy saw is then the one that many entries from the right of the header."""
    if request is None:
        return None
    meta = getattr(request, "META", {})
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [hop for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = _valid_ip(hops[-proxies])
            if address:
                return address
    return _valid_ip(meta.get("REMOTE_ADDR", "") or "")


def lockout_minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return max(1, int(cool_off.total_seconds() // 60))


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """django-axes' answer to a locked-out username + address: a Chinese page with status 429."""
    context = {"minutes": lockout_minutes(), "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "429.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal as the site's own 403 page (Django's default page carries an inline style the CSP blocks),
    recorded in the audit trail."""
    from core import audit  # core.audit imports this module

    audit.record_refusal(
        audit.Kind.PERMISSION_DENIED,
        request,
        gettext("%(method)s CSRF 校验失败：%(reason)s") % {"method": request.method, "reason": reason},
    )
    message = gettext("页面已过期，或无法确认请求来自本站。请返回上一页，刷新后重试。")
    return render(request, "403.html", {"exception": message}, status=403)
