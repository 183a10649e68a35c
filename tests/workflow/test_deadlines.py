"""Work plans and milestones: progress of each unit against a deadline, computed by hand on small cases.

The world (in the ``geo`` fixture's 广东省):

- 清城区 (county): two items of its own and one of its township 东城街道 → 3 active items; one of its own has been
  submitted (now in compliance review), the township's is published; a suspended and a merely claimed item do not
  count.
- 清新区 (county): no items at all.
- 东莞市 (a city without counties): one item of its own and one of its township 莞城街道; the township's has a
  published version 1 and a draft version 2.
- 清远市 (city): one item of its own, never submitted; its subtree is itself + 清城区 + 清新区.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue.models import LocalItemStatus, Role
from catalogue.services import local_item_build
from reporting.deadlines.selectors import UnitStatus, milestone_progress, plan_progress, scope_divisions
from standards.models import ItemStandard, StandardState
from tests.factories import OrganizationFactory, UserFactory, division, member
from workflow.deadlines.models import Milestone, MilestoneFiling, MilestoneKind, MilestoneLevel, WorkPlan

DUE = dt.date(2026, 6, 30)
AFTER = dt.date(2026, 7, 10)  # 10 days past DUE
BEFORE = dt.date(2026, 6, 20)  # 10 days before DUE


def make_item(actor, general_item, place, *, status=LocalItemStatus.ACTIVE):
    return local_item_build(
        general_item=general_item,
        division=place,
        organization=OrganizationFactory(division=place),
        actor=actor,
        status=status,
    )


def make_standard(item, state, *, version=1, submitted=True):
    return ItemStandard.objects.create(
        local_item=item,
        version=version,
        state=state,
        first_submitted_at=timezone.now() if submitted else None,
    )


@pytest.fixture
def world(geo, general, people):
    actor = people["province"]
    plain, township = general["plain"], general["township"]  # types 01 and 20
    qc_a = make_item(actor, plain, geo["qc"])
    qc_b = make_item(actor, plain, geo["qc"])
    dc = make_item(actor, township, geo["dc"])
    make_item(actor, plain, geo["qc"], status=LocalItemStatus.SUSPENDED)
    make_item(actor, plain, geo["qc"], status=LocalItemStatus.CLAIMED)
    make_standard(qc_a, StandardState.COMPLIANCE_REVIEW)
    make_standard(qc_b, StandardState.DRAFT, submitted=False)
    make_standard(dc, StandardState.PUBLISHED)
    dg_own = make_item(actor, plain, geo["dg"])
    gc = make_item(actor, township, geo["gc"])
    make_standard(gc, StandardState.PUBLISHED)
    make_standard(gc, StandardState.DRAFT, version=2, submitted=False)
    qy_own = make_item(actor, plain, geo["qy"])
    plan = WorkPlan.objects.create(
        title="推进行政审批标准化工作计划",
        province=geo["gd"],
        document_number="粤测〔2026〕1号",
        issued_on=dt.date(2026, 3, 1),
    )
    return {"plan": plan, "qc_a": qc_a, "qc_b": qc_b, "dc": dc, "dg_own": dg_own, "gc": gc, "qy_own": qy_own}


def milestone(plan, level, kind, *, due=DUE, item_type="", own=False, title="节点"):
    return Milestone.objects.create(
        plan=plan, title=title, level=level, kind=kind, item_type=item_type, own_items_only=own, due_on=due
    )


def by_code(progress):
    return {u.division.code: u for u in progress.units}


# --- counting -----------------------------------------------------------------------------------------------------


def test_county_counts_its_townships_items_and_only_active_ones(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    qc = by_code(milestone_progress(m, today=AFTER))["441802"]
    assert (qc.active, qc.submitted, qc.approved) == (3, 2, 1)
    assert qc.shortfall == 1
    assert qc.rate == 66.6  # 2/3 rounded down: 100% only when nothing is missing
    assert qc.status == UnitStatus.OVERDUE and qc.is_behind and qc.days_overdue == 10


def test_county_without_items_is_not_behind_and_shows_no_rate(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    qx = by_code(milestone_progress(m, today=AFTER))["441803"]
    assert (qx.active, qx.shortfall, qx.rate) == (0, 0, None)
    assert qx.status == UnitStatus.NO_ITEMS and not qx.is_behind and not qx.is_unmet


def test_city_without_counties_stands_for_the_county_level_with_its_townships(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    units = by_code(milestone_progress(m, today=AFTER))
    assert set(units) == {"441802", "441803", "441900"}  # 清远市 has counties: not a county-level unit itself
    dg = units["441900"]
    assert dg.stands_for_county
    assert (dg.active, dg.submitted, dg.approved, dg.rate) == (2, 1, 1, 50.0)


def test_city_counts_its_whole_subtree(world):
    m = milestone(world["plan"], MilestoneLevel.CITY, MilestoneKind.ENTERED)
    units = by_code(milestone_progress(m, today=AFTER))
    assert set(units) == {"441800", "441900"}
    qy, dg = units["441800"], units["441900"]
    assert (qy.active, qy.submitted, qy.shortfall, qy.rate) == (4, 2, 2, 50.0)
    assert (dg.active, dg.submitted, dg.shortfall) == (2, 1, 1)  # 莞城街道 directly under the city


def test_own_items_only_leaves_out_the_subtree(world):
    m = milestone(world["plan"], MilestoneLevel.CITY, MilestoneKind.ENTERED, own=True)
    units = by_code(milestone_progress(m, today=AFTER))
    assert (units["441800"].active, units["441800"].submitted) == (1, 0)
    assert (units["441900"].active, units["441900"].submitted) == (1, 0)


def test_item_type_filter(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED, item_type="20")
    units = by_code(milestone_progress(m, today=AFTER))
    assert (units["441802"].active, units["441802"].status) == (1, UnitStatus.MET)  # only 东城街道's item
    assert (units["441900"].active, units["441900"].status) == (1, UnitStatus.MET)
    licensing = milestone(world["plan"], MilestoneLevel.PROVINCE, MilestoneKind.APPROVED, item_type="01", own=True)
    gd = by_code(milestone_progress(licensing, today=AFTER))["440000"]
    assert (gd.active, gd.status) == (0, UnitStatus.NO_ITEMS)  # no provincial departments' items


def test_approved_counts_approved_or_published_versions(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.APPROVED)
    units = by_code(milestone_progress(m, today=AFTER))
    assert (units["441802"].done, units["441802"].shortfall, units["441802"].rate) == (1, 2, 33.3)
    ItemStandard.objects.filter(local_item=world["qc_a"]).update(state=StandardState.APPROVED)
    units = by_code(milestone_progress(m, today=AFTER))
    assert (units["441802"].done, units["441802"].shortfall) == (2, 1)


def test_all_submitted_meets_the_entry_milestone(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    ItemStandard.objects.filter(local_item=world["qc_b"]).update(first_submitted_at=timezone.now(), state="returned")
    qc = by_code(milestone_progress(m, today=AFTER))["441802"]
    assert (qc.rate, qc.shortfall, qc.status, qc.is_behind) == (100.0, 0, UnitStatus.MET, False)


# --- deadlines ----------------------------------------------------------------------------------------------------


def test_units_behind_an_overdue_milestone_are_named_with_their_shortfall(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    progress = milestone_progress(m, today=AFTER)
    # Furthest behind first: equal shortfall (1 item), lower rate first.
    assert [(u.division.name, u.shortfall, u.rate, u.days_overdue) for u in progress.behind] == [
        ("东莞市", 1, 50.0, 10),
        ("清城区", 1, 66.6, 10),
    ]
    assert progress.is_due and progress.days_overdue == 10
    assert progress.met_count == 1  # 清新区, with nothing to enter


def test_before_the_due_date_units_are_short_not_behind(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    progress = milestone_progress(m, today=BEFORE)
    assert progress.behind == []
    assert [(u.division.code, u.status, u.shortfall, u.days_left) for u in progress.unmet] == [
        ("441900", UnitStatus.PENDING, 1, 10),
        ("441802", UnitStatus.PENDING, 1, 10),
    ]


def test_on_the_due_date_an_unmet_unit_is_behind_by_zero_days(world):
    m = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    qc = by_code(milestone_progress(m, today=DUE))["441802"]
    assert qc.is_behind and qc.days_overdue == 0


def test_plan_filed_with_and_without_filing(world, geo):
    m = milestone(world["plan"], MilestoneLevel.CITY, MilestoneKind.PLAN_FILED, due=dt.date(2026, 4, 30))
    MilestoneFiling.objects.create(milestone=m, division=geo["qy"], filed_on=dt.date(2026, 4, 20))
    units = by_code(milestone_progress(m, today=dt.date(2026, 5, 5)))
    assert units["441800"].status == UnitStatus.MET and not units["441800"].is_behind
    assert units["441900"].status == UnitStatus.OVERDUE and units["441900"].days_overdue == 5
    assert units["441900"].rate is None and units["441900"].shortfall == 0

    early = by_code(milestone_progress(m, today=dt.date(2026, 4, 1)))["441900"]
    assert (early.status, early.is_behind, early.days_left) == (UnitStatus.PENDING, False, 29)

    MilestoneFiling.objects.create(milestone=m, division=geo["dg"], filed_on=dt.date(2026, 5, 3))
    late = by_code(milestone_progress(m, today=dt.date(2026, 5, 5)))["441900"]
    assert (late.status, late.is_behind, late.days_overdue) == (UnitStatus.LATE, True, 3)


def test_plan_progress_covers_every_milestone_in_due_order(world):
    plan = world["plan"]
    milestone(plan, MilestoneLevel.COUNTY, MilestoneKind.ENTERED, due=dt.date(2026, 12, 31), title="县级录入")
    milestone(plan, MilestoneLevel.CITY, MilestoneKind.PLAN_FILED, due=dt.date(2026, 4, 30), title="报备")
    progress = plan_progress(plan, today=dt.date(2026, 11, 22))
    assert [m.milestone.title for m in progress.milestones] == ["报备", "县级录入"]
    assert progress.behind_count == 2  # both cities unfiled; the county milestone is not due yet
    assert progress.milestones[1].days_left == 39


# --- scope and queries --------------------------------------------------------------------------------------------


def test_supervisor_sees_their_subtree_only(world, people):
    plan = world["plan"]
    county = milestone(plan, MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    city = milestone(plan, MilestoneLevel.CITY, MilestoneKind.ENTERED)
    province = milestone(plan, MilestoneLevel.PROVINCE, MilestoneKind.ENTERED)
    within = scope_divisions(people["supervisor"])  # 清远市编办
    assert set(by_code(milestone_progress(county, within=within, today=AFTER))) == {"441802", "441803"}
    assert set(by_code(milestone_progress(city, within=within, today=AFTER))) == {"441800"}
    assert milestone_progress(province, within=within, today=AFTER).units == ()
    reviewer = scope_divisions(people["compliance"])  # 清城区编办
    assert set(by_code(milestone_progress(county, within=reviewer, today=AFTER))) == {"441802"}


def _add_counties(geo, people, general, start, count):
    """More counties under 清远市, each with an item and a submitted standard."""
    for n in range(start, start + count):
        county = division(f"4418{n:02d}", f"测试县{n}", "county", geo["qy"])
        item = make_item(people["province"], general["plain"], county)
        make_standard(item, StandardState.DEPT_CONFIRM)


def test_query_count_does_not_depend_on_the_number_of_units(world, geo, people, general):
    plan = world["plan"]
    milestone(plan, MilestoneLevel.CITY, MilestoneKind.PLAN_FILED, due=dt.date(2026, 4, 30))
    milestone(plan, MilestoneLevel.PROVINCE, MilestoneKind.APPROVED, item_type="01", own=True)
    milestone(plan, MilestoneLevel.CITY, MilestoneKind.ENTERED)
    milestone(plan, MilestoneLevel.COUNTY, MilestoneKind.ENTERED)
    milestone(plan, MilestoneLevel.COUNTY, MilestoneKind.APPROVED)  # same items as the line above: shares its query

    within = scope_divisions(people["supervisor"])  # the user's memberships: read once, cached on the user

    def measure():
        with CaptureQueriesContext(connection) as queries:
            progress = plan_progress(plan, within=within, today=AFTER)
            [(u.status, u.rate, u.days_overdue) for m in progress.milestones for u in m.units]
        return len(queries), progress

    _add_counties(geo, people, general, 10, 2)
    small, progress = measure()
    assert len(progress.milestones[3].units) == 4
    _add_counties(geo, people, general, 20, 12)
    large, progress = measure()
    assert len(progress.milestones[3].units) == 16
    # Milestones, units, filings, and one aggregate per item scope with units in view (city, county: the province is
    # outside the supervisor's subtree, and the two county milestones share theirs).
    assert small == large == 5


# --- models -------------------------------------------------------------------------------------------------------


def test_a_filing_milestone_has_no_item_filter(world):
    m = Milestone(plan=world["plan"], title="报备", level="city", kind="plan_filed", item_type="01", due_on=DUE)
    with pytest.raises(ValidationError):
        m.full_clean()


def test_a_filing_must_be_of_a_unit_at_the_milestone_level(world, geo):
    m = milestone(world["plan"], MilestoneLevel.CITY, MilestoneKind.PLAN_FILED)
    with pytest.raises(ValidationError):
        MilestoneFiling(milestone=m, division=geo["qc"], filed_on=DUE).full_clean()
    with pytest.raises(ValidationError):
        MilestoneFiling(milestone=m, division=geo["fj"], filed_on=DUE).full_clean()  # another province
    MilestoneFiling(milestone=m, division=geo["qy"], filed_on=DUE).full_clean()
    county = milestone(world["plan"], MilestoneLevel.COUNTY, MilestoneKind.PLAN_FILED)
    MilestoneFiling(milestone=county, division=geo["dg"], filed_on=DUE).full_clean()  # stands for a county
    with pytest.raises(ValidationError):
        MilestoneFiling(milestone=county, division=geo["qy"], filed_on=DUE).full_clean()


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
