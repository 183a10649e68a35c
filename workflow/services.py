"""Transitions of a standard version: one service, a transition table, an append-only log.

``standard_transition`` takes the acting user, locks the version, checks state and permission again (whatever the
page offered), blocks submission while error-level findings remain, applies the change and logs it, all in one
transaction. Two reviewers deciding the same version at once: the second finds the state changed and is told so.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.exceptions import ConflictError, TransitionNotAllowed
from standards.checks import has_errors, run_checks
from standards.models import ItemStandard
from standards.services import standard_publish

from . import permissions
from .models import StateTransition
from .transitions import RETURN_ACTIONS, TRANSITIONS, Action

# Called after commit with (standard, transition record); the inbox and review tasks subscribe here.
_after_transition: list[Callable[[ItemStandard, StateTransition], None]] = []


def on_transition(callback: Callable[[ItemStandard, StateTransition], None]) -> Callable:
    """Register a callback run after a transition commits (apps built on the workflow use it)."""
    _after_transition.append(callback)
    return callback


@transaction.atomic
def standard_transition(
    *, actor: User, standard: ItemStandard, action: str, note: str = "", expected_state: str | None = None
) -> ItemStandard:
    """Take ``action`` on a version. ``expected_state`` is the state the actor saw: if another user moved the version
    on in between, ``ConflictError`` says so instead of acting on a state the actor never saw."""
    if action not in TRANSITIONS:
        raise TransitionNotAllowed("未知的操作")
    locked = (
        ItemStandard.objects.select_for_update(of=("self",))
        .select_related("local_item__division", "local_item__organization")
        .get(pk=standard.pk)
    )
    if expected_state is not None and locked.state != expected_state:
        raise ConflictError(f"该标准已被他人处理，当前为“{locked.get_state_display()}”，本次操作未执行")
    membership = permissions.ensure_can(actor, action, locked)
    transition = TRANSITIONS[action]
    if action in RETURN_ACTIONS and not note.strip():
        raise ValidationError({"note": "退回时请写明理由"})
    if action == Action.SUBMIT:
        findings = [f for f in run_checks(locked) if f.severity == "error"]
        if has_errors(findings):
            codes = "、".join(sorted({f.code for f in findings}))
            raise ValidationError(f"质量检查还有{len(findings)}个错误（{codes}），请修改后再提交")

    now = timezone.now()
    from_state = locked.state
    if action == Action.PUBLISH:
        locked = standard_publish(actor=actor, standard=locked, change_note=note)
    else:
        locked.state = transition.target
        fields = ["state", "updated_at"]
        if action == Action.SUBMIT:
            locked.submitted_at = now
            locked.first_submitted_at = locked.first_submitted_at or now
            fields += ["submitted_at", "first_submitted_at"]
        elif action in RETURN_ACTIONS:
            locked.return_count += 1
            fields.append("return_count")
        elif action == Action.PASS_LEGALITY:
            locked.approved_at = now
            fields.append("approved_at")
        locked._history_user = actor
        locked._change_reason = f"{transition.action.label}：{note.strip()}".rstrip("：")
        locked.save(update_fields=fields)
    record = StateTransition.objects.create(
        standard=locked,
        action=action,
        from_state=from_state,
        to_state=locked.state,
        actor=actor,
        organization=membership.organization if membership else None,
        round=locked.return_count + 1 if action not in RETURN_ACTIONS else locked.return_count,
        note=note.strip(),
    )
    for callback in _after_transition:
        transaction.on_commit(lambda callback=callback: callback(locked, record))
    return locked
