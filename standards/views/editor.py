"""Staff pages of standards: the list of one's items, starting a version, the editor, versions and their diff."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.filters import search_items
from core.exceptions import ConflictError
from core.pages import page_panels, page_rule, paginate, staff_required

from .. import permissions, selectors
from ..annotations import notes_for
from ..checks import has_errors, progress, run_checks
from ..diff import diff_standards
from ..editor import Editor
from ..forms import StartForm
from ..models import EDITABLE_STATES, IN_PROGRESS_STATES, ItemStandard, StandardState
from ..services import standard_save, standard_start, standard_start_from_template
from .lookup import standard_or_404


@page_rule(permissions.can_open_standard_list)
def standard_list(request: HttpRequest) -> HttpResponse:
    items = selectors.items_with_standards(user=request.user)
    items = search_items(items, request.GET.get("q", ""))
    state = request.GET.get("state", "")
    if state == "none":
        items = items.filter(latest_id__isnull=True)
    elif state in StandardState.values:
        items = items.filter(latest_state=state)
    # The item code (unique, so indexed) orders the list: the page reads its rows off the index, where ordering by the
    # department's name sorted every item of the province to show twenty. The code begins with the department's
    # credit code, so a department's items still sit together.
    page = paginate(request, items.order_by("code"))
    for item in page.object_list:
        item.may_start = permissions.can_start_version(
            request.user, item, in_progress=item.latest_state in IN_PROGRESS_STATES
        )
    return render(
        request,
        "standards/list.html",
        {
            "page": page,
            "states": StandardState.choices,
            # The state in words beside its colour: blue alone does not say which review a version waits for.
            "state_labels": dict(StandardState.choices),
            # Versions a clerk may take offline: none yet, published (a new draft starts), draft or returned.
            "offline_states": [StandardState.PUBLISHED, *EDITABLE_STATES],
            "state": state,
        },
    )


@staff_required
def standard_start_view(request: HttpRequest, item_pk: int) -> HttpResponse:
    local_item = get_object_or_404(
        selectors.items_with_standards(user=request.user).select_related("general_item"), pk=item_pk
    )
    if not permissions.can_write_for(request.user, local_item):
        raise PermissionDenied(_("只能为本部门的事项编写标准"))
    templates = selectors.templates_for(local_item=local_item)
    form = StartForm(request.POST or None, templates=templates)
    if request.method == "POST":
        try:
            if request.POST.get("mode") == "template":
                if not form.is_valid():
                    raise ValidationError(form.errors.get("template", [_("请选择范本")]))
                standard = standard_start_from_template(
                    actor=request.user, local_item=local_item, template=form.cleaned_data["template"]
                )
                messages.success(request, _("已按范本生成草稿，请补充联系方式、地址、办理时间等本地信息"))
            else:
                standard = standard_start(actor=request.user, local_item=local_item)
                messages.success(request, _("已新建第%(version)s版草稿") % {"version": standard.version})
        except ConflictError as exc:
            messages.warning(request, exc.message)
            current = local_item.standards.in_progress().first()
            return redirect("standards:edit", pk=current.pk) if current else redirect("standards:list")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            return redirect("standards:edit", pk=standard.pk)
    return render(
        request,
        "standards/start.html",
        {
            "item": local_item,
            "form": form,
            "templates": templates,
            "next_version": (local_item.latest_version or 0) + 1,
        },
    )


def _attach_findings(editor: Editor, findings) -> dict:
    """Put each finding (or note) where the editor shows it: on a guide or manual field, on a row, or on a list.
    Paths look like ``guide.promised_limit``, ``materials[2].name`` and ``manual_steps``."""
    by_path = defaultdict(list)
    for finding in findings:
        prefix, bracket, rest = finding.field_path.partition("[")
        key = f"{prefix}[{rest.split(']')[0]}]" if bracket else finding.field_path
        by_path[key].append(finding)
    for prefix, (_title, _section, formset) in editor.formsets.items():
        formset.findings = by_path.get(prefix, [])
        for index, form in enumerate(formset.forms):
            form.findings = by_path.get(f"{prefix}[{index}]", [])
    return {
        "guide": {k.removeprefix("guide."): v for k, v in by_path.items() if k.startswith("guide.")},
        "manual": {k.removeprefix("manual."): v for k, v in by_path.items() if k.startswith("manual.")},
    }


@staff_required
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard = standard_or_404(request, pk)
    if not permissions.can_edit(request.user, standard):
        if standard.is_editable:
            raise PermissionDenied(_("只能编辑本部门事项的标准"))
        messages.info(request, _("该版本当前为“%(state)s”，不能修改") % {"state": standard.get_state_display()})
        return redirect("standards:detail", pk=standard.pk)
    conflict = None
    if request.method == "POST":
        editor = Editor.build(standard, request.POST, request.FILES)
        expected = _int(request.POST.get("revision"))
        if editor.is_valid():
            try:
                standard = standard_save(
                    actor=request.user,
                    standard=standard,
                    expected_revision=expected,
                    write=lambda locked: editor.write(locked, request.user),
                )
            except ConflictError as exc:
                conflict = exc.message
                standard.refresh_from_db()
            else:
                messages.success(request, _("已保存（%(time)s）") % {"time": f"{timezone.localtime():%H:%M}"})
                target = redirect("standards:edit", pk=standard.pk)
                if request.POST.get("action") == "check":
                    target["Location"] += "?check=1"
                return target
        else:
            messages.error(request, _("有内容需要修改，请查看标红的字段；尚未保存"))
    else:
        editor = Editor.build(standard)
    if request.method == "POST":
        # Nothing was saved: the findings and the progress are those of what was submitted, beside its errors.
        context, forms_of = editor.input_context()
        findings = editor.input_findings(context, forms_of)
        filled, total = progress(context)
    else:
        findings = run_checks(standard)
        filled, total = progress(standard)
    notes = notes_for(standard)  # e.g. the reasons of a return, kept beside the fields until the next submission
    placed = _attach_findings(editor, [*findings, *notes])
    sections = list(editor.sections())
    errors = editor.error_summary()
    return render(
        request,
        "standards/editor.html",
        {
            "standard": standard,
            "editor": editor,
            "sections": sections,
            "error_sections": [(s, [e for e in errors if e.section == s["anchor"]]) for s in sections if s["errors"]],
            "error_count": len(errors),
            "findings": findings,
            "input_checked": request.method == "POST",
            "notes": notes,
            "placed": placed,
            "blocking": has_errors(findings),
            "checked": bool(request.GET.get("check")),
            "progress_filled": filled,
            "progress_total": total,
            "progress_percent": round(100 * filled / total) if total else 0,
            "conflict": conflict,
            "revision": standard.revision,
            # 提交部门确认 saves, checks and submits in one step (``reviews``' view, above the standards).
            "may_submit": permissions.can(request.user, "submit", standard),
        },
        status=409 if conflict else 200,
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@staff_required
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = standard_or_404(request, pk)
    versions = list(standard.local_item.standards.select_related("updated_by").order_by("-version"))
    in_progress = any(v.state in IN_PROGRESS_STATES for v in versions)
    return render(
        request,
        "standards/detail.html",
        {
            "standard": standard,
            "versions": versions,
            # 修订 is offered on the published version's page: the new version is a copy of it.
            "may_revise": standard.state == StandardState.PUBLISHED
            and permissions.can_start_version(request.user, standard.local_item, in_progress=in_progress),
            "can_edit": permissions.can_edit(request.user, standard),
            "findings": run_checks(standard),
            # e.g. what the item's cases teach (``settings.STANDARD_PAGE_PANELS``): the standards cannot ask them.
            "panels": page_panels("STANDARD_PAGE_PANELS", request.user, standard),
        },
    )


@staff_required
def standard_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare a version with another (``?against=``), by default with the published one it started from."""
    new = standard_or_404(request, pk)
    against = request.GET.get("against")
    siblings = ItemStandard.objects.filter(local_item=new.local_item)
    if against:
        old = siblings.filter(pk=_int(against)).first()
    else:
        old = siblings.filter(Q(pk=new.based_on_id) | Q(state=StandardState.PUBLISHED)).exclude(pk=new.pk).first()
        old = old or siblings.filter(version__lt=new.version).order_by("-version").first()
    if old is None:
        raise Http404(_("没有可比较的版本"))
    if old.version > new.version:
        old, new = new, old
    return render(
        request,
        "standards/diff.html",
        {
            "standard_old": old,
            "standard_new": new,
            "diff": diff_standards(old, new),
            "versions": siblings.order_by("-version"),
        },
    )
