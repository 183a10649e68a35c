"""Who may do what with cases — one module, each predicate beside its queryset twin (design "Who may do what").

- window clerks (窗口受理员) accept for the items of their own department, or, sitting in a county's service centre
  (政务服务中心), for every item of that county;
- approvers (审批人员), department heads and window clerks of the implementing department handle its cases; each
  step of the manual is done by a holder of the step's post, or the holder's registered backup (AB岗);
- a department head approves extensions and answers 督办 for the department;
- the service centre's supervisors (电子监察员) and the county establishment office watch the county's cases and open
  and close 督办; supervisors above (city, province) watch their subtree read-only;
- personal data is shown whole only to the staff handling the case.

Views, the API and the services all ask here; services ask again inside their transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from catalogue import access as catalogue_access
from catalogue.models import Division, LocalItem, LocalItemStatus, Organization, OrganizationKind, Role
from standards import permissions as standards_permissions
from standards.models import ItemStandard

from .models import Case, Oversight, PostHolder, PublishedResult

User_ = User | AnonymousUser

HANDLING_ROLES = frozenset({Role.WINDOW_CLERK, Role.APPROVER, Role.DEPT_HEAD})
WATCH_ROLES = frozenset({Role.CENTER_SUPERVISOR, Role.COMPLIANCE_REVIEWER})
CASE_ROLES = HANDLING_ROLES | WATCH_ROLES | {Role.SUPERVISOR}


def _scope(user: User_) -> catalogue_access.Scope:
    return catalogue_access.scope_of(user)


def _department_ids(user: User_, roles: frozenset[str] | set[str]) -> set[int]:
    return {o.pk for o in _scope(user).organizations(set(roles)) if o.kind != OrganizationKind.SERVICE_CENTER}


def _center_divisions(user: User_, roles: set[str]):
    return [o.division for o in _scope(user).organizations(roles) if o.kind == OrganizationKind.SERVICE_CENTER]


def _watch_divisions(user: User_):
    scope = _scope(user)
    watchers = [
        o.division
        for o in scope.organizations(set(WATCH_ROLES))
        if o.kind in (OrganizationKind.SERVICE_CENTER, OrganizationKind.BIANBAN)
    ]
    return watchers + scope.divisions({Role.SUPERVISOR})


# --- seeing cases ---------------------------------------------------------------------------------------------------


def visible_cases_q(user: User_, prefix: str = "") -> Q:
    """The filter of the cases a user may see: their departments' (handling roles), their service centre's county
    (window clerks there), and the subtrees they watch. ``prefix`` leads from another model to its case."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    departments = _department_ids(user, HANDLING_ROLES)
    if departments:
        q |= Q(**{f"{prefix}organization_id__in": departments})
    divisions = _watch_divisions(user) + _center_divisions(user, {Role.WINDOW_CLERK})
    if divisions:
        q |= catalogue_access.subtree_q(divisions, f"{prefix}division__")
    return q


def visible_cases(user: User_) -> QuerySet[Case]:
    return Case.objects.filter(visible_cases_q(user))


def can_see_case(user: User_, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()


# --- accepting at the window ----------------------------------------------------------------------------------------


def acceptable_items(user: User_) -> QuerySet[LocalItem]:
    """The active items a window clerk may accept applications for (the twin of ``can_accept_for``)."""
    items = LocalItem.objects.filter(status=LocalItemStatus.ACTIVE)
    scope = _scope(user)
    if scope.is_admin:
        return items
    q = Q(pk__in=[])
    departments = _department_ids(user, {Role.WINDOW_CLERK})
    if departments:
        q |= Q(organization_id__in=departments)
    centers = _center_divisions(user, {Role.WINDOW_CLERK})
    if centers:
        q |= catalogue_access.subtree_q(centers, "division__")
    return items.filter(q)


def can_accept_for(user: User_, local_item: LocalItem) -> bool:
    return acceptable_items(user).filter(pk=local_item.pk).exists()


def can_open_acceptance(user: User_) -> bool:
    scope = _scope(user)
    return scope.is_admin or Role.WINDOW_CLERK in scope.roles


def can_receive(user: User_, case: Case) -> bool:
    """Acting on an application still at the window (补正, 受理, 不予受理): the clerks who could have received it."""
    return can_accept_for(user, case.local_item)


# --- handling along the manual --------------------------------------------------------------------------------------


def handled_cases_q(user: User_) -> Q:
    """The twin of ``can_handle``: cases of the departments where the user has a handling role."""
    if _scope(user).is_admin:
        return Q()
    return Q(organization_id__in=_department_ids(user, HANDLING_ROLES))


def can_handle(user: User_, case: Case) -> bool:
    scope = _scope(user)
    return scope.is_admin or case.organization_id in _department_ids(user, HANDLING_ROLES)


def holds_post(user: User_, organization: Organization | int, post: str) -> bool:
    """Whether the user holds ``post`` in the body, as its holder or a registered backup (AB岗)."""
    if not user.is_authenticated or not post:
        return False
    organization_id = organization.pk if isinstance(organization, Organization) else organization
    return PostHolder.objects.filter(organization_id=organization_id, post=post, user=user, is_active=True).exists()


def can_do_step(user: User_, case: Case, post: str) -> bool:
    """A step of the manual is done by someone handling the case who holds its post; a step with no post named in
    the manual by anyone handling the case."""
    if not can_handle(user, case):
        return False
    return not post or holds_post(user, case.organization_id, post)


def can_see_personal_data(user: User_, case: Case) -> bool:
    """The ID number and phone whole: the staff handling the case, and the window that received it."""
    return can_handle(user, case) or can_receive(user, case)


def can_decide_extension(user: User_, case: Case) -> bool:
    scope = _scope(user)
    return scope.is_admin or case.organization_id in _department_ids(user, {Role.DEPT_HEAD})


def extension_queue_q(user: User_) -> Q:
    """The ``Extension`` filter of the requests a user decides (the twin of ``can_decide_extension``)."""
    if _scope(user).is_admin:
        return Q()
    return Q(case__organization_id__in=_department_ids(user, {Role.DEPT_HEAD}))


# --- supervision ----------------------------------------------------------------------------------------------------


def supervising_cases_q(user: User_, prefix: str = "") -> Q:
    """Cases the user supervises (opens and closes 督办 for): the service centre's supervisors and the establishment
    office of the county the case belongs to."""
    scope = _scope(user)
    if scope.is_admin:
        return Q()
    divisions = [
        o.division
        for o in scope.organizations(set(WATCH_ROLES))
        if o.kind in (OrganizationKind.SERVICE_CENTER, OrganizationKind.BIANBAN)
    ]
    if not divisions:
        return Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    return catalogue_access.subtree_q(divisions, f"{prefix}division__")


def can_supervise(user: User_, case: Case) -> bool:
    return Case.objects.filter(supervising_cases_q(user), pk=case.pk).exists()


def can_reply_oversight(user: User_, oversight: Oversight) -> bool:
    scope = _scope(user)
    return scope.is_admin or oversight.organization_id in _department_ids(user, {Role.DEPT_HEAD, Role.APPROVER})


def oversights_to_reply_q(user: User_) -> Q:
    """The twin of ``can_reply_oversight``, as an ``Oversight`` filter."""
    if _scope(user).is_admin:
        return Q()
    return Q(organization_id__in=_department_ids(user, {Role.DEPT_HEAD, Role.APPROVER}))


def can_close_oversight(user: User_, oversight: Oversight) -> bool:
    return can_supervise(user, oversight.case)


# --- published results (结果公开) -------------------------------------------------------------------------------------


def can_open_published_results(user: User_) -> bool:
    """Published licensing results are public (行政许可法 第四十条), like the published catalogue."""
    return True


def withdrawable_results(user: User_) -> QuerySet[PublishedResult]:
    """Published results a user may withdraw (撤回): those of the cases they supervise (the service centre's
    supervisors and the county establishment office); the twin of ``can_withdraw_result``."""
    if not user.is_authenticated:
        return PublishedResult.objects.none()
    return PublishedResult.objects.filter(supervising_cases_q(user, prefix="case__"))


def can_withdraw_result(user: User_, result: PublishedResult) -> bool:
    return withdrawable_results(user).filter(pk=result.pk).exists()


# --- pages ----------------------------------------------------------------------------------------------------------


def can_open_case_list(user: User_) -> bool:
    scope = _scope(user)
    return scope.is_admin or bool(scope.roles & CASE_ROLES)


def can_open_supervision(user: User_) -> bool:
    """The supervision page: alerts and 督办 of the cases one sees, for watchers and the departments answering."""
    return can_open_case_list(user)


def can_open_extension_queue(user: User_) -> bool:
    """The queue of extension requests: department heads (the twin of ``extension_queue_q``)."""
    scope = _scope(user)
    return scope.is_admin or bool(_department_ids(user, {Role.DEPT_HEAD}))


# --- figures and what the standard learns ---------------------------------------------------------------------------


def _figure_center_divisions(user: User_):
    """The counties whose service centre the user supervises (电子监察员): they see those counties' case figures."""
    return [
        o.division
        for o in _scope(user).organizations({Role.CENTER_SUPERVISOR})
        if o.kind == OrganizationKind.SERVICE_CENTER
    ]


def can_view_case_figures(user: User_) -> bool:
    """The page 办件与电子监察: whoever sees the progress figures (``standards.permissions.can_view_dashboard``), and
    the service centres' supervisors for their county."""
    return standards_permissions.can_view_dashboard(user) or bool(_figure_center_divisions(user))


def case_figure_divisions(user: User_) -> QuerySet[Division]:
    """The divisions whose case figures the user may see; the twin of ``can_see_case_figures_of``."""
    divisions = standards_permissions.dashboard_divisions(user)
    centers = _figure_center_divisions(user)
    if centers:
        divisions = divisions | Division.objects.filter(catalogue_access.subtree_q(centers))
    return divisions


def can_see_case_figures_of(user: User_, division: Division) -> bool:
    if standards_permissions.can_see_figures_of(user, division):
        return True
    return any(catalogue_access.division_contains(d, division) for d in _figure_center_divisions(user))


def learning_standards(user: User_) -> QuerySet[ItemStandard]:
    """The standards whose page shows what their cases teach (补正 materials, steps overrun, refusal reasons): those of
    the items the user may read (their department's, or a reviewer's or supervisor's subtree); the twin of
    ``can_see_learning``."""
    return standards_permissions.readable_standards(user)


def can_see_learning(user: User_, standard: ItemStandard) -> bool:
    return standards_permissions.can_read(user, standard)


# --- sampling inspections (抽查): decided in their own module; the menu asks this one -----------------------------

from cases.inspection.permissions import can_open_inspections  # noqa: E402, F401
