"""The navigation bar's entries: one per page of the portal, each shown on the predicate its page's view opens on.

No rule lives here: every entry names the permission predicate of its page (``catalogue.access`` for the catalogue's
pages, ``standards.permissions`` for the standards, review tasks, progress and figures,
``cases.permissions`` for the case figures, ``hall.permissions`` for the hall, ``evaluation.permissions`` for
好差评, ``reporting.scorecards.permissions`` for 考核), so a menu entry is shown
exactly when its page lets the user in (``tests/test_navigation.py`` walks every demo role through every entry).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases import permissions as case_permissions
from catalogue import access
from evaluation import permissions as evaluation_permissions
from hall import permissions as hall_permissions
from reporting.scorecards import permissions as scorecard_permissions
from standards import permissions

# (label, URL name, the page's predicate), in the order of the bar.
PAGES: list[tuple[str, str, Callable[[User | AnonymousUser], bool]]] = [
    (_("工作台"), "home", access.can_open_home),
    (_("实施清单"), "catalogue:local_list", access.can_open_local_list),
    (_("通用目录"), "catalogue:general_list", access.can_open_general_list),
    (_("审批标准"), "standards:list", permissions.can_open_standard_list),
    (_("审查任务"), "reviews:queue", permissions.can_open_review_queue),
    (_("待发布"), "reviews:publication_queue", permissions.can_open_publication_queue),
    (_("事项认领"), "catalogue:claim_start", access.can_open_claim_start),
    (_("待调整"), "catalogue:adjustment_list", access.can_open_adjustment_list),
    (_("认领审核"), "catalogue:claim_review", access.can_open_claim_review),
    (_("认领情况"), "catalogue:claim_report", access.can_open_claim_report),
    (_("工作进度"), "workflow:milestones", permissions.can_open_work_progress),
    (_("办件"), "cases:list", case_permissions.can_open_case_list),
    (_("窗口受理"), "cases:accept", case_permissions.can_open_acceptance),
    (_("窗口叫号"), "hall:windows", hall_permissions.can_open_caller),
    (_("服务大厅"), "hall:index", hall_permissions.can_open_hall_index),
    (_("统计看板"), "reporting:dashboard", permissions.can_view_dashboard),
    (_("电子监察"), "cases:supervision", case_permissions.can_open_supervision),
    (_("咨询"), "consultations:list", hall_permissions.can_open_consultations),
    (_("预约到场"), "bookings:arrive", hall_permissions.can_open_arrivals),
    (_("办件统计"), "reporting:case_figures", case_permissions.can_view_case_figures),
    (_("好差评统计"), "reporting:evaluation_figures", case_permissions.can_view_case_figures),
    (_("考核"), "reporting:scorecards", scorecard_permissions.can_open_scorecards),
    (_("好差评"), "evaluation:list", evaluation_permissions.can_open_evaluation_list),
    (_("差评整改"), "evaluation:rectifications", evaluation_permissions.can_open_rectification_list),
    (_("申诉审核"), "evaluation:appeals", evaluation_permissions.can_open_appeal_queue),
    (_("动态管理"), "catalogue:change_list", access.can_open_change_list),
    (_("批量导入"), "catalogue:import_list", access.can_start_catalogue_import),
    (_("清单公开"), "public:index", access.can_open_public_catalogue),
    (_("系统管理"), "admin:index", access.can_open_site_admin),
]


def navigation_for(user: User | AnonymousUser) -> list[dict]:
    """The entries of the pages this user may open; the pages ask the same predicates again on every request."""
    return [{"label": str(label), "url": reverse(name)} for label, name, may_open in PAGES if may_open(user)]
