"""The inbox and e-mail as people meet them: reviewers hear of new tasks and of due dates, authors of returns with
the reasons; nobody hears of one event twice, and nobody else hears of it at all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from reviews import notices
from reviews.models import ReturnReason, ReviewTask
from reviews.services import CommentInput, review_task_decide
from workflow.models import StateTransition


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def open_task(standard) -> ReviewTask:
    return ReviewTask.objects.get(standard=standard, closed_at__isnull=True)


def test_a_new_task_reaches_the_deciders_of_its_body_in_the_inbox_and_by_email(version, cast, colleagues, flow):
    flow(cast["clerk"], version, "submit")
    task = open_task(version)
    for head in (cast["depthead"], colleagues["depthead2"]):
        (message,) = inbox(head)
        assert message.kind == "task" and version.local_item.name in message.title
        assert message.url == reverse("reviews:task", args=[task.pk]) and message.read_at is None
    # The clerk, the other department's head and the compliance reviewers are not told (yet).
    for person in ("clerk", "other_dept_head", "compliance", "qx_compliance"):
        assert inbox(cast[person]) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast["depthead"].email, colleagues["depthead2"].email])
    assert all(version.local_item.name in m.subject for m in mail.outbox)
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_return_tells_the_authors_with_the_reasons_and_comments(
    at_compliance, cast, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    reason = ReturnReason.objects.get(code="F02")
    with django_capture_on_commit_callbacks(execute=True):
        review_task_decide(
            actor=cast["compliance"],
            task=open_task(at_compliance),
            decision="return",
            reasons=[ReturnReason.objects.get(code="C01")],
            comments=[CommentInput(reason, "guide.promised_limit", "承诺时限须写明工作日")],
        )
    (message,) = [m for m in inbox(cast["clerk"]) if m.kind == "returned"]
    assert message.url == reverse("standards:edit", args=[at_compliance.pk])
    assert "C01" in message.body and "F02" in message.body and "承诺时限须写明工作日" in message.body
    (email,) = [m for m in mail.outbox if m.to == [cast["clerk"].email]]
    assert "承诺时限须写明工作日" in email.body and message.url in email.body
    # The reviewer who returned it is no author: told nothing.
    assert not [m for m in inbox(cast["compliance"]) if m.kind == "returned"]


def test_replaying_a_transition_tells_nobody_twice(version, cast, flow):
    flow(cast["clerk"], version, "submit")
    sent = len(mail.outbox)
    record = StateTransition.objects.get(standard=version)
    notices.transition_committed(version.pk, record.pk)
    notices.transition_committed(version.pk, record.pk)
    assert len(inbox(cast["depthead"])) == 1
    assert len(mail.outbox) == sent


def test_publishing_tells_the_authors(version, cast, flow):
    flow(cast["clerk"], version, "submit")
    flow(cast["depthead"], version, "confirm")
    flow(cast["compliance"], version, "pass_compliance")
    flow(cast["legality"], version, "pass_legality")
    flow(cast["compliance"], version, "publish")
    (message,) = [m for m in inbox(cast["clerk"]) if m.kind == "published"]
    assert message.url == reverse("guides:guide", args=[version.local_item.code])


def test_reminders_go_out_once_before_the_due_date_and_once_after(version, cast, colleagues, flow):
    flow(cast["clerk"], version, "submit")
    task = open_task(version)
    assert notices.remind_due_tasks(now=task.due_at - dt.timedelta(days=3)) == 0  # not near yet
    near = task.due_at - dt.timedelta(hours=2)
    assert notices.remind_due_tasks(now=near) == 2  # both department heads
    assert notices.remind_due_tasks(now=near) == 0
    # Once claimed, only the one on it is reminded when it is overdue.
    task.claimed_by, task.claimed_at = cast["depthead"], timezone.now()
    task.save()
    assert notices.remind_due_tasks(now=task.due_at + dt.timedelta(hours=1)) == 1
    kinds = [m.key.split(":")[0] for m in inbox(cast["depthead"]) if m.kind == "due"]
    assert kinds == ["due", "overdue"]
    assert [m.key.split(":")[0] for m in inbox(colleagues["depthead2"]) if m.kind == "due"] == ["due"]


def test_closed_tasks_are_not_reminded(version, cast, flow):
    flow(cast["clerk"], version, "submit")
    task = open_task(version)
    flow(cast["depthead"], version, "confirm")
    compliance_task = open_task(version)
    # Both due dates are near or past by then; only the open compliance task is reminded.
    assert compliance_task.due_at > task.due_at
    assert notices.remind_due_tasks(now=compliance_task.due_at - dt.timedelta(hours=1)) == 1
    assert Notification.objects.filter(kind="due", key__endswith=f":{task.pk}").count() == 0
    assert Notification.objects.filter(kind="due", key__endswith=f":{compliance_task.pk}").count() == 1


def test_the_beat_task_runs_the_reminders(version, cast, flow, settings):
    from reviews.tasks import remind_due_tasks

    settings.REVIEW_REMIND_BEFORE_HOURS = 24 * 30
    flow(cast["clerk"], version, "submit")
    assert remind_due_tasks.delay().get() == 1
    assert "reviews.tasks.remind_due_tasks" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}


@pytest.mark.parametrize("n", [2, 20])
def test_reminders_cost_the_same_queries_for_2_or_20_tasks(cast, colleagues, many_tasks, n, django_assert_num_queries):
    """Tasks of two bodies, some claimed: the deciders of all of them come from one query over the memberships."""
    tasks = many_tasks(n, claimed_by=cast["compliance"])
    now = dt.datetime(2026, 3, 20, 7, tzinfo=dt.UTC)  # an hour before they are all due
    # open tasks, reminders already sent, memberships of the bodies, recipients already told, the new inbox rows
    with django_assert_num_queries(5):
        told = notices.remind_due_tasks(now=now)
    claimed = [t for t in tasks if t.claimed_by_id]
    compliance = [t for t in tasks if t.stage == "compliance" and not t.claimed_by_id]
    legality = [t for t in tasks if t.stage == "legality" and not t.claimed_by_id]
    # A claimed task tells its reviewer; an unclaimed one every decider of its body (two in 清城区编办, one in 司法局).
    assert told == len(claimed) + 2 * len(compliance) + len(legality)
    for task in compliance:
        recipients = set(
            Notification.objects.filter(key=f"due:{task.pk}").values_list("recipient__username", flat=True)
        )
        assert recipients == {"compliance", "compliance2"}
    assert notices.remind_due_tasks(now=now) == 0
