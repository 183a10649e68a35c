"""Deployment checks of the portal's own (``manage.py check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def throttles_share_their_counters(app_configs, **kwargs) -> list[Warning]:
    """API throttles and the public progress page count requests in the default cache. A cache that lives in one
    process lets N processes (gunicorn workers) allow N times the stated rate, so a deployment sets ``REDIS_URL`` (or
    ``CACHE_URL``) to a shared cache."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    rates = getattr(settings, "API_THROTTLE_RATES", {}) or {}
    if backend in PROCESS_LOCAL_CACHES and any(rates.values()):
        return [
            Warning(
                "The default cache is local to each process, so request limits are counted per process.",
                hint="Set REDIS_URL (or CACHE_URL) to a cache that every web process shares.",
                id="core.W001",
            )
        ]
    return []
