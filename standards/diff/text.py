"""Character-level diff of long texts: Chinese has no spaces to split words on, so texts are compared character by
character and the result is tidied into readable deletions and insertions."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from .results import DELETE, EQUAL, INSERT, Segment

# Texts longer than this (both sides together) are shown as replaced whole rather than diffed character by character.
MAX_CHAR_DIFF = 20_000


def char_diff(old: str, new: str) -> list[Segment]:
    """Character-level diff of two texts. Short equal runs stranded between larger edits are folded into the edits,
    so a rewritten sentence reads as one deletion and one insertion rather than a mosaic of single characters."""
    old, new = old or "", new or ""
    if old == new:
        return [Segment(EQUAL, old)] if old else []
    if not old or not new or len(old) + len(new) > MAX_CHAR_DIFF:
        return [s for s in (Segment(DELETE, old), Segment(INSERT, new)) if s.text]
    # Runs: (equal text, None) or (None, (deleted, inserted)).
    runs: list[list[Any]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == EQUAL:
            runs.append([old[i1:i2], None])
        elif runs and runs[-1][1] is not None:
            runs[-1][1] = (runs[-1][1][0] + old[i1:i2], runs[-1][1][1] + new[j1:j2])
        else:
            runs.append([None, (old[i1:i2], new[j1:j2])])
    runs = _fold_short_equalities(runs)
    segments = []
    for equal, edit in runs:
        if edit is None:
            segments.append(Segment(EQUAL, equal))
        else:
            segments.extend(s for s in (Segment(DELETE, edit[0]), Segment(INSERT, edit[1])) if s.text)
    return segments


def _fold_short_equalities(runs: list[list[Any]]) -> list[list[Any]]:
    changed = True
    while changed:
        changed = False
        for k in range(1, len(runs) - 1):
            equal, before, after = runs[k][0], runs[k - 1][1], runs[k + 1][1]
            if equal is None or before is None or after is None:
                continue
            if len(equal) <= max(map(len, before)) and len(equal) <= max(map(len, after)):
                merged = (before[0] + equal + after[0], before[1] + equal + after[1])
                runs[k - 1 : k + 2] = [[None, merged]]
                changed = True
                break
    return runs
