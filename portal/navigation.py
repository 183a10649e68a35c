"""The navigation bar's entries: one per page of the portal, each shown on the predicate its page's view opens on.

No rule lives here: every entry names the permission predicate of its page (``catalogue.access`` for the catalogue's
pages, ``standards.permissions`` for the standards, review tasks, progress and figures, ``cases.permissions`` for the
cases and inspections, ``hall.permissions`` for the hall, ``evaluation.permissions`` for 好差评,
``reporting.compendium.permissions`` for the compendium, ``reporting.scorecards.permissions`` for 考核), so a menu
entry is shown exactly when its page lets the user in (``tests/test_navigation.py`` walks every demo role through
every entry).
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
from reporting.compendium import permissions as compendium_permissions
from reporting.scorecards import permissions as scorecard_permissions
from standards import permissions

Entry = tuple[str, str, Callable[[User | AnonymousUser], bool]]

# The bar's sections, in order; each entry is (label, URL name, the page's predicate). A section with one entry the
# user may open is shown as a plain link, one with several as a drop-down, so no role faces thirty links in a row.
SECTIONS: list[tuple[str, list[Entry]]] = [
    (_("工作台"), [(_("工作台"), "home", access.can_open_home)]),
    (
        _("事项目录"),
        [
            (_("实施清单"), "catalogue:local_list", access.can_open_local_list),
            (_("通用目录"), "catalogue:general_list", access.can_open_general_list),
            (_("事项认领"), "catalogue:claim_start", access.can_open_claim_start),
            (_("待调整"), "catalogue:adjustment_list", access.can_open_adjustment_list),
            (_("认领审核"), "catalogue:claim_review", access.can_open_claim_review),
            (_("认领情况"), "catalogue:claim_report", access.can_open_claim_report),
            (_("动态管理"), "catalogue:change_list", access.can_open_change_list),
            (_("批量导入"), "catalogue:import_list", access.can_start_catalogue_import),
            (_("清单公开"), "public:index", access.can_open_public_catalogue),
        ],
    ),
    (_("结果公开"), [(_("结果公开"), "results:list", case_permissions.can_open_published_results)]),
    (
        _("标准编制"),
        [
            (_("审批标准"), "standards:list", permissions.can_open_standard_list),
            (_("审查任务"), "reviews:queue", permissions.can_open_review_queue),
            (_("待发布"), "reviews:publication_queue", permissions.can_open_publication_queue),
            (_("工作进度"), "workflow:milestones", permissions.can_open_work_progress),
            (_("标准汇编"), "reporting:compendium", compendium_permissions.can_open_compendiums),
        ],
    ),
    (
        _("办件与大厅"),
        [
            (_("办件"), "cases:list", case_permissions.can_open_case_list),
            (_("窗口受理"), "cases:accept", case_permissions.can_open_acceptance),
            (_("窗口叫号"), "hall:windows", hall_permissions.can_open_caller),
            (_("服务大厅"), "hall:index", hall_permissions.can_open_hall_index),
            (_("咨询"), "consultations:list", hall_permissions.can_open_consultations),
            (_("预约到场"), "bookings:arrive", hall_permissions.can_open_arrivals),
        ],
    ),
    (
        _("监督评价"),
        [
            (_("电子监察"), "cases:supervision", case_permissions.can_open_supervision),
            (_("抽查"), "cases:inspections", case_permissions.can_open_inspections),
            (_("好差评"), "evaluation:list", evaluation_permissions.can_open_evaluation_list),
            (_("差评整改"), "evaluation:rectifications", evaluation_permissions.can_open_rectification_list),
            (_("申诉审核"), "evaluation:appeals", evaluation_permissions.can_open_appeal_queue),
        ],
    ),
    (
        _("统计考核"),
        [
            (_("统计看板"), "reporting:dashboard", permissions.can_view_dashboard),
            (_("办件统计"), "reporting:case_figures", case_permissions.can_view_case_figures),
            (_("好差评统计"), "reporting:evaluation_figures", case_permissions.can_view_case_figures),
            (_("考核"), "reporting:scorecards", scorecard_permissions.can_open_scorecards),
        ],
    ),
    (_("系统管理"), [(_("系统管理"), "admin:index", access.can_open_site_admin)]),
]

# Every entry, in the order of the bar.
PAGES: list[Entry] = [entry for _section, entries in SECTIONS for entry in entries]


def navigation_for(user: User | AnonymousUser) -> list[dict]:
    """The entries of the pages this user may open; the pages ask the same predicates again on every request."""
    return [entry for section in navigation_sections(user) for entry in section["entries"]]


def navigation_sections(user: User | AnonymousUser) -> list[dict]:
    """The bar's sections with the entries this user may open; a section left empty is left out."""
    sections = []
    for label, entries in SECTIONS:
        shown = [{"label": str(text), "url": reverse(name)} for text, name, may_open in entries if may_open(user)]
        if shown:
            sections.append({"label": str(label), "entries": shown})
    return sections
