"""Every change a reviewer makes to a review task: claim, release, decide, bulk pass.

Who may decide is asked of ``workflow.permissions`` (and asked again by ``workflow.services.standard_transition``,
which every decision goes through); this module adds only the task's own rules: a task is decided once, and a task
claimed by one reviewer is not decided by another.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue import access as catalogue_access
from core.exceptions import ConflictError, TransitionNotAllowed
from standards.checks import run_checks
from standards.models import ItemStandard
from workflow import permissions
from workflow.models import StateTransition
from workflow.services import standard_transition

from . import lifecycle, paths
from .models import Decision, ReturnComment, ReturnReason, ReviewTask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommentInput:
    """One field-level comment of a return: under which reason, where (a field path, "" for the whole standard)."""

    reason: ReturnReason
    field_path: str = ""
    text: str = ""


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
    return ReviewTask.objects.select_for_update(of=("self",)).select_related("claimed_by", "decided_by").get(pk=task.pk)


def _ensure_may_decide(actor: User, task: ReviewTask, standard: ItemStandard) -> None:
    problem = permissions.denial(actor, lifecycle.pass_action(task.stage), standard)
    if problem is not None:
        raise problem


@transaction.atomic
def review_task_claim(*, actor: User, task: ReviewTask) -> ReviewTask:
    """Put one's name on an open task, so colleagues see who is on it. Only someone who may decide the stage claims;
    a task claimed by someone else stays theirs until they release it."""
    locked = _lock(task)
    if locked.closed_at is not None:
        raise ConflictError(_decided_message(locked))
    standard = ItemStandard.objects.select_related("local_item__division").get(pk=locked.standard_id)
    _ensure_may_decide(actor, locked, standard)
    if locked.claimed_by_id == actor.pk:
        return locked
    if locked.claimed_by_id is not None:
        raise ConflictError(
            _("该任务已由%(who)s于%(at)s认领，请联系其释放后再认领")
            % {"who": _name(locked.claimed_by), "at": timezone.localtime(locked.claimed_at).strftime("%Y-%m-%d %H:%M")}
        )
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
    if locked.claimed_by_id != actor.pk and not catalogue_access.scope_of(actor).is_admin:
        raise PermissionDenied(_("只有认领人可以释放该任务（当前认领人：%(who)s）") % {"who": _name(locked.claimed_by)})
    locked.claimed_by, locked.claimed_at = None, None
    locked.save(update_fields=["claimed_by", "claimed_at"])
    return locked


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
    """Decide a task: pass or return the version through the workflow, close the task, keep the reasons and comments.

    A return needs at least one reason (given directly or with a comment). The workflow is told the state the task
    waits in, so a version someone else moved on meanwhile raises ``ConflictError`` and nothing changes; so does a
    task already decided, or claimed by someone else. ``require_clean`` (bulk passing) refuses a version with any
    finding or with legal bases changed against the published version.
    """
    comments = [c if isinstance(c, CommentInput) else CommentInput(*c) for c in comments]
    # The version first, then the task: the order in which the lifecycle takes the same locks.
    ItemStandard.objects.select_for_update(of=("self",)).filter(pk=task.standard_id).first()
    locked = _lock(task)
    if locked.closed_at is not None:
        raise ConflictError(_decided_message(locked))
    if locked.claimed_by_id not in (None, actor.pk):
        raise ConflictError(_("该任务已由%(who)s认领，不能由您处理") % {"who": _name(locked.claimed_by)})
    standard = ItemStandard.objects.select_related("local_item__division", "local_item__organization").get(
        pk=locked.standard_id
    )
    if decision == Decision.PASS:
        action, chosen, comments = lifecycle.pass_action(locked.stage), [], []
        if require_clean:
            obstacle = bulk_pass_obstacle(standard)
            if obstacle:
                raise ValidationError(obstacle)
    elif decision == Decision.RETURN:
        action = lifecycle.return_action(locked.stage)
        chosen = _return_reasons(reasons, comments)
        located = [(c, _row_uid(standard, c.field_path.strip())) for c in comments]
        note = note.strip() or "；".join(f"{r.code} {r.text}" for r in chosen)
    else:
        raise ValidationError({"decision": _("请选择审查结论")})

    standard_transition(
        actor=actor, standard=standard, action=action, note=note, expected_state=lifecycle.STATE_OF_STAGE[locked.stage]
    )
    record = StateTransition.objects.filter(standard_id=standard.pk).latest("id")
    locked.closed_at, locked.closing_transition = record.at, record
    locked.decision, locked.decided_by, locked.note = decision, actor, note.strip()
    locked.save(update_fields=["closed_at", "closing_transition", "decision", "decided_by", "note"])
    if decision == Decision.RETURN:
        locked.reasons.set(chosen)
        ReturnComment.objects.bulk_create(
            [
                ReturnComment(
                    task=locked, reason=c.reason, field_path=c.field_path.strip(), row_uid=uid, text=c.text.strip()
                )
                for c, uid in located
            ]
        )
    # The next stage's task opens now rather than after commit (the hook then finds nothing left to do). Its own
    # savepoint: should opening fail, the decision stands and the after-commit hook tries again.
    try:
        lifecycle.reconcile(standard.pk)
    except Exception:
        logger.exception("审查任务 %s：决定后未能开启下一环节任务", locked.pk)
    return locked


def _row_uid(standard: ItemStandard, field_path: str):
    if not field_path:
        return None
    return paths.row_uid(standard, field_path)  # also validates the path


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
