"""The reviewer's pages: the queue of open tasks (with bulk pass) and the review screen of one task."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.audit import out_of_scope
from core.exceptions import ConflictError, TransitionNotAllowed
from core.export_jobs import StaffExport, staff_export
from core.pages import page_rule, paginate, staff_required
from standards import paths, permissions
from standards.checks import run_checks
from standards.diff import diff_standards
from standards.transitions import pass_action
from workflow.selectors import transitions_of

from .. import exports, lifecycle, selectors, services
from ..forms import CommentFormSet, PassForm, ReturnForm
from ..models import Decision, ReasonCategory, ReturnReason, ReviewTask, Stage


def _task_or_404(request: HttpRequest, pk: int) -> ReviewTask:
    task = selectors.task_for(request.user, pk)
    if task is None:
        raise out_of_scope(request, ReviewTask, {"pk": pk}, _("审查任务不存在或不在您的权限范围内"))
    return task


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    queue_url = reverse("reviews:queue")
    if target.startswith(queue_url) and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(queue_url)


@page_rule(permissions.can_open_review_queue)
def queue_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.QueueFilters.from_query(request.GET)
    page = paginate(request, selectors.queue(request.user, filters))
    decidable = permissions.decidable_stages(request.user)
    for task in page.object_list:
        task.selectable = (
            task.stage in decidable and task.bulk_eligible and task.claimed_by_id in (None, request.user.pk)
        )
    return render(
        request,
        "reviews/queue.html",
        {
            "page": page,
            "filters": filters,
            "stages": Stage.choices,
            "show_size": True,
            "size_choices": settings.PAGE_SIZE_CHOICES,
            "any_selectable": any(t.selectable for t in page.object_list),
            **selectors.queue_choices(request.user, filters),
        },
    )


def queue_export_spec(request: HttpRequest) -> StaffExport:
    """Every task the queue lists with the same filters, all pages, oldest first (``settings.STAFF_EXPORTS``)."""
    filters = selectors.QueueFilters.from_query(request.GET)
    return StaffExport(
        rows=selectors.queue(request.user, filters),
        back=reverse("reviews:queue"),
        build=lambda tasks: exports.queue_xlsx(tasks, user=request.user, filters=filters),
    )


@page_rule(permissions.can_open_review_queue)
def queue_export(request: HttpRequest) -> HttpResponse:
    """The queue as an Excel workbook: at once, or as a job when it is big (``core.export_jobs``)."""
    return staff_export(request, "reviews.queue")


@staff_required
@require_POST
def bulk_pass_view(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("task") if v.isdigit()]
    tasks = list(selectors.open_tasks(request.user).filter(pk__in=ids).select_related("standard__local_item"))
    if not tasks:
        messages.warning(request, _("请先勾选要批量通过的任务"))
        return _back_to_queue(request)
    passed, skipped = services.review_bulk_pass(actor=request.user, tasks=tasks)
    if passed:
        messages.success(request, _("已批量通过 %(n)d 项") % {"n": len(passed)})
    for item in skipped:
        messages.warning(
            request,
            _("未通过“%(name)s”：%(reason)s") % {"name": item.task.standard.local_item.name, "reason": item.reason},
        )
    return _back_to_queue(request)


def _render_task(
    request: HttpRequest,
    task: ReviewTask,
    *,
    pass_form: PassForm | None = None,
    return_form: ReturnForm | None = None,
    comment_forms=None,
    status: int = 200,
) -> HttpResponse:
    standard = task.standard
    reasons = ReturnReason.objects.filter(active=True)
    path_choices = paths.choices(standard)
    # Rows are named as the reviewer saw them in the select (with the row's own label); fields by paths.describe.
    labels = {
        value: label
        for _group, options in path_choices
        for value, label in options
        if not value.startswith(("guide.", "manual."))
    }
    published = lifecycle.published_version(standard)
    author_ids = permissions.authors(standard)
    denial = permissions.denial(request.user, pass_action(task.stage), standard, author_ids=author_ids)
    denial = denial if task.is_open else None
    claimed_by_other = task.claimed_by_id not in (None, request.user.pk)
    rounds = selectors.rounds_of(standard, labels)
    reason_list = list(reasons)
    return_form = return_form or ReturnForm(reasons=reasons)
    selected = (return_form["reasons"].value() or []) if return_form.is_bound else []
    return render(
        request,
        "reviews/task.html",
        {
            "task": task,
            "standard": standard,
            "item": standard.local_item,
            "guide": getattr(standard, "guide", None),
            "published": published,
            "diff": diff_standards(published, standard) if published else None,
            "findings": run_checks(standard),
            "transitions": transitions_of(standard),
            "rounds": rounds,
            "may_decide": permissions.can_decide_task(request.user, task, author_ids=author_ids),
            "denial": str(getattr(denial, "message", "") or denial or "") if denial is not None else "",
            "may_claim": permissions.can_claim_task(request.user, task, author_ids=author_ids),
            "may_release": permissions.can_release_task(request.user, task),
            "claimed_by_other": claimed_by_other,
            "pass_form": pass_form or PassForm(),
            "return_form": return_form,
            "selected_reasons": {int(v) for v in selected if str(v).isdigit()},
            "comment_forms": comment_forms
            or CommentFormSet(prefix="comment", reasons=reasons, path_choices=path_choices),
            "reason_groups": [
                (label, [r for r in reason_list if r.category == value]) for value, label in ReasonCategory.choices
            ],
            "pass_label": _("确认无误，提交审查") if task.stage == Stage.DEPT_CONFIRM else _("审查通过"),
        },
        status=status,
    )


@staff_required
def task_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_task(request, _task_or_404(request, pk))


@staff_required
@require_POST
def claim_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    release = request.POST.get("release") == "1"
    try:
        if release:
            services.review_task_release(actor=request.user, task=task)
            messages.success(request, _("已释放该任务，其他审查人员可以认领"))
        else:
            services.review_task_claim(actor=request.user, task=task)
            messages.success(request, _("已认领该任务"))
    except ConflictError as exc:
        messages.warning(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("没有权限"))
    return redirect("reviews:task", pk=task.pk)


@staff_required
@require_POST
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_or_404(request, pk)
    decision = request.POST.get("decision", "")
    reasons = ReturnReason.objects.filter(active=True)
    pass_form = return_form = comment_forms = None
    if decision == Decision.RETURN:
        return_form = ReturnForm(request.POST, reasons=reasons)
        comment_forms = CommentFormSet(
            request.POST, prefix="comment", reasons=reasons, path_choices=paths.choices(task.standard)
        )
        valid = return_form.is_valid() & comment_forms.is_valid()
        kwargs = {}
        if valid:
            kwargs = {
                "reasons": list(return_form.cleaned_data["reasons"]),
                "comments": comment_forms.inputs(),
                "note": return_form.cleaned_data["note"],
            }
    elif decision == Decision.PASS:
        pass_form = PassForm(request.POST)
        valid = pass_form.is_valid()
        kwargs = {"note": pass_form.cleaned_data["note"]} if valid else {}
    else:
        messages.error(request, _("请选择审查结论"))
        return _render_task(request, task, status=400)
    if not valid:
        messages.error(request, _("有内容需要修改，请查看标红的字段"))
        return _render_task(
            request, task, pass_form=pass_form, return_form=return_form, comment_forms=comment_forms, status=400
        )
    try:
        services.review_task_decide(actor=request.user, task=task, decision=decision, **kwargs)
    except ConflictError as exc:
        messages.warning(request, exc.message)
        return _render_task(request, _task_or_404(request, pk), status=409)
    except TransitionNotAllowed as exc:
        messages.warning(request, exc.message)
        return _render_task(request, _task_or_404(request, pk), status=409)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("没有权限"))
        return _render_task(request, task, status=403)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        if return_form is not None and "reasons" in getattr(exc, "error_dict", {}):
            return_form.add_error("reasons", exc.error_dict["reasons"])
        return _render_task(
            request, task, pass_form=pass_form, return_form=return_form, comment_forms=comment_forms, status=400
        )
    label = Decision(decision).label
    messages.success(
        request,
        _("已%(decision)s：%(name)s（%(stage)s）")
        % {"decision": label, "name": task.standard.local_item.name, "stage": task.get_stage_display()},
    )
    return redirect("reviews:queue")
