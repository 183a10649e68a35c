"""Publishing approved versions, one by one or several selected in the 待发布 list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.exceptions import ConflictError, TransitionNotAllowed
from standards.models import ItemStandard, StandardState
from standards.transitions import Action

from .transitions import standard_transition


@dataclass(frozen=True)
class SkippedVersion:
    standard: ItemStandard
    reason: str


def standard_publish_approved(*, actor: User, standard: ItemStandard, note: str = "") -> ItemStandard:
    """Publish one approved version (``standard_transition``'s publish: the version in force is superseded in the
    same transaction). ``note`` is the change note the public reads; without one, the version keeps its own. Refuses
    with ``ConflictError`` when the version is no longer approved (published or returned meanwhile)."""
    return standard_transition(
        actor=actor, standard=standard, action=Action.PUBLISH, note=note, expected_state=StandardState.APPROVED
    )


def standards_publish_bulk(
    *, actor: User, standards: Iterable[ItemStandard]
) -> tuple[list[ItemStandard], list[SkippedVersion]]:
    """Publish each version in its own transaction, so one refusal does not undo the others (like the bulk pass).
    Returns (published, skipped with the reason)."""
    published: list[ItemStandard] = []
    skipped: list[SkippedVersion] = []
    for standard in standards:
        try:
            published.append(standard_publish_approved(actor=actor, standard=standard))
        except (ConflictError, TransitionNotAllowed) as exc:
            skipped.append(SkippedVersion(standard, exc.message))
        except PermissionDenied as exc:
            skipped.append(SkippedVersion(standard, str(exc) or _("没有权限")))
        except ValidationError as exc:
            skipped.append(SkippedVersion(standard, "；".join(exc.messages)))
    return published, skipped
