"""Each role's everyday path in a real browser: start on the workbench (the home page), follow the first to-do, do it
where the link leads, and come back to find it gone from the workbench.

The data is the review tests' (``tests/reviews/conftest.py``): 清城区教育局's complete version, moved through the
workflow by its service to the point where the role under test acts next; the people are the demo's roles
(``tests/conftest.py``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import ReturnReason
from reviews.services.transitions import CommentInput
from standards.models import ItemStandard, StandardState
from standards.services import standard_start
from tests.e2e.conftest import sideways_overflow
from tests.e2e.test_catalogue_pages import sign_in
from tests.e2e.test_main_flow import decide_here, publish_here
from tests.reviews.conftest import _reasons, flow, publish  # noqa: F401  (fixtures)
from tests.workflow.conftest import version  # noqa: F401  (fixture)
from workflow.deadlines.models import Milestone, MilestoneKind, MilestoneLevel, WorkPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Who takes each step of the workflow in these tests.
ACTOR = {
    "submit": "clerk",
    "confirm": "depthead",
    "return_dept": "depthead",
    "pass_compliance": "compliance",
    "pass_legality": "legality",
}
TRAFFIC = "乘坐3路、7路公交车至政务服务中心站下车"


def advance(flow, people, standard, *actions, **kwargs):  # noqa: F811
    for action in actions:
        flow(people[ACTOR[action]], standard, action, **kwargs)
    standard.refresh_from_db()
    return standard


def workbench(page, live_server, username: str | None = None):
    """The home page, signed in as ``username`` first when given; the review screens' confirmations are accepted."""
    if username:
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, live_server, username)
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "工作台"
    return page


def count(page, key: str) -> int:
    return int(page.locator(f"#todo-{key} [data-count]").get_attribute("data-count"))


def follow_first(page, key: str) -> str:
    """Click the first entry of the section ``key``; returns the address it led to."""
    entry = page.locator(f"#todo-{key} .workbench-entry").first
    with page.expect_navigation():
        entry.click()
    return page.url


def entries(page, key: str) -> list[str]:
    return page.locator(f"#todo-{key} .workbench-entry").evaluate_all("links => links.map(a => a.pathname)")


def test_clerk_fixes_a_returned_version_and_submits_it_from_the_editor(page, live_server, people, version, flow):  # noqa: F811
    advance(flow, people, version, "submit")
    reason = ReturnReason.objects.get(code="C06")
    advance(
        flow, people, version, "return_dept", comments=[CommentInput(reason, "guide.traffic_guide", "请补充交通指引")]
    )
    workbench(page, live_server, "clerk")
    assert count(page, "returned") == 1
    assert "C06" in page.locator("#todo-returned .workbench-notes").inner_text()

    assert follow_first(page, "returned").endswith(f"/standards/{version.pk}/edit/")
    # The reason leads to its field; the clerk fixes it there and submits in the editor.
    link = page.locator("#return-notes a", has_text="查看字段")
    anchor = link.get_attribute("href")
    assert anchor == "#f-guide-traffic_guide"
    link.click()
    page.locator(f"{anchor} textarea, {anchor} input").first.fill(TRAFFIC)
    with page.expect_navigation():
        page.click('.editor-actions button[value="submit"]')
    assert "已提交部门确认" in " ".join(page.locator(".alert-success").all_inner_texts())

    workbench(page, live_server)
    assert count(page, "returned") == 0 and count(page, "drafts") == 0
    version.refresh_from_db()
    assert version.state == StandardState.DEPT_CONFIRM and version.guide.traffic_guide == TRAFFIC


def test_department_head_confirms_on_the_review_screen(page, live_server, people, version, flow):  # noqa: F811
    advance(flow, people, version, "submit")
    workbench(page, live_server, "depthead")
    assert count(page, "confirm") == 1
    assert "/reviews/tasks/" in follow_first(page, "confirm")
    decide_here(page)
    assert ItemStandard.objects.get(pk=version.pk).state == StandardState.COMPLIANCE_REVIEW
    workbench(page, live_server)
    assert count(page, "confirm") == 0 and entries(page, "confirm") == []


@pytest.mark.parametrize(
    ("role", "before", "after"),
    [
        ("compliance", ("submit", "confirm"), StandardState.LEGALITY_REVIEW),
        ("legality", ("submit", "confirm", "pass_compliance"), StandardState.APPROVED),
    ],
)
def test_reviewer_passes_the_first_review_task(page, live_server, people, version, flow, role, before, after):  # noqa: F811
    advance(flow, people, version, *before)
    workbench(page, live_server, role)
    assert count(page, "review") == 1
    task_url = follow_first(page, "review")
    assert "/reviews/tasks/" in task_url
    decide_here(page, note="材料齐全，依据准确")
    assert ItemStandard.objects.get(pk=version.pk).state == after
    workbench(page, live_server)
    assert count(page, "review") == 0 and entries(page, "review") == []


def test_publisher_publishes_the_new_version_through_the_confirmation(page, live_server, people, version, flow):  # noqa: F811
    code = version.local_item.code
    publish(version, people["compliance"])
    revision = standard_start(actor=people["clerk"], local_item=version.local_item)
    revision.guide.traffic_guide = TRAFFIC
    revision.guide.save()
    advance(flow, people, revision, "submit", "confirm", "pass_compliance", "pass_legality")

    workbench(page, live_server, "compliance")
    assert count(page, "publish") == 1
    assert follow_first(page, "publish").endswith(f"/reviews/publish/{revision.pk}/")
    assert "第1版被替代" in page.locator("main").inner_text()  # it says what the public will see
    publish_here(page, "更新交通指引")

    workbench(page, live_server)
    assert count(page, "publish") == 0 and entries(page, "publish") == []
    page.goto(f"{live_server.url}/guides/{code}/")
    body = page.locator("main").inner_text()
    assert "第2版" in body and TRAFFIC in body and "更新交通指引" in body


def test_supervisor_lands_on_the_milestone_the_unit_is_short_of(page, live_server, people, geo, version, flow):  # noqa: F811
    today = timezone.localdate()
    plan = WorkPlan.objects.create(title="工作计划", province=geo["gd"], issued_on=today - dt.timedelta(days=90))
    late = Milestone.objects.create(
        plan=plan,
        title="县级录入",
        level=MilestoneLevel.COUNTY,
        kind=MilestoneKind.ENTERED,
        due_on=today - dt.timedelta(days=5),
    )
    workbench(page, live_server, "supervisor")
    assert count(page, "units") == 1
    assert "清城区" in page.locator("#todo-units .workbench-entry").first.inner_text()

    assert follow_first(page, "units").endswith(f"/milestones/?plan={plan.pk}#milestone-{late.pk}")
    heading = page.locator(f"#milestone-{late.pk}")
    expect(heading).to_be_in_viewport()
    section = page.locator("section", has=heading)
    expect(section.locator("tr.table-danger", has_text="清城区")).to_have_count(1)

    # The unit catches up: its clerk submits the item, and the supervisor has no one left to chase.
    advance(flow, people, version, "submit")
    workbench(page, live_server)
    assert count(page, "units") == 0 and entries(page, "units") == []


def test_the_clerks_workbench_fits_a_phone(phone, live_server, people, version, flow):  # noqa: F811
    advance(flow, people, version, "submit")
    advance(flow, people, version, "return_dept", reasons=[ReturnReason.objects.get(code="C06")])
    workbench(phone, live_server, "clerk")
    assert count(phone, "returned") == 1
    overflow = sideways_overflow(phone)
    assert overflow <= 0, f"the workbench is {overflow}px wider than the phone"
