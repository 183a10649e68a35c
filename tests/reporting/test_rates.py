"""Rates against figures computed by hand for the small catalogue of ``conftest.small``."""

from __future__ import annotations

import pytest
from django.test import override_settings

from catalogue.models import Division
from reporting import rates
from reporting.models import ScopeKind
from reporting.rates import Figures, Scope


def figures_of(result, kind, code, org=None) -> Figures:
    return result[Scope(kind, code, org)]


def test_county_counts_its_townships_and_every_state(small, geo):
    result = rates.compute()
    qc = figures_of(result, ScopeKind.COUNTY, geo["qc"].code)
    assert qc.as_dict() == {
        "active": 7,  # A–G; X is cancelled, H is in 东莞
        "entered": 7,
        "submitted": 6,  # all but the draft D
        "dept_confirm": 0,
        "compliance_review": 1,  # B's second version
        "legality_review": 1,
        "returned": 2,
        "approved": 1,  # E, in the township
        "published": 2,
        "passed": 3,  # A, B, E
        "first_pass": 2,  # A, B (E was returned once)
        "overdue": 1,  # C's task is past due
        "approval_base": "submitted",
    }
    assert all(type(count) is int for count in qc.counts())  # not PostgreSQL's numeric sums
    assert qc.submission_rate == pytest.approx(6 / 7)
    assert qc.approval_rate == pytest.approx(3 / 6)
    assert qc.first_pass_rate == pytest.approx(2 / 3)


def test_county_with_no_items_has_zeros_and_no_rates(small, geo):
    qx = figures_of(rates.compute(), ScopeKind.COUNTY, geo["qx"].code)
    assert qx.active == qx.submitted == qx.passed == 0
    assert qx.submission_rate is None and qx.approval_rate is None and qx.first_pass_rate is None


def test_city_without_counties_counts_its_townships(small, geo):
    result = rates.compute()
    dg = figures_of(result, ScopeKind.CITY, geo["dg"].code)
    assert (dg.active, dg.submitted, dg.dept_confirm, dg.passed) == (1, 1, 1, 0)
    assert dg.submission_rate == 1.0
    assert dg.approval_rate == 0.0
    # No county scope is made up for it.
    assert not any(s.kind == ScopeKind.COUNTY and s.division_id == geo["dg"].code for s in result)


def test_city_and_province_roll_up(small, geo):
    result = rates.compute()
    qy = figures_of(result, ScopeKind.CITY, geo["qy"].code)
    gd = figures_of(result, ScopeKind.PROVINCE, geo["gd"].code)
    assert (qy.active, qy.submitted, qy.passed) == (7, 6, 3)
    assert (gd.active, gd.submitted, gd.passed, gd.dept_confirm) == (8, 7, 3, 1)
    # A province without active items has no scope unless its divisions are asked for.
    assert Scope(ScopeKind.PROVINCE, geo["cq"].code) not in result
    assert (
        rates.compute(divisions=Division.objects.filter(code=geo["cq"].code))[Scope("province", "500000")].active == 0
    )


def test_department_with_everything_returned(small, geo, orgs):
    mz = figures_of(rates.compute(), ScopeKind.DEPARTMENT, geo["qc"].code, orgs["other_dept"].pk)
    assert (mz.active, mz.submitted, mz.returned, mz.passed) == (2, 2, 2, 0)
    assert mz.submission_rate == 1.0
    assert mz.approval_rate == 0.0
    assert mz.first_pass_rate is None


def test_departments_sit_in_their_own_division(small, geo, orgs):
    result = rates.compute()
    edu = figures_of(result, ScopeKind.DEPARTMENT, geo["qc"].code, orgs["edu"].pk)
    office = figures_of(result, ScopeKind.DEPARTMENT, geo["dc"].code, small["dc_office"].pk)
    assert (edu.active, edu.submitted, edu.passed, edu.first_pass) == (4, 3, 2, 2)
    assert (office.active, office.approved, office.first_pass) == (1, 1, 0)


@override_settings(REPORTING_APPROVAL_BASE="active")
def test_approval_rate_over_all_active_items_when_configured(small, geo):
    qc = figures_of(rates.compute(), ScopeKind.COUNTY, geo["qc"].code)
    assert qc.approval_base == "active"
    assert qc.approval_rate == pytest.approx(3 / 7)


def test_the_figures_take_a_fixed_number_of_queries(small, django_assert_num_queries):
    with django_assert_num_queries(1):
        rates.compute()


def test_units_of_a_level_are_counted_like_the_scopes(small, geo):
    """One count: the milestones' figures of a unit are the rates' figures of its scope; a city without counties
    stands among the county-level units with its city figures."""
    scopes = rates.compute()
    county_units = rates.units(geo["gd"].code, {"county"})["county"]
    assert [u.code for u in county_units] == [geo["qc"].code, geo["qx"].code, geo["dg"].code]
    figures = rates.unit_figures("county", county_units)
    assert figures[geo["qc"].code] == figures_of(scopes, ScopeKind.COUNTY, geo["qc"].code)
    assert figures[geo["dg"].code] == figures_of(scopes, ScopeKind.CITY, geo["dg"].code)
    assert geo["qx"].code not in figures  # no active items


def test_a_rate_shown_is_rounded_down_to_a_tenth_of_a_percent():
    assert rates.shown_rate(6 / 7) == 0.857
    assert rates.shown_rate(0.29) == 0.29  # 0.29 × 1000 is 289.99999999999994 in floating point
    assert rates.shown_rate(9999 / 10000) == 0.999  # never 100 % while an item is missing
    assert rates.percent(2 / 3) == 66.6 and rates.percent(1.0) == 100.0
    assert rates.shown_rate(None) is None and rates.percent(None) is None
