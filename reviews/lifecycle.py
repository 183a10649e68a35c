"""The review task of each stage: who it is assigned to, when it is due, and what it records when it opens and closes.

These are the steps ``reviews.services.standard_transition`` takes inside its own transaction: a transition out of a
review state closes the open task of that stage (pass or return, by whom, when, with the reasons), a transition into a
review state opens the next one. Nothing here runs on its own, and nothing here swallows an error: a task that cannot
be opened rolls the whole transition back, so a submitted version is never left in nobody's queue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from catalogue.models import Organization, OrganizationKind
from core.workdays import add_workdays
from standards.checks import run_checks
from standards.diff import diff_standards
from standards.models import ItemStandard, StandardState
from standards.permissions import ROLE_BODY, review_division_code
from standards.transitions import STATE_OF_STAGE, pass_action, return_action, stage_roles
from workflow.models import StateTransition

from .models import Decision, ReviewTask, Stage

DEFAULT_DUE_WORKING_DAYS = {Stage.DEPT_CONFIRM: 3, Stage.COMPLIANCE: 5, Stage.LEGALITY: 5}


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


def open_task(standard: ItemStandard, stage: str, record: StateTransition) -> ReviewTask:
    """Open the task of ``stage`` for the version ``record`` moved into it, with the findings and the citation change
    of the version as the reviewer will find it. The database allows one open task per version."""
    with transaction.atomic():  # a savepoint, so the snapshot's queries and the insert fail together
        return ReviewTask.objects.create(
            standard=standard,
            stage=stage,
            organization=assignee(stage, standard),
            division_id=review_division_code(standard.local_item.division),
            round=record.round,
            opened_at=record.at,
            due_at=add_workdays(record.at, due_working_days(stage)),
            opening_transition=record,
            finding_count=len(run_checks(standard)),
            citations_changed=citations_changed(standard),
        )


def close_task(task: ReviewTask, record: StateTransition) -> ReviewTask:
    """Close ``task`` with the transition that decided it: a return, a pass, or — for a version withdrawn while
    waiting — no decision at all."""
    task.closed_at, task.closing_transition = record.at, record
    if record.from_state == STATE_OF_STAGE[task.stage]:
        if record.action == return_action(task.stage):
            task.decision = Decision.RETURN
        elif record.action == pass_action(task.stage):
            task.decision = Decision.PASS
    if task.decision:
        task.decided_by = record.actor
        task.note = record.note
    task.save(update_fields=["closed_at", "closing_transition", "decision", "decided_by", "note"])
    return task
