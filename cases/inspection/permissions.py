"""Who may plan, score and answer sampling inspections (抽查) — each predicate beside its queryset twin.

- The supervising offices plan, draw and score: a county's service-centre supervisors and 编办 (the roles that
  open and close 督办, ``cases.permissions.WATCH_ROLES``) for their county, and supervisors (督查) for their subtree.
- The department answers a rectification (整改): its heads and approvers, as with 督办.
- The department sees the inspections that drew its cases, and its own lines of them.

Re-exported by ``cases.permissions``; views and the services both ask here.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from cases.models import InspectedCase, Inspection, InspectionRectification
from catalogue import access as catalogue_access
from catalogue.models import Division, OrganizationKind, Role

User_ = User | AnonymousUser

PLANNING_KINDS = (OrganizationKind.SERVICE_CENTER, OrganizationKind.BIANBAN)
PLANNING_ROLES = frozenset({Role.CENTER_SUPERVISOR, Role.COMPLIANCE_REVIEWER})
REPLY_ROLES = frozenset({Role.DEPT_HEAD, Role.APPROVER})


def _scope(user: User_) -> catalogue_access.Scope:
    return catalogue_access.scope_of(user)


def planning_divisions(user: User_) -> list[Division]:
    """The divisions whose cases the user may inspect: the county of their service centre or 编办, and the subtree
    of a supervisor. Read from the memberships cached on the user: no query."""
    scope = _scope(user)
    offices = [o.division for o in scope.organizations(set(PLANNING_ROLES)) if o.kind in PLANNING_KINDS]
    return offices + scope.divisions({Role.SUPERVISOR})


def _reply_departments(user: User_) -> set[int]:
    return {o.pk for o in _scope(user).organizations(set(REPLY_ROLES)) if o.kind not in PLANNING_KINDS}


def _none(prefix: str) -> Q:
    return Q(**{f"{prefix}pk__in": []})


# --- planning and scoring --------------------------------------------------------------------------------------------


def can_plan_inspections(user: User_) -> bool:
    """May plan an inspection somewhere (the plan form)."""
    return _scope(user).is_admin or bool(planning_divisions(user))


def can_plan_inspection_in(user: User_, division: Division) -> bool:
    if _scope(user).is_admin:
        return True
    return any(catalogue_access.division_contains(d, division) for d in planning_divisions(user))


def plannable_divisions(user: User_) -> QuerySet[Division]:
    """The twin of ``can_plan_inspection_in``: the divisions offered on the plan form."""
    if _scope(user).is_admin:
        return Division.objects.all()
    return Division.objects.filter(catalogue_access.subtree_q(planning_divisions(user)))


def inspected_cases_q(user: User_, prefix: str = "") -> Q:
    """Cases the user may put into an inspection: those of the divisions they plan for."""
    if _scope(user).is_admin:
        return Q()
    divisions = planning_divisions(user)
    if not divisions:
        return _none(prefix)
    return catalogue_access.subtree_q(divisions, f"{prefix}division__")


def managed_inspections_q(user: User_, prefix: str = "") -> Q:
    """The twin of ``can_plan_inspection`` and ``can_score_inspection``: inspections of the divisions the user plans
    for."""
    return inspected_cases_q(user, prefix)


def can_plan_inspection(user: User_, inspection: Inspection) -> bool:
    """Draw, record a patrol, finish: the office that plans in the inspection's division."""
    return can_plan_inspection_in(user, inspection.division)


def can_score_inspection(user: User_, inspection: Inspection) -> bool:
    """Score a drawn case and open its rectification: the same office, while the inspection is being scored."""
    return can_plan_inspection(user, inspection)


# --- seeing ----------------------------------------------------------------------------------------------------------


def visible_inspections_q(user: User_) -> Q:
    """Inspections the user manages, and those that drew a case of a department the user answers for."""
    q = managed_inspections_q(user)
    departments = _reply_departments(user)
    if departments:
        q |= Q(pk__in=InspectedCase.objects.filter(organization_id__in=departments).values("inspection_id"))
    return q


def visible_inspections(user: User_) -> QuerySet[Inspection]:
    return Inspection.objects.filter(visible_inspections_q(user))


def can_see_inspection(user: User_, inspection: Inspection) -> bool:
    return visible_inspections(user).filter(pk=inspection.pk).exists()


def visible_sampled_q(user: User_) -> Q:
    """The drawn cases a user may see: all of the inspections they manage, their own departments' otherwise."""
    q = managed_inspections_q(user, "inspection__")
    departments = _reply_departments(user)
    if departments:
        q |= Q(organization_id__in=departments)
    return q


def can_see_sampled(user: User_, sampled: InspectedCase) -> bool:
    return InspectedCase.objects.filter(visible_sampled_q(user), pk=sampled.pk).exists()


# --- rectification ---------------------------------------------------------------------------------------------------


def rectifications_to_reply_q(user: User_) -> Q:
    """The twin of ``can_reply_rectification``."""
    if _scope(user).is_admin:
        return Q()
    return Q(organization_id__in=_reply_departments(user))


def can_reply_rectification(user: User_, rectification: InspectionRectification) -> bool:
    return _scope(user).is_admin or rectification.organization_id in _reply_departments(user)


def rectifications_to_close_q(user: User_) -> Q:
    """The twin of ``can_close_rectification``."""
    return managed_inspections_q(user, "inspection__")


def can_close_rectification(user: User_, rectification: InspectionRectification) -> bool:
    return can_plan_inspection(user, rectification.inspection)


def visible_rectifications(user: User_) -> QuerySet[InspectionRectification]:
    return InspectionRectification.objects.filter(rectifications_to_reply_q(user) | rectifications_to_close_q(user))


def can_see_rectification(user: User_, rectification: InspectionRectification) -> bool:
    return visible_rectifications(user).filter(pk=rectification.pk).exists()


# --- pages -----------------------------------------------------------------------------------------------------------


def can_open_inspections(user: User_) -> bool:
    """The 抽查 pages (the menu entry): the planning offices, and the departments that answer rectifications.
    No query: the memberships are cached on the user."""
    return can_plan_inspections(user) or bool(_reply_departments(user))
