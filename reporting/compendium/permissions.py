"""Who may build and read compendiums and acceptance files: each predicate beside its queryset twin.

Supervisors (督导, the city and province establishment offices) compile for the divisions of their subtree and read
what was compiled there; administrators everything; a department head compiles and reads their own department's
compendium. The predicates read the memberships cached on the user (``catalogue.access.scope_of``), so the menu
entry costs no query.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalogue import access
from catalogue.models import Division, DivisionLevel, LocalItem, Organization, Role
from reporting.models import Compendium

User_ = User | AnonymousUser


def _supervised(user: User_) -> list[Division]:
    return access.scope_of(user).divisions({Role.SUPERVISOR})


def _headed(user: User_) -> list[Organization]:
    return access.scope_of(user).organizations({Role.DEPT_HEAD})


def can_open_compendiums(user: User_) -> bool:
    """The compendium page (and its menu entry): administrators, supervisors, department heads."""
    scope = access.scope_of(user)
    return scope.is_admin or bool(scope.roles & {Role.SUPERVISOR, Role.DEPT_HEAD})


COMPILED_LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY)


def _supervises(user: User_, division: Division) -> bool:
    return access.scope_of(user).is_admin or any(access.division_contains(d, division) for d in _supervised(user))


def can_compile_division(user: User_, division: Division) -> bool:
    return division.level in COMPILED_LEVELS and _supervises(user, division)


def compile_divisions(user: User_) -> QuerySet[Division]:
    """The twin of ``can_compile_division``: divisions (province, city, county) a compendium may be built for."""
    divisions = Division.objects.filter(level__in=COMPILED_LEVELS)
    if access.scope_of(user).is_admin:
        return divisions
    return divisions.filter(access.subtree_q(_supervised(user)))


def can_compile_organization(user: User_, organization: Organization) -> bool:
    if not organization.is_active:
        return False
    return organization.pk in {o.pk for o in _headed(user)} or _supervises(user, organization.division)


def compile_organizations(user: User_) -> QuerySet[Organization]:
    """The twin of ``can_compile_organization``."""
    organizations = Organization.objects.filter(is_active=True)
    if access.scope_of(user).is_admin:
        return organizations
    return organizations.filter(
        Q(pk__in=[o.pk for o in _headed(user)]) | access.subtree_q(_supervised(user), "division__")
    )


def compile_items_filter(user: User_) -> Q:
    """Local items whose standards the user may put in a hand-picked compendium (the twin of ``can_compile_items``)."""
    if access.scope_of(user).is_admin:
        return Q()
    return Q(organization_id__in=[o.pk for o in _headed(user)]) | access.subtree_q(_supervised(user), "division__")


def can_compile_items(user: User_, item_ids: Iterable[int]) -> bool:
    ids = set(item_ids)
    return LocalItem.objects.filter(compile_items_filter(user), pk__in=ids).count() == len(ids)


def can_read_compendium(user: User_, compendium: Compendium) -> bool:
    if compendium.organization_id and compendium.organization_id in {o.pk for o in _headed(user)}:
        return True
    return _supervises(user, compendium.division)


def compendiums_for(user: User_) -> QuerySet[Compendium]:
    """The twin of ``can_read_compendium``: compendiums of the user's subtree or their own department, newest first."""
    compendiums = Compendium.objects.select_related("division", "organization", "created_by")
    if access.scope_of(user).is_admin:
        return compendiums
    return compendiums.filter(
        Q(organization_id__in=[o.pk for o in _headed(user)]) | access.subtree_q(_supervised(user), "division__")
    )


def can_open_acceptance(user: User_, division: Division) -> bool:
    """The acceptance file of a county: supervisors of its subtree and administrators."""
    return division.level == DivisionLevel.COUNTY and can_compile_division(user, division)


def acceptance_divisions(user: User_) -> QuerySet[Division]:
    """The twin of ``can_open_acceptance``."""
    return compile_divisions(user).filter(level=DivisionLevel.COUNTY)
