"""Throttling of anonymous API clients (per address) and of signed-in staff (per user).

The rates are read from settings on every request rather than when the class is defined (DRF's default), so they
follow ``API_THROTTLE_RATES`` as the environment or a test sets it. A rate of ``None`` turns the limit off."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    scope: str

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    scope = "anon"


class StaffThrottle(_SettingsRate, UserRateThrottle):
    scope = "user"
