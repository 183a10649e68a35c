"""Catalogue imports started in the browser: the upload is checked and kept privately, previewed by a dry run, and
imported once a person has looked at the preview and confirmed it. The runs themselves are Celery tasks
(``catalogue.tasks``); these functions are what they and the views call."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from catalogue import access
from catalogue.imports import (
    FileProblem,
    ImportDenied,
    ImportReport,
    ProfileError,
    catalogue_import,
    load_profile,
    profile_names,
)
from catalogue.imports.readers import read_rows
from catalogue.models import (
    CatalogueImport,
    ConflictDecision,
    Division,
    ImportConflict,
    ImportRejection,
    ImportState,
)
from catalogue.models.imports import INTERRUPTED_MESSAGES, RUNNING_STATES
from catalogue.signals import catalogue_import_saved
from core.i18n import Message, error_message, message_data

STALE_MESSAGE = INTERRUPTED_MESSAGES[1]
MAX_IMPORT_BYTES = 50 * 1024 * 1024
IMPORT_SUFFIXES = (".csv", ".txt", ".xlsx", ".jsonl", ".json")


def catalogue_import_upload(
    *, actor: User, upload: UploadedFile, profile_name: str, division_code: str = ""
) -> CatalogueImport:
    """Check the file against the profile (its kind, encoding and header) before anything is kept, then keep it
    privately as a new import waiting for its preview. Raises ValidationError naming the field at fault."""
    if not access.can_start_catalogue_import(actor):
        raise PermissionDenied(gettext("只有管理员和编办工作人员可以批量导入事项"))
    if profile_name not in profile_names():
        raise ValidationError({"profile": gettext("导入方案“%(name)s”不存在") % {"name": profile_name}})
    try:
        profile = load_profile(profile_name)
    except ProfileError as exc:
        raise ValidationError({"profile": error_message(exc)}) from exc
    division = None
    if division_code.strip():
        division = Division.objects.filter(code=division_code.strip()).first()
        if division is None:
            raise ValidationError({"division": gettext("区划代码“%(code)s”不存在") % {"code": division_code.strip()}})
        if not access.can_import_catalogue(actor, division):
            raise PermissionDenied(gettext("您无权向%(division)s导入事项") % {"division": division})
    elif profile.division is None:
        raise ValidationError(
            {"division": gettext("导入方案“%(profile)s”的文件没有区划列，请指定区划") % {"profile": profile.title}}
        )
    _check_file(upload, profile_name)
    record = CatalogueImport(
        created_by=actor, file_name=Path(upload.name).name[:255], profile=profile_name, division=division
    )
    upload.seek(0)
    record.file.save(record.file_name, upload, save=False)
    record.save()
    return record


def _check_file(upload: UploadedFile, profile_name: str) -> None:
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(
            {
                "file": gettext("文件过大：%(size).1f MB，最大 %(limit)s MB，请分成几个文件导入")
                % {"size": upload.size / 2**20, "limit": MAX_IMPORT_BYTES // 2**20}
            }
        )
    if Path(upload.name or "").suffix.lower() not in IMPORT_SUFFIXES:
        raise ValidationError({"file": gettext("只能导入 CSV、Excel 工作簿（.xlsx）或 JSON lines 文件")})
    # The readers take a path; the first row proves the kind, the encoding of the file's head and the header.
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix) as copy:
        upload.seek(0)
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        try:
            next(iter(read_rows(Path(copy.name), load_profile(profile_name))), None)
        except FileProblem as exc:
            raise ValidationError({"file": error_message(exc)}) from exc


@transaction.atomic
def catalogue_import_confirm(*, actor: User, record: CatalogueImport, all_or_nothing: bool) -> CatalogueImport:
    """The uploader, who looked at the preview, starts the import; the history records them as its author."""
    record = CatalogueImport.objects.select_for_update().get(pk=record.pk)
    if not access.can_confirm_catalogue_import(actor, record):
        raise PermissionDenied(gettext("只有上传文件的人可以确认这次导入"))
    if record.state != ImportState.PREVIEWED:
        raise ValidationError(gettext("这次导入%(state)s，不能再确认") % {"state": record.get_state_display()})
    undecided = record.conflicts.filter(decision="").count()
    if all_or_nothing and undecided:
        raise ValidationError(
            gettext(
                "还有 %(n)s 处编码冲突未决定。选择“整个文件都不导入”时，须先为每处冲突选定保留目录中的、"
                "采用文件中的或跳过"
            )
            % {"n": undecided}
        )
    record.state, record.confirmed_by, record.all_or_nothing = ImportState.IMPORTING, actor, all_or_nothing
    record.save(update_fields=["state", "confirmed_by", "all_or_nothing", "updated_at"])
    return record


@transaction.atomic
def catalogue_import_run(
    *, import_id: int, dry_run: bool, progress: Callable[[int, int], None] | None = None
) -> CatalogueImport:
    """The preview (a dry run) or the import itself. A run already done does nothing, and so does a second copy of a
    run still going (a task redelivered while the first copy works): the record stays locked for the whole run."""
    running = (
        CatalogueImport.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("created_by", "confirmed_by", "division")
        .filter(pk=import_id)
        .first()
    )
    if running is None:
        return CatalogueImport.objects.get(pk=import_id)
    record = running
    if record.state != (ImportState.PREVIEWING if dry_run else ImportState.IMPORTING):
        return record
    actor = record.created_by if dry_run else record.confirmed_by
    # The preview shows every conflict (its decisions are kept by code); the import applies the decisions made.
    decisions = {} if dry_run else dict(record.conflicts.exclude(decision="").values_list("code", "decision"))
    try:
        report = catalogue_import(
            actor=actor,
            path=Path(record.file.path),
            profile=load_profile(record.profile),
            division_code=record.division_id or "",
            dry_run=dry_run,
            all_or_nothing=record.all_or_nothing,
            file_name=record.file_name,
            progress=progress,
            decisions=decisions,
        )
    except (FileProblem, ProfileError, ImportDenied) as exc:
        return catalogue_import_failed(import_id=import_id, error=error_message(exc))
    if report.saved:
        report.follow_up = import_follow_up(
            actor=actor,
            path=Path(record.file.path),
            profile_name=record.profile,
            file_name=record.file_name,
            rows=report.accepted_rows,
            all_or_nothing=record.all_or_nothing,
        )
    return _record_report(record, report)


def import_follow_up(
    *, actor: User, path: Path, profile_name: str, file_name: str, rows: set[int], all_or_nothing: bool
) -> list:
    """What the apps built on the catalogue fill from the same file once it is saved (``catalogue_import_saved``),
    from the rows the import accepted only (``rows``: not the rejected, conflicting or skipped ones), all or nothing
    as the import was: their messages, in the order the receivers answered."""
    responses = catalogue_import_saved.send(
        sender=CatalogueImport,
        actor=actor,
        path=path,
        profile=load_profile(profile_name),
        file_name=file_name,
        rows=frozenset(rows),
        all_or_nothing=all_or_nothing,
    )
    return [message for _receiver, messages in responses for message in messages or []]


@transaction.atomic
def _record_report(record: CatalogueImport, report: ImportReport) -> CatalogueImport:
    counts = {
        **{key: report.counts[key] for key in ("create", "update", "unchanged", "conflict", "skipped")},
        "rejected": len(report.rejections),
        "rows": report.rows,
        "departments": report.created_departments,
        "general_items": report.created_general_items,
    }
    if report.follow_up:
        counts["follow_up"] = [message_data(message) for message in report.follow_up]
    record.rejections.all().delete()
    ImportRejection.objects.bulk_create(
        (ImportRejection(catalogue_import=record, row=r.row, column=r.column[:200], reason=r.reason,
                         reason_data=message_data(r.reason))
         for r in report.rejections),
        batch_size=2000,
    )  # fmt: skip
    record.samples, record.name_choices = report.samples, report.name_choices
    if report.dry_run:
        _record_conflicts(record, report)
        record.preview_counts, record.state = counts, ImportState.PREVIEWED
    else:
        record.counts = counts
        record.state = ImportState.IMPORTED if report.saved else ImportState.NOT_SAVED
        record.finished_at = timezone.now()
    record.save()
    return record


def _record_conflicts(record: CatalogueImport, report: ImportReport) -> None:
    """The preview's conflicts, each keeping a decision already made for its code (a restarted preview)."""
    made = {c.code: (c.decision, c.decided_by_id) for c in record.conflicts.exclude(decision="")}
    record.conflicts.all().delete()
    ImportConflict.objects.bulk_create(
        (ImportConflict(catalogue_import=record, code=code, rows=c["rows"], existing=c["existing"],
                        incoming=c["incoming"], decision=made.get(code, ("", None))[0],
                        decided_by_id=made.get(code, ("", None))[1])
         for code, c in report.conflicts.items()),
        batch_size=2000,
    )  # fmt: skip


@transaction.atomic
def catalogue_import_decide(
    *, actor: User, record: CatalogueImport, decisions: dict[int, str] | None = None, decide_all: str = ""
) -> int:
    """The uploader decides conflicts of a previewed import: per conflict (id → keep / take / skip), or all at once
    (``decide_all``). Returns how many conflicts remain undecided. Raises ValidationError on a decision that is no
    choice or a conflict of another import."""
    record = CatalogueImport.objects.select_for_update().get(pk=record.pk)
    if not access.can_confirm_catalogue_import(actor, record):
        raise PermissionDenied(gettext("只有上传文件的人可以决定这次导入的编码冲突"))
    if record.state != ImportState.PREVIEWED:
        raise ValidationError(gettext("这次导入%(state)s，不能再决定冲突") % {"state": record.get_state_display()})
    allowed = set(ConflictDecision.values)
    if decide_all:
        if decide_all not in allowed:
            raise ValidationError(gettext("“%(value)s”不是有效的决定") % {"value": decide_all[:50]})
        record.conflicts.update(decision=decide_all, decided_by=actor)
    decisions = decisions or {}
    bad = sorted({str(v)[:50] for v in decisions.values() if v not in allowed and v != ""})
    if bad:
        raise ValidationError(gettext("“%(value)s”不是有效的决定") % {"value": "、".join(bad)})
    conflicts = {c.pk: c for c in record.conflicts.select_for_update().filter(pk__in=list(decisions))}
    if set(decisions) - set(conflicts):
        raise ValidationError(gettext("所选的冲突不属于这次导入"))
    for pk, decision in decisions.items():
        conflict = conflicts[pk]
        conflict.decision, conflict.decided_by = decision, (actor if decision else None)
    ImportConflict.objects.bulk_update(conflicts.values(), ["decision", "decided_by"])
    return record.conflicts.filter(decision="").count()


def _stale_cutoff(now: dt.datetime | None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def catalogue_imports_fail_stale(*, now: dt.datetime | None = None) -> int:
    """Mark as failed every preview or import still running past the task's time limit: its worker is gone (killed,
    or the machine restarted), and the page would otherwise say "running" for ever. A run still holding its record's
    lock is really running and is skipped."""
    with transaction.atomic():
        stale = list(
            CatalogueImport.objects.select_for_update(skip_locked=True).filter(
                state__in=RUNNING_STATES, updated_at__lt=_stale_cutoff(now)
            )
        )
        for record in stale:
            catalogue_import_failed(
                import_id=record.pk,
                error=Message(STALE_MESSAGE, minutes=settings.CELERY_TASK_TIME_LIMIT // 60),
            )
    return len(stale)


@transaction.atomic
def catalogue_import_restart(*, actor: User, record: CatalogueImport) -> CatalogueImport:
    """Start an interrupted run again from the stored file: the preview if it was the preview that stopped, the import
    if the uploader had confirmed it (nothing of it was saved, the import being one transaction)."""
    record = CatalogueImport.objects.select_for_update().get(pk=record.pk)
    if not access.can_confirm_catalogue_import(actor, record):
        raise PermissionDenied(gettext("只有上传文件的人可以重新开始这次导入"))
    if not record.interrupted:
        raise ValidationError(gettext("这次导入%(state)s，不能重新开始") % {"state": record.get_state_display()})
    record.state = ImportState.IMPORTING if record.confirmed_by_id else ImportState.PREVIEWING
    record.error, record.error_data, record.finished_at = "", None, None
    record.save(update_fields=["state", "error", "error_data", "finished_at", "updated_at"])
    return record


def catalogue_import_failed(*, import_id: int, error: str) -> CatalogueImport:
    """A run that could not read the file (or crashed) ends here, with its reason (a ``Message`` is shown in the
    reader's language); the catalogue is unchanged."""
    record = CatalogueImport.objects.get(pk=import_id)
    record.state, record.error, record.finished_at = ImportState.FAILED, error[:2000], timezone.now()
    record.error_data = message_data(error) if isinstance(error, Message) else None
    record.save(update_fields=["state", "error", "error_data", "finished_at", "updated_at"])
    return record
