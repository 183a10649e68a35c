"""Celery tasks of the evaluations: thin wrappers around services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from .services import invitations_send


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def invite_evaluations(today: str | None = None) -> int:
    """Run by Celery beat: invite, once, the cases finished long enough ago without an evaluation."""
    return invitations_send(today=dt.date.fromisoformat(today) if today else None)
