"""The workbench: each person's own to-dos on the home page, one section per role they hold.

Every list comes from a selector of the app that owns its data, scoped through the permission module
(``standards.selectors.versions_to_submit``, ``reviews.selectors.my_tasks`` and ``awaiting_publication``,
``reporting.deadlines.selectors.units_to_chase``); here they are only cut to their first rows and put into words. Each
section costs a fixed number of queries, whatever the number of items waiting, and each entry links to the page where
its work is done: the editor, the review screen, the standard's story page, the work-progress page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases import permissions as case_permissions
from cases.models import ACCEPTED_OPEN_STATUSES, AlertLevel, CaseStatus, Oversight, OversightState
from catalogue import access
from catalogue.models import Role
from hall import permissions as hall_permissions
from hall.models import TicketStatus
from reporting.deadlines import selectors as deadlines
from reviews import selectors as reviews
from reviews.models import Stage
from standards import annotations, permissions
from standards import selectors as standards
from standards.models import StandardState
from standards.transitions import TRANSITIONS, Action

# Entries shown per section; the section's link leads to the whole list.
ROWS = 8
REVIEW_STAGES = (Stage.COMPLIANCE, Stage.LEGALITY)


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    context: str  # the body and division, or the milestone
    when_label: str
    when: dt.date | dt.datetime | None
    overdue: bool = False
    badges: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # the reasons of a return, a unit's shortfall


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    icon: str  # a Bootstrap icon's name
    count: int
    action: str  # what the entry's link does
    all_url: str
    empty: str
    entries: list[Entry] = field(default_factory=list)
    overdue: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def sections_for(user: User | AnonymousUser) -> list[Section]:
    """The sections of everything the user has to do, in the order work flows: writing, confirming, reviewing,
    publishing, following the units."""
    roles = access.user_roles(user)
    sections: list[Section] = []
    if Role.CLERK in roles:
        sections += _writing(user)
    stages = permissions.decidable_stages(user)
    if stages:
        sections += _deciding(user, stages)
    if roles & TRANSITIONS[Action.PUBLISH].roles:
        sections.append(_publishing(user))
    if permissions.watches_milestones(user):
        sections.append(_following(user))
    sections += _cases(user, roles)
    if roles & hall_permissions.WINDOW_ROLES:
        sections += _windows(user)
    return sections


def _place(local_item) -> str:
    return f"{local_item.organization.name} · {local_item.division.name}"


def _list_url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _writing(user) -> list[Section]:
    """The clerk's versions: returned ones with the reviewers' reasons, then drafts; the longest untouched first."""
    versions = standards.versions_to_submit(user)
    counts = standards.count_by_state(versions)
    returned = [
        Entry(
            title=str(v),
            url=reverse("standards:edit", args=[v.pk]),
            context=_place(v.local_item),
            when_label=_("退回于"),
            when=v.updated_at,
            badges=(_("第%(n)s次退回") % {"n": v.return_count},) if v.return_count > 1 else (),
            notes=tuple(annotations.return_reasons(v)),
        )
        for v in versions.filter(state=StandardState.RETURNED)[:ROWS]
    ]
    drafts = [
        Entry(
            title=str(v),
            url=reverse("standards:edit", args=[v.pk]),
            context=_place(v.local_item),
            when_label=_("最后保存"),
            when=v.updated_at,
        )
        for v in versions.filter(state=StandardState.DRAFT)[:ROWS]
    ]
    return [
        Section(
            key="returned",
            title=_("退回给我修改"),
            icon="arrow-return-left",
            count=counts.get(StandardState.RETURNED, 0),
            action=pgettext("to-do link", "修改"),
            all_url=_list_url("standards:list", state=StandardState.RETURNED),
            empty=_("没有退回的版本"),
            entries=returned,
        ),
        Section(
            key="drafts",
            title=_("我的草稿"),
            icon="pencil-square",
            count=counts.get(StandardState.DRAFT, 0),
            action=pgettext("to-do link", "编辑"),
            all_url=_list_url("standards:list", state=StandardState.DRAFT),
            empty=_("没有未提交的草稿"),
            entries=drafts,
        ),
    ]


def _deciding(user, stages: set[str]) -> list[Section]:
    """Confirmations waiting for a department head, and review tasks of the reviewers, the earliest due first."""
    now = timezone.now()
    tasks = reviews.my_tasks(user)
    counts = reviews.count_by_stage(tasks, now)
    sections = []
    if Stage.DEPT_CONFIRM in stages:
        total, late = counts.get(Stage.DEPT_CONFIRM, (0, 0))
        sections.append(
            Section(
                key="confirm",
                title=_("待我确认"),
                icon="check2-square",
                count=total,
                overdue=late,
                action=pgettext("to-do link", "确认"),
                all_url=_list_url("reviews:queue", stage=Stage.DEPT_CONFIRM),
                empty=_("没有等待部门确认的版本"),
                entries=[_task_entry(t, now) for t in tasks.filter(stage=Stage.DEPT_CONFIRM)[:ROWS]],
            )
        )
    review_stages = [s for s in REVIEW_STAGES if s in stages]
    if review_stages:
        total = sum(counts.get(s, (0, 0))[0] for s in review_stages)
        late = sum(counts.get(s, (0, 0))[1] for s in review_stages)
        query = {"stage": review_stages[0]} if len(review_stages) == 1 else {}
        sections.append(
            Section(
                key="review",
                title=_("我的审查任务"),
                icon="clipboard-check",
                count=total,
                overdue=late,
                action=pgettext("to-do link", "审查"),
                all_url=_list_url("reviews:queue", **query),
                empty=_("没有待审查的任务"),
                entries=[_task_entry(t, now) for t in tasks.filter(stage__in=review_stages)[:ROWS]],
            )
        )
    return sections


def _task_entry(task, now: dt.datetime) -> Entry:
    badges = [task.get_stage_display()]
    if task.round > 1:
        badges.append(_("第%(n)s轮") % {"n": task.round})
    if task.claimed_by_id:
        badges.append(_("我已认领"))
    return Entry(
        title=str(task.standard),
        url=reverse("reviews:task", args=[task.pk]),
        context=_place(task.standard.local_item),
        when_label=_("办理期限"),
        when=task.due_at,
        overdue=task.due_at < now,
        badges=tuple(badges),
    )


def _publishing(user) -> Section:
    """Versions through both reviews, waiting for the establishment office to publish them."""
    versions = reviews.awaiting_publication(user)
    return Section(
        key="publish",
        title=_("待发布"),
        icon="megaphone",
        count=versions.count(),
        action=pgettext("to-do link", "发布"),
        all_url=reverse("reviews:publication_queue"),
        empty=_("没有等待发布的版本"),
        entries=[
            Entry(
                title=str(v),
                url=reverse("reviews:publish", args=[v.pk]),
                context=_place(v.local_item),
                when_label=_("审查通过于"),
                when=v.approved_at,
            )
            for v in versions[:ROWS]
        ],
    )


def _following(user) -> Section:
    """The units of the supervisor's subtree short of a milestone: past its due date first (the longest overdue
    first), then those whose due date is near."""
    plan, units = deadlines.units_to_chase(user)
    url = _list_url("workflow:milestones", plan=plan.pk) if plan else reverse("workflow:milestones")
    entries = []
    for unit in units[:ROWS]:
        if unit.counts_items:
            shortfall = _("差 %(n)s 项（完成率 %(rate)s%%）") % {"n": unit.shortfall, "rate": unit.rate}
        else:
            shortfall = _("未报备")
        if unit.is_behind:
            badge = _("逾期 %(days)s 天") % {"days": unit.days_overdue} if unit.days_overdue else _("今日截止")
        else:
            badge = _("剩余 %(days)s 天") % {"days": unit.days_left}
        entries.append(
            Entry(
                title=unit.division.name,
                url=f"{url}#milestone-{unit.milestone.pk}",
                context=unit.milestone.title,
                when_label=_("截止"),
                when=unit.due,
                overdue=unit.is_behind,
                badges=(badge,),
                notes=(shortfall,),
            )
        )
    return Section(
        key="units",
        title=_("未完成工作节点的单位"),
        icon="hourglass-split",
        count=len(units),
        overdue=sum(1 for u in units if u.is_behind),
        action=pgettext("to-do link", "查看进度"),
        all_url=url,
        empty=_("所辖单位均已完成到期和临近的工作节点"),
        entries=entries,
    )


# --- cases -----------------------------------------------------------------------------------------------------------


def _case_entry(case, *, when_label: str, when, today: dt.date) -> Entry:
    due = case.promised_due
    return Entry(
        title=f"{case.local_item.name} · {case.applicant_name}",
        url=reverse("cases:detail", args=[case.number]),
        context=case.number,
        when_label=when_label,
        when=when,
        overdue=bool(due and due < today) or case.alert_level == AlertLevel.RED,
        badges=(case.get_alert_level_display(),) if case.alert_level else (),
    )


def _count_overdue(rows, overdue: Q) -> dict[str, int]:
    """How many rows, and how many of them overdue, in one query."""
    return rows.order_by().aggregate(count=Count("pk"), overdue=Count("pk", filter=overdue))


def _cases(user, roles: set[str]) -> list[Section]:
    """The window's applications waiting for 补正, the department's cases in hand (the nearest promised date first),
    the head's extension requests and 督办 to answer, and the supervising office's 督办 to close."""
    today = timezone.localdate()
    visible = case_permissions.visible_cases(user).select_related("local_item")
    sections: list[Section] = []
    if Role.WINDOW_CLERK in roles:
        waiting = visible.filter(status=CaseStatus.SUPPLEMENT).order_by("received_at", "pk")
        sections.append(
            Section(
                key="supplement",
                title=_("等待补正材料的申请"),
                icon="file-earmark-plus",
                count=waiting.count(),
                action=pgettext("to-do link", "收取补正材料"),
                all_url=_list_url("cases:list", status=CaseStatus.SUPPLEMENT),
                empty=_("没有等待补正的申请"),
                entries=[
                    _case_entry(c, when_label=_("收件于"), when=c.received_at, today=today) for c in waiting[:ROWS]
                ],
            )
        )
    if roles & case_permissions.HANDLING_ROLES - {Role.WINDOW_CLERK}:
        in_hand = visible.filter(case_permissions.handled_cases_q(user), status__in=ACCEPTED_OPEN_STATUSES)
        in_hand = in_hand.order_by("promised_due", "pk")
        counts = _count_overdue(in_hand, Q(promised_due__lt=today))
        sections.append(
            Section(
                key="cases",
                title=_("本部门在办的办件"),
                icon="folder2-open",
                count=counts["count"],
                overdue=counts["overdue"],
                action=pgettext("to-do link", "办理"),
                all_url=_list_url("cases:list", sort="promised_due"),
                empty=_("没有在办的办件"),
                entries=[
                    _case_entry(c, when_label=_("承诺期限"), when=c.promised_due, today=today) for c in in_hand[:ROWS]
                ],
            )
        )
    # Only the people who answer or close 督办 get these sections (an administrator may do both, and is not shown
    # every county's).
    to_answer = Oversight.objects.filter(case_permissions.oversights_to_reply_q(user), state=OversightState.OPEN)
    to_close = Oversight.objects.filter(
        case_permissions.supervising_cases_q(user, prefix="case__"), state=OversightState.REPLIED
    )
    for key, title, oversights, action, empty in (
        ("oversight_reply", _("待答复的督办"), to_answer, pgettext("to-do link", "答复"), _("没有待答复的督办")),
        ("oversight_close", _("待办结的督办"), to_close, pgettext("to-do link", "审核答复"), _("没有待办结的督办")),
    ):
        if key == "oversight_reply" and not roles & {Role.DEPT_HEAD, Role.APPROVER}:
            continue
        if key == "oversight_close" and not roles & case_permissions.WATCH_ROLES:
            continue
        oversights = oversights.select_related("case__local_item").order_by("reply_due", "pk")
        counts = _count_overdue(oversights, Q(reply_due__lt=today))
        sections.append(
            Section(
                key=key,
                title=title,
                icon="megaphone",
                count=counts["count"],
                overdue=counts["overdue"],
                action=action,
                all_url=reverse("cases:supervision") + "?tab=oversights",
                empty=empty,
                entries=[
                    Entry(
                        title=f"{o.case.local_item.name} · {o.alert.get_rule_display()}",
                        url=reverse("cases:oversight", args=[o.pk]),
                        context=o.case.number,
                        when_label=_("答复期限"),
                        when=o.reply_due,
                        overdue=o.reply_due < today and o.state == OversightState.OPEN,
                    )
                    for o in oversights.select_related("alert")[:ROWS]
                ],
            )
        )
    return sections


# --- the hall ---------------------------------------------------------------------------------------------------------


def _windows(user) -> list[Section]:
    """The windows the user sits at (A岗 or B岗), each with today's waiting numbers it may call. One query."""
    today = timezone.localdate()
    windows = list(
        hall_permissions.staffed_windows(user)
        .select_related("hall")
        .annotate(
            waiting=Count(
                "groups__tickets",
                filter=Q(groups__tickets__day=today, groups__tickets__status=TicketStatus.WAITING),
            )
        )
        .order_by("hall__name", "number")[: ROWS + 1]
    )
    if not windows:
        return []
    return [
        Section(
            key="hall_windows",
            title=_("窗口叫号"),
            icon="megaphone",
            count=len(windows),
            action=_("叫号"),
            all_url=reverse("hall:windows"),
            empty=_("您不在任何窗口的岗位上"),
            entries=[
                Entry(
                    title=f"{w.number} {w.name}",
                    url=reverse("hall:caller", args=[w.pk]),
                    context=w.hall.name,
                    when_label="",
                    when=None,
                    badges=(_("等候 %(count)s 人") % {"count": w.waiting},),
                )
                for w in windows[:ROWS]
            ],
        )
    ]
