"""Celery tasks of the cases: thin wrappers around services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from cases import supervision


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def supervision_sweep(today: str | None = None) -> dict:
    """Run by Celery beat: the date rules of electronic supervision over all open cases (``today`` as ISO date, for
    a run on another day's terms)."""
    day = dt.date.fromisoformat(today) if today else None
    return supervision.sweep(day).as_dict()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def publish_results(case_id: int | None = None) -> int:
    """结果公开: run by Celery beat over every decision whose publication falls due, or after one case's decision
    (``case_id``). Idempotent; returns how many results it published."""
    from cases.results.publishing import publish_due_results

    return len(publish_due_results(case_ids=[case_id] if case_id else None))
