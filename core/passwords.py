"""Password policy beyond Django's validators (等保 level 3): three of four character classes, a change at first
sign-in for accounts whose password an administrator set, and an optional maximum age.

Whether a change is due is decided once, at sign-in, and kept in the session, so the pages themselves pay no query
for it; ``PasswordChangeRequiredMiddleware`` sends such a session to the change page and nowhere else."""

from __future__ import annotations

import datetime as dt
import string

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import AccountSecurity

SESSION_KEY = "password_change_due"
CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


def character_classes(password: str) -> int:
    """Lower case, upper case, digits, and anything else (symbols, spaces, other scripts) count as four classes."""
    found = {index for ch in password for index, chars in enumerate(CLASSES) if ch in chars}
    if any(not any(ch in chars for chars in CLASSES) for ch in password):
        found.add(len(CLASSES))
    return len(found)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return ngettext(
            "密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。",
            "密码须包含小写字母、大写字母、数字、符号中的至少 %(n)d 类。",
            self.min_classes,
        ) % {"n": self.min_classes}


def require_change(user: User) -> None:
    """Mark an account whose password someone else set: its owner changes it at the next sign-in."""
    AccountSecurity.objects.update_or_create(user=user, defaults={"must_change_password": True})


def password_changed(user: User) -> None:
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "password_changed_at": timezone.now()}
    )


def change_reason(user: User, *, now: dt.datetime | None = None) -> str:
    """Why the user must change their password before going on, or "" when they need not."""
    state = AccountSecurity.objects.filter(user=user).first()
    if state is not None and state.must_change_password:
        return _("您的密码由管理员设置，请先修改为只有您知道的密码。")
    max_age = getattr(settings, "PASSWORD_MAX_AGE_DAYS", 0)
    if max_age:
        changed = (state.password_changed_at if state else None) or user.date_joined
        if (now or timezone.now()) - changed > dt.timedelta(days=max_age):
            return _("您的密码已使用超过 %(days)s 天，请修改后继续。") % {"days": max_age}
    return ""
