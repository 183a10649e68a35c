"""Celery tasks of the hall: thin wrappers around services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from hall.services.booking import mark_no_shows as mark_booking_no_shows


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def mark_no_shows(now: str | None = None) -> int:
    """Run by Celery beat: bookings not arrived by the end of their half-day become no-shows (``now`` as an ISO
    datetime, for a run on another moment's terms). Returns how many were marked."""
    return mark_booking_no_shows(now=dt.datetime.fromisoformat(now) if now else None)
