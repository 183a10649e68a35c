"""Celery tasks of the shared pieces: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from .notifications import send_emails


def report_progress(task, percent: int, message: str) -> None:
    """The ``PROGRESS`` state with ``{"percent", "message"}`` that pages poll; nothing when the task runs eagerly
    (there is no result to update, and the page shows the outcome at once)."""
    if task.request.id and not task.request.is_eager:
        task.update_state(state="PROGRESS", meta={"percent": percent, "message": message})


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_notification_emails(self, key: str) -> int:
    """E-mail the inbox messages of one event; a mail server that is down is retried with backoff."""
    return send_emails(key)
