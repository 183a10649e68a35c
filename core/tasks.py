"""Celery tasks of the shared pieces: thin wrappers around services."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from celery import shared_task
from celery.result import AsyncResult
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from .i18n import Message, choice_message, message_data, render_message, sentences
from .notifications import send_emails

logger = logging.getLogger(__name__)

QUEUE_UNAVAILABLE = _("后台任务队列暂时不可用，请稍后重试")


class QueueUnavailable(Exception):
    """The broker refused or could not take a task: the page says so instead of failing, and the caller marks what
    would have waited for the task, so nothing shows progress for ever."""


def enqueue(task, *args) -> AsyncResult:
    """``task.delay(*args)``, with a broker that is down (after Celery's own publish retries) raised as
    ``QueueUnavailable``."""
    try:
        return task.delay(*args)
    except (OperationalError, OSError) as exc:
        logger.exception("could not queue %s", task.name)
        raise QueueUnavailable(choice_message(QUEUE_UNAVAILABLE)) from exc


def is_task_id(value: str) -> bool:
    """A task id from a query string is only ever looked up when it has the shape of one (a UUID's letters)."""
    return 0 < len(value) <= 64 and all(c.isalnum() or c == "-" for c in value)


def report_progress(task, percent: int, message: str) -> None:
    """The ``PROGRESS`` state with ``{"percent", "message"}`` that pages poll; nothing when the task runs eagerly
    (there is no result to update, and the page shows the outcome at once). A ``core.i18n.Message`` is also kept as
    its source (``message_data``), so the polling page shows it in its reader's language."""
    if task.request.id and not task.request.is_eager:
        meta = {"percent": percent, "message": str(message)}
        if isinstance(message, Message):
            meta["message_data"] = message_data(message)
        task.update_state(state="PROGRESS", meta=meta)


@dataclass(frozen=True)
class TaskProgress:
    state: str
    percent: int | None
    message: str


def task_progress(task_id: str) -> TaskProgress:
    """What a task last reported (``report_progress``), for the pages that poll it. An unreachable result backend
    reads as no news yet: a progress poll must never turn the page into a server error."""
    try:
        result = AsyncResult(task_id)
        state, info = result.state, result.info
    except (OperationalError, OSError, RedisError):
        logger.warning("task %s: result backend unreachable", task_id, exc_info=True)
        return TaskProgress("PENDING", None, "")
    info = info if isinstance(info, dict) else {}
    message = render_message(info["message_data"]) if info.get("message_data") else info.get("message", "")
    return TaskProgress(state, info.get("percent"), message)


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_notification_emails(self, key: str) -> int:
    """E-mail the inbox messages of one event; a mail server that is down is retried with backoff."""
    return send_emails(key)


@shared_task(bind=True, acks_late=True, retry_backoff=5, max_retries=2)
def build_export(self, job_id: int) -> dict:
    """Build a staff export too big for a request (``core.export_jobs``); after the last retry the job is failed,
    and its page says why."""
    from .export_jobs import export_job_build, export_job_failed

    try:
        job = export_job_build(job_id=job_id, progress=lambda percent, message: report_progress(self, percent, message))
    except (ValidationError, PermissionDenied, Http404) as exc:  # the same filters fail the same way again
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        export_job_failed(job_id=job_id, error=sentences(messages))
        return {"job": job_id, "status": "failed"}
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            export_job_failed(job_id=job_id, error=str(exc))
            raise
        raise self.retry(exc=exc) from exc
    return {"job": job.pk, "status": job.status}


@shared_task
def purge_export_jobs() -> int:
    """Periodic (beat): staff exports past ``EXPORT_KEEP_HOURS`` are deleted with their files."""
    from .export_jobs import export_jobs_purge

    return export_jobs_purge()
