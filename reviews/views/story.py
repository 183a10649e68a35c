"""The story page of a standard: every version, transition, review round and field change, and the actions the
signed-in user may take on it here. Review decisions (confirm, pass, return) are taken on the review screen of the
open task, which takes the structured reasons a return needs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError, TransitionNotAllowed
from core.pages import staff_required
from standards import permissions
from standards.checks import run_checks
from standards.models import ItemStandard
from standards.transitions import RETURN_ACTIONS, TRANSITIONS, Action
from standards.views.lookup import standard_or_404
from workflow import selectors as workflow_selectors

from .. import selectors
from ..services import standard_transition


@staff_required
def standard_story(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole story of one item's standard for staff: every version, transition, review round and field change."""
    standard = standard_or_404(request, pk)
    actions = permissions.allowed_actions(request.user, standard)
    decisions = [a for a in actions if TRANSITIONS[a].reviews]
    actions = [a for a in actions if a not in decisions]
    story = workflow_selectors.standard_story(standard)
    rounds = selectors.story_rounds([chapter.standard for chapter in story])
    for chapter in story:
        chapter.rounds = rounds.get(chapter.standard.pk, [])
    return render(
        request,
        "workflow/story.html",
        {
            "standard": standard,
            "story": story,
            "actions": [(a, Action(a).label, a in RETURN_ACTIONS) for a in actions],
            "decide_at": selectors.decision_page(standard) if decisions else None,
            "findings": run_checks(standard) if Action.SUBMIT in actions else [],
        },
    )


@staff_required
@require_POST
def standard_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one workflow action. The service checks state and permission again; whatever the outcome the user is
    sent back to the story page with a message, and a refused action changes nothing."""
    standard = standard_or_404(request, pk)
    action = request.POST.get("action", "")
    if action in TRANSITIONS and TRANSITIONS[action].reviews:
        # A decision belongs to the review task (a return needs structured reasons): never decide from here.
        messages.warning(request, _("审查决定请在审查任务中作出（退回须选择退回理由）"))
        return _refused(request, standard, 409)
    try:
        standard_transition(
            actor=request.user,
            standard=standard,
            action=action,
            note=request.POST.get("note", ""),
            expected_state=request.POST.get("expected_state") or None,
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("没有权限"))
        return _refused(request, standard, 403)
    except (TransitionNotAllowed, ConflictError) as exc:
        messages.warning(request, exc.message)
        return _refused(request, standard, 409)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _refused(request, standard, 400)
    messages.success(request, _("已%(action)s") % {"action": Action(action).label})
    return redirect("flow:story", pk=standard.pk)


def _refused(request: HttpRequest, standard: ItemStandard, status: int) -> HttpResponse:
    response = standard_story(request, standard.pk)
    response.status_code = status
    return response
