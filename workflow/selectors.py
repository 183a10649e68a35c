"""Reads for the workflow pages: the whole story of one standard, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from catalogue.history import HistoryEntry, history_entries
from standards.models import ItemStandard

from .models import StateTransition


@dataclass(frozen=True)
class StoryPart:
    """What an app built on the workflow adds to each version's chapter of the story: a template (rendered with
    ``part``) and its data per version id."""

    template: str
    by_version: dict[int, Any]


StoryPartProvider = Callable[[list[ItemStandard]], StoryPart]
_story_parts: list[StoryPartProvider] = []
# Set by an app whose own page takes the review decisions with their structured reasons (the reviews' task screen):
# the address where a version's open decision is taken, or None.
_decision_page: list[Callable[[ItemStandard], str | None]] = []


def add_story_part(provider: StoryPartProvider) -> StoryPartProvider:
    """Register a provider (apps built on the workflow, e.g. the reviews' rounds, reasons and comments)."""
    if provider not in _story_parts:
        _story_parts.append(provider)
    return provider


def take_decisions_on(page: Callable[[ItemStandard], str | None]) -> None:
    """Review decisions (confirm, pass, return) are taken on ``page``'s screen, not on the story page."""
    _decision_page[:] = [page]


def decision_page(standard: ItemStandard) -> str | None:
    """Where the open review decision of ``standard`` is taken, when another app takes decisions; else None."""
    return _decision_page[0](standard) if _decision_page else None


def decisions_elsewhere() -> bool:
    return bool(_decision_page)


@dataclass
class VersionStory:
    standard: ItemStandard
    transitions: list[StateTransition]
    guide_changes: list[HistoryEntry]
    parts: list[tuple[str, Any]] = field(default_factory=list)


def standard_story(standard: ItemStandard, *, history_limit: int = 30) -> list[VersionStory]:
    """Every version of the item, newest first, each with its transitions, what registered apps add (review rounds,
    reasons, comments) and the field changes of its guide."""
    versions = list(
        ItemStandard.objects.filter(local_item_id=standard.local_item_id)
        .select_related("created_by", "updated_by", "guide")
        .order_by("-version")
    )
    transitions: dict[int, list[StateTransition]] = {v.pk: [] for v in versions}
    for record in StateTransition.objects.filter(standard__in=versions).select_related("actor", "organization"):
        transitions[record.standard_id].append(record)
    parts = [provider(versions) for provider in _story_parts]
    return [
        VersionStory(
            v,
            transitions[v.pk],
            history_entries(v.guide, limit=history_limit),
            [(part.template, part.by_version[v.pk]) for part in parts if v.pk in part.by_version],
        )
        for v in versions
    ]


def transitions_of(standard: ItemStandard) -> QuerySet[StateTransition]:
    return StateTransition.objects.filter(standard=standard).select_related("actor", "organization")
