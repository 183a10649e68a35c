"""Reads of standards, scoped through ``standards.access`` and doing their own joins."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import OuterRef, QuerySet, Subquery

from catalogue import access as catalogue_access
from catalogue.models import LocalItem, LocalItemStatus

from .models import ItemStandard, StandardState


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


def standard_for_editor(*, pk: int) -> ItemStandard | None:
    return (
        ItemStandard.objects.select_related(
            "local_item__organization",
            "local_item__division",
            "local_item__general_item",
            "guide",
            "manual",
            "updated_by",
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
