"""Notes that apps built on the standards place beside the editor's fields.

The standards know nothing of reviews (imports flow one way), yet a returned version must show the reviewers' reasons
next to the fields they concern. So the editor asks every registered provider for notes about a version; the reviews
app registers one at start-up. A note's ``field_path`` follows the quality checks' convention (``guide.address``,
``materials[2]``, ``manual_steps``; "" for the version as a whole), so the editor places notes and findings alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import ItemStandard


@dataclass(frozen=True)
class Note:
    field_path: str
    code: str
    message: str
    severity: str = "return"  # the CSS class suffix the editor gives it (``finding-return``)

    @property
    def anchor(self) -> str:
        """The editor's id of the guide or manual field the note is about ("" for rows, lists and the whole)."""
        part, dot, name = self.field_path.partition(".")
        return f"f-{part}-{name}" if dot and part in ("guide", "manual") and "[" not in part else ""


Provider = Callable[[ItemStandard], list[Note]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def notes_for(standard: ItemStandard) -> list[Note]:
    return [note for provider in _providers for note in provider(standard)]
