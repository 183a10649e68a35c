"""Offline entry of standards: an Excel workbook to fill away from the portal, and guides exported by other systems
as JSON, read through a profile. Both become the editor's form data and are saved by the editor's own code path.

* ``workbook`` — which items a clerk may take offline, and the .xlsx with their current values;
* ``reader`` — an uploaded workbook back into ``ItemInput``s with row errors;
* ``guide_rules`` — the one rule type every value of a guide profile is read with (key, pattern, map, default);
* ``guide_profiles`` — TOML profiles and the JSON reader;
* ``item_guides`` — the ``[guide]`` table of an item list's profile, applied after the catalogue import;
* ``apply`` — preview (dry run) and save: a workbook whole, guides one by one unless all or nothing is asked;
* ``report`` — what an upload changes, per item, for the preview and the result.
"""

from .apply import Outcome, apply_upload
from .guide_profiles import guide_profile_choices, load_guide_profile, read_guides
from .reader import read_workbook
from .workbook import build_workbook, items_for_export, items_needing_standard

__all__ = [
    "Outcome",
    "apply_upload",
    "build_workbook",
    "guide_profile_choices",
    "items_for_export",
    "items_needing_standard",
    "load_guide_profile",
    "read_guides",
    "read_workbook",
]
