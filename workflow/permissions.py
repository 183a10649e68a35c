"""The one place that decides actions on standards (design: "Who may do what").

Views, the API and the services all ask ``can`` / ``ensure_can``; services ask again inside their transaction, so a
forged request cannot do what the page would not offer. Editing is decided here too (``can_edit``, installed into
``standards.access`` for the editor, which lives below the workflow). Visibility of standards comes from
``standards.access`` (built on the catalogue's division scoping).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from catalogue import access as catalogue_access
from catalogue.models import Division, Membership, OrganizationKind, Role
from core.exceptions import TransitionNotAllowed
from standards import access as standards_access
from standards.models import BusinessManual, ItemStandard, ServiceGuide
from standards.services import EDIT_REASON

from .transitions import TRANSITIONS, Transition

# Which kind of body a reviewing role must belong to.
ROLE_BODY = {Role.COMPLIANCE_REVIEWER: OrganizationKind.BIANBAN, Role.LEGALITY_REVIEWER: OrganizationKind.JUSTICE}


def review_division_code(division: Division) -> str:
    """The division whose establishment office and justice bureau review an item: a township's items go to its
    county (or, without a county level, its city); other items to their own division."""
    if division.level == "township":
        return division.county_code or division.city_code or division.province_code
    return division.code


def authors(standard: ItemStandard) -> set[int]:
    """Everyone who wrote this version: whoever created it, saved it in the editor, or changed its guide or manual —
    not those who only moved it through the workflow."""
    ids = set(
        standard.history.filter(Q(history_type="+") | Q(history_change_reason=EDIT_REASON)).values_list(
            "history_user_id", flat=True
        )
    )
    ids |= set(ServiceGuide.history.filter(standard_id=standard.pk).values_list("history_user_id", flat=True))
    ids |= set(BusinessManual.history.filter(standard_id=standard.pk).values_list("history_user_id", flat=True))
    ids.add(standard.created_by_id)
    ids.discard(None)
    return ids


def acting_membership(user: User | AnonymousUser, transition: Transition, standard: ItemStandard) -> Membership | None:
    """The membership under which ``user`` may take ``transition`` on ``standard``, if any (state not considered)."""
    scope = catalogue_access.scope_of(user)
    item = standard.local_item
    for membership in scope.memberships:
        if membership.role not in transition.roles:
            continue
        organization = membership.organization
        if transition.scope == "department":
            if organization.pk == item.organization_id:
                return membership
        elif organization.kind == ROLE_BODY.get(
            membership.role, OrganizationKind.BIANBAN
        ) and organization.division_id == review_division_code(item.division):
            return membership
    return None


def denial(user: User | AnonymousUser, action: str, standard: ItemStandard, *, author_ids: set[int] | None = None):
    """Why ``user`` may not take ``action`` now, as an exception to raise, or None when allowed."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return TransitionNotAllowed("未知的操作")
    if not user.is_authenticated:
        return PermissionDenied("请先登录")
    membership = acting_membership(user, transition, standard)
    if membership is None:
        return PermissionDenied(f"您没有对该标准“{transition.action.label}”的权限")
    if standard.state not in transition.sources:
        return TransitionNotAllowed(f"该标准当前为“{standard.get_state_display()}”，不能{transition.action.label}")
    if transition.reviews and user.pk in (author_ids if author_ids is not None else authors(standard)):
        return PermissionDenied("不能审查或确认自己编写的标准")
    return None


def can_edit(user: User | AnonymousUser, standard: ItemStandard) -> bool:
    """A draft or returned version is edited by the clerks and department heads of its item's department (or an
    administrator); once submitted, nobody edits it until it comes back."""
    return standard.is_editable and standards_access.can_write_for(user, standard.local_item)


def can(user: User | AnonymousUser, action: str, standard: ItemStandard, **kwargs) -> bool:
    return denial(user, action, standard, **kwargs) is None


def ensure_can(user: User | AnonymousUser, action: str, standard: ItemStandard) -> Membership:
    problem = denial(user, action, standard)
    if problem is not None:
        raise problem
    return acting_membership(user, TRANSITIONS[action], standard)


def allowed_actions(user: User | AnonymousUser, standard: ItemStandard) -> list[str]:
    """The actions a page may offer; computes the authors once."""
    author_ids = authors(standard)
    return [a for a in TRANSITIONS if can(user, a, standard, author_ids=author_ids)]
