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
from django.utils import timezone

from reporting.deadlines.selectors import UnitStatus, milestone_progress, plan_progress, scope_divisions
from standards.models import ItemStandard, StandardState
from tests.workflow.deadline_helpers import (
    AFTER,
    BEFORE,
    DUE,
    _add_counties,
    by_code,
    milestone,
)
from workflow.deadlines.models import Milestone, MilestoneFiling, MilestoneKind, MilestoneLevel


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
