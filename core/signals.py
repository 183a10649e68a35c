"""Audit receivers for sign-in, sign-out, failed sign-in and django-axes lockouts."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext

from core import audit, passwords
from core.security import lockout_minutes


@receiver(user_logged_in, dispatch_uid="core.audit.login_success")
def on_login(sender, request, user, **kwargs) -> None:
    audit.record(audit.Kind.LOGIN_SUCCESS, request=request, user=user)
    if request is None or not hasattr(request, "session"):
        return
    reason = passwords.change_reason(user)
    if reason:
        request.session[passwords.SESSION_KEY] = reason
    else:
        request.session.pop(passwords.SESSION_KEY, None)


@receiver(user_logged_out, dispatch_uid="core.audit.logout")
def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:  # signing out without a session: nothing happened
        return
    audit.record(audit.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="core.audit.login_failure")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in ``credentials``; only the username tried is kept.
    username = str(credentials.get("username") or "")
    audit.record(audit.Kind.LOGIN_FAILURE, request=request, username=username)


@receiver(user_locked_out, dispatch_uid="core.audit.lockout")
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit.record(
        audit.Kind.LOCKOUT,
        request=request,
        username=username or "",
        ip_address=ip_address,
        detail=gettext("连续 %(n)s 次登录失败，锁定 %(minutes)s 分钟")
        % {"n": settings.AXES_FAILURE_LIMIT, "minutes": lockout_minutes()},
    )
