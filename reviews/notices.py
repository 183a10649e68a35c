"""Who hears of what in the review workflow; ``core.notifications`` delivers it (inbox and e-mail).

- a new review task: the people who decide its stage in the assigned body;
- a return: everyone who wrote the version, with the reasons and the field comments;
- an approved version (the legality pass): whoever publishes it, with the way to its confirmation page;
- a published version: its authors;
- a task nearing its due date, and a task past it: whoever claimed it, else the body's deciders — once each.

``transition_committed`` runs after the transition's transaction commits (``reviews.services.standard_transition``
asks for it), so a message never speaks of a change that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from catalogue.models import Membership
from core.i18n import Message as M
from core.i18n import choice_message, join_lines
from core.models import Notification
from core.notifications import Message, notify, notify_each
from standards.models import ItemStandard
from standards.permissions import authors, publishers
from standards.transitions import RETURN_ACTIONS, STAGE_OF_STATE, Action, stage_roles
from workflow.models import StateTransition

from .models import ReviewTask, Stage
from .selectors import waiting_in_its_stage

logger = logging.getLogger(__name__)

DEFAULT_REMIND_BEFORE_HOURS = 24


def deciders(task: ReviewTask) -> list[User]:
    """The active people of the task's body whose role decides its stage."""
    return deciders_of([task])[task.pk]


def deciders_of(tasks: list[ReviewTask]) -> dict[int, list[User]]:
    """``deciders`` of many tasks by task id, from one query over the memberships of all their bodies."""
    organizations = {task.organization_id for task in tasks if task.organization_id is not None}
    roles = {role for task in tasks for role in stage_roles(task.stage)}
    people: dict[tuple[int, str], list[User]] = defaultdict(list)
    if organizations:
        memberships = Membership.objects.filter(
            organization_id__in=organizations, role__in=roles, user__is_active=True
        ).select_related("user")
        for membership in memberships.order_by("user_id"):
            people[membership.organization_id, membership.role].append(membership.user)
    found: dict[int, list[User]] = {}
    for task in tasks:
        users = {
            user.pk: user for role in stage_roles(task.stage) for user in people.get((task.organization_id, role), ())
        }
        found[task.pk] = list(users.values())
    return found


def _item_line(standard: ItemStandard) -> str:
    item = standard.local_item
    return M(
        gettext_noop("事项：%(name)s（%(code)s）\n实施机构：%(org)s\n版本：第%(version)s版"),
        name=item.name,
        code=item.code,
        org=item.organization.name,
        version=standard.version,
    )


def _stage(task: ReviewTask) -> str:
    return choice_message(Stage(task.stage).label)


def task_opened(task: ReviewTask) -> int:
    standard = task.standard
    due = timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M")
    message = Message(
        kind=Notification.Kind.TASK,
        key=f"task:{task.pk}",
        title=M(gettext_noop("新的%(stage)s任务：%(name)s"), stage=_stage(task), name=standard.local_item.name),
        body=join_lines(
            [
                _item_line(standard),
                M(gettext_noop("第%(round)s轮，办理期限：%(due)s"), round=task.round, due=due),
            ]
        ),
        url=reverse("reviews:task", args=[task.pk]),
    )
    return notify(deciders(task), message)


def standard_returned(standard: ItemStandard, record: StateTransition) -> int:
    task = ReviewTask.objects.filter(closing_transition=record).prefetch_related("reasons", "comments__reason").first()
    lines = [
        _item_line(standard),
        M(gettext_noop("退回人：%(who)s"), who=record.actor.get_full_name() or str(record.actor)),
    ]
    if task is not None and task.reasons.all():
        lines.append(M(gettext_noop("退回理由：")))
        lines += [M("  %(code)s %(text)s", code=r.code, text=M(r.text)) for r in task.reasons.all()]
        comments = [c for c in task.comments.all() if c.text]
        if comments:
            lines.append(M(gettext_noop("具体意见：")))
            lines += [M("  [%(code)s] %(text)s", code=c.reason.code, text=c.text) for c in comments]
    if record.note:
        lines.append(M(gettext_noop("审查意见：%(note)s"), note=record.note))
    message = Message(
        kind=Notification.Kind.RETURNED,
        key=f"returned:{record.pk}",
        title=M(gettext_noop("标准被退回修改：%(name)s"), name=standard.local_item.name),
        body=join_lines(lines),
        url=reverse("standards:edit", args=[standard.pk]),
    )
    return notify(User.objects.filter(pk__in=authors(standard)), message)


def standard_published(standard: ItemStandard, record: StateTransition) -> int:
    # The publishers' 待发布 notices of this version are done, whoever of them published it.
    Notification.objects.filter(
        kind=Notification.Kind.TO_PUBLISH, url=reverse("reviews:publish", args=[standard.pk]), read_at__isnull=True
    ).update(read_at=record.at)
    message = Message(
        kind=Notification.Kind.PUBLISHED,
        key=f"published:{record.pk}",
        title=M(gettext_noop("标准已发布：%(name)s"), name=standard.local_item.name),
        body=_item_line(standard),
        url=reverse("guides:guide", args=[standard.local_item.code]),
    )
    return notify(User.objects.filter(pk__in=authors(standard)), message)


def standard_approved(standard: ItemStandard, record: StateTransition) -> int:
    """The version waits to be published: its publishers are told once per approval (a version returned and approved
    again is a new approval), and find it in their 待发布 list."""
    message = Message(
        kind=Notification.Kind.TO_PUBLISH,
        key=f"to_publish:{record.pk}",
        title=M(gettext_noop("待发布：%(name)s"), name=standard.local_item.name),
        body=join_lines(
            [
                _item_line(standard),
                M(gettext_noop("合法性审查已通过，请在“待发布”中核对后发布。")),
            ]
        ),
        url=reverse("reviews:publish", args=[standard.pk]),
    )
    return notify(publishers(standard), message)


def transition_committed(standard_id: int, record_id: int) -> None:
    """Tell the people a committed transition concerns. Never raises: the transition stands whatever the inbox or
    the mail server does."""
    try:
        record = StateTransition.objects.select_related("actor").get(pk=record_id)
        standard = ItemStandard.objects.select_related("local_item__organization", "local_item__division").get(
            pk=standard_id
        )
        if record.action in RETURN_ACTIONS:
            standard_returned(standard, record)
        elif record.action == Action.PASS_LEGALITY:
            standard_approved(standard, record)
        elif record.action == Action.PUBLISH:
            standard_published(standard, record)
        if record.to_state in STAGE_OF_STATE:
            task = ReviewTask.objects.filter(opening_transition=record).select_related("standard__local_item").first()
            if task is not None:
                task_opened(task)
    except Exception:
        logger.exception("流转记录 %s 的站内消息未能发送", record_id)


def remind_due_tasks(now: dt.datetime | None = None) -> int:
    """Tell the people on each open task that its due date is near (within ``REVIEW_REMIND_BEFORE_HOURS``), and again
    once it has passed. Run by Celery beat every half hour; each task's reminders go out once."""
    now = now or timezone.now()
    hours = getattr(settings, "REVIEW_REMIND_BEFORE_HOURS", DEFAULT_REMIND_BEFORE_HOURS)
    tasks = list(
        ReviewTask.objects.open()
        .filter(waiting_in_its_stage(), due_at__lte=now + dt.timedelta(hours=hours))
        .select_related("standard__local_item__organization", "claimed_by")
        .order_by("due_at", "pk")
    )
    keys = {task.pk: f"{'overdue' if task.due_at <= now else 'due'}:{task.pk}" for task in tasks}
    already = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True).distinct())
    tasks = [task for task in tasks if keys[task.pk] not in already]
    unclaimed = deciders_of([task for task in tasks if task.claimed_by is None])
    deliveries = []
    for task in tasks:
        due = timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M")
        title = (
            gettext_noop("审查任务已超期：%(name)s")
            if task.due_at <= now
            else gettext_noop("审查任务即将到期：%(name)s")
        )
        message = Message(
            kind=Notification.Kind.DUE,
            key=keys[task.pk],
            title=M(title, name=task.standard.local_item.name),
            body=join_lines(
                [
                    _item_line(task.standard),
                    M(gettext_noop("环节：%(stage)s，办理期限：%(due)s"), stage=_stage(task), due=due),
                ]
            ),
            url=reverse("reviews:task", args=[task.pk]),
        )
        deliveries.append(([task.claimed_by] if task.claimed_by else unclaimed[task.pk], message))
    return notify_each(deliveries)
