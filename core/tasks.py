"""Celery tasks of the shared pieces: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from .notifications import send_emails


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_notification_emails(self, key: str) -> int:
    """E-mail the inbox messages of one event; a mail server that is down is retried with backoff."""
    return send_emails(key)
