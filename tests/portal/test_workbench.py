"""The workbench on the home page: each person sees their own to-dos, one section per role, and each entry links to
the page where the work is done.

The cast is the workflow tests' (``tests/workflow/conftest.py``): 清城区教育局's clerk and head, 清城区's 编办 and
司法局 reviewers, 清远市编办's supervisor, 广东省编办 (the general catalogue's keeper), and people of 清新区 and of
another department who must see none of it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Role
from catalogue.services import local_item_build
from portal import workbench
from reviews.models import ReturnReason, ReviewTask
from standards.models import ItemStandard, StandardState
from standards.services import standard_start
from tests.factories import OrganizationFactory, UserFactory, member
from tests.reviews.conftest import _reasons, at_compliance, colleagues, flow, many_tasks  # noqa: F401  (fixtures)
from tests.standards.factories import complete_standard
from tests.workflow.conftest import cast, version  # noqa: F401  (fixtures)
from workflow.deadlines.models import Milestone, MilestoneKind, MilestoneLevel, WorkPlan

# The sections each member of the cast has, whatever is waiting.
SECTIONS = {
    "clerk": ["returned", "drafts"],
    "depthead": ["confirm", "cases", "oversight_reply"],
    "compliance": ["review", "publish", "oversight_close"],
    "legality": ["review"],
    "supervisor": ["units"],
    "province": ["review", "publish", "oversight_close"],
    "qx_clerk": ["returned", "drafts"],
    "qx_compliance": ["review", "publish", "oversight_close"],
    "qx_legality": ["review"],
    "other_dept_head": ["confirm", "cases", "oversight_reply"],
    "admin": [],
}


def bench(client: Client, user) -> dict[str, workbench.Section]:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {s.key: s for s in response.context["sections"]}


def todo(client: Client, cast: dict) -> dict[str, dict[str, list[str]]]:  # noqa: F811
    """Every member of the cast's entries, as their links, by section."""
    return {
        role: {key: [e.url for e in s.entries] for key, s in bench(client, user).items()} for role, user in cast.items()
    }


def only(board: dict, **expected) -> None:
    """``expected`` maps role → {section: links}; every other entry of every other role must be empty."""
    for role, sections in board.items():
        for key, links in sections.items():
            assert links == expected.get(role, {}).get(key, []), (role, key)


def editor(standard):
    return reverse("standards:edit", args=[standard.pk])


def task_page(standard):
    return reverse("reviews:task", args=[ReviewTask.objects.open().get(standard=standard).pk])


# --- who sees what ------------------------------------------------------------------------------------------------


def test_each_role_has_the_sections_of_its_roles(client, cast):  # noqa: F811
    for role, user in cast.items():
        assert list(bench(client, user)) == SECTIONS[role], role


def test_a_version_appears_on_exactly_the_workbench_of_whoever_acts_next(client, cast, version, flow):  # noqa: F811
    only(todo(client, cast), clerk={"drafts": [editor(version)]})

    flow(cast["clerk"], version, "submit")
    only(todo(client, cast), depthead={"confirm": [task_page(version)]})

    reason = ReturnReason.objects.get(code="C06")
    flow(cast["depthead"], version, "return_dept", reasons=[reason])
    board = todo(client, cast)
    only(board, clerk={"returned": [editor(version)]})
    returned = bench(client, cast["clerk"])["returned"].entries[0]
    assert returned.notes == (f"C06 {reason.text}",)

    flow(cast["clerk"], version, "submit")
    flow(cast["depthead"], version, "confirm")
    only(todo(client, cast), compliance={"review": [task_page(version)]})

    flow(cast["compliance"], version, "pass_compliance")
    only(todo(client, cast), legality={"review": [task_page(version)]})

    flow(cast["legality"], version, "pass_legality")
    only(todo(client, cast), compliance={"publish": [reverse("reviews:publish", args=[version.pk])]})

    version.refresh_from_db()
    flow(cast["compliance"], version, "publish")
    only(todo(client, cast))


def test_every_link_opens_the_page_where_the_work_is_done(client, cast, version, flow):  # noqa: F811
    def follow(role: str, key: str) -> str:
        """The first entry's page, opened by whoever the workbench showed it to."""
        url = bench(client, cast[role])[key].entries[0].url
        response = client.get(url)
        assert response.status_code == 200, (role, key, url)
        return response.content.decode()

    def decision_form() -> str:  # the review screen's, where the task is decided
        return f'action="{reverse("reviews:decide", args=[ReviewTask.objects.open().get(standard=version).pk])}"'

    assert "保存草稿" in follow("clerk", "drafts")
    flow(cast["clerk"], version, "submit")
    assert decision_form() in follow("depthead", "confirm")
    flow(cast["depthead"], version, "return_dept", reasons=[ReturnReason.objects.get(code="C06")])
    assert "C06" in follow("clerk", "returned")  # the editor shows the reasons beside the fields
    flow(cast["clerk"], version, "submit")
    flow(cast["depthead"], version, "confirm")
    assert decision_form() in follow("compliance", "review")
    flow(cast["compliance"], version, "pass_compliance")
    assert decision_form() in follow("legality", "review")
    flow(cast["legality"], version, "pass_legality")
    assert "publish" in follow("compliance", "publish")  # the confirmation page of the publication


def test_review_tasks_come_by_due_date_with_the_overdue_marked(client, cast, many_tasks):  # noqa: F811
    tasks = [t for t in many_tasks(6) if t.stage == "compliance"]
    now = timezone.now()
    for task, days in zip(tasks, (4, -2, 1), strict=True):
        ReviewTask.objects.filter(pk=task.pk).update(due_at=now + dt.timedelta(days=days))
    section = bench(client, cast["compliance"])["review"]
    assert [e.url for e in section.entries] == [reverse("reviews:task", args=[tasks[k].pk]) for k in (1, 2, 0)]
    assert [e.overdue for e in section.entries] == [True, False, False]
    assert (section.count, section.overdue) == (3, 1)
    body = client.get(reverse("home")).content.decode()
    assert "1 项已超期" in body and "已超期" in body


def test_a_task_a_colleague_claimed_is_theirs(client, cast, at_compliance, colleagues):  # noqa: F811
    ReviewTask.objects.open().filter(standard=at_compliance).update(
        claimed_by=colleagues["compliance2"], claimed_at=timezone.now()
    )
    assert bench(client, cast["compliance"])["review"].count == 0
    mine = bench(client, colleagues["compliance2"])["review"]
    assert mine.count == 1 and "我已认领" in mine.entries[0].badges


def test_the_publisher_of_a_township_item_is_its_county_office(client, cast, geo, orgs, general):  # noqa: F811
    township_office = OrganizationFactory(division=geo["dc"], name="东城街道社会事务办")
    item = local_item_build(
        general_item=general["township"], division=geo["dc"], organization=township_office, actor=cast["province"]
    )
    standard = complete_standard(member(UserFactory(username="dc_clerk"), township_office, Role.CLERK), item)
    ItemStandard.objects.filter(pk=standard.pk).update(state=StandardState.APPROVED, approved_at=timezone.now())
    only(todo(client, cast), compliance={"publish": [reverse("reviews:publish", args=[standard.pk])]})


def test_the_supervisor_follows_the_units_short_of_a_milestone(client, cast, geo, version):  # noqa: F811
    today = timezone.localdate()
    plan = WorkPlan.objects.create(title="工作计划", province=geo["gd"], issued_on=today - dt.timedelta(days=90))
    late = Milestone.objects.create(
        plan=plan,
        title="县级录入",
        level=MilestoneLevel.COUNTY,
        kind=MilestoneKind.ENTERED,
        due_on=today - dt.timedelta(days=5),
    )
    soon = Milestone.objects.create(
        plan=plan,
        title="市级录入",
        level=MilestoneLevel.CITY,
        kind=MilestoneKind.ENTERED,
        due_on=today + dt.timedelta(days=10),
    )
    Milestone.objects.create(
        plan=plan,
        title="远期",
        level=MilestoneLevel.CITY,
        kind=MilestoneKind.APPROVED,
        due_on=today + dt.timedelta(days=90),
    )
    section = bench(client, cast["supervisor"])["units"]
    page = reverse("workflow:milestones") + f"?plan={plan.pk}"
    # 清城区 (its one item not submitted) is 5 days late; 清远市 is short of a milestone due in 10 days; 清新区 has
    # no items; the milestone due in 90 days is not near.
    assert [(e.title, e.url, e.overdue) for e in section.entries] == [
        ("清城区", f"{page}#milestone-{late.pk}", True),
        ("清远市", f"{page}#milestone-{soon.pk}", False),
    ]
    assert (section.count, section.overdue) == (2, 1)
    assert section.entries[0].badges == ("逾期 5 天",) and section.entries[1].badges == ("剩余 10 天",)
    client.force_login(cast["supervisor"])
    assert client.get(section.entries[0].url).status_code == 200
    # A supervisor of another province follows another plan (none here): nothing of 广东省.
    outsider = member(UserFactory(username="cq_supervisor"), OrganizationFactory(division=geo["cq"]), Role.SUPERVISOR)
    assert bench(client, outsider)["units"].count == 0


# --- role names ----------------------------------------------------------------------------------------------------


def test_roles_read_in_words_with_their_body(client, cast):  # noqa: F811
    titles = {
        "clerk": "录入员 · 清城区教育局",
        "depthead": "部门负责人 · 清城区教育局",
        "compliance": "合规性审查员 · 清城区编办",
        "legality": "合法性审查员 · 清城区司法局",
        "supervisor": "督导 · 清远市编办",
        "province": "通用目录管理员 · 广东省编办",
        "admin": "系统管理员",
    }
    for role, title in titles.items():
        client.force_login(cast[role])
        body = client.get(reverse("home")).content.decode()
        assert title in body, role
        assert not any(code in body for code in Role.values if "_" in code), role  # (others are demo logins too)


# --- a bounded number of queries -----------------------------------------------------------------------------------

# What one department's item may be waiting for, in turn: (state, the stage and body of its open task).
WAITING = [
    (StandardState.DRAFT, None),
    (StandardState.RETURNED, None),
    (StandardState.DEPT_CONFIRM, "dept_confirm"),
    (StandardState.COMPLIANCE_REVIEW, "compliance"),
    (StandardState.LEGALITY_REVIEW, "legality"),
    (StandardState.APPROVED, None),
]
# Queries of the home page, per role, whether 2 or 20 items wait in each section.
# (A department head's cases and 督办 to answer, and an establishment office's 督办 to close, add two queries each.)
QUERIES = {"clerk": 9, "depthead": 12, "compliance": 12, "legality": 7, "supervisor": 9, "province": 12}
# The sections of cases (tested with the cases' own workbench tests); the standards' pile leaves them empty.
CASES = {"supplement", "cases", "oversight_reply", "oversight_close"}


@pytest.fixture
def pile(geo, orgs, general, cast):  # noqa: F811
    """``pile(n)``: n items waiting in every state a workbench lists, each of a department of its own in 清城区 whose
    clerk and head are the cast's; and a work plan with a milestone 清城区 is late for."""
    today = timezone.localdate()
    plan = WorkPlan.objects.create(title="工作计划", province=geo["gd"], issued_on=today - dt.timedelta(days=90))
    Milestone.objects.create(
        plan=plan, title="县级录入", level=MilestoneLevel.COUNTY, kind=MilestoneKind.ENTERED, due_on=today
    )
    bodies = {"compliance": orgs["bianban"], "legality": orgs["justice"]}
    reason = ReturnReason.objects.get(code="C06")
    made = 0

    def build(n: int) -> None:
        nonlocal made
        for state, stage in WAITING:
            for _k in range(n):
                made += 1
                department = OrganizationFactory(division=geo["qc"], name=f"清城区第{made}局")
                member(cast["clerk"], department, Role.CLERK)
                member(cast["depthead"], department, Role.DEPT_HEAD)
                item = local_item_build(
                    general_item=general["plain"], division=geo["qc"], organization=department, actor=cast["province"]
                )
                standard = standard_start(actor=cast["clerk"], local_item=item)
                ItemStandard.objects.filter(pk=standard.pk).update(
                    state=state,
                    approved_at=timezone.now() if state == StandardState.APPROVED else None,
                    return_notes=[
                        {"field_path": "", "row_uid": None, "code": "C06", "reason": reason.text, "text": "x"}
                    ]
                    if state == StandardState.RETURNED
                    else [],
                )
                if stage:
                    ReviewTask.objects.create(
                        standard=standard,
                        stage=stage,
                        organization=bodies.get(stage, department),
                        division=geo["qc"],
                        opened_at=timezone.now(),
                        due_at=timezone.now() + dt.timedelta(days=made % 3 - 1),
                    )

    return build


def home_queries(client: Client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_workbench_costs_the_same_queries_for_2_and_20_items(client, cast, pile):  # noqa: F811
    pile(2)
    for role in QUERIES:  # the working-day calendar's rows are read once per process, then cached
        home_queries(client, cast[role])
    few = {role: home_queries(client, cast[role]) for role in QUERIES}
    for role in QUERIES:
        if role != "province":  # (it reviews and publishes the province's own items, none here)
            sections = bench(client, cast[role]).items()
            assert all(s.count >= 1 for key, s in sections if key in SECTIONS[role] and key not in CASES), role
    pile(18)
    many = {role: home_queries(client, cast[role]) for role in QUERIES}
    assert bench(client, cast["clerk"])["drafts"].count == 20
    assert len(bench(client, cast["compliance"])["review"].entries) == workbench.ROWS
    assert few == many, (few, many)
    assert many == QUERIES


def test_the_workbench_speaks_english(client, cast, version, flow, orgs, geo):  # noqa: F811
    from tests.test_english_pages import ENGLISH, data_of, standard_data, untranslated

    flow(cast["clerk"], version, "submit")
    flow(cast["depthead"], version, "return_dept", reasons=[ReturnReason.objects.get(code="C06")])
    data = standard_data(version) | data_of(*cast.values(), *orgs.values(), *geo.values())
    for role in ("clerk", "depthead", "compliance", "legality", "supervisor", "province", "admin"):
        client.force_login(cast[role])
        page = client.get(reverse("home"), **ENGLISH).content.decode()
        assert untranslated(page, data) == [], role
    client.force_login(cast["clerk"])
    page = client.get(reverse("home"), **ENGLISH).content.decode()
    assert "Entry clerk · " in page and "Returned to me" in page and "C06 " in page
