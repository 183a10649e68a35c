"""Who may do what with standards and with everything built on them — one module, each predicate beside its twin.

``catalogue.access`` answers what a user may see in the catalogue (divisions, organizations, items) and the
catalogue's own actions (its lists, claims of items, imports). This module answers every action on standards:
reading and editing a version, each transition of the workflow, review tasks and their claims, the progress figures
and reports, and the offline workbook. Each predicate ``can_x(user, obj)`` stands beside the queryset or filter that
lists the same objects (``x_queryset(user)`` / ``x_filter(user)``), built from one rule, so a list and a check never
drift. Views, the API, the services (again, inside their transaction), the offline workbook and the navigation all ask
here; nothing decides a permission anywhere else.

It sits at the level of the standards so that the editor can ask it; review tasks and reports live above it, so their
querysets are given as filters the apps above apply to their own models (the field names are part of the contract).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalogue import access as catalogue_access
from catalogue.models import Division, LocalItem, LocalItemStatus, Membership, OrganizationKind, Role
from core.exceptions import ConflictError, TransitionNotAllowed

from .models import EDITABLE_STATES, BusinessManual, ItemStandard, ServiceGuide
from .transitions import STAGE_OF_STATE, TRANSITIONS, Action, Transition, pass_action, stage_roles

# Which kind of body a reviewing role must belong to.
ROLE_BODY = {Role.COMPLIANCE_REVIEWER: OrganizationKind.BIANBAN, Role.LEGALITY_REVIEWER: OrganizationKind.JUSTICE}
DASHBOARD_ROLES = frozenset({Role.SUPERVISOR, Role.COMPLIANCE_REVIEWER, Role.LEGALITY_REVIEWER})
REPORTING_ROLES = frozenset({Role.SUPERVISOR, Role.COMPLIANCE_REVIEWER})

User_ = User | AnonymousUser

# The history reason of a save from the editor: it marks the user as an author of the version (reviewers may not
# review what they wrote), unlike saves that only move the version through the workflow.
# Stored in the source language, as a marker; a page showing it passes it through gettext.
EDIT_REASON = gettext_noop("编辑保存")


def review_division_code(division: Division) -> str:
    """The division whose establishment office and justice bureau review an item: a township's items go to its
    county (or, without a county level, its city); other items to their own division."""
    if division.level == "township":
        return division.county_code or division.city_code or division.province_code
    return division.code


# --- reading and writing standards ---------------------------------------------------------------------------------


def readable_standards(user: User_) -> QuerySet[ItemStandard]:
    """Every version of the items the user may see in staff pages (drafts and manuals included)."""
    return ItemStandard.objects.filter(local_item__in=catalogue_access.visible_local_items(user))


def can_read(user: User_, standard: ItemStandard) -> bool:
    return catalogue_access.visible_local_items(user).filter(pk=standard.local_item_id).exists()


def _writing_organizations(user: User_) -> set[int] | None:
    """The departments whose standards the user writes; None for an administrator (all of them)."""
    scope = catalogue_access.scope_of(user)
    if scope.is_admin:
        return None
    return {o.pk for o in scope.organizations(catalogue_access.DEPARTMENT_ROLES)}


def writable_items(user: User_, items: QuerySet[LocalItem] | None = None) -> QuerySet[LocalItem]:
    """The items whose standards the user writes: their department's (as clerk or department head), or every item
    for an administrator. ``items`` narrows a queryset the caller built (with its own annotations)."""
    items = LocalItem.objects.all() if items is None else items
    organizations = _writing_organizations(user)
    return items if organizations is None else items.filter(organization_id__in=organizations)


def can_write_for(user: User_, local_item: LocalItem) -> bool:
    organizations = _writing_organizations(user)
    return organizations is None or local_item.organization_id in organizations


def guide_import_items(user: User_, items: QuerySet[LocalItem] | None = None) -> QuerySet[LocalItem]:
    """The items whose guides the user may import from another system's export: those they write for, and — for
    a county's or province's establishment office (compliance reviewer), which runs the standardization — every
    item of the divisions in its scope. The draft still goes through the department's workflow."""
    items = LocalItem.objects.all() if items is None else items
    organizations = _writing_organizations(user)
    if organizations is None:
        return items
    divisions = catalogue_access.manageable_divisions(user)
    if not divisions:
        return items.filter(organization_id__in=organizations)
    return items.filter(Q(organization_id__in=organizations) | catalogue_access.subtree_q(divisions, "division__"))


def can_import_guides_for(user: User_, local_item: LocalItem) -> bool:
    return can_write_for(user, local_item) or catalogue_access.can_manage_local_list(user, local_item.division)


def can_import_into(user: User_, standard: ItemStandard) -> bool:
    """An import writes a draft or returned version, like an edit, for whoever may import the item's guide."""
    return standard.is_editable and can_import_guides_for(user, standard.local_item)


def editable_standards(user: User_) -> QuerySet[ItemStandard]:
    """The versions the user may edit now: drafts and returned versions of the items they write for."""
    return ItemStandard.objects.filter(state__in=EDITABLE_STATES, local_item__in=writable_items(user))


def can_edit(user: User_, standard: ItemStandard) -> bool:
    """A draft or returned version is edited by the clerks and department heads of its item's department (or an
    administrator); once submitted, nobody edits it until it comes back."""
    return standard.is_editable and can_write_for(user, standard.local_item)


# --- the workflow's transitions ------------------------------------------------------------------------------------


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


def _acts_for(membership: Membership, transition: Transition, local_item: LocalItem) -> bool:
    """Whether one membership's body is where ``transition`` is taken for ``local_item``."""
    if membership.role not in transition.roles:
        return False
    organization = membership.organization
    if transition.scope == "department":
        return organization.pk == local_item.organization_id
    return organization.kind == ROLE_BODY.get(
        membership.role, OrganizationKind.BIANBAN
    ) and organization.division_id == review_division_code(local_item.division)


def acting_membership(user: User_, transition: Transition, standard: ItemStandard) -> Membership | None:
    """The membership under which ``user`` may take ``transition`` on ``standard``, if any (state not considered)."""
    for membership in catalogue_access.scope_of(user).memberships:
        if _acts_for(membership, transition, standard.local_item):
            return membership
    return None


def denial(user: User_, action: str, standard: ItemStandard, *, author_ids: set[int] | None = None):
    """Why ``user`` may not take ``action`` now, as an exception to raise, or None when allowed."""
    transition = TRANSITIONS.get(action)
    if transition is None or transition.automatic:
        return TransitionNotAllowed(_("未知的操作"))
    if not user.is_authenticated:
        return PermissionDenied(_("请先登录"))
    membership = acting_membership(user, transition, standard)
    if membership is None:
        return PermissionDenied(_("您没有对该标准“%(action)s”的权限") % {"action": transition.action.label})
    if standard.state not in transition.sources:
        return TransitionNotAllowed(
            _("该标准当前为“%(state)s”，不能%(action)s")
            % {"state": standard.get_state_display(), "action": transition.action.label}
        )
    if transition.reviews and user.pk in (author_ids if author_ids is not None else authors(standard)):
        return PermissionDenied(_("不能审查或确认自己编写的标准"))
    return None


def _reviewed_by_q(code: str, prefix: str) -> Q:
    """Items whose reviewing division (``review_division_code``) is ``code``, as a filter through ``prefix``."""
    township = Q(**{f"{prefix}level": "township"})
    return (~township & Q(**{f"{prefix}code": code})) | (
        township
        & (
            Q(**{f"{prefix}county_code": code})
            | Q(**{f"{prefix}county_code": "", f"{prefix}city_code": code})
            | Q(**{f"{prefix}county_code": "", f"{prefix}city_code": "", f"{prefix}province_code": code})
        )
    )


def action_filter(user: User_, action: str) -> Q:
    """The ``ItemStandard`` filter of the versions on which ``user`` may take ``action`` now: in one of its source
    states, with an item where one of the user's memberships acts (``acting_membership``). Authorship is not part of
    it (a list marks what a reviewing author may not decide; the check refuses it). The twin of ``can``."""
    transition = TRANSITIONS.get(action)
    if transition is None or transition.automatic or not user.is_authenticated:
        return Q(pk__in=[])
    where = Q(pk__in=[])
    for membership in catalogue_access.scope_of(user).memberships:
        if membership.role not in transition.roles:
            continue
        organization = membership.organization
        if transition.scope == "department":
            where |= Q(local_item__organization_id=organization.pk)
        elif organization.kind == ROLE_BODY.get(membership.role, OrganizationKind.BIANBAN):
            where |= _reviewed_by_q(organization.division_id, "local_item__division__")
    return Q(state__in=transition.sources) & where


def can(user: User_, action: str, standard: ItemStandard, **kwargs) -> bool:
    return denial(user, action, standard, **kwargs) is None


def ensure_can(user: User_, action: str, standard: ItemStandard) -> Membership:
    problem = denial(user, action, standard)
    if problem is not None:
        raise problem
    return acting_membership(user, TRANSITIONS[action], standard)


def allowed_actions(user: User_, standard: ItemStandard) -> list[str]:
    """The actions a page may offer; computes the authors once."""
    author_ids = authors(standard)
    return [a for a in TRANSITIONS if can(user, a, standard, author_ids=author_ids)]


# --- starting and publishing versions -------------------------------------------------------------------------------


def can_start_version(user: User_, local_item: LocalItem, *, in_progress: bool) -> bool:
    """Whether a page offers to start a version of the item's standard (开始编写, or 修订 of the published one): the
    item is in force, nobody is writing or reviewing a version of it (``in_progress``, which the page knows from its
    own annotation), and the user writes for its department. ``standards.services.standard_start`` asks again."""
    return local_item.status == LocalItemStatus.ACTIVE and not in_progress and can_write_for(user, local_item)


def publishable_standards(user: User_) -> QuerySet[ItemStandard]:
    """The approved versions the user may publish: those of the items their establishment office reviews (the twin
    of ``can(user, "publish", standard)``). An administrator publishes none: publishing is the office's act."""
    return ItemStandard.objects.filter(action_filter(user, Action.PUBLISH))


def can_open_publication_queue(user: User_) -> bool:
    """The 待发布 page is for whoever publishes somewhere: a compliance reviewer of an establishment office. It lists
    ``publishable_standards``."""
    transition = TRANSITIONS["publish"]
    return any(
        m.role in transition.roles and m.organization.kind == ROLE_BODY.get(m.role, OrganizationKind.BIANBAN)
        for m in catalogue_access.scope_of(user).memberships
    )


def publishers(standard: ItemStandard) -> QuerySet[User]:
    """The active people who may publish ``standard`` (the compliance reviewers of the establishment office of its
    reviewing division): told when it is approved. Asks the same rule as ``can(user, "publish", standard)``."""
    transition = TRANSITIONS["publish"]
    division = review_division_code(standard.local_item.division)
    bodies = Q(pk__in=[])
    for role in transition.roles:
        bodies |= Q(role=role, organization__kind=ROLE_BODY.get(role, OrganizationKind.BIANBAN))
    memberships = Membership.objects.filter(bodies, organization__division_id=division, organization__is_active=True)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")


# --- review tasks and their claims ---------------------------------------------------------------------------------
# A review task has ``stage``, ``organization_id``, ``standard``, ``claimed_by_id`` and ``closed_at``; the filters
# below use those field names on the task model of the reviews app.


def decidable_stages(user: User_) -> set[str]:
    """The stages the user's roles decide somewhere (an administrator sees every task but decides none)."""
    scope = catalogue_access.scope_of(user)
    return {stage for stage in STAGE_OF_STATE.values() for m in scope.memberships if m.role in stage_roles(stage)}


def review_tasks_filter(user: User_) -> Q:
    """Tasks (open or closed) assigned to a body in which the user holds a role that decides the task's stage — the
    department head their department's confirmations, a compliance reviewer their 编办's, a legality reviewer their
    司法局's. An administrator sees every task. The twin of ``can_see_task``."""
    if catalogue_access.scope_of(user).is_admin:
        return Q()
    return deciding_tasks_filter(user)


def deciding_tasks_filter(user: User_) -> Q:
    """Tasks assigned to a body in which the user holds a role that decides the task's stage: the user's own to-dos
    (``review_tasks_filter`` without the administrator's view of every task)."""
    q = Q(pk__in=[])
    for membership in catalogue_access.scope_of(user).memberships:
        for stage in STAGE_OF_STATE.values():
            if _decides_stage_for(membership, stage):
                q |= Q(stage=stage, organization_id=membership.organization_id)
    return q


def _decides_stage_for(membership: Membership, stage: str) -> bool:
    """Whether the membership's body is where ``stage`` is decided by its role (the body a task is assigned to)."""
    if membership.role not in stage_roles(stage):
        return False
    return stage == "dept_confirm" or membership.organization.kind == ROLE_BODY.get(membership.role)


def can_see_task(user: User_, task) -> bool:
    scope = catalogue_access.scope_of(user)
    return scope.is_admin or any(
        m.organization_id == task.organization_id and _decides_stage_for(m, task.stage) for m in scope.memberships
    )


def task_decision_denial(user: User_, task, *, author_ids: set[int] | None = None):
    """Why ``user`` may not decide ``task`` now (an exception to raise), or None: the workflow's rule for the stage's
    pass action on the version, and a task claimed by someone else stays theirs."""
    problem = denial(user, pass_action(task.stage), task.standard, author_ids=author_ids)
    if problem is not None:
        return problem
    if task.claimed_by_id not in (None, user.pk):
        return ConflictError(_("该任务已由%(who)s认领，不能由您处理") % {"who": _name(task.claimed_by)})
    return None


def can_decide_task(user: User_, task, **kwargs) -> bool:
    return task.closed_at is None and task_decision_denial(user, task, **kwargs) is None


def can_claim_task(user: User_, task, **kwargs) -> bool:
    """Whoever may decide an open, unclaimed task may put their name on it."""
    return task.closed_at is None and task.claimed_by_id is None and can_decide_task(user, task, **kwargs)


def can_release_task(user: User_, task) -> bool:
    """A claimed task is given back by its holder, or by an administrator for an absent colleague."""
    return (
        task.closed_at is None
        and task.claimed_by_id is not None
        and (task.claimed_by_id == user.pk or catalogue_access.scope_of(user).is_admin)
    )


def can_open_review_queue(user: User_) -> bool:
    """Every member of staff opens the queue; it lists the tasks of ``review_tasks_filter`` (none for a clerk)."""
    return catalogue_access.is_staff_user(user)


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


# --- the standards' list ---------------------------------------------------------------------------------------------


def can_open_standard_list(user: User_) -> bool:
    """Every member of staff lists the standards of the items they see (``readable_standards``)."""
    return catalogue_access.is_staff_user(user)


# --- progress figures and reports ----------------------------------------------------------------------------------


def can_view_dashboard(user: User_) -> bool:
    """The figures are for the establishment offices and the supervisors (城市、省编办 read-only over their subtree),
    and the county reviewers for their county."""
    scope = catalogue_access.scope_of(user)
    return scope.is_admin or bool(scope.roles & DASHBOARD_ROLES)


def dashboard_divisions(user: User_) -> QuerySet[Division]:
    """The divisions whose figures the user may see (their subtrees); the twin of ``can_see_figures_of``."""
    if not can_view_dashboard(user):
        return Division.objects.none()
    return catalogue_access.visible_divisions(user)


def can_see_figures_of(user: User_, division: Division) -> bool:
    return can_view_dashboard(user) and catalogue_access.can_see_division(user, division)


def can_build_reports(user: User_) -> bool:
    """Reports are built and sent by an establishment office (compliance reviewer role) or a supervisor."""
    scope = catalogue_access.scope_of(user)
    return scope.is_admin or bool(scope.roles & REPORTING_ROLES)


def report_divisions(user: User_) -> list[Division]:
    """The units the user builds reports for: their subtrees as establishment office or supervisor."""
    scope = catalogue_access.scope_of(user)
    return scope.divisions(set(REPORTING_ROLES))


def can_report_for(user: User_, division: Division) -> bool:
    if catalogue_access.scope_of(user).is_admin:
        return True
    return any(catalogue_access.division_contains(d, division) for d in report_divisions(user))


def reports_filter(user: User_) -> Q:
    """Reports of the units in the user's subtree (``division`` on the report model); the twin of
    ``can_see_figures_of`` for a report's division."""
    if catalogue_access.scope_of(user).is_admin:
        return Q()
    return Q(division__in=catalogue_access.visible_divisions(user))


def can_watch_calendar(user: User_) -> bool:
    """Administrators and supervisors are told when the working-day calendar runs out (due dates depend on it)."""
    scope = catalogue_access.scope_of(user)
    return scope.is_admin or Role.SUPERVISOR in scope.roles


def watches_milestones(user: User_) -> bool:
    """Supervisors follow the units of their subtree against the work plan's milestones: the late ones are their
    to-do (the work-progress page, ``can_open_work_progress``, is open to all staff)."""
    return Role.SUPERVISOR in catalogue_access.scope_of(user).roles


def can_open_work_progress(user: User_) -> bool:
    """The work plan's milestones are every member of staff's business: each sees the units of their own scope (a
    clerk their county, whose lateness is their own)."""
    return catalogue_access.is_staff_user(user)


def can_manage_work_plans(user: User_) -> bool:
    """Work plans and their milestones are kept by the administrators, in the system administration (so the account
    must be able to enter it); the system administration's pages for them ask here too."""
    return user.is_active and user.is_staff and catalogue_access.scope_of(user).is_admin


def can_enter_workdays(user: User_) -> bool:
    """The working-day overrides are entered in the admin, by whoever the admin lets change that table."""
    return bool(user.is_authenticated and user.is_staff and user.has_perm("core.add_workdayoverride"))
