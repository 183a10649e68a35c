"""Who sees the progress figures and who reports them, on top of ``catalogue.access``.

The dashboard is for the establishment offices and the supervisors (城市、省编办 read-only over their subtree), and
the county reviewers for their county: each sees the divisions ``catalogue.access.visible_divisions`` gives them and
nothing above. Reports are built and sent by an establishment office (compliance reviewer role) or a supervisor, for a
unit in their subtree.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from catalogue import access
from catalogue.models import Division, Role

DASHBOARD_ROLES = frozenset({Role.SUPERVISOR, Role.COMPLIANCE_REVIEWER, Role.LEGALITY_REVIEWER})
REPORTING_ROLES = frozenset({Role.SUPERVISOR, Role.COMPLIANCE_REVIEWER})


def can_view_dashboard(user: User | AnonymousUser) -> bool:
    scope = access.scope_of(user)
    return scope.is_admin or bool(scope.roles & DASHBOARD_ROLES)


def dashboard_divisions(user: User | AnonymousUser) -> QuerySet[Division]:
    """The divisions whose figures the user may see (their subtrees)."""
    if not can_view_dashboard(user):
        return Division.objects.none()
    return access.visible_divisions(user)


def can_see(user: User | AnonymousUser, division: Division) -> bool:
    return can_view_dashboard(user) and access.can_see_division(user, division)


def can_report_for(user: User | AnonymousUser, division: Division) -> bool:
    scope = access.scope_of(user)
    if scope.is_admin:
        return True
    return any(access.division_contains(d, division) for d in scope.divisions(set(REPORTING_ROLES)))
