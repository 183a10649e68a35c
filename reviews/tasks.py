"""Celery tasks of the reviews: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from .notices import remind_due_tasks as remind


@shared_task(acks_late=True)
def remind_due_tasks() -> int:
    """Run by Celery beat: reminders for review tasks nearing or past their due date (each sent once)."""
    return remind()
