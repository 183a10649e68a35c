"""The compendium page (ask for one, follow its build, download it, print it) and the acceptance file (thin: the
permissions, services and selectors of this package decide)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from cases.views.common import errors_into
from catalogue.models import Division, LocalItem
from core.audit import out_of_scope
from core.pages import page_rule
from core.tasks import QueueUnavailable, enqueue, task_progress
from reporting.models import Compendium, CompendiumStatus
from standards.models import ItemStandard, StandardState

from .. import tasks
from . import permissions, services
from .acceptance import acceptance_file, figure_rows, import_rows, milestone_rows, review_rows, write_acceptance
from .content import iter_standards, section
from .forms import CompendiumForm

REFUSAL = gettext_lazy("标准汇编仅供督导人员、部门负责人和系统管理员使用")
SEARCH_LIMIT = 50
LIST_LIMIT = 100


def _candidates(request: HttpRequest, query: str):
    """Items with a published standard the user may compile, matching ``query`` (name or code), for picking."""
    if not query:
        return []
    published = ItemStandard.objects.filter(local_item=OuterRef("pk"), state=StandardState.PUBLISHED)
    return list(
        LocalItem.objects.filter(permissions.compile_items_filter(request.user))
        .filter(Exists(published))
        .filter(Q(name__contains=query) | Q(code__startswith=query.upper()))
        .select_related("organization", "division")
        .order_by("organization__name", "code")[:SEARCH_LIMIT]
    )


@page_rule(permissions.can_open_compendiums, REFUSAL)
def compendium_list(request: HttpRequest) -> HttpResponse:
    divisions = permissions.compile_divisions(request.user)
    organizations = permissions.compile_organizations(request.user)
    form = CompendiumForm(request.POST or None, divisions=divisions, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            compendium = services.compendium_create(
                actor=request.user,
                kind=data["kind"],
                division=data.get("division"),
                organization=data.get("organization"),
                item_ids=data.get("items") or [],
                title=data.get("title", ""),
                issuer=data.get("issuer", ""),
            )
        except ValidationError as exc:
            errors_into(form, exc)
        else:
            _start_build(request, compendium)
            return redirect("reporting:compendium")
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    picked = set(form.cleaned_data.get("items") or []) if form.is_bound and hasattr(form, "cleaned_data") else set()
    return render(
        request,
        "reporting/compendium/list.html",
        {
            "form": form,
            "query": query,
            "candidates": _candidates(request, query),
            "picked": picked,
            "compendiums": permissions.compendiums_for(request.user)[:LIST_LIMIT],
            "counties": permissions.acceptance_divisions(request.user).order_by("code")[:LIST_LIMIT],
            "sync_limit": services.sync_limit(),
        },
    )


def _start_build(request: HttpRequest, compendium: Compendium) -> None:
    """A small compendium is built now; a large one is queued (with the queue down it is marked failed, saying why)."""
    if compendium.item_count <= services.sync_limit():
        try:
            services.compendium_build(compendium_id=compendium.pk)
        except Exception as exc:
            services.compendium_failed(compendium_id=compendium.pk, error=str(exc))
            messages.error(request, _("汇编生成失败：%(error)s") % {"error": exc})
        else:
            messages.success(request, _("汇编已生成，可以下载"))
        return
    try:
        result = enqueue(tasks.build_compendium, compendium.pk)
    except QueueUnavailable as exc:
        services.compendium_failed(compendium_id=compendium.pk, error=str(exc))
        messages.error(request, str(exc))
    else:
        Compendium.objects.filter(pk=compendium.pk).update(task_id=result.id)
        messages.success(request, _("汇编生成任务已开始，共 %(n)s 个事项") % {"n": compendium.item_count})


def _compendium(request: HttpRequest, pk: int) -> Compendium:
    compendium = permissions.compendiums_for(request.user).filter(pk=pk).first()
    if compendium is None:
        raise out_of_scope(request, Compendium, {"pk": pk}, _("汇编不存在或不在您的权限范围内"))
    return compendium


@page_rule(permissions.can_open_compendiums, REFUSAL)
def compendium_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The build's progress, polled by the list (htmx) until it is done."""
    compendium = _compendium(request, pk)
    message = ""
    if compendium.status == CompendiumStatus.BUILDING and compendium.task_id:
        progress = task_progress(compendium.task_id)
        message = _(progress.message) if progress.message else ""
    return render(request, "reporting/compendium/status.html", {"c": compendium, "message": message})


@page_rule(permissions.can_open_compendiums, REFUSAL)
@require_POST
def compendium_restart(request: HttpRequest, pk: int) -> HttpResponse:
    compendium = _compendium(request, pk)
    try:
        compendium = services.compendium_restart(actor=request.user, compendium=compendium)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:compendium")
    _start_build(request, compendium)
    return redirect("reporting:compendium")


@page_rule(permissions.can_open_compendiums, REFUSAL)
@require_safe
def compendium_download(request: HttpRequest, pk: int) -> FileResponse:
    compendium = _compendium(request, pk)
    if compendium.status != CompendiumStatus.READY:
        raise Http404(_("汇编尚未生成"))
    name = f"{compendium.title}.docx"
    return FileResponse(compendium.file.open("rb"), as_attachment=True, filename=name)


@page_rule(permissions.can_open_compendiums, REFUSAL)
@require_safe
def compendium_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The same compendium as a printable page (print styles: one item per page)."""
    compendium = _compendium(request, pk)
    if compendium.item_count > services.sync_limit():
        # One page of thousands of guides and manuals would time out: a large compendium is read in Word.
        messages.error(request, _("超过 %(n)s 个事项的汇编请下载 Word 文件打印") % {"n": services.sync_limit()})
        return redirect("reporting:compendium")
    sections = [section(n, s) for n, s in enumerate(iter_standards(compendium.standard_ids), start=1)]
    return render(request, "reporting/compendium/print.html", {"c": compendium, "sections": sections})


# --- the acceptance file ---------------------------------------------------------------------------------------


def _county(request: HttpRequest, code: str) -> Division:
    if not (code.isascii() and code.isdigit() and len(code) <= 12):
        raise Http404(_("区划不存在或不在您的权限范围内"))
    division = Division.objects.filter(code=code).first()
    if division is None or not permissions.can_open_acceptance(request.user, division):
        raise out_of_scope(request, Division, {"code": code[:12]}, _("区划不存在或不在您的权限范围内"))
    return division


@page_rule(permissions.can_open_compendiums, REFUSAL)
@require_safe
def acceptance(request: HttpRequest, code: str) -> HttpResponse:
    division = _county(request, code)
    file = acceptance_file(division)
    return render(
        request,
        "reporting/compendium/acceptance.html",
        {
            "file": file,
            "figure_rows": figure_rows(file),
            "milestone_rows": milestone_rows(file),
            "review_rows": review_rows(file),
            "import_rows": import_rows(file),
        },
    )


@page_rule(permissions.can_open_compendiums, REFUSAL)
@require_safe
def acceptance_word(request: HttpRequest, code: str) -> FileResponse:
    division = _county(request, code)
    if not permissions.can_open_acceptance(request.user, division):  # asked again where the file is made
        raise PermissionDenied
    out = io.BytesIO()
    write_acceptance(acceptance_file(division), out)
    out.seek(0)
    name = _("%(name)s验收材料.docx") % {"name": division.name}
    return FileResponse(out, as_attachment=True, filename=name)
