"""What accepted rows write, saved a chunk at a time: a few bulk INSERTs and UPDATEs per model, each with its
history rows (django-simple-history's bulk helpers keep the importing user and the ``批量导入：<file>`` reason that
every staged record carries)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from catalogue.models import GeneralItem, LocalItem, NodeKind, Organization, Sector

GENERAL_UPDATE_FIELDS = ["name", "name_initials", "levels", "item_type", "type_scheme", "parent", "updated_at"]
LOCAL_UPDATE_FIELDS = ["name", "name_initials", "item_type", "updated_at"]


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str
    reason: str  # a ``Message`` where the reason has a source text, so it can be stored and shown in any language

    def __str__(self) -> str:
        if self.column:
            return gettext("第%(row)s行，列“%(column)s”：%(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.reason,
            }
        return gettext("第%(row)s行：%(reason)s") % {"row": self.row, "reason": self.reason}


@dataclass
class Staged:
    """One row's writes. ``general_updates`` holds (item, values before, whether the item is itself staged new):
    the values restore the cached item when the row is rejected after all."""

    outcome: str = ""
    row: int = 0
    code: str = ""
    name: str = ""
    sectors: list[Sector] = field(default_factory=list)
    departments: list[tuple[tuple[str, str, str], Organization]] = field(default_factory=list)
    generals: list[GeneralItem] = field(default_factory=list)
    general_updates: list[tuple[GeneralItem, dict, bool]] = field(default_factory=list)
    local: LocalItem | None = None
    local_update: LocalItem | None = None
    # What the row changes in existing records, for the preview: {field, code, before, after}.
    changes: list[dict] = field(default_factory=list)


def save_staged(rows: list[Staged], *, actor: User, reason: str) -> None:
    """Parents before children: sectors and departments, then general items level by level (a staged parent has
    its key by the time its children are inserted), then local items."""
    history = {"default_user": actor, "default_change_reason": reason}
    sectors = [s for row in rows for s in row.sectors]
    if sectors:
        Sector.objects.bulk_create(sectors)
    departments = [org for row in rows for _key, org in row.departments]
    if departments:
        bulk_create_with_history(departments, Organization, **history)
    generals = [g for row in rows for g in row.generals]
    for kind in (NodeKind.MAIN, NodeKind.SUB, NodeKind.HANDLE):
        level = [g for g in generals if g.node_kind == kind]
        if level:
            bulk_create_with_history(level, GeneralItem, **history)
    now = timezone.now()
    # An item several rows changed is written once; one staged new in this chunk was inserted as it stands.
    updated = {id(item): item for row in rows for item, _old, new in row.general_updates if not new}
    for item in updated.values():
        item.updated_at = now
    if updated:
        bulk_update_with_history(list(updated.values()), GeneralItem, GENERAL_UPDATE_FIELDS, **history)
    locals_ = [row.local for row in rows if row.local is not None]
    if locals_:
        bulk_create_with_history(locals_, LocalItem, **history)
    local_updates = [row.local_update for row in rows if row.local_update is not None]
    for item in local_updates:
        item.updated_at = now
    if local_updates:
        bulk_update_with_history(local_updates, LocalItem, LOCAL_UPDATE_FIELDS, **history)
