"""The milestones page: who sees which units, empty states, query counts, navigation and the admin pages; the
world is the ``world`` fixture of ``conftest.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Role
from tests.factories import OrganizationFactory, UserFactory, member
from tests.workflow.deadline_helpers import (
    _add_counties,
    milestone,
)
from workflow.deadlines.models import MilestoneFiling, MilestoneKind, MilestoneLevel, WorkPlan

# --- page ---------------------------------------------------------------------------------------------------------

URL = "/workflow/milestones/"


@pytest.fixture
def live_plan(world):
    """Milestones relative to the real today, for the page: one overdue, one not yet due."""
    today = timezone.localdate()
    plan = world["plan"]
    milestone(plan, MilestoneLevel.COUNTY, MilestoneKind.ENTERED, due=today - dt.timedelta(days=3), title="县级录入")
    milestone(plan, MilestoneLevel.CITY, MilestoneKind.PLAN_FILED, due=today + dt.timedelta(days=5), title="市级报备")
    milestone(plan, MilestoneLevel.PROVINCE, MilestoneKind.APPROVED, item_type="01", own=True, title="省级许可")
    return plan


def test_url_name():
    assert reverse("workflow:milestones") == URL


def test_anonymous_go_to_login_and_users_without_role_are_refused(client, live_plan):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(UserFactory(username="nobody"))
    assert client.get(URL).status_code == 403


def test_supervisor_page_names_the_units_behind(client, live_plan, people):
    client.force_login(people["supervisor"])
    body = client.get(URL).content.decode()
    assert "推进行政审批标准化工作计划" in body and "粤测〔2026〕1号" in body
    assert "清城区" in body and "逾期 3 天" in body and "差 1 项" in body and "66.6%" in body
    assert "东莞市" not in body  # another city
    assert "清新区" not in body  # nothing to enter: not listed among the unmet
    assert "剩余 5 天" in body  # the city filing, not due yet
    assert "您的管辖范围内没有该节点适用的省级单位" in body
    assert 'style="' not in body.split('<main id="main"', 1)[1]


def test_show_all_lists_units_with_nothing_to_do(client, live_plan, people):
    client.force_login(people["supervisor"])
    body = client.get(URL, {"all": "1"}).content.decode()
    assert "清新区" in body and "无在用事项" in body and "—" in body


def test_admin_sees_every_unit_and_the_province(client, live_plan, admin_user):
    client.force_login(admin_user)
    body = client.get(URL).content.decode()
    assert "东莞市" in body and "不设区的市" in body
    assert "您的管辖范围内没有" not in body
    assert reverse("admin:workflow_workplan_change", args=[live_plan.pk]) in body


def test_empty_states(client, geo, people, live_plan):
    fj_user = member(UserFactory(username="fj_reviewer"), OrganizationFactory(division=geo["fj"]), Role.CLERK)
    client.force_login(fj_user)
    assert "本省尚未设置工作计划" in client.get(URL).content.decode()
    client.force_login(people["supervisor"])
    other = WorkPlan.objects.create(title="空计划", province=geo["gd"], issued_on=dt.date(2025, 1, 1))
    assert "该工作计划尚未设置工作节点" in client.get(URL, {"plan": other.pk}).content.decode()


def test_plan_of_another_province_is_not_found(client, geo, people, live_plan):
    foreign = WorkPlan.objects.create(title="重庆计划", province=geo["cq"], issued_on=dt.date(2026, 1, 1))
    client.force_login(people["supervisor"])
    assert client.get(URL, {"plan": foreign.pk}).status_code == 404
    assert client.get(URL, {"plan": "x"}).status_code == 404


def test_page_queries_do_not_grow_with_units(client, live_plan, geo, people, general, admin_user):
    client.force_login(admin_user)
    client.get(URL)
    _add_counties(geo, people, general, 10, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL, {"all": "1"}).status_code == 200
    _add_counties(geo, people, general, 20, 12)
    with CaptureQueriesContext(connection) as large:
        body = client.get(URL, {"all": "1"}).content.decode()
    assert "测试县31" in body
    assert len(small) == len(large)


def test_navigation_entry_for_supervisors_reviewers_and_admin(client, people, admin_user, live_plan):
    for user in (people["supervisor"], people["compliance"], admin_user):
        client.force_login(user)
        assert "工作进度" in client.get("/").content.decode(), user
    client.force_login(people["clerk"])
    assert "工作进度" in client.get("/").content.decode()  # the page serves them, so the menu offers it
    assert client.get(URL).status_code == 200  # still a staff page: the clerk sees their county


# --- demo and admin -----------------------------------------------------------------------------------------------


def test_demo_plan_is_seeded_once(geo):
    from workflow.demo import seed_demo

    lines: list[str] = []
    seed_demo(lines.append)
    seed_demo(lines.append)
    plan = WorkPlan.objects.get()
    assert [m.due_on for m in plan.milestones.all()] == [
        dt.date(2026, 4, 30),
        dt.date(2026, 6, 30),
        dt.date(2026, 12, 31),
        dt.date(2026, 12, 31),
    ]
    assert list(MilestoneFiling.objects.values_list("division_id", flat=True)) == ["441800"]  # the one loaded here
    assert "2026" in lines[0] and "跳过" in lines[1]


def test_admin_pages(client, admin_user, live_plan):
    client.force_login(admin_user)
    filing = live_plan.milestones.get(kind="plan_filed")
    for url in (
        reverse("admin:workflow_workplan_changelist"),
        reverse("admin:workflow_workplan_add"),
        reverse("admin:workflow_workplan_change", args=[live_plan.pk]),
        reverse("admin:workflow_milestone_change", args=[filing.pk]),
    ):
        assert client.get(url).status_code == 200, url
