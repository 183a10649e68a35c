"""Celery tasks: thin wrappers around ``reporting.services``.

Both are idempotent (a date's snapshots are replaced, a report is rebuilt unless sent), acknowledged late (settings:
``CELERY_TASK_ACKS_LATE``, so a worker killed midway leaves the message to another), retried with backoff on failure,
and report their progress as the ``PROGRESS`` state with ``{"percent", "message"}``, which the dashboard polls.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from core.tasks import report_progress

from . import services
from .compendium import services as compendium_services


def _progress(task):
    def report(percent: int, message: str) -> None:
        report_progress(task, percent, message)

    return report


@shared_task(bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=5, retry_kwargs={"max_retries": 3})
def compute_rates(self, date: str | None = None) -> dict:
    """Store the day's snapshot of every scope (nightly through beat, and on demand from the dashboard)."""
    day = dt.date.fromisoformat(date) if date else None
    stored = services.rates_compute(date=day, progress=_progress(self))
    return {"snapshots": stored, "date": (day or timezone.localdate()).isoformat()}


def _build_or_fail(task, build, failed, **record):
    """Run a file's build; a failure is retried, and after the last retry the record is marked as failed (the page
    then offers to build it again)."""
    try:
        return build(**record, progress=_progress(task))
    except Exception as exc:
        if task.request.retries >= task.max_retries:
            failed(**record, error=str(exc))
            raise
        raise task.retry(exc=exc) from exc


@shared_task(bind=True, acks_late=True, retry_backoff=5, max_retries=3)
def build_progress_report(self, report_id: int) -> dict:
    """Build the workbook of a progress report."""
    report = _build_or_fail(self, services.progress_report_build, services.progress_report_failed, report_id=report_id)
    return {"report": report.pk, "status": report.status, "file": report.file.name}


@shared_task
def fail_stale_reports() -> int:
    """Periodic (beat): reports and compendiums whose worker is gone past the task's time limit are marked failed,
    restartable."""
    return services.progress_reports_fail_stale() + compendium_services.compendiums_fail_stale()


@shared_task(bind=True, acks_late=True, retry_backoff=5, max_retries=3)
def build_compendium(self, compendium_id: int) -> dict:
    """Build a large standards compendium (标准文本汇编)."""
    compendium = _build_or_fail(
        self, compendium_services.compendium_build, compendium_services.compendium_failed, compendium_id=compendium_id
    )
    return {"compendium": compendium.pk, "status": compendium.status, "file": compendium.file.name}


# The scorecard's task lives with the scorecards; imported here so the worker's autodiscovery registers it.
from .scorecards.tasks import compute_scorecard  # noqa: E402, F401
