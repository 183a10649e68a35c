"""What a reviewer does with a review task: claim it, release it, decide it, pass many at once.

Who may do each is asked of ``standards.permissions`` (``can_claim_task``, ``can_release_task``,
``task_decision_denial``) — the same predicates the review screen uses to offer the buttons. A decision is a
transition of the version: ``review_task_decide`` hands it to ``standard_transition``, which closes this task and
opens the next in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ConflictError, TransitionNotAllowed
from standards import permissions
from standards.checks import run_checks
from standards.models import ItemStandard
from standards.transitions import STATE_OF_STAGE, pass_action, return_action

from .. import lifecycle
from ..models import Decision, ReturnReason, ReviewTask
from .transitions import CommentInput, standard_transition


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _decided_message(task: ReviewTask) -> str:
    if task.decision:
        return _("该任务已被他人处理（%(who)s：%(decision)s），本次操作未执行") % {
            "who": _name(task.decided_by),
            "decision": task.get_decision_display(),
        }
    return _("该任务已结束，本次操作未执行")


def _lock(task: ReviewTask) -> ReviewTask:
    """The version first, then the task: the order ``standard_transition`` takes the same locks in."""
    ItemStandard.objects.select_for_update(of=("self",)).filter(pk=task.standard_id).first()
    return (
        ReviewTask.objects.select_for_update(of=("self",))
        .select_related("claimed_by", "decided_by", "standard__local_item__division")
        .get(pk=task.pk)
    )


@transaction.atomic
def review_task_claim(*, actor: User, task: ReviewTask) -> ReviewTask:
    """Put one's name on an open task, so colleagues see who is on it. Only someone who may decide the stage claims;
    a task claimed by someone else stays theirs until they release it."""
    locked = _lock(task)
    if locked.closed_at is not None:
        raise ConflictError(_decided_message(locked))
    if locked.claimed_by_id == actor.pk:
        return locked
    if locked.claimed_by_id is not None:
        raise ConflictError(
            _("该任务已由%(who)s于%(at)s认领，请联系其释放后再认领")
            % {"who": _name(locked.claimed_by), "at": timezone.localtime(locked.claimed_at).strftime("%Y-%m-%d %H:%M")}
        )
    if not permissions.can_claim_task(actor, locked):
        raise permissions.task_decision_denial(actor, locked) or PermissionDenied(_("没有权限"))
    locked.claimed_by, locked.claimed_at = actor, timezone.now()
    locked.save(update_fields=["claimed_by", "claimed_at"])
    return locked


@transaction.atomic
def review_task_release(*, actor: User, task: ReviewTask) -> ReviewTask:
    """Give a claimed task back to the pool: its holder does, or an administrator for an absent colleague."""
    locked = _lock(task)
    if locked.closed_at is not None:
        raise ConflictError(_decided_message(locked))
    if locked.claimed_by_id is None:
        return locked
    if not permissions.can_release_task(actor, locked):
        raise PermissionDenied(_("只有认领人可以释放该任务（当前认领人：%(who)s）") % {"who": _name(locked.claimed_by)})
    locked.claimed_by, locked.claimed_at = None, None
    locked.save(update_fields=["claimed_by", "claimed_at"])
    return locked


@transaction.atomic
def review_task_decide(
    *,
    actor: User,
    task: ReviewTask,
    decision: str,
    reasons: Sequence[ReturnReason] = (),
    comments: Sequence[CommentInput | tuple[ReturnReason, str, str]] = (),
    note: str = "",
    require_clean: bool = False,
) -> ReviewTask:
    """Decide a task: pass or return its version (``standard_transition`` closes the task with the reasons and
    comments, and opens the next). The version must still wait in the task's stage, or ``ConflictError`` says it was
    handled meanwhile and nothing changes; so does a task already decided. ``require_clean`` (bulk passing) refuses a
    version with any finding or with legal bases changed against the published version."""
    locked = _lock(task)
    if locked.closed_at is not None:
        raise ConflictError(_decided_message(locked))
    if decision == Decision.PASS:
        action, reasons, comments = pass_action(locked.stage), (), ()
        if require_clean:
            obstacle = bulk_pass_obstacle(locked.standard)
            if obstacle:
                raise ValidationError(obstacle)
    elif decision == Decision.RETURN:
        action = return_action(locked.stage)
    else:
        raise ValidationError({"decision": _("请选择审查结论")})
    standard_transition(
        actor=actor,
        standard=locked.standard,
        action=action,
        note=note,
        reasons=reasons,
        comments=comments,
        expected_state=STATE_OF_STAGE[locked.stage],
    )
    locked.refresh_from_db()
    return locked


def bulk_pass_obstacle(standard: ItemStandard) -> str:
    """Why a version may not be passed in bulk ("" when it may): any finding of the quality checks, no published
    version to compare with, or legal-basis rows that differ from the published version."""
    findings = run_checks(standard)
    if findings:
        return _("质量检查有%(n)d项问题，请逐项审查") % {"n": len(findings)}
    changed = lifecycle.citations_changed(standard)
    if changed is None:
        return _("首次提交，无已发布版本可比对法律依据，请逐项审查")
    if changed:
        return _("法律依据与已发布版本不同，请逐项审查")
    return ""


@dataclass(frozen=True)
class Skipped:
    task: ReviewTask
    reason: str


def review_bulk_pass(*, actor: User, tasks: Iterable[ReviewTask]) -> tuple[list[ReviewTask], list[Skipped]]:
    """Pass each task whose version has no findings at all and whose legal bases did not change against the published
    version; each in its own transaction, so one refusal does not undo the others. Returns (passed, skipped with the
    reason)."""
    passed: list[ReviewTask] = []
    skipped: list[Skipped] = []
    for task in tasks:
        try:
            decided = review_task_decide(
                actor=actor, task=task, decision=Decision.PASS, note=_("批量通过"), require_clean=True
            )
        except (ConflictError, TransitionNotAllowed) as exc:
            skipped.append(Skipped(task, exc.message))
        except PermissionDenied as exc:
            skipped.append(Skipped(task, str(exc) or _("没有权限")))
        except ValidationError as exc:
            skipped.append(Skipped(task, "；".join(exc.messages)))
        else:
            passed.append(decided)
    return passed, skipped
