"""Every state change of the reporting app: storing the day's rates, building a progress report, sending it.

The Celery tasks and the management commands call these and nothing else. Each is idempotent: computing a date
again brings that date's snapshots up to date in one statement, building a report again rebuilds it unless it was
sent, and a sent report is returned untouched.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue.models import Division
from standards.permissions import can_report_for

from . import rates
from .case_figures.services import case_report_rows_write, case_snapshots_store
from .evaluation_figures.report import evaluation_report_figures
from .models import COUNT_FIELDS, ProgressReport, RateSnapshot, ReportStatus
from .report_data import report_rows_write
from .xlsx import write_workbook

# Progress messages are source-language message ids (``gettext_noop``): a worker reports them, and the page that
# polls translates them into its reader's language.
Progress = Callable[[int, str], None]


def _silent(percent: int, message: str) -> None:
    pass


SNAPSHOT_COLUMNS = (
    "date", "kind", "division", "organization", "scope_key", *COUNT_FIELDS, "approval_base", "computed_at"
)  # fmt: skip


def _snapshot_insert(date: dt.date, computed_at: dt.datetime) -> tuple[str, object, object]:
    """The quoted column list of ``SNAPSHOT_COLUMNS`` and the day and time prepared for the database, shared by the
    two ways snapshots are written."""
    meta = RateSnapshot._meta
    quoted = ", ".join(connection.ops.quote_name(meta.get_field(c).column) for c in SNAPSHOT_COLUMNS)
    day = meta.get_field("date").get_db_prep_save(date, connection)
    at = meta.get_field("computed_at").get_db_prep_save(computed_at, connection)
    return quoted, day, at


def rates_compute(*, date: dt.date | None = None, progress: Progress = _silent) -> int:
    """Store the snapshot of every scope for ``date`` (default: today) (``rate_snapshots_store``), and the case figures
    of that day (``reporting.case_figures``) beside them. Returns the number of rate snapshots the day now has."""
    date = date or timezone.localdate()
    progress(5, gettext_noop("正在统计各地区各部门的事项数并保存"))
    computed_at = timezone.now()
    stored = rate_snapshots_store(date=date, computed_at=computed_at)
    progress(70, gettext_noop("正在统计办件与电子监察数据并保存"))
    case_snapshots_store(date=date, computed_at=computed_at)
    progress(100, gettext_noop("统计快照已保存"))
    return stored


def rate_snapshots_store(*, date: dt.date, computed_at: dt.datetime) -> int:
    """Bring ``date``'s snapshots up to the figures of now, set-wise, and return how many the day has.

    One upsert from the aggregate statement (``INSERT … SELECT … ON CONFLICT (date, scope_key) DO UPDATE … WHERE``
    the counts differ): a new scope is inserted, a scope whose counts changed is updated (with the new
    ``computed_at``), and a scope whose counts did not change is left alone — recomputing a day rewrote thousands of
    identical rows, their four indexes and foreign-key checks, and that, not the counting, grew with the province. A
    scope that no longer has figures (a department without active items any more) is deleted. Under the unique
    constraint a retried or repeated run leaves exactly one snapshot per scope and date; no row passes through Python.
    On PostgreSQL the three steps are one statement (data-modifying ``WITH``); SQLite (≥ 3.24 for the upsert) takes
    two, counting the scopes twice."""
    scopes, params = rates.scope_sql(now=computed_at)
    quoted, day, at = _snapshot_insert(date, computed_at)
    table = connection.ops.quote_name(RateSnapshot._meta.db_table)
    meta = RateSnapshot._meta
    columns = [connection.ops.quote_name(meta.get_field(c).column) for c in SNAPSHOT_COLUMNS]
    updated = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns[1:])  # all but the date
    compared = [connection.ops.quote_name(c) for c in (*COUNT_FIELDS, "approval_base")]
    differs = " IS NOT " if connection.vendor == "sqlite" else " IS DISTINCT FROM "
    changed = " OR ".join(f"{table}.{c}{differs}EXCLUDED.{c}" for c in compared)
    selected = ", ".join(f"s.{name}" for name in rates.SCOPE_COLUMNS)
    key = f"{connection.ops.quote_name('date')}, {connection.ops.quote_name('scope_key')}"
    # ``WHERE 1 = 1``: SQLite needs a WHERE before ON CONFLICT to parse an INSERT … SELECT upsert.
    upsert = (
        f"INSERT INTO {table} ({quoted}) SELECT %s, {selected}, %s, %s FROM {{source}} s WHERE 1 = 1 "
        f"ON CONFLICT ({key}) DO UPDATE SET {updated} WHERE {changed}"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH scopes AS MATERIALIZED ({scopes}), "
                f"upserted AS ({upsert.format(source='scopes')} RETURNING 1), "
                f"removed AS (DELETE FROM {table} t WHERE t.date = %s "
                f"AND NOT EXISTS (SELECT 1 FROM scopes x WHERE x.scope_key = t.scope_key) RETURNING 1) "
                "SELECT (SELECT COUNT(*) FROM scopes), (SELECT COUNT(*) FROM upserted), "
                "(SELECT COUNT(*) FROM removed)",
                [*params, day, rates.approval_base(), at, day],
            )
            return cursor.fetchone()[0]
        cursor.execute(upsert.format(source=f"({scopes})"), [day, rates.approval_base(), at, *params])
        cursor.execute(
            f"DELETE FROM {table} WHERE date = %s AND scope_key NOT IN (SELECT scope_key FROM ({scopes}) s)",
            [day, *params],
        )
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE date = %s", [day])
        return cursor.fetchone()[0]


def _insert_snapshots(date: dt.date, computed_at: dt.datetime, figures: dict[rates.Scope, rates.Figures]) -> int:
    """Snapshot rows from figures held in Python (the demo's made-up past weeks): building thousands of model
    instances and preparing each of their fields, or one statement with thousands of placeholders, took longer than
    the aggregate query itself."""
    quoted, day, at = _snapshot_insert(date, computed_at)
    table = RateSnapshot._meta.db_table
    rows = [
        (day, scope.kind, scope.division_id, scope.organization_id, scope.key, *f.counts(), f.approval_base, at)
        for scope, f in figures.items()
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a few milliseconds for thousands of rows, where an INSERT per row costs a round trip each.
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(SNAPSHOT_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})", rows)
    return len(rows)


@transaction.atomic
def progress_report_create(
    *, actor: User, division: Division, period_start: dt.date, period_end: dt.date, contact: str = ""
) -> ProgressReport:
    """A report waiting to be built (``progress_report_build``), for a unit the actor may report for."""
    if not can_report_for(actor, division):
        raise PermissionDenied(_("您无权为该单位生成进度报表"))
    if period_end < period_start:
        raise ValidationError({"period_end": _("统计期止不能早于统计期起")})
    if period_end > timezone.localdate():
        raise ValidationError({"period_end": _("统计期止不能晚于今天")})
    return ProgressReport.objects.create(
        division=division,
        period_start=period_start,
        period_end=period_end,
        contact=contact.strip(),
        created_by=actor,
        status=ReportStatus.BUILDING,
    )


def progress_report_build(*, report_id: int, progress: Progress = _silent) -> ProgressReport:
    """Freeze the figures of the report's unit and write its workbook. A sent report is returned unchanged.

    The rows are written and the workbook streamed from them under the report's lock, in one transaction: a report
    sent meanwhile keeps what was sent, and two builds of one report cannot mix their rows and files."""
    with transaction.atomic():
        report = ProgressReport.objects.select_for_update(of=("self",)).select_related("division").get(pk=report_id)
        if report.is_frozen:
            progress(100, gettext_noop("报表已报送，内容不再改变"))
            return report
        progress(5, gettext_noop("正在统计"))
        now = timezone.now()
        figures = report_rows_write(report, now)
        figures["cases"] = case_report_rows_write(report, timezone.localdate(now))
        figures["evaluations"] = evaluation_report_figures(report, timezone.localdate(now))
        progress(50, gettext_noop("正在写入工作簿"))
        old_name = report.file.name
        with tempfile.TemporaryFile(suffix=".xlsx") as workbook:
            write_workbook(report, figures, workbook)
            progress(90, gettext_noop("正在保存文件"))
            workbook.seek(0)
            name = _("进度报表_%(division)s_%(date)s_%(report)s.xlsx") % {
                "division": report.division_id,
                "date": f"{report.period_end:%Y%m%d}",
                "report": report.pk,
            }
            report.file.save(name, File(workbook), save=False)
        report.figures = figures
        report.status = ReportStatus.READY
        report.generated_at = now
        report.error = ""
        report.save()
    if old_name and old_name != report.file.name:
        report.file.storage.delete(old_name)
    progress(100, gettext_noop("报表已生成"))
    return report


STALE_REPORT = gettext_noop("超过任务时限（%(minutes)s 分钟）仍未生成完成，处理进程可能已中止。可以重新生成。")


def fail_stale_builds(building: QuerySet, failed: Callable[[int, str], None], *, now: dt.datetime | None) -> int:
    """Mark as failed every record of ``building`` (a file still being built) untouched past the task's time limit:
    its worker is gone, and the page would otherwise poll for ever. A build still holding its record's lock is really
    running and is skipped. ``failed(pk, error)`` records the failure."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    with transaction.atomic():
        stale = list(
            building.select_for_update(skip_locked=True).filter(updated_at__lt=cutoff).values_list("pk", flat=True)
        )
        error = _(STALE_REPORT) % {"minutes": settings.CELERY_TASK_TIME_LIMIT // 60}
        for pk in stale:
            failed(pk, error)
    return len(stale)


def progress_reports_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Reports still "building" past the task's time limit are marked failed (``fail_stale_builds``)."""
    return fail_stale_builds(
        ProgressReport.objects.filter(status=ReportStatus.BUILDING),
        lambda pk, error: progress_report_failed(report_id=pk, error=error),
        now=now,
    )


@transaction.atomic
def progress_report_restart(*, actor: User, report: ProgressReport) -> ProgressReport:
    """A failed report waits to be built again (``progress_report_build``), by someone who may report for its unit."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if not can_report_for(actor, report.division):
        raise PermissionDenied(_("您无权为该单位生成进度报表"))
    if report.status != ReportStatus.FAILED:
        raise ValidationError(_("只有生成失败的报表可以重新生成"))
    report.status, report.error = ReportStatus.BUILDING, ""
    report.save()
    return report


def progress_report_failed(*, report_id: int, error: str) -> None:
    ProgressReport.objects.filter(pk=report_id).exclude(status=ReportStatus.SENT).update(
        status=ReportStatus.FAILED, error=error[:2000]
    )


@transaction.atomic
def progress_report_send(*, actor: User, report: ProgressReport) -> ProgressReport:
    """Mark a built report as sent to the provincial office: from now on its figures and file are frozen."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if not can_report_for(actor, report.division):
        raise PermissionDenied(_("您无权报送该单位的报表"))
    if report.status == ReportStatus.SENT:
        return report
    if report.status != ReportStatus.READY:
        raise ValidationError(_("报表尚未生成完成，不能报送"))
    report.status, report.sent_at, report.sent_by = ReportStatus.SENT, timezone.now(), actor
    report.save()
    return report
