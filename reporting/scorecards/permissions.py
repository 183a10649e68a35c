"""Who may configure, compute, freeze and read unit scorecards (考核): each predicate beside its queryset twin.

- Configure, compute and close the year: the supervisors (督导, the city or province 编办) of the scope's subtree —
  the office that runs the assessment — and administrators.
- Read a whole scorecard: whoever reads the progress figures of the scope or of a unit in it
  (``standards.permissions.can_view_dashboard``: 编办, reviewers, supervisors), within their subtree's assessments.
- Read their own rows: a department's head sees the scorecards of the scopes containing the department, with only
  the department's own result (the units' heads answer for their scores).

The menu entry asks ``can_open_scorecards``, which reads the memberships cached on the user (no query).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalogue import access
from catalogue.models import Division, DivisionLevel, Role
from standards import permissions as standards_permissions

from ..models import Scorecard, ScoreResult, UnitKind

User_ = User | AnonymousUser
SCOPE_LEVELS = (DivisionLevel.PROVINCE, DivisionLevel.CITY)


def can_open_scorecards(user: User_) -> bool:
    scope = access.scope_of(user)
    return standards_permissions.can_view_dashboard(user) or Role.DEPT_HEAD in scope.roles


def managed_divisions(user: User_) -> list[Division]:
    """The divisions whose assessments the user runs (their supervisor memberships' divisions)."""
    return access.scope_of(user).divisions({Role.SUPERVISOR})


def can_manage_scorecards(user: User_) -> bool:
    scope = access.scope_of(user)
    return scope.is_admin or Role.SUPERVISOR in scope.roles


def can_manage_scorecard_of(user: User_, division: Division) -> bool:
    """May configure, compute and freeze a scorecard of ``division`` (a city or province)."""
    if division.level not in SCOPE_LEVELS:
        return False
    if access.scope_of(user).is_admin:
        return True
    return any(access.division_contains(d, division) for d in managed_divisions(user))


def scope_division_choices(user: User_) -> QuerySet[Division]:
    """The divisions a scorecard may be made for; the twin of ``can_manage_scorecard_of``."""
    divisions = Division.objects.filter(level__in=SCOPE_LEVELS)
    if access.scope_of(user).is_admin:
        return divisions
    if not can_manage_scorecards(user):
        return divisions.none()
    return divisions.filter(access.subtree_q(managed_divisions(user)))


def _reads_whole(user: User_, scorecard: Scorecard) -> bool:
    if not standards_permissions.can_view_dashboard(user):
        return False
    if access.scope_of(user).is_admin:
        return True
    division = scorecard.division
    return any(
        access.division_contains(d, division) or access.division_contains(division, d)
        for d in access.scope_of(user).divisions()
    )


def _head_organizations(user: User_):
    return access.scope_of(user).organizations({Role.DEPT_HEAD})


def can_view_scorecard(user: User_, scorecard: Scorecard) -> bool:
    if can_manage_scorecard_of(user, scorecard.division) or _reads_whole(user, scorecard):
        return True
    return any(access.division_contains(scorecard.division, o.division) for o in _head_organizations(user))


def scorecards_for(user: User_) -> QuerySet[Scorecard]:
    """The scorecards the user may open; the twin of ``can_view_scorecard``."""
    scorecards = Scorecard.objects.select_related("division")
    scope = access.scope_of(user)
    if scope.is_admin:
        return scorecards
    wanted = Q(pk__in=[])
    # A scope containing one of the user's divisions (a head's, a reader's), or inside a reader's subtree.
    mine = scope.divisions() if standards_permissions.can_view_dashboard(user) else []
    for division in [*mine, *(o.division for o in _head_organizations(user))]:
        wanted |= Q(division_id__in=division.ancestor_codes())
    for division in [*mine, *managed_divisions(user)]:
        wanted |= Q(**{f"division__{division.level}_code": division.code})
    return scorecards.filter(wanted)


def sees_all_results(user: User_, scorecard: Scorecard) -> bool:
    return can_manage_scorecard_of(user, scorecard.division) or _reads_whole(user, scorecard)


def results_for(user: User_, scorecard: Scorecard) -> QuerySet[ScoreResult]:
    """The results of ``scorecard`` the user may read: all of them, or a head's own department's only."""
    results = scorecard.results.all()
    if sees_all_results(user, scorecard):
        return results
    return results.filter(kind=UnitKind.DEPARTMENT, organization__in=[o.pk for o in _head_organizations(user)])
