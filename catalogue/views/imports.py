"""Bulk import in the browser: upload and list, the preview with its rejected rows, the confirmation, the result.
The preview and the import run as Celery tasks; the page polls their progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from catalogue import access, selectors, tasks
from catalogue.forms import CatalogueImportConfirmForm, CatalogueImportForm, apply_service_errors
from catalogue.models import CatalogueImport, ConflictDecision, ImportState, ItemType
from catalogue.services.imports import (
    catalogue_import_confirm,
    catalogue_import_decide,
    catalogue_import_failed,
    catalogue_import_restart,
    catalogue_import_upload,
)
from core.audit import out_of_scope
from core.i18n import error_message, render_message
from core.pages import page_rule, paginate, staff_required
from core.tasks import QueueUnavailable, enqueue, task_progress


def _require_import(request: HttpRequest) -> None:
    if not access.can_start_catalogue_import(request.user):
        raise PermissionDenied(_("只有管理员和编办工作人员可以批量导入事项"))


def _record(request: HttpRequest, pk: int) -> CatalogueImport:
    _require_import(request)
    record = selectors.catalogue_imports_for(request.user).filter(pk=pk).first()
    if record is None:
        raise out_of_scope(request, CatalogueImport, {"pk": pk}, _("导入记录不存在或不在您的权限范围内"))
    return record


def _start(request: HttpRequest, record: CatalogueImport, task) -> None:
    """Queue the preview or the import; with the queue down the import is marked failed, saying why."""
    try:
        result = enqueue(task, record.pk)
    except QueueUnavailable as exc:
        catalogue_import_failed(import_id=record.pk, error=error_message(exc))
        messages.error(request, str(exc))
        return
    if not result.ready():
        CatalogueImport.objects.filter(pk=record.pk).update(task_id=result.id)


@page_rule(access.can_start_catalogue_import, gettext_lazy("只有管理员和编办工作人员可以批量导入事项"))
def import_list(request: HttpRequest) -> HttpResponse:
    form = CatalogueImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = catalogue_import_upload(
                actor=request.user,
                upload=form.cleaned_data["file"],
                profile_name=form.cleaned_data["profile"],
                division_code=form.cleaned_data["division"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _start(request, record, tasks.catalogue_import_preview)
            return redirect("catalogue:import_detail", pk=record.pk)
    return render(
        request,
        "catalogue/import_list.html",
        {"form": form, "page": paginate(request, selectors.catalogue_imports_for(request.user))},
    )


@staff_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    rejections = paginate(request, record.rejections.all())
    counts = record.counts if record.state in (ImportState.IMPORTED, ImportState.NOT_SAVED) else record.preview_counts
    conflicts = list(record.conflicts.all()[: CONFLICTS_SHOWN + 1])
    conflicts_more = len(conflicts) > CONFLICTS_SHOWN
    conflicts = conflicts[:CONFLICTS_SHOWN]
    may_confirm = record.state == ImportState.PREVIEWED and access.can_confirm_catalogue_import(request.user, record)
    return render(
        request,
        "catalogue/import_detail.html",
        {
            "record": record,
            "counts": counts,
            "follow_up": [render_message(data) for data in (counts or {}).get("follow_up", [])],
            "page": rejections,
            "conflicts": conflicts,
            "conflicts_more": conflicts_more,
            "undecided": record.conflicts.filter(decision="").count()
            if conflicts_more
            else sum(1 for c in conflicts if not c.decision),
            "decisions": ConflictDecision.choices,
            "may_decide": may_confirm and bool(conflicts),
            "samples": _samples(record.samples),
            "name_choices": sorted(record.name_choices.items()),
            "confirm_form": CatalogueImportConfirmForm(),
            "may_confirm": may_confirm,
            "may_restart": record.interrupted and access.can_confirm_catalogue_import(request.user, record),
            **_progress(record),
        },
    )


CONFLICTS_SHOWN = 200
CHANGE_LABELS = {
    "name": gettext_lazy("名称"),
    "item_type": gettext_lazy("事项类型"),
    "parent": gettext_lazy("上级事项"),
}


def _samples(samples: dict) -> list[tuple[str, list[dict]]]:
    """The preview's sample rows, each change with its field's label and, for a type, the types' names."""
    types = dict(ItemType.choices)
    shown = []
    for outcome, rows in samples.items():
        for row in rows:
            row["shown_changes"] = [
                {
                    "label": CHANGE_LABELS.get(c["field"], c["field"]),
                    "code": c.get("code", ""),
                    "before": types.get(c["before"], c["before"]) if c["field"] == "item_type" else c["before"],
                    "after": types.get(c["after"], c["after"]) if c["field"] == "item_type" else c["after"],
                }
                for c in row.get("changes") or []
            ]
        shown.append((outcome, rows))
    return shown


def _progress(record: CatalogueImport) -> dict:
    if not (record.is_running and record.task_id):
        return {"percent": 0, "message": ""}
    progress = task_progress(record.task_id)
    return {"percent": progress.percent or 0, "message": progress.message}


@staff_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of the running preview or import, polled by the page; once it is done the page reloads."""
    record = _record(request, pk)
    response = render(request, "catalogue/includes/import_status.html", {"record": record, **_progress(record)})
    if not record.is_running:
        response["HX-Refresh"] = "true"
    return response


@staff_required
@require_POST
def import_restart(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an interrupted preview or import again from its stored file."""
    record = _record(request, pk)
    try:
        record = catalogue_import_restart(actor=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        task = tasks.catalogue_import_apply if record.confirmed_by_id else tasks.catalogue_import_preview
        _start(request, record, task)
    return redirect("catalogue:import_detail", pk=record.pk)


@staff_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    form = CatalogueImportConfirmForm(request.POST)
    form.is_valid()
    try:
        record = catalogue_import_confirm(
            actor=request.user, record=record, all_or_nothing=form.cleaned_data.get("all_or_nothing", False)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        _start(request, record, tasks.catalogue_import_apply)
    return redirect("catalogue:import_detail", pk=record.pk)


@staff_required
@require_POST
def import_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The uploader's decisions on the preview's conflicts: one per conflict (``decision-<id>``), or all at once."""
    record = _record(request, pk)
    decisions = {}
    for key, value in request.POST.items():
        if key.startswith("decision-"):
            conflict_id = key.removeprefix("decision-")
            if not conflict_id.isdigit() or len(conflict_id) > 12:
                messages.error(request, _("所选的冲突不属于这次导入"))
                return redirect("catalogue:import_detail", pk=record.pk)
            decisions[int(conflict_id)] = value
    try:
        left = catalogue_import_decide(
            actor=request.user, record=record, decisions=decisions, decide_all=request.POST.get("all", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已保存决定，还有 %(n)s 处冲突未决定。") % {"n": left})
    return redirect("catalogue:import_detail", pk=record.pk)
