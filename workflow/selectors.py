"""Reads of the workflow's log: the whole story of one standard, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from catalogue.history import HistoryEntry, history_entries
from standards.diff import StandardDiff, diff_predecessors
from standards.models import ItemStandard

from .models import StateTransition


@dataclass
class VersionStory:
    standard: ItemStandard
    transitions: list[StateTransition]
    guide_changes: list[HistoryEntry]
    # The version against the one it was made from (rows added, removed, changed, moved; the manual's fields); None
    # for the first version.
    changes: StandardDiff | None = None
    # The review rounds of the version, added by the reviews' story page (it sits above the workflow).
    rounds: list[Any] = field(default_factory=list)


def standard_story(standard: ItemStandard, *, history_limit: int = 30) -> list[VersionStory]:
    """Every version of the item, newest first, each with its transitions, the field changes of its guide and what it
    changed against the version it was made from (the comparisons load in a fixed number of queries)."""
    versions = list(
        ItemStandard.objects.filter(local_item_id=standard.local_item_id)
        .select_related("created_by", "updated_by", "guide")
        .order_by("-version")
    )
    changes = diff_predecessors(versions)
    transitions: dict[int, list[StateTransition]] = {v.pk: [] for v in versions}
    for record in StateTransition.objects.filter(standard__in=versions).select_related("actor", "organization"):
        transitions[record.standard_id].append(record)
    return [
        VersionStory(
            v,
            transitions[v.pk],
            history_entries(v.guide, limit=history_limit),
            changes.get(v.pk),
        )
        for v in versions
    ]


def transitions_of(standard: ItemStandard) -> QuerySet[StateTransition]:
    return StateTransition.objects.filter(standard=standard).select_related("actor", "organization")
