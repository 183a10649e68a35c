"""Who may do what in the service hall — each predicate beside its queryset twin (design "Who may do what").

- a hall is managed by its service centre's staff: the centre's supervisors (``center_supervisor``, 电子监察员) of the
  hall's organization, or of a service centre whose division contains the hall's, and the administrators;
- a window is worked by its active staff only (``WindowStaff``, A岗 or the registered B岗, holding a window role):
  calling, recalling, starting, finishing, transferring a number and linking it to a case. Administrators manage
  the hall but do not sit at its windows, so a number is never handled by someone the hall did not post there;
- the hall's figures are seen by its managers and by the supervisors (督导) of a division subtree that holds the
  hall.

Views ask here, and the services in ``hall.services`` ask again inside their transaction, so a forged POST cannot do
what the page would not offer.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalogue import access as catalogue_access
from catalogue.models import Division, OrganizationKind, Role

from .models import Hall, Window, WindowStaff

User_ = User | AnonymousUser

# The roles of the people posted at windows: the centre's and the departments' window clerks, and approvers at a
# department's own window. Hall management offers these people for a window's A岗/B岗.
WINDOW_ROLES = frozenset({Role.WINDOW_CLERK, Role.APPROVER})


def _scope(user: User_) -> catalogue_access.Scope:
    return catalogue_access.scope_of(user)


def _center_memberships(user: User_) -> tuple[list[int], list[Division]]:
    """The service centres where the user is a centre supervisor: their ids and their divisions."""
    centers = [
        o for o in _scope(user).organizations({Role.CENTER_SUPERVISOR}) if o.kind == OrganizationKind.SERVICE_CENTER
    ]
    return [o.pk for o in centers], [o.division for o in centers]


# --- managing a hall ------------------------------------------------------------------------------------------------


def managed_halls_q(user: User_, prefix: str = "") -> Q:
    """The ``Hall`` filter of the halls a user manages; ``prefix`` leads from another model to its hall."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    organization_ids, divisions = _center_memberships(user)
    if not organization_ids:
        return Q(**{f"{prefix}pk__in": []})
    return Q(**{f"{prefix}organization_id__in": organization_ids}) | catalogue_access.subtree_q(
        divisions, f"{prefix}division__"
    )


def managed_halls(user: User_) -> QuerySet[Hall]:
    return Hall.objects.filter(managed_halls_q(user))


def can_manage_hall(user: User_, hall: Hall) -> bool:
    if _scope(user).is_admin:
        return True
    return managed_halls(user).filter(pk=hall.pk).exists()


def can_open_hall_management(user: User_) -> bool:
    """The hall management pages (the navigation entry): administrators and centre supervisors."""
    scope = _scope(user)
    return scope.is_admin or bool(_center_memberships(user)[0])


# --- working a window -----------------------------------------------------------------------------------------------


def staffed_windows_q(user: User_) -> Q:
    """The ``Window`` filter of the windows a user works: active posts (A岗 or B岗) at active windows."""
    if not _scope(user).roles & WINDOW_ROLES:
        return Q(pk__in=[])
    return Q(
        pk__in=WindowStaff.objects.filter(user=user, is_active=True).values("window_id"),
        is_active=True,
        hall__is_active=True,
    )


def staffed_windows(user: User_) -> QuerySet[Window]:
    return Window.objects.filter(staffed_windows_q(user))


def can_work_window(user: User_, window: Window) -> bool:
    """Calling and handling numbers at ``window``: its active A岗 or B岗 staff only."""
    if not window.is_active or not _scope(user).roles & WINDOW_ROLES:
        return False
    return WindowStaff.objects.filter(window=window, user=user, is_active=True, window__hall__is_active=True).exists()


def can_open_caller(user: User_) -> bool:
    """The window caller (the navigation entry): whoever sits at an active window. Users without a window role are
    answered without a query, so the navigation costs nothing more on every other page."""
    if not _scope(user).roles & WINDOW_ROLES:
        return False
    return staffed_windows(user).exists()


# --- figures --------------------------------------------------------------------------------------------------------


def figure_halls_q(user: User_) -> Q:
    """The ``Hall`` filter of the halls whose figures the user sees: its managers, and the supervisors (督导) of a
    division subtree holding the hall."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    q = managed_halls_q(user)
    supervised = scope.divisions({Role.SUPERVISOR})
    if supervised:
        q |= catalogue_access.subtree_q(supervised, "division__")
    return q


def figure_halls(user: User_) -> QuerySet[Hall]:
    return Hall.objects.filter(figure_halls_q(user))


def can_view_hall_figures(user: User_, hall: Hall) -> bool:
    if _scope(user).is_admin:
        return True
    return figure_halls(user).filter(pk=hall.pk).exists()


def can_open_hall_figures(user: User_) -> bool:
    scope = _scope(user)
    return scope.is_admin or can_open_hall_management(user) or bool(scope.divisions({Role.SUPERVISOR}))


def can_open_hall_index(user: User_) -> bool:
    """The list of halls (the navigation entry 服务大厅): whoever manages a hall or sees hall figures."""
    return can_open_hall_management(user) or can_open_hall_figures(user)
