"""Who may do what with evaluations — each predicate beside its queryset twin (design "Who may do what").

- the unit that owns a grade (the case's implementing body; for a visit, the window's department or the hall's
  organization) sees its evaluations and works its rectifications: its heads, approvers and window clerks, and for a
  service centre also its supervisors (电子监察员);
- the unit's heads (部门负责人; a service centre's 电子监察员) appeal a grade they hold mistaken or malicious;
- the supervising office decides appeals: the service centre's supervisors (电子监察员) of the county, or the
  supervisors (督导) of a division above — never a member of the appealing unit;
- watchers (the county's service centre and 编办, supervisors above) see the evaluations of their subtree;
- the window's staff and the hall's clerks show the QR code of a visit at the window.

Views ask here; services ask again inside their transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalogue import access as catalogue_access
from catalogue.models import OrganizationKind, Role
from hall.models import Ticket

from .models import Appeal, AppealState, Evaluation, Rectification

User_ = User | AnonymousUser

WORK_ROLES = frozenset({Role.DEPT_HEAD, Role.APPROVER, Role.WINDOW_CLERK, Role.CENTER_SUPERVISOR})
APPEAL_ROLES = frozenset({Role.DEPT_HEAD, Role.CENTER_SUPERVISOR})
WATCH_ROLES = frozenset({Role.CENTER_SUPERVISOR, Role.COMPLIANCE_REVIEWER})


def _scope(user: User_) -> catalogue_access.Scope:
    return catalogue_access.scope_of(user)


def _org_ids(user: User_, roles: frozenset[str]) -> set[int]:
    return {o.pk for o in _scope(user).organizations(set(roles))}


def _none(prefix: str = "") -> Q:
    return Q(**{f"{prefix}pk__in": []})


def _watch_divisions(user: User_) -> list:
    scope = _scope(user)
    watchers = [
        o.division
        for o in scope.organizations(set(WATCH_ROLES))
        if o.kind in (OrganizationKind.SERVICE_CENTER, OrganizationKind.BIANBAN)
    ]
    return watchers + scope.divisions({Role.SUPERVISOR})


def _deciding_divisions(user: User_) -> list:
    scope = _scope(user)
    centers = [
        o.division for o in scope.organizations({Role.CENTER_SUPERVISOR}) if o.kind == OrganizationKind.SERVICE_CENTER
    ]
    return centers + scope.divisions({Role.SUPERVISOR})


# --- seeing evaluations ---------------------------------------------------------------------------------------------


def visible_evaluations_q(user: User_, prefix: str = "") -> Q:
    """The evaluations a user may see: their own units' and those of the subtrees they watch. ``prefix`` leads
    from another model to its evaluation."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    q = _none(prefix)
    units = _org_ids(user, WORK_ROLES)
    if units:
        q |= Q(**{f"{prefix}organization_id__in": units})
    divisions = _watch_divisions(user)
    if divisions:
        q |= catalogue_access.subtree_q(divisions, f"{prefix}division__")
    return q


def visible_evaluations(user: User_) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(visible_evaluations_q(user))


def can_see_evaluation(user: User_, evaluation: Evaluation) -> bool:
    return visible_evaluations(user).filter(pk=evaluation.pk).exists()


def can_open_evaluation_list(user: User_) -> bool:
    scope = _scope(user)
    return scope.is_admin or bool(_org_ids(user, WORK_ROLES)) or bool(_watch_divisions(user))


# --- rectification --------------------------------------------------------------------------------------------------


def rectifications_q(user: User_) -> Q:
    """The twin of ``can_work_rectification``: the rectifications of the units where the user works."""
    if _scope(user).is_admin:
        return Q()
    units = _org_ids(user, WORK_ROLES)
    return Q(organization_id__in=units) if units else _none()


def visible_rectifications(user: User_) -> QuerySet[Rectification]:
    """What the rectification list shows: the user's units' rectifications, and those watchers see."""
    return Rectification.objects.filter(rectifications_q(user) | visible_evaluations_q(user, "evaluation__"))


def can_work_rectification(user: User_, rectification: Rectification) -> bool:
    scope = _scope(user)
    return scope.is_admin or rectification.organization_id in _org_ids(user, WORK_ROLES)


def can_open_rectification_list(user: User_) -> bool:
    return can_open_evaluation_list(user)


# --- appeals --------------------------------------------------------------------------------------------------------


def can_appeal(user: User_, evaluation: Evaluation) -> bool:
    """A unit's heads appeal a grade of their unit (the state of the appeal is the service's question)."""
    scope = _scope(user)
    return scope.is_admin or evaluation.organization_id in _org_ids(user, APPEAL_ROLES)


def appeal_queue_q(user: User_) -> Q:
    """The twin of ``can_decide_appeal``, as an ``Appeal`` filter: appeals of the divisions the user supervises,
    except those of the user's own units."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    divisions = _deciding_divisions(user)
    if not divisions:
        return _none()
    own = {o.pk for o in scope.organizations()}
    return catalogue_access.subtree_q(divisions, "evaluation__division__") & ~Q(organization_id__in=own)


def can_decide_appeal(user: User_, appeal: Appeal) -> bool:
    if appeal.filed_by_id == getattr(user, "pk", None):
        return False
    return Appeal.objects.filter(appeal_queue_q(user), pk=appeal.pk).exists()


def appeal_queue(user: User_) -> QuerySet[Appeal]:
    return Appeal.objects.filter(appeal_queue_q(user))


def can_open_appeal_queue(user: User_) -> bool:
    scope = _scope(user)
    return scope.is_admin or bool(_deciding_divisions(user))


def pending_appeals(user: User_) -> QuerySet[Appeal]:
    return appeal_queue(user).filter(state=AppealState.PENDING)


# --- the window's QR code -------------------------------------------------------------------------------------------


def window_tickets_q(user: User_) -> Q:
    """The twin of ``can_show_ticket_code``, as a ``Ticket`` filter: tickets of the windows the user sits at, and of
    the halls whose organization the user works in as a window clerk or supervisor."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    halls = _org_ids(user, frozenset({Role.WINDOW_CLERK, Role.CENTER_SUPERVISOR}))
    return Q(window__staff__user=user, window__staff__is_active=True) | Q(hall__organization_id__in=halls)


def can_show_ticket_code(user: User_, ticket: Ticket) -> bool:
    return Ticket.objects.filter(window_tickets_q(user), pk=ticket.pk).exists()
