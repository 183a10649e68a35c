"""Reads of review tasks: whose tasks a user sees, the queue with its filters, the comments of the last return."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from catalogue import access as catalogue_access
from catalogue.department_filter import clean_name, department_filter, department_q
from catalogue.models import DivisionLevel, Organization, Sector
from core.pages import parse_keys
from standards import paths, permissions
from standards.models import ItemStandard, StandardState
from standards.transitions import STATE_OF_STAGE

from .models import Decision, ReturnComment, ReviewTask, Stage


def tasks_in_scope(user: User | AnonymousUser) -> QuerySet[ReviewTask]:
    """Tasks (open or closed) the user may look at: ``standards.permissions.review_tasks_filter``."""
    return ReviewTask.objects.filter(permissions.review_tasks_filter(user))


def waiting_in_its_stage() -> Q:
    """The version still waits in the state of its task (hides a task the lifecycle has not caught up with yet)."""
    q = Q(pk__in=[])
    for stage, state in STATE_OF_STAGE.items():
        q |= Q(stage=stage, standard__state=state)
    return q


@dataclass
class QueueFilters:
    stage: str = ""
    division: str = ""
    department: int | None = None
    department_name: str = ""
    overdue: bool = False
    claimed: str = ""  # "", "mine", "none"

    @classmethod
    def from_query(cls, data) -> QueueFilters:
        try:
            department = parse_keys([data["department"]])[0] if data.get("department") else None
        except ValueError:
            department = None
        return cls(
            stage=data.get("stage", "") if data.get("stage", "") in Stage.values else "",
            division=(data.get("division") or "").strip()[:9],
            department=department,
            department_name=clean_name(data.get("department_name")),
            overdue=data.get("overdue") in ("1", "on", "true"),
            claimed=data.get("claimed", "") if data.get("claimed", "") in ("mine", "none") else "",
        )


def open_tasks(user: User | AnonymousUser) -> QuerySet[ReviewTask]:
    return tasks_in_scope(user).open().filter(waiting_in_its_stage())


def queue(user: User | AnonymousUser, filters: QueueFilters | None = None) -> QuerySet[ReviewTask]:
    """The open tasks the user may act on, oldest first, with everything a row shows joined in (no query per row)."""
    tasks = open_tasks(user)
    filters = filters or QueueFilters()
    if filters.stage:
        tasks = tasks.filter(stage=filters.stage)
    if filters.division:
        tasks = tasks.filter(division_id=filters.division)
    if filters.department or filters.department_name:
        tasks = tasks.filter(
            department_q(
                "standard__local_item__organization", selected=filters.department, name=filters.department_name
            )
        )
    if filters.overdue:
        tasks = tasks.filter(due_at__lt=timezone.now())
    if filters.claimed == "mine":
        tasks = tasks.filter(claimed_by_id=user.pk)
    elif filters.claimed == "none":
        tasks = tasks.filter(claimed_by__isnull=True)
    return tasks.select_related(
        "standard__local_item__organization",
        "standard__local_item__division",
        "organization",
        "division",
        "claimed_by",
    ).order_by("opened_at", "id")


def my_tasks(user: User | AnonymousUser) -> QuerySet[ReviewTask]:
    """The open tasks the user decides in their own bodies (``permissions.deciding_tasks_filter``), except those a
    colleague has claimed, the earliest due first, with what an entry shows joined in."""
    return (
        ReviewTask.objects.filter(permissions.deciding_tasks_filter(user))
        .open()
        .filter(waiting_in_its_stage())
        .filter(Q(claimed_by__isnull=True) | Q(claimed_by_id=user.pk))
        .select_related("standard__local_item__organization", "standard__local_item__division")
        .order_by("due_at", "opened_at", "pk")
    )


def count_by_stage(tasks: QuerySet[ReviewTask], now=None) -> dict[str, tuple[int, int]]:
    """(open, overdue) of ``tasks`` for each stage, in one query."""
    rows = (
        tasks.order_by()
        .values("stage")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now or timezone.now())))
    )
    return {row["stage"]: (row["n"], row["late"]) for row in rows}


def queue_choices(user: User | AnonymousUser, filters: QueueFilters) -> dict:
    """The filter's counties and departments, at a cost that does not grow with the province: the counties are those
    of the user's scope (a small table, not a scan of every open task); the departments are asked only within one
    county (the chosen one, or the user's only one), as a select of those among its open tasks while they are a few
    dozen, else a search box (``catalogue.department_filter``). At most two queries."""
    counties = catalogue_access.visible_divisions(user).filter(level=DivisionLevel.COUNTY)
    if catalogue_access.scope_of(user).is_admin:
        # An administrator sees the whole country's division table; the counties worth offering are those of the
        # provinces that keep a catalogue here (their sectors: a table of a few dozen rows per province).
        counties = counties.filter(province_code__in=Sector.objects.values("province_id"))
    divisions = list(counties.order_by("code"))
    county = filters.division or (divisions[0].code if len(divisions) == 1 else "")
    candidates = None
    if county:
        in_county = open_tasks(user).filter(division_id=county)
        candidates = Organization.objects.filter(pk__in=in_county.values("standard__local_item__organization_id"))
    return {
        "divisions": divisions,
        "department_filter": department_filter(candidates, selected=filters.department, name=filters.department_name),
        "department_division": county,
    }


def task_for(user: User | AnonymousUser, pk: int) -> ReviewTask | None:
    """A task the user may look at, with what the review screen shows; None outside their scope (the page says 404,
    never 403, so task ids reveal nothing)."""
    return (
        tasks_in_scope(user)
        .select_related(
            "standard__local_item__organization",
            "standard__local_item__division",
            "standard__local_item__general_item",
            "standard__guide",
            "standard__created_by",
            "organization",
            "division",
            "claimed_by",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )


def _rounds(standards: list[ItemStandard], labels: dict[str, str] | None = None) -> list[ReviewTask]:
    """The tasks of some versions, oldest first, each with ``comment_list`` whose comments say their ``place``."""
    tasks = list(
        ReviewTask.objects.filter(standard__in=standards)
        .select_related("organization", "decided_by", "claimed_by")
        .prefetch_related("reasons", "comments__reason")
        .order_by("opened_at", "id")
    )
    for task in tasks:
        task.comment_list = list(task.comments.all())
        for comment in task.comment_list:
            comment.place = paths.describe(comment.field_path, labels)
    return tasks


def rounds_of(standard: ItemStandard, labels: dict[str, str] | None = None) -> list[ReviewTask]:
    """Every task of a version, oldest first, with their reasons and placed comments (three queries)."""
    return _rounds([standard], labels)


def story_rounds(versions: list[ItemStandard]) -> dict[int, list[ReviewTask]]:
    """The review rounds of every version by version id, with reasons and comments, for the story page (three
    queries for all versions)."""
    by_version: dict[int, list[ReviewTask]] = {}
    for task in _rounds(versions) if versions else []:
        by_version.setdefault(task.standard_id, []).append(task)
    return by_version


def decision_page(standard: ItemStandard) -> str | None:
    """The review screen of the version's open task, where its decision is taken with structured reasons."""
    task = ReviewTask.objects.open().filter(standard=standard).only("pk").first()
    return reverse("reviews:task", args=[task.pk]) if task else None


def last_return(standard: ItemStandard) -> ReviewTask | None:
    return (
        ReviewTask.objects.filter(standard=standard, decision=Decision.RETURN)
        .order_by("-closed_at", "-id")
        .prefetch_related("reasons")
        .first()
    )


def open_return_comments(standard: ItemStandard) -> dict[str, list[ReturnComment]]:
    """The comments of the last return of a version that is back with its authors (state ``returned``), keyed by the
    field path where the editor shows them — the quality checks' convention: ``guide.<field>``, ``manual.<field>``,
    ``<formset prefix>`` for a whole list, ``<formset prefix>[<0-based row index>]`` (optionally ``.<field>``) for a
    row. Row indexes are those of the rows now (a row the author moved keeps its comment, a deleted row's comment goes
    to its list); "" holds comments on the standard as a whole, and — as unsaved comments with empty text — each
    reason the reviewer ticked without commenting on it. Empty when the version is not returned.

    Each comment has ``reason`` (``code``, ``text``) and ``text``. A fixed number of queries.
    """
    if standard.state != StandardState.RETURNED:
        return {}
    task = last_return(standard)
    if task is None:
        return {}
    comments = list(task.comments.select_related("reason"))
    current = paths.reindex(standard, comments)
    keyed: dict[str, list[ReturnComment]] = {}
    for comment in comments:
        keyed.setdefault(current[comment.pk], []).append(comment)
    commented = {c.reason_id for c in comments}
    for reason in task.reasons.all():
        if reason.pk not in commented:
            keyed.setdefault("", []).append(ReturnComment(task=task, reason=reason, field_path="", text=""))
    return keyed


def awaiting_publication(user: User | AnonymousUser) -> QuerySet[ItemStandard]:
    """The approved versions waiting for this publisher (``standards.permissions.publishable_standards``), the longest
    waiting first, with what a row shows joined in and the number of the version they replace (one query a page)."""
    in_force = ItemStandard.objects.filter(local_item=OuterRef("local_item"), state=StandardState.PUBLISHED)
    return (
        permissions.publishable_standards(user)
        .select_related("local_item__organization", "local_item__division")
        .annotate(published_version=Subquery(in_force.values("version")[:1]))
        .order_by(F("approved_at").asc(nulls_last=True), "pk")
    )
