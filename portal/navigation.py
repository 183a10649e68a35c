"""The navigation bar's entries: one per page the user's roles open, across every app of the portal."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.access import (
    DEPARTMENT_ROLES,
    REVIEW_ROLES,
    can_start_catalogue_import,
    manageable_divisions,
    scope_of,
)
from catalogue.models import Role


def navigation_for(user: User | AnonymousUser) -> list[dict]:
    """The navigation bar's entries for this user's roles; pages check access again on every request."""
    if not user.is_authenticated:
        return [
            {"label": _("清单公开"), "url": reverse("public:index")},
        ]
    scope = scope_of(user)
    roles = scope.roles
    items = [{"label": _("工作台"), "url": reverse("home")}]
    if scope.is_admin or scope.memberships:
        items.append({"label": _("实施清单"), "url": reverse("catalogue:local_list")})
        items.append({"label": _("通用目录"), "url": reverse("catalogue:general_list")})
    if scope.is_admin or scope.memberships:
        items.append({"label": _("审批标准"), "url": reverse("standards:list")})
    if scope.is_admin or roles & {Role.DEPT_HEAD, Role.COMPLIANCE_REVIEWER, Role.LEGALITY_REVIEWER}:
        items.append({"label": _("审查任务"), "url": reverse("reviews:queue")})
    if roles & DEPARTMENT_ROLES:
        items.append({"label": _("事项认领"), "url": reverse("catalogue:claim_start")})
        items.append({"label": _("待调整"), "url": reverse("catalogue:adjustment_list")})
    if scope.is_admin or manageable_divisions(user):
        items.append({"label": _("认领审核"), "url": reverse("catalogue:claim_review")})
    if scope.is_admin or roles & (REVIEW_ROLES | {Role.SUPERVISOR}):
        items.append({"label": _("认领情况"), "url": reverse("catalogue:claim_report")})
        items.append({"label": _("工作进度"), "url": reverse("workflow:milestones")})
        items.append({"label": _("统计看板"), "url": reverse("reporting:dashboard")})
    if scope.is_admin or scope.memberships:
        items.append({"label": _("动态管理"), "url": reverse("catalogue:change_list")})
    if can_start_catalogue_import(user):
        items.append({"label": _("批量导入"), "url": reverse("catalogue:import_list")})
    items.append({"label": _("清单公开"), "url": reverse("public:index")})
    if user.is_staff:
        items.append({"label": _("系统管理"), "url": reverse("admin:index")})
    return items
