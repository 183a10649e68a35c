"""Review tasks follow the workflow's transition log.

``follow_transition`` is registered with ``workflow.services.on_transition`` (``ReviewsConfig.ready``) and runs after a
transition commits. It replays, in log order, every transition of that standard that no task has taken into account
yet: a transition out of a review state closes the open task of that stage (pass or return, by whom, when), a
transition into a review state opens the next task. The log entries that opened and closed each task are stored on it
(unique), so replaying twice changes nothing, and transitions committed together (the demo runs in one transaction)
are applied one after the other. A failure is logged and never undoes the committed transition; the next transition of
that standard, or ``reconcile_all()``, catches up.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from catalogue.models import Organization, OrganizationKind
from core.workdays import add_workdays
from standards.checks import run_checks
from standards.diff import diff_standards
from standards.models import ItemStandard, StandardState
from workflow.models import StateTransition
from workflow.permissions import ROLE_BODY, review_division_code
from workflow.transitions import RETURN_ACTIONS, STAGE_OF_STATE, TRANSITIONS

from .models import Decision, ReviewTask, Stage

logger = logging.getLogger(__name__)

DEFAULT_DUE_WORKING_DAYS = {Stage.DEPT_CONFIRM: 3, Stage.COMPLIANCE: 5, Stage.LEGALITY: 5}
STATE_OF_STAGE: dict[str, str] = {stage: state for state, stage in STAGE_OF_STATE.items()}


def _stage_actions() -> dict[str, tuple[str, str]]:
    """(pass action, return action) of each stage, read from the workflow's transition table."""
    result = {}
    for stage, state in STATE_OF_STAGE.items():
        actions = [a for a, t in TRANSITIONS.items() if state in t.sources]
        returns = [a for a in actions if a in RETURN_ACTIONS]
        passes = [a for a in actions if a not in RETURN_ACTIONS]
        assert len(returns) == 1 and len(passes) == 1, (stage, actions)
        result[stage] = (str(passes[0]), str(returns[0]))
    return result


STAGE_ACTIONS = _stage_actions()


def pass_action(stage: str) -> str:
    return STAGE_ACTIONS[stage][0]


def return_action(stage: str) -> str:
    return STAGE_ACTIONS[stage][1]


def stage_roles(stage: str) -> frozenset[str]:
    """Who decides a stage: the roles of its pass action in the transition table."""
    return TRANSITIONS[pass_action(stage)].roles


def due_working_days(stage: str) -> int:
    configured = getattr(settings, "REVIEW_DUE_WORKING_DAYS", {}) or {}
    return int(configured.get(str(stage), DEFAULT_DUE_WORKING_DAYS[stage]))


def assignee(stage: str, standard: ItemStandard) -> Organization | None:
    """The body that decides ``stage``: the item's department for the confirmation, otherwise the reviewing
    division's establishment office (compliance) or justice bureau (legality)."""
    item = standard.local_item
    if stage == Stage.DEPT_CONFIRM:
        return item.organization
    kinds = {ROLE_BODY.get(role, OrganizationKind.BIANBAN) for role in stage_roles(stage)}
    return (
        Organization.objects.filter(kind__in=kinds, division_id=review_division_code(item.division), is_active=True)
        .order_by("pk")
        .first()
    )


def published_version(standard: ItemStandard) -> ItemStandard | None:
    """The item's published version the reviewed one would replace (None for a first submission)."""
    return (
        ItemStandard.objects.filter(local_item_id=standard.local_item_id, state=StandardState.PUBLISHED)
        .exclude(pk=standard.pk)
        .first()
    )


def citations_changed(standard: ItemStandard, published: ItemStandard | None = None) -> bool | None:
    """Whether the legal-basis rows differ from the published version's; None when nothing is published."""
    published = published if published is not None else published_version(standard)
    if published is None:
        return None
    return not diff_standards(published, standard).section("citation").is_empty


def snapshot(task: ReviewTask) -> None:
    """Record the findings and the citation change of the version when its task opens."""
    try:
        with transaction.atomic():  # a savepoint: a failed query here must not break the caller's transaction
            task.finding_count = len(run_checks(task.standard))
            task.citations_changed = citations_changed(task.standard)
    except Exception:  # a broken standard must not stop the task from opening
        logger.exception("审查任务 %s：质量检查或版本比较失败", task.pk)
        task.finding_count, task.citations_changed = None, None


def follow_transition(standard: ItemStandard, record: StateTransition) -> None:
    """The workflow hook: bring the standard's tasks up to date with its log. Never raises."""
    try:
        reconcile(standard.pk)
    except Exception:
        logger.exception("审查任务未能跟随流转记录 %s（标准 %s）", record.pk, standard.pk)


def reconcile(standard_id: int) -> ReviewTask | None:
    """Apply every transition of a standard that no task reflects yet, in order; return the open task, if any."""
    with transaction.atomic():
        standard = (
            ItemStandard.objects.select_for_update(of=("self",))
            .select_related("local_item__division", "local_item__organization")
            .get(pk=standard_id)
        )
        tasks = list(ReviewTask.objects.filter(standard=standard))
        opened_by = {t.opening_transition_id for t in tasks} - {None}
        closed_by = {t.closing_transition_id for t in tasks} - {None}
        records = StateTransition.objects.filter(standard=standard).order_by("id")
        if opened_by | closed_by:
            # The log is append-only and applied in order: only the last applied entry (a decision closes its task
            # in its own transaction, the next task opens here) and what came after it can still be pending.
            records = records.filter(id__gte=max(opened_by | closed_by))
        records = list(records.select_related("actor"))
        open_task = next((t for t in tasks if t.closed_at is None), None)
        opened: list[ReviewTask] = []
        for record in records:
            leaving, entering = STAGE_OF_STATE.get(record.from_state), STAGE_OF_STATE.get(record.to_state)
            if record.pk in closed_by:
                leaving = None
            if record.pk in opened_by:
                entering = None
            if leaving and open_task is not None and open_task.stage == leaving:
                _close(open_task, record)
                open_task = None
            if entering:
                if open_task is not None:
                    _close_stale(open_task, record.at)
                open_task = _open(standard, entering, record)
                opened.append(open_task)
        # A version no longer in the state its task waits for (withdrawn, or moved outside the log) frees the task.
        if open_task is not None and STAGE_OF_STATE.get(standard.state) != open_task.stage:
            _close_stale(open_task, timezone.now())
            open_task = None
        if open_task is not None and open_task in opened:
            snapshot(open_task)
            open_task.save(update_fields=["finding_count", "citations_changed"])
        return open_task


def _open(standard: ItemStandard, stage: str, record: StateTransition) -> ReviewTask:
    organization = assignee(stage, standard)
    try:
        with transaction.atomic():
            return ReviewTask.objects.create(
                standard=standard,
                stage=stage,
                organization=organization,
                division_id=review_division_code(standard.local_item.division),
                round=record.round,
                opened_at=record.at,
                due_at=add_workdays(record.at, due_working_days(stage)),
                opening_transition=record,
            )
    except IntegrityError:
        # Opened meanwhile by a concurrent replay of the same entry.
        return ReviewTask.objects.get(opening_transition=record)


def _close(task: ReviewTask, record: StateTransition) -> None:
    if task.closed_at is not None:
        return
    task.closed_at = record.at
    task.closing_transition = record
    task.decision = Decision.RETURN if record.action in RETURN_ACTIONS else Decision.PASS
    task.decided_by = record.actor
    task.note = task.note or record.note
    task.save(update_fields=["closed_at", "closing_transition", "decision", "decided_by", "note"])


def _close_stale(task: ReviewTask, at: dt.datetime) -> None:
    """Close without a decision: the version left the stage without a decision of it (withdrawn, repaired data)."""
    task.closed_at = at
    task.save(update_fields=["closed_at"])


def close_for_items(local_item_ids) -> int:
    """Close the open tasks of cancelled items' versions (their standards are withdrawn in the same transaction)."""
    return (
        ReviewTask.objects.open()
        .filter(standard__local_item_id__in=list(local_item_ids))
        .update(closed_at=timezone.now())
    )


def reconcile_all(log=None) -> int:
    """Bring every standard that has transitions up to date (after a failure, or for versions moved through the
    workflow before the reviews app existed). Returns how many standards were looked at."""
    ids = list(StateTransition.objects.values_list("standard_id", flat=True).distinct().order_by("standard_id"))
    for standard_id in ids:
        reconcile(standard_id)
    if log:
        log(f"审查任务：已核对 {len(ids)} 个标准版本的流转记录")
    return len(ids)
