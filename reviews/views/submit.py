"""提交部门确认 from the editor: save, check and submit in one step, where the clerk writes.

The editor lives in ``standards``, below the workflow's one transition service, so the step that submits lives here:
the editor's own view saves (the same validation, conflict check and page when it does not save), then
``standard_transition`` submits — which runs the quality checks again and refuses while an error-level finding is
left. The save is its own transaction: when the submission is refused the saved data stays, and the editor shows the
findings.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError, TransitionNotAllowed
from core.pages import staff_required
from standards.models import ItemStandard
from standards.transitions import Action
from standards.views.editor import standard_edit

from ..services import standard_transition


@staff_required
@require_POST
def editor_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the editor's data, then submit the version for the department's confirmation. Whatever the editor's save
    answers other than "saved" (the input's errors, a conflicting save, a version no longer editable) is answered as
    it is, and nothing is submitted."""
    response = standard_edit(request, pk)
    edit_url = reverse("standards:edit", args=[pk])
    if response.status_code != 302 or response["Location"].partition("?")[0] != edit_url:
        return response
    standard = ItemStandard.objects.select_related("local_item").get(pk=pk)
    try:
        standard = standard_transition(actor=request.user, standard=standard, action=Action.SUBMIT)
    except ValidationError as exc:
        # Error-level findings: the editor lists them (it checks what is saved) and marks their fields.
        messages.error(request, _("未提交部门确认：%(reason)s") % {"reason": "；".join(exc.messages)})
        return redirect(f"{edit_url}?check=1")
    except (PermissionDenied, TransitionNotAllowed, ConflictError) as exc:
        reason = getattr(exc, "message", "") or str(exc) or _("没有权限")
        messages.error(request, _("未提交部门确认：%(reason)s") % {"reason": reason})
        return redirect(edit_url)
    messages.success(
        request,
        _("已提交部门确认：%(name)s 第%(version)s版，等待部门负责人确认")
        % {"name": standard.local_item.name, "version": standard.version},
    )
    return redirect("standards:detail", pk=standard.pk)
