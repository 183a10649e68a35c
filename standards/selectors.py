"""Reads of standards, scoped through ``standards.permissions`` and doing their own joins."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import CharField, Count, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from catalogue import access as catalogue_access
from catalogue import selectors as catalogue_selectors
from catalogue.models import LocalItem, LocalItemStatus

from . import permissions
from .models import ItemStandard, StandardState
from .transitions import Action


def items_with_standards(*, user: User | AnonymousUser) -> QuerySet[LocalItem]:
    """The user's items in force, each annotated with its latest version and its published version: two subqueries,
    no query per row."""
    latest = ItemStandard.objects.filter(local_item=OuterRef("pk")).order_by("-version")
    published = ItemStandard.objects.filter(local_item=OuterRef("pk"), state=StandardState.PUBLISHED)
    return (
        catalogue_access.visible_local_items(user)
        .filter(status=LocalItemStatus.ACTIVE)
        .select_related("organization", "division")
        .annotate(
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_version=Subquery(latest.values("version")[:1]),
            latest_state=Subquery(latest.values("state")[:1]),
            published_version=Subquery(published.values("version")[:1]),
        )
    )


def with_guide_state(items: QuerySet[LocalItem]) -> QuerySet[LocalItem]:
    """``guide_state``: the state of each item's latest version ("" when none was started), one subquery, for the
    catalogue's exports; its published version's number is the item's own ``guide_version``."""
    latest = ItemStandard.objects.filter(local_item=OuterRef("pk")).order_by("-version")
    return items.annotate(
        guide_state=Coalesce(Subquery(latest.values("state")[:1]), Value(""), output_field=CharField()),
    )


def standard_for_editor(*, pk: int) -> ItemStandard | None:
    return (
        ItemStandard.objects.select_related(
            "local_item__organization",
            "local_item__division",
            "local_item__general_item",
            "guide",
            "manual",
            "updated_by",
            "imported_by",
            "imported_for",
        )
        .filter(pk=pk)
        .first()
    )


def templates_for(*, local_item: LocalItem) -> QuerySet[ItemStandard]:
    """Published standards of the same general item in other divisions: the models a clerk may start from."""
    return (
        ItemStandard.objects.filter(
            state=StandardState.PUBLISHED, local_item__general_item_id=local_item.general_item_id
        )
        .exclude(local_item=local_item)
        .select_related("local_item__division", "local_item__organization")
        .order_by("local_item__division__code")
    )


# --- the REST API ---------------------------------------------------------------------------------------------

# What an item's API answer shows: reading only these keeps a 100-row page light.
API_ITEM_COLUMNS = (
    "code",
    "name",
    "item_type",
    "level",
    "status",
    "effective_date",
    "cancel_date",
    "updated_at",
    "division__code",
    "division__name",
    "division__level",
    "organization__uscc",
    "organization__name",
    "general_item__code",
    "guide_version",
    "guide_published_at",
)
GUIDE_ROW_RELATIONS = ("citations", "materials", "steps", "special_procedures", "fees", "result_samples", "faqs")


def api_items(*, user: User | AnonymousUser) -> QuerySet[LocalItem]:
    """The API's items (``catalogue.selectors.api_local_items``) with their published guide's version and date, read
    from the item's own row (``LocalItem.guide_version``, kept by the publishing and withdrawing services): no
    subquery, so a page costs what reading its rows costs."""
    return catalogue_selectors.api_local_items(user=user).only(*API_ITEM_COLUMNS)


def with_modified(items: QuerySet[LocalItem]) -> QuerySet[LocalItem]:
    """``modified``: when anything an item's answer shows last changed — the item, its body, or any version of its
    standard (a publication, a withdrawal, a draft's save for the staff who see drafts)."""
    newest_standard = (
        ItemStandard.objects.filter(local_item=OuterRef("pk"))
        .order_by()
        .values("local_item")
        .annotate(newest=Max("updated_at"))
        .values("newest")
    )
    return items.annotate(
        modified=Greatest("updated_at", "organization__updated_at", Coalesce(Subquery(newest_standard), "updated_at"))
    )


def items_changed_since(items: QuerySet[LocalItem], since: datetime) -> QuerySet[LocalItem]:
    """Items whose answer changed at or after ``since``: two indexed range look-ups (items, standards), so the
    change feed and ``updated_since`` read only what changed, not the whole catalogue."""
    touched = ItemStandard.objects.filter(updated_at__gte=since).values("local_item_id")
    return items.filter(Q(updated_at__gte=since) | Q(pk__in=touched))


def guide_version(item: LocalItem, *, published: bool) -> ItemStandard | None:
    """The published version of an item's standard (or the one in progress) with its guide and every guide row, in
    eight queries. The business manual is never loaded."""
    versions = item.standards.published() if published else item.standards.in_progress()
    return versions.select_related("guide").prefetch_related(*GUIDE_ROW_RELATIONS).first()


def published_guides_in(division) -> QuerySet[ItemStandard]:
    """Published standards of a division's subtree with their item, body and guide: the open-data export's rows."""
    return (
        ItemStandard.objects.published()
        .filter(
            local_item__status__in=[LocalItemStatus.ACTIVE, LocalItemStatus.SUSPENDED],
            **{f"local_item__division__{division.level}_code": division.code},
        )
        .select_related("guide", "local_item__organization", "local_item__division")
        .order_by("local_item__code")
    )


# --- the workbench ------------------------------------------------------------------------------------------------


def versions_to_submit(user: User | AnonymousUser) -> QuerySet[ItemStandard]:
    """Drafts and returned versions the user may submit (``permissions.action_filter``), the longest untouched first,
    with their item, body and division joined in. A returned version carries its reasons (``return_notes``)."""
    return (
        ItemStandard.objects.filter(permissions.action_filter(user, Action.SUBMIT))
        .select_related("local_item__organization", "local_item__division")
        .order_by("updated_at", "pk")
    )


def count_by_state(standards: QuerySet[ItemStandard]) -> dict[str, int]:
    """How many of ``standards`` are in each state, in one query."""
    rows = standards.order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}
