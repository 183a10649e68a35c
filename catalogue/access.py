"""Who may see which part of the catalogue, and who may change it.

The catalogue's own answer to visibility (domain decision 8, design "Who may do what"): every view, selector and
service of the catalogue asks here, and later apps reuse the division scoping. Memberships are the only source.

- admin: everything;
- supervisor (city/province 编办): the subtree of their organization's division, read-only;
- compliance / legality reviewer: their county (or city, province) and its townships;
- clerk / department head: their own department's items, and the division it sits in for browsing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from catalogue.models import (
    Division,
    DivisionLevel,
    LocalItem,
    Membership,
    Organization,
    OrganizationKind,
    Role,
)

DEPARTMENT_ROLES = {Role.CLERK, Role.DEPT_HEAD}
REVIEW_ROLES = {Role.COMPLIANCE_REVIEWER, Role.LEGALITY_REVIEWER}
# Who reads a department's items without writing them: those handling its cases.
CASE_DEPARTMENT_ROLES = {Role.APPROVER, Role.WINDOW_CLERK}
# Who reads the items of their division's subtree: reviewers, supervisors, and the service centre's staff (its window
# accepts for every department of the county, its officers supervise them).
WIDE_ROLES = REVIEW_ROLES | {Role.SUPERVISOR, Role.CENTER_SUPERVISOR}


@dataclass(frozen=True)
class Scope:
    """What one user's memberships add up to; built once per request and cached on the user object."""

    is_admin: bool
    memberships: tuple[Membership, ...]

    @cached_property
    def roles(self) -> set[str]:
        return {m.role for m in self.memberships} | ({Role.ADMIN} if self.is_admin else set())

    def organizations(self, roles: set[str] | None = None) -> list[Organization]:
        return [m.organization for m in self.memberships if roles is None or m.role in roles]

    def divisions(self, roles: set[str] | None = None) -> list[Division]:
        return [o.division for o in self.organizations(roles)]


def scope_of(user: User | AnonymousUser) -> Scope:
    if not user.is_authenticated:
        return Scope(False, ())
    cached = getattr(user, "_catalogue_scope", None)
    if cached is None:
        memberships = tuple(
            Membership.objects.filter(user=user, organization__is_active=True).select_related("organization__division")
        )
        is_admin = user.is_superuser or any(m.role == Role.ADMIN for m in memberships)
        cached = Scope(is_admin, memberships)
        user._catalogue_scope = cached
    return cached


def user_roles(user: User | AnonymousUser) -> set[str]:
    return scope_of(user).roles


def is_staff_user(user: User | AnonymousUser) -> bool:
    """Signed in with at least one role: the condition for every staff page."""
    scope = scope_of(user)
    return scope.is_admin or bool(scope.memberships)


def _division_q(divisions: list[Division], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for division in divisions:
        q |= Q(**{f"{prefix}{division.level}_code": division.code})
    return q


def subtree_q(divisions: list[Division], prefix: str = "") -> Q:
    """Rows in the subtrees of ``divisions``; ``prefix`` leads from the row to its division (``"division__"``)."""
    return _division_q(divisions, prefix)


def visible_divisions(user: User | AnonymousUser) -> QuerySet[Division]:
    """Divisions the user may browse: the subtrees of their organizations' divisions."""
    scope = scope_of(user)
    if scope.is_admin:
        return Division.objects.all()
    return Division.objects.filter(_division_q(scope.divisions()))


def can_see_division(user: User | AnonymousUser, division: Division) -> bool:
    scope = scope_of(user)
    if scope.is_admin:
        return True
    return any(division_contains(d, division) for d in scope.divisions())


def division_contains(outer: Division, inner: Division) -> bool:
    return outer.code in inner.ancestor_codes()


def home_division(user: User | AnonymousUser) -> Division | None:
    """The division a user's pages open on: the highest of their organizations' divisions."""
    scope = scope_of(user)
    divisions = scope.divisions()
    if not divisions:
        return (
            Division.objects.filter(level=DivisionLevel.PROVINCE).order_by("code").first() if scope.is_admin else None
        )
    return min(divisions, key=lambda d: len(d.ancestor_codes()))


def visible_local_items(user: User | AnonymousUser) -> QuerySet[LocalItem]:
    """Local items the user may see in staff pages.

    Department staff (and those handling its cases) see their own departments' items; reviewers, supervisors and
    the service centre's staff their divisions' subtrees.
    """
    scope = scope_of(user)
    if scope.is_admin:
        return LocalItem.objects.all()
    q = Q(pk__in=[])
    department_orgs = [
        o
        for o in scope.organizations(DEPARTMENT_ROLES | CASE_DEPARTMENT_ROLES)
        if o.kind != OrganizationKind.SERVICE_CENTER
    ]
    if department_orgs:
        q |= Q(organization_id__in=[o.pk for o in department_orgs])
    centers = [
        o.division for o in scope.organizations({Role.WINDOW_CLERK}) if o.kind == OrganizationKind.SERVICE_CENTER
    ]
    wide = scope.divisions(WIDE_ROLES) + centers
    if wide:
        q |= _division_q(wide, "division__")
    return LocalItem.objects.filter(q)


def visible_organizations(user: User | AnonymousUser) -> QuerySet[Organization]:
    scope = scope_of(user)
    if scope.is_admin:
        return Organization.objects.all()
    q = Q(pk__in=[o.pk for o in scope.organizations()])
    wide = scope.divisions(WIDE_ROLES)
    if wide:
        q |= _division_q(wide, "division__")
    return Organization.objects.filter(q)


# --- actions ---------------------------------------------------------------------------------------------------


def can_manage_general_catalogue(user: User | AnonymousUser, province: Division) -> bool:
    """The province's establishment office keeps the general catalogue (粤府办〔2014〕62号: 省编办 adjusts it)."""
    scope = scope_of(user)
    if scope.is_admin:
        return True
    return any(keeps_general_catalogue(m) and m.organization.division.code == province.code for m in scope.memberships)


def keeps_general_catalogue(membership: Membership) -> bool:
    """A compliance reviewer of a province's establishment office keeps that province's general catalogue."""
    organization = membership.organization
    return (
        membership.role == Role.COMPLIANCE_REVIEWER
        and organization.kind == OrganizationKind.BIANBAN
        and organization.division.level == DivisionLevel.PROVINCE
    )


def can_manage_local_list(user: User | AnonymousUser, division: Division) -> bool:
    """The establishment office of a division (or above) confirms claims and changes the division's list."""
    scope = scope_of(user)
    if scope.is_admin:
        return True
    return any(
        m.role == Role.COMPLIANCE_REVIEWER
        and m.organization.kind == OrganizationKind.BIANBAN
        and division_contains(m.organization.division, division)
        for m in scope.memberships
    )


def claimable_organizations(user: User | AnonymousUser) -> list[Organization]:
    """Bodies the user may claim items for: their own, as clerk or department head. Any kind of body may implement
    items — a justice bureau reviews legality and also exercises its own items (法律援助, 律师执业 …)."""
    scope = scope_of(user)
    if scope.is_admin:
        return []
    return scope.organizations(DEPARTMENT_ROLES)


def can_claim_for(user: User | AnonymousUser, organization: Organization) -> bool:
    return organization.pk in {o.pk for o in claimable_organizations(user)}


def can_resolve_adjustment(user: User | AnonymousUser, local_item: LocalItem) -> bool:
    scope = scope_of(user)
    return scope.is_admin or local_item.organization_id in {o.pk for o in scope.organizations(DEPARTMENT_ROLES)}


def manageable_divisions(user: User | AnonymousUser) -> list[Division]:
    """Divisions whose lists the user manages as establishment office (for claim review pages)."""
    scope = scope_of(user)
    return [
        m.organization.division
        for m in scope.memberships
        if m.role == Role.COMPLIANCE_REVIEWER and m.organization.kind == OrganizationKind.BIANBAN
    ]


def can_import_catalogue(user: User | AnonymousUser, division: Division) -> bool:
    """Bulk import writes a division's list (and flags new general items for the province office), so it is for
    whoever may change that list: admins and the establishment office of the division or above."""
    return can_manage_local_list(user, division)


def can_start_catalogue_import(user: User | AnonymousUser) -> bool:
    """The import pages are for admins and establishment office staff; which rows they may write is decided per
    division (``can_import_catalogue``)."""
    return scope_of(user).is_admin or bool(manageable_divisions(user))


def can_see_catalogue_import(user: User | AnonymousUser, record) -> bool:
    """An import is the business of whoever started it and of the establishment offices over its division."""
    if scope_of(user).is_admin:
        return True
    if not can_start_catalogue_import(user):
        return False
    if record.created_by_id == user.pk:
        return True
    return record.division is not None and can_import_catalogue(user, record.division)


def can_confirm_catalogue_import(user: User | AnonymousUser, record) -> bool:
    """Only the person who uploaded the file confirms it: the preview ran with their rights, so what they looked at
    is what the import does (others may see the import, not start it in their name)."""
    return (
        record.created_by_id == user.pk
        and can_start_catalogue_import(user)
        and (record.division is None or can_import_catalogue(user, record.division))
    )


def visible_catalogue_imports_q(user: User | AnonymousUser) -> Q:
    """The ``CatalogueImport`` filter matching ``can_see_catalogue_import``."""
    if scope_of(user).is_admin:
        return Q()
    if not can_start_catalogue_import(user):
        return Q(pk__in=[])
    return Q(created_by=user) | _division_q(manageable_divisions(user), "division__")


# --- the catalogue's pages: each page's view opens on its predicate, and the navigation shows it on the same -------


def can_open_home(user: User | AnonymousUser) -> bool:
    """Everyone signed in has a home page (with or without a role); anonymous visitors land on the public list."""
    return user.is_authenticated


def can_open_public_catalogue(user: User | AnonymousUser) -> bool:
    """The published catalogue is public."""
    return True


def can_open_local_list(user: User | AnonymousUser) -> bool:
    """Every member of staff browses the implementation lists of their scope (``visible_local_items``)."""
    return is_staff_user(user)


def can_open_general_list(user: User | AnonymousUser) -> bool:
    """Every member of staff reads the general catalogue their items derive from."""
    return is_staff_user(user)


def can_open_change_list(user: User | AnonymousUser) -> bool:
    """Every member of staff reads the catalogue's changes: a change may open an adjustment for their items."""
    return is_staff_user(user)


def visible_changes_q(user: User | AnonymousUser) -> Q:
    """The ``CatalogChange`` filter of the changes a member of staff reads: those of the lists in their subtrees and
    those of the catalogues above them (their province's general catalogue, their city's list), never another
    county's."""
    scope = scope_of(user)
    if scope.is_admin:
        return Q()
    divisions = scope.divisions()
    above = {code for division in divisions for code in division.ancestor_codes()}
    return _division_q(divisions, "scope__") | Q(scope_id__in=above)


def can_see_change(user: User | AnonymousUser, change) -> bool:
    """The twin of ``visible_changes_q`` for one change record."""
    return type(change).objects.filter(visible_changes_q(user), pk=change.pk).exists()


def can_open_claim_start(user: User | AnonymousUser) -> bool:
    """Claiming is for the clerks and heads of implementing bodies, for their own body (``claimable_organizations``)."""
    return bool(claimable_organizations(user))


def can_open_claim_review(user: User | AnonymousUser) -> bool:
    """Claims are confirmed by the establishment office over their division (``manageable_divisions``)."""
    return scope_of(user).is_admin or bool(manageable_divisions(user))


def can_open_claim_report(user: User | AnonymousUser) -> bool:
    """The claim report names the items nobody in a division holds: the gaps the establishment office closes, watched
    by the reviewing bodies and the supervisors. A department sees its own claims on the claiming page."""
    scope = scope_of(user)
    return scope.is_admin or bool(scope.roles & (REVIEW_ROLES | {Role.SUPERVISOR}))


def can_open_adjustment_list(user: User | AnonymousUser) -> bool:
    """The adjustment to-do list is the implementing departments' (the twin of ``can_resolve_adjustment``); nobody
    else ever has an adjustment to make."""
    scope = scope_of(user)
    return scope.is_admin or bool(scope.roles & DEPARTMENT_ROLES)


def reviewable_claims_q(user: User | AnonymousUser) -> Q:
    """The ``Claim`` filter of the claims the user confirms: those of the divisions they manage (the twin of
    ``can_open_claim_review``, and of ``can_manage_local_list`` for one claim's division)."""
    if scope_of(user).is_admin:
        return Q()
    return _division_q(manageable_divisions(user), "local_item__division__")


def adjustment_tasks_q(user: User | AnonymousUser) -> Q:
    """The ``AdjustmentTask`` filter matching ``can_resolve_adjustment``: their own departments' items."""
    scope = scope_of(user)
    if scope.is_admin:
        return Q()
    return Q(local_item__organization__in=[o.pk for o in scope.organizations(DEPARTMENT_ROLES)])


def can_open_site_admin(user: User | AnonymousUser) -> bool:
    """The system administration keeps Django's own rule: active accounts marked as staff."""
    return user.is_active and user.is_staff


# --- who a person is, in words ------------------------------------------------------------------------------------

# The roles as a person names them (the choices' labels also say the kind of body, which the title's body shows).
ROLE_TITLES = {
    Role.CLERK: _("录入员"),
    Role.DEPT_HEAD: _("部门负责人"),
    Role.COMPLIANCE_REVIEWER: _("合规性审查员"),
    Role.LEGALITY_REVIEWER: _("合法性审查员"),
    Role.SUPERVISOR: _("督导"),
    Role.WINDOW_CLERK: _("窗口受理员"),
    Role.APPROVER: _("审批人员"),
    Role.CENTER_SUPERVISOR: _("电子监察员"),
    Role.ADMIN: _("系统管理员"),
}
GENERAL_CATALOGUE_TITLE = _("通用目录管理员")


def body_name(organization: Organization) -> str:
    """The body as colleagues call it: an establishment office by its division (清城区编办), other bodies by name."""
    if organization.kind == OrganizationKind.BIANBAN:
        return _("%(division)s编办") % {"division": organization.division.name}
    return organization.name


def role_titles(user: User | AnonymousUser) -> list[str]:
    """Each of the user's memberships as "role · body" (合规性审查员 · 清城区编办); the compliance reviewer of a
    province's establishment office is named for what that membership lets them do (``keeps_general_catalogue``)."""
    scope = scope_of(user)
    titles = []
    for m in scope.memberships:
        role = GENERAL_CATALOGUE_TITLE if keeps_general_catalogue(m) else ROLE_TITLES.get(m.role, m.get_role_display())
        titles.append(f"{role} · {body_name(m.organization)}")
    if scope.is_admin and not any(m.role == Role.ADMIN for m in scope.memberships):
        titles.insert(0, str(ROLE_TITLES[Role.ADMIN]))
    return titles
