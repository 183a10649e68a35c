"""提交部门确认 in the editor: one POST saves the editor's data, checks it and submits it — or, with blocking findings,
keeps what was saved, submits nothing and shows the findings in the editor."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reviews.models import ReviewTask
from standards.models import StandardState
from tests.standards.test_editor import post_data
from workflow.models import StateTransition


def submit_url(standard) -> str:
    return reverse("flow:submit", args=[standard.pk])


def edit_url(standard) -> str:
    return reverse("standards:edit", args=[standard.pk])


@pytest.fixture
def clerk(cast, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(cast["clerk"])
    return client


def test_the_editor_offers_submit_to_whoever_may_submit(version, cast):
    for who, offered in (("clerk", True), ("depthead", True), ("admin", False)):
        client = Client()
        client.force_login(cast[who])
        body = client.get(edit_url(version)).content.decode()
        assert (submit_url(version) in body) is offered, who
        assert ("提交部门确认" in body) is offered, who
    # The editor's own form posts to the editor, whatever page rendered it (the submit view renders it too).
    assert f'action="{edit_url(version)}"' in body


def test_submit_saves_checks_and_submits_in_one_post(clerk, version, cast, django_capture_on_commit_callbacks):
    data = post_data(version, **{"guide-address": "清城区人民一路28号一楼5号窗口", "action": "submit"})
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(submit_url(version), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("standards:detail", args=[version.pk])
    version.refresh_from_db()
    assert version.state == StandardState.DEPT_CONFIRM
    assert version.guide.address.endswith("5号窗口") and version.revision == 2
    record = StateTransition.objects.get(standard=version)
    assert (record.action, record.actor) == ("submit", cast["clerk"])
    assert ReviewTask.objects.open().get(standard=version).stage == "dept_confirm"
    page = clerk.get(response["Location"]).content.decode()
    assert "已提交部门确认" in page


def test_blocking_findings_keep_the_saved_data_submit_nothing_and_show_in_the_editor(clerk, version):
    data = post_data(version, **{"guide-address": "清远市清城区人民一路28号二楼", "action": "submit"})
    for index in range(int(data["steps-TOTAL_FORMS"])):
        data[f"steps-{index}-DELETE"] = "on"  # no public steps: F03, an error
    response = clerk.post(submit_url(version), data)
    assert response.status_code == 302
    assert response["Location"] == f"{edit_url(version)}?check=1"
    version.refresh_from_db()
    assert version.state == StandardState.DRAFT
    assert version.guide.address == "清远市清城区人民一路28号二楼" and version.steps.count() == 0  # saved
    assert not StateTransition.objects.filter(standard=version).exists()
    assert not ReviewTask.objects.filter(standard=version).exists()
    page = clerk.get(response["Location"]).content.decode()
    assert "已保存" in page and "未提交部门确认：质量检查还有" in page
    assert "F03" in page and "有错误，提交前须修改" in page


def test_invalid_input_is_shown_in_the_editor_and_nothing_is_saved_or_submitted(clerk, version):
    data = post_data(version, **{"guide-legal_limit": "-5", "guide-address": "不应保存", "action": "submit"})
    response = clerk.post(submit_url(version), data)
    assert response.status_code == 200
    assert "legal_limit" in response.context["editor"].guide_form.errors
    version.refresh_from_db()
    assert version.state == StandardState.DRAFT and version.revision == 1 and version.guide.address != "不应保存"
    assert not StateTransition.objects.filter(standard=version).exists()


def test_whoever_may_not_submit_is_refused(version, cast):
    data = post_data(version, action="submit")
    for who, status in (("compliance", 403), ("qx_clerk", 404), ("depthead", 302)):
        client = Client()
        client.force_login(cast[who])
        assert client.post(submit_url(version), post_data(version, action="submit")).status_code == status, who
    version.refresh_from_db()
    assert version.state == StandardState.DEPT_CONFIRM  # the department head submitted it
    client = Client()
    client.force_login(cast["clerk"])
    response = client.post(submit_url(version), data)  # no longer editable: the editor's own answer, nothing more
    assert response["Location"] == reverse("standards:detail", args=[version.pk])
    assert StateTransition.objects.filter(standard=version).count() == 1
