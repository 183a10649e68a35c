"""Celery tasks of the catalogue: the preview and the run of an import started in the browser.

Thin wrappers around ``catalogue.services``: acknowledged late, idempotent (a run already done is not repeated),
reporting their progress as the ``PROGRESS`` state with ``{"percent", "message"}``, which the import page polls.
A run that crashes marks its import as failed, so the page never waits for ever; the catalogue is untouched, since
the import is one transaction.
"""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext_noop

from core.i18n import Message
from core.tasks import report_progress

from .services import imports as services


def _run(task, import_id: int, *, dry_run: bool) -> dict:
    def progress(done: int, total: int) -> None:
        report_progress(
            task,
            done * 100 // max(total, 1),
            Message(gettext_noop("已处理 %(done)s / %(total)s 行"), done=f"{done:,}", total=f"{total:,}"),
        )

    try:
        record = services.catalogue_import_run(import_id=import_id, dry_run=dry_run, progress=progress)
    except Exception as exc:
        services.catalogue_import_failed(
            import_id=import_id, error=Message(gettext_noop("导入中断：%(error)s"), error=str(exc))
        )
        raise
    return {"import": record.pk, "state": record.state}


@shared_task
def fail_stale_imports() -> int:
    """Periodic (beat): imports whose worker is gone past the task's time limit are marked failed, restartable."""
    return services.catalogue_imports_fail_stale()


@shared_task(bind=True, acks_late=True)
def catalogue_import_preview(self, import_id: int) -> dict:
    return _run(self, import_id, dry_run=True)


@shared_task(bind=True, acks_late=True)
def catalogue_import_apply(self, import_id: int) -> dict:
    return _run(self, import_id, dry_run=False)
