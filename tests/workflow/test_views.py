"""The workflow page as its users meet it: the actions offered, and refusals for forged or stale requests."""

from __future__ import annotations

from django.urls import reverse

from reviews.models import ReturnReason, ReviewTask
from reviews.services import CommentInput, review_task_decide
from standards.models import ItemStandard
from workflow.models import StateTransition


def act(client, standard, action, **extra):
    return client.post(reverse("flow:act", args=[standard.pk]), {"action": action, **extra})


def test_story_page_is_staff_only_and_scoped(client, version, cast):
    url = reverse("flow:story", args=[version.pk])
    assert client.get(url).status_code == 302
    client.force_login(cast["qx_clerk"])
    assert client.get(url).status_code == 404
    client.force_login(cast["supervisor"])
    page = client.get(url)
    assert page.status_code == 200 and page.context["actions"] == []


def test_clerk_submits_and_the_department_head_is_sent_to_the_review_screen(
    client, version, cast, django_capture_on_commit_callbacks
):
    client.force_login(cast["clerk"])
    page = client.get(reverse("flow:story", args=[version.pk]))
    assert [a for a, _label, _ret in page.context["actions"]] == ["submit"]
    assert page.context["decide_at"] is None
    with django_capture_on_commit_callbacks(execute=True):  # the review task opens after commit
        assert act(client, version, "submit", expected_state="draft").status_code == 302
    client.force_login(cast["depthead"])
    page = client.get(reverse("flow:story", args=[version.pk]))
    task = ReviewTask.objects.get(standard=version, closed_at__isnull=True)
    # Decisions carry structured reasons, which only the review screen takes: the story page links there.
    assert page.context["actions"] == []
    assert page.context["decide_at"] == reverse("reviews:task", args=[task.pk])
    assert reverse("reviews:task", args=[task.pk]) in page.content.decode()


def test_a_decision_posted_to_the_story_page_is_refused_with_409(client, version, cast):
    client.force_login(cast["clerk"])
    act(client, version, "submit")
    client.force_login(cast["depthead"])
    for action in ("confirm", "return_dept"):
        response = act(client, version, action, note="不同意", expected_state="dept_confirm")
        assert response.status_code == 409
        assert "审查决定请在审查任务中作出" in response.content.decode()
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"
    assert StateTransition.objects.count() == 1


def test_the_story_shows_each_round_with_its_reasons_and_comments(
    client, version, cast, return_reasons, django_capture_on_commit_callbacks
):
    client.force_login(cast["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        act(client, version, "submit")
    task = ReviewTask.objects.get(standard=version, closed_at__isnull=True)
    reason = ReturnReason.objects.get(code="F02")
    review_task_decide(
        actor=cast["depthead"],
        task=task,
        decision="return",
        comments=[CommentInput(reason, "guide.promised_limit", "承诺时限应短于法定时限")],
    )
    body = client.get(reverse("flow:story", args=[version.pk])).content.decode()
    assert "审查记录" in body and "F02" in body and "承诺时限应短于法定时限" in body
    assert "部门确认" in body and "退回修改" in body


def test_forged_action_is_refused_with_403_and_changes_nothing(client, version, cast):
    client.force_login(cast["clerk"])
    act(client, version, "submit")
    response = act(client, version, "publish")  # the clerk's page never offered it
    assert response.status_code == 403
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"
    assert StateTransition.objects.count() == 1


def test_a_stale_form_is_refused_with_409(client, version, cast):
    client.force_login(cast["clerk"])
    act(client, version, "submit")
    response = act(client, version, "submit", expected_state="draft")  # a second tab, still showing the draft
    assert response.status_code == 409
    assert "已被他人处理" in response.content.decode()
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"
    assert StateTransition.objects.count() == 1


def test_an_unknown_action_is_a_clear_409_not_a_500(client, version, cast):
    client.force_login(cast["clerk"])
    assert act(client, version, "delete_everything").status_code == 409
