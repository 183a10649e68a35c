"""Staff exports of any size without a long request: small ones are the response itself, big ones a Celery job.

A list page's export view hands ``staff_export`` the key of its ``StaffExport`` spec (``settings.STAFF_EXPORTS``: the
dotted path of a ``(request) -> StaffExport``, the page's own filtered rows and how to write them). Up to
``EXPORT_INLINE_MAX_ROWS`` rows the workbook is streamed at once; above ``EXPORT_MAX_ROWS`` the page says to narrow
the filters (``core.pages.export_refusal``); in between an ``ExportJob`` is queued and the asker lands on its page,
which polls the task's progress (``core.tasks.report_progress``) and offers the file when it is ready. The worker
calls the same spec with the asker and the page's query, so it lists exactly the rows the page would, in the asker's
scope. A job and its file are the asker's only and are deleted after ``EXPORT_KEEP_HOURS`` (``export_jobs_purge``,
run by beat). ``core`` knows no domain: the specs live with the lists, named in the settings.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import Workbook

from .i18n import Message
from .models import ExportJob, ExportJobStatus
from .pages import export_refusal
from .tasks import QueueUnavailable, build_export, enqueue
from .xlsx import rows_written, xlsx_response

STALE_JOB = gettext_lazy("后台任务超过 %(minutes)d 分钟未完成，已停止，请回到列表重新导出")


@dataclass(frozen=True)
class StaffExport:
    """A list's export: its rows as the page filters them (None when the filters are invalid), the page to go back
    to, and ``build(rows) -> (workbook, filename)``."""

    rows: QuerySet | None
    back: str
    build: Callable[[QuerySet], tuple[Workbook, str]]


def export_spec(kind: str) -> Callable[[HttpRequest], StaffExport]:
    return import_string(settings.STAFF_EXPORTS[kind])


def staff_export(request: HttpRequest, kind: str) -> HttpResponse:
    """The export view of a list: the workbook at once, a refusal, or a job and a redirect to its page."""
    export = export_spec(kind)(request)
    count = None if export.rows is None else export.rows.count()
    refusal = export_refusal(request, back=export.back, rows=export.rows, count=count)
    if refusal is not None:
        return refusal
    if count <= settings.EXPORT_INLINE_MAX_ROWS:
        return xlsx_response(*export.build(export.rows))
    query = request.GET.urlencode()
    job = export_job_start(
        actor=request.user,
        kind=kind,
        query=query,
        back_url=export.back,
        rows=count,
    )
    if job.status == ExportJobStatus.FAILED:
        messages.error(request, job.error)
    return redirect("export_job", pk=job.pk)


def export_job_start(*, actor: User, kind: str, query: str, back_url: str, rows: int) -> ExportJob:
    """Record the job and queue its build (``core.tasks.build_export``); a broker that is down fails the job at once,
    saying so, rather than leaving it "building" for ever."""
    if kind not in settings.STAFF_EXPORTS:
        raise ValidationError(_("没有这种导出"))
    job = ExportJob.objects.create(user=actor, kind=kind, query=query, back_url=back_url, rows=rows)
    try:
        result = enqueue(build_export, job.pk)
    except QueueUnavailable as exc:
        export_job_failed(job_id=job.pk, error=str(exc))
    else:
        ExportJob.objects.filter(pk=job.pk, task_id="").update(task_id=result.id or "")
    job.refresh_from_db()
    return job


def _job_request(job: ExportJob) -> HttpRequest:
    """The request the asker's page made, as far as a spec reads one: who (the scope) and the query (the filters)."""
    request = HttpRequest()
    request.method = "GET"
    request.user = job.user
    request.GET = QueryDict(job.query)
    request.META = {"REMOTE_ADDR": "", "SERVER_NAME": "export-job", "SERVER_PORT": "80"}
    return request


def export_job_build(*, job_id: int, progress: Callable[[int, str], None] | None = None) -> ExportJob:
    """Write the job's workbook to its file (idempotent: a job no longer building is left as it is)."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportJobStatus.BUILDING:
        return job
    export = export_spec(job.kind)(_job_request(job))
    if export.rows is None:
        raise ValidationError(_("筛选条件有误，请按页面提示修改后再导出"))
    total = max(job.rows, 1)

    def tell(written: int) -> None:
        if progress is not None:
            progress(
                min(95, 5 + 90 * written // total),
                Message(gettext_noop("已写入 %(n)d / %(total)d 行"), n=written, total=total),
            )

    # The job is alive from here: the purge measures a stale build from now, not from the time it waited in the queue.
    ExportJob.objects.filter(pk=job.pk, status=ExportJobStatus.BUILDING).update(updated_at=timezone.now())
    if progress is not None:
        progress(5, Message(gettext_noop("正在读取数据")))
    token = rows_written.set(tell)
    try:
        workbook, filename = export.build(export.rows)
        with tempfile.TemporaryFile() as handle:
            workbook.save(handle)
            handle.seek(0)
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().get(pk=job.pk)
                if job.status != ExportJobStatus.BUILDING:
                    return job
                job.file.save(f"{uuid.uuid4().hex}.xlsx", File(handle), save=False)
                job.filename, job.status, job.error = filename, ExportJobStatus.READY, ""
                job.save()
    finally:
        rows_written.reset(token)
    return job


def export_job_failed(*, job_id: int, error: str) -> None:
    ExportJob.objects.filter(pk=job_id, status=ExportJobStatus.BUILDING).update(
        status=ExportJobStatus.FAILED, error=error[:2000], updated_at=timezone.now()
    )


def jobs_of(user: User | AnonymousUser) -> QuerySet[ExportJob]:
    """The jobs a user may see: their own, within the time they are kept."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(user=user, created_at__gte=_kept_since(timezone.now()))


def _kept_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(hours=settings.EXPORT_KEEP_HOURS)


def export_jobs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the jobs older than ``EXPORT_KEEP_HOURS`` with their files, and fail those still "building" past the
    task's time limit (their worker is gone; the page would otherwise poll for ever). Returns how many were deleted."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    error = str(STALE_JOB % {"minutes": settings.CELERY_TASK_TIME_LIMIT // 60})
    for pk in ExportJob.objects.filter(status=ExportJobStatus.BUILDING, updated_at__lt=stale).values_list(
        "pk", flat=True
    ):
        export_job_failed(job_id=pk, error=error)
    old = list(ExportJob.objects.filter(created_at__lt=_kept_since(now)))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)
