"""The workflow page as its users meet it: the actions offered, and refusals for forged or stale requests."""

from __future__ import annotations

from django.urls import reverse

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


def test_clerk_submits_and_the_department_head_confirms(client, version, cast):
    client.force_login(cast["clerk"])
    page = client.get(reverse("flow:story", args=[version.pk]))
    assert [a for a, _label, _ret in page.context["actions"]] == ["submit"]
    assert act(client, version, "submit", expected_state="draft").status_code == 302
    client.force_login(cast["depthead"])
    offered = [a for a, _l, _r in client.get(reverse("flow:story", args=[version.pk])).context["actions"]]
    assert offered == ["confirm", "return_dept"]
    assert act(client, version, "confirm", note="同意", expected_state="dept_confirm").status_code == 302
    assert ItemStandard.objects.get(pk=version.pk).state == "compliance_review"
    body = client.get(reverse("flow:story", args=[version.pk])).content.decode()
    assert "部门确认" in body and "同意" in body


def test_forged_action_is_refused_with_403_and_changes_nothing(client, version, cast):
    client.force_login(cast["clerk"])
    act(client, version, "submit")
    response = act(client, version, "confirm")  # the clerk's page never offered it
    assert response.status_code == 403
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"
    assert StateTransition.objects.count() == 1


def test_a_stale_form_is_refused_with_409(client, version, cast):
    client.force_login(cast["clerk"])
    act(client, version, "submit")
    client.force_login(cast["depthead"])
    response = act(client, version, "confirm", expected_state="draft")
    assert response.status_code == 409
    assert "已被他人处理" in response.content.decode()
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"


def test_a_return_without_reason_is_refused_with_400(client, version, cast):
    client.force_login(cast["clerk"])
    act(client, version, "submit")
    client.force_login(cast["depthead"])
    response = act(client, version, "return_dept", note="", expected_state="dept_confirm")
    assert response.status_code == 400 and "退回时请写明理由" in response.content.decode()
    assert ItemStandard.objects.get(pk=version.pk).state == "dept_confirm"


def test_an_unknown_action_is_a_clear_409_not_a_500(client, version, cast):
    client.force_login(cast["clerk"])
    assert act(client, version, "delete_everything").status_code == 409
