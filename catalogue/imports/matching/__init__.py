"""Matching one row against the catalogue: its division, department, general item (with the parents its code
implies) and local item — found by code, then by name, or created and flagged for review.

Matching writes nothing: what a row would create or change is staged (``staging.Staged``) and saved with the rest of
its chunk, so a chunk of rows costs a few queries instead of a dozen per row. The lookups read per-chunk caches
filled by ``prefetch`` with a few IN queries; what is not in them (the slow path after a database error) is fetched
one by one. Departments, sectors and divisions are few, so their caches live for the whole run.

``places`` matches divisions and departments, ``general`` general items, ``rows`` the local item of a whole row.
"""

from .common import (
    CONFLICT,
    CREATE,
    DECISIONS,
    SKIPPED,
    UNCHANGED,
    UPDATE,
    RowConflict,
    RowRejected,
    RowSkipped,
    validation_messages,
)
from .general import GeneralItemMatcher
from .places import PlaceMatcher
from .rows import RowMatcher

__all__ = [
    "CONFLICT",
    "CREATE",
    "DECISIONS",
    "SKIPPED",
    "UNCHANGED",
    "UPDATE",
    "GeneralItemMatcher",
    "PlaceMatcher",
    "RowConflict",
    "RowMatcher",
    "RowRejected",
    "RowSkipped",
    "validation_messages",
]
