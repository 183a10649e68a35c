"""Every move of a standard version through the workflow, with its review task, in one transaction.

``standard_transition`` is the one service that changes a version's state by a person's action. Read top to bottom,
it is everything a submission, confirmation, pass, return or publication does:

1. lock the version (and its open review task), and refuse when the actor saw another state (``expected_state``);
2. ask ``standards.permissions`` whether the actor may take the action here, now (role, body, state, authorship),
   and whether the task is claimed by someone else;
3. require what the action needs: a return names at least one structured reason of the catalogue (``ReturnReason``)
   and may place comments on fields; a submission has no error-level finding left;
4. change the version (publishing also moves the version published before to superseded, logged as its own
   transition);
5. append the transition to the log;
6. close the task of the stage the version leaves (decision, reasons, comments) and open the task of the stage it
   enters — an error here undoes the whole transition;
7. after commit, tell the people concerned (``reviews.notices``).

``standards_withdraw`` is the other: the catalogue cancels items (``catalogue.signals.local_items_cancelled``,
received in ``reviews.receivers``) and their published and in-progress versions are withdrawn, logged and their open
tasks closed, in the catalogue's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from catalogue.services import published_guide_record
from core.exceptions import ConflictError, TransitionNotAllowed
from core.i18n import enumeration
from standards import paths, permissions
from standards.annotations import return_note
from standards.checks import has_errors, run_checks
from standards.models import ItemStandard, StandardState
from standards.services import standard_publish
from standards.transitions import RETURN_ACTIONS, STAGE_OF_STATE, TRANSITIONS, Action
from workflow.models import StateTransition

from .. import lifecycle, notices
from ..models import ReturnComment, ReturnReason, ReviewTask


@dataclass(frozen=True)
class CommentInput:
    """One field-level comment of a return: under which reason, where (a field path, "" for the whole standard)."""

    reason: ReturnReason
    field_path: str = ""
    text: str = ""


@transaction.atomic
def standard_transition(
    *,
    actor: User,
    standard: ItemStandard,
    action: str,
    note: str = "",
    reasons: Sequence[ReturnReason] = (),
    comments: Sequence[CommentInput | tuple[ReturnReason, str, str]] = (),
    expected_state: str | None = None,
) -> ItemStandard:
    """Take ``action`` on a version, with its review task, or change nothing.

    ``expected_state`` is the state the actor saw: if another user moved the version on in between,
    ``ConflictError`` says so instead of acting on a state the actor never saw. Raises ``PermissionDenied``,
    ``TransitionNotAllowed``, ``ConflictError`` or ``ValidationError``; whichever is raised, nothing was written.
    """
    transition = TRANSITIONS.get(action)
    if transition is None or transition.automatic:
        raise TransitionNotAllowed(_("未知的操作"))
    locked = (
        ItemStandard.objects.select_for_update(of=("self",))
        .select_related("local_item__division", "local_item__organization")
        .get(pk=standard.pk)
    )
    if expected_state is not None and locked.state != expected_state:
        raise ConflictError(
            _("该标准已被他人处理，当前为“%(state)s”，本次操作未执行") % {"state": locked.get_state_display()}
        )
    membership = permissions.ensure_can(actor, action, locked)
    # The version leaves its state, so the task waiting in it closes: with the decision when the action decides its
    # stage, without one otherwise (a task left open by a change made outside the workflow).
    task = _open_task_locked(locked)
    if task is not None and transition.reviews and task.stage == STAGE_OF_STATE.get(locked.state):
        problem = permissions.task_decision_denial(actor, task)
        if problem is not None:
            raise problem
    note = note.strip()
    chosen, located = [], []
    if action in RETURN_ACTIONS:
        comments = [c if isinstance(c, CommentInput) else CommentInput(*c) for c in comments]
        chosen = _return_reasons(reasons, comments)
        located = [(c, _row_uid(locked, c.field_path.strip())) for c in comments]
        note = note or "；".join(f"{r.code} {r.text}" for r in chosen)
    if action == Action.SUBMIT:
        findings = [f for f in run_checks(locked) if f.severity == "error"]
        if has_errors(findings):
            raise ValidationError(
                _("质量检查还有%(n)d个错误（%(codes)s），请修改后再提交")
                % {"n": len(findings), "codes": enumeration(sorted({f.code for f in findings}))}
            )

    from_state = locked.state
    superseded = None
    if action == Action.PUBLISH:
        superseded = lifecycle.published_version(locked)
        locked = standard_publish(actor=actor, standard=locked, change_note=note)
    else:
        if action in RETURN_ACTIONS:
            locked.return_notes = _notes(chosen, located)
        _move(locked, action, actor=actor, note=note)
    record = _log(locked, action, from_state, actor=actor, organization=membership.organization, note=note)
    if superseded is not None:
        _log(
            superseded,
            Action.SUPERSEDE,
            StandardState.PUBLISHED,
            actor=actor,
            organization=membership.organization,
            note=_("由第%(version)s版替代") % {"version": locked.version},
        )

    if task is not None:
        lifecycle.close_task(task, record)
        if action in RETURN_ACTIONS and task.decision:
            task.reasons.set(chosen)
            ReturnComment.objects.bulk_create(
                [
                    ReturnComment(
                        task=task, reason=c.reason, field_path=c.field_path.strip(), row_uid=uid, text=c.text.strip()
                    )
                    for c, uid in located
                ]
            )
    entering = STAGE_OF_STATE.get(locked.state)
    if entering:
        lifecycle.open_task(locked, entering, record)
    transaction.on_commit(partial(notices.transition_committed, locked.pk, record.pk))
    return locked


def _open_task_locked(standard: ItemStandard) -> ReviewTask | None:
    """The open task of a version waiting in a review state, locked after the version (the order every writer of
    tasks takes the two locks in)."""
    return (
        ReviewTask.objects.select_for_update(of=("self",))
        .select_related("claimed_by", "decided_by")
        .filter(standard=standard, closed_at__isnull=True)
        .first()
    )


def _move(locked: ItemStandard, action: str, *, actor: User, note: str) -> None:
    transition = TRANSITIONS[action]
    now = timezone.now()
    locked.state = transition.target
    fields = ["state", "updated_at"]
    if action == Action.SUBMIT:
        locked.submitted_at = now
        locked.first_submitted_at = locked.first_submitted_at or now
        fields += ["submitted_at", "first_submitted_at"]
    elif action in RETURN_ACTIONS:
        locked.return_count += 1
        fields += ["return_count", "return_notes"]
    elif action == Action.PASS_LEGALITY:
        locked.approved_at = now
        fields.append("approved_at")
    locked._history_user = actor
    locked._change_reason = f"{transition.action.label}：{note}".rstrip("：")
    locked.save(update_fields=fields)


def _log(standard: ItemStandard, action: str, from_state: str, *, actor: User, organization, note: str = ""):
    return StateTransition.objects.create(
        standard=standard,
        action=action,
        from_state=from_state,
        to_state=TRANSITIONS[action].target,
        actor=actor,
        organization=organization,
        round=standard.return_count if action in RETURN_ACTIONS else standard.return_count + 1,
        note=note,
    )


def _return_reasons(reasons: Iterable[ReturnReason], comments: Sequence[CommentInput]) -> list[ReturnReason]:
    chosen: dict[int, ReturnReason] = {}
    for reason in [*reasons, *(c.reason for c in comments)]:
        chosen.setdefault(reason.pk, reason)
    if not chosen:
        raise ValidationError({"reasons": _("退回时请至少选择一项退回理由")})
    inactive = [r.code for r in chosen.values() if not r.active]
    if inactive:
        raise ValidationError({"reasons": _("退回理由%(codes)s已停用") % {"codes": "、".join(inactive)}})
    return sorted(chosen.values(), key=lambda r: (r.order, r.code))


def _notes(chosen: list[ReturnReason], located: list[tuple[CommentInput, object]]) -> list[dict]:
    """What the editor shows the authors beside their fields: each comment, then each reason ticked without one."""
    notes = [
        return_note(
            field_path=c.field_path.strip(), row_uid=uid, code=c.reason.code, reason=c.reason.text, text=c.text.strip()
        )
        for c, uid in located
    ]
    commented = {c.reason.pk for c, _uid in located}
    notes += [
        return_note(field_path="", row_uid=None, code=r.code, reason=r.text) for r in chosen if r.pk not in commented
    ]
    return notes


def _row_uid(standard: ItemStandard, field_path: str):
    if not field_path:
        return None
    return paths.row_uid(standard, field_path)  # also validates the path


def standards_withdraw(*, actor: User, local_item_ids: Iterable[int], reason: str = "") -> int:
    """Withdraw (已废止) the published version and any version in progress of cancelled items, saying when and why,
    log each as a transition and close their open review tasks. Runs inside the catalogue's transaction, so a
    failure here rolls the cancellation back. A bounded number of queries however many items are cancelled.
    Returns how many versions were withdrawn."""
    transition = TRANSITIONS[Action.WITHDRAW]
    affected = list(
        ItemStandard.objects.select_for_update(of=("self",)).filter(
            local_item_id__in=list(local_item_ids), state__in=transition.sources
        )
    )
    if not affected:
        return 0
    now = timezone.now()
    why = _("事项已取消：%(reason)s") % {"reason": reason} if reason else _("事项已取消")
    from_states = {s.pk: s.state for s in affected}
    for standard in affected:
        standard.state, standard.withdrawn_at, standard.updated_at = StandardState.WITHDRAWN, now, now
        standard.withdrawn_reason = why
    bulk_update_with_history(
        affected,
        ItemStandard,
        # updated_at by hand (bulk updates skip auto_now): the API's change feed and ETags read it.
        ["state", "withdrawn_at", "withdrawn_reason", "updated_at"],
        default_user=actor,
        default_change_reason=reason or why,
    )
    published_guide_record(
        local_item_ids={s.local_item_id for s in affected if from_states[s.pk] == StandardState.PUBLISHED},
        version=None,
        published_at=None,
    )
    records = StateTransition.objects.bulk_create(
        [
            StateTransition(
                standard=s,
                action=Action.WITHDRAW,
                from_state=from_states[s.pk],
                to_state=transition.target,
                actor=actor,
                round=s.return_count + 1,
                note=why,
            )
            for s in affected
        ]
    )
    by_standard = {r.standard_id: r for r in records}
    tasks = list(ReviewTask.objects.open().filter(standard__in=affected))
    for task in tasks:
        task.closed_at, task.closing_transition = now, by_standard[task.standard_id]
    ReviewTask.objects.bulk_update(tasks, ["closed_at", "closing_transition"])
    return len(affected)
