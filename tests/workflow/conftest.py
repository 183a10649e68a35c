from __future__ import annotations

import datetime as dt

import pytest

from catalogue.models import LocalItemStatus, Role
from catalogue.services import local_item_build
from standards.models import StandardState
from tests.factories import OrganizationFactory, UserFactory, member
from tests.standards.factories import complete_standard
from tests.workflow.deadline_helpers import make_item, make_standard
from workflow.deadlines.models import WorkPlan


@pytest.fixture
def cast(people, orgs, geo):
    """Everyone the matrix asks: the item's department, its county's reviewers, and people who must be refused."""
    qx_justice = OrganizationFactory(division=geo["qx"], kind="justice", name="清新区司法局")
    return {
        "clerk": people["clerk"],
        "depthead": people["depthead"],
        "compliance": people["compliance"],
        "legality": people["legality"],
        "supervisor": people["supervisor"],
        "province": people["province"],
        "qx_clerk": people["qx_clerk"],
        "qx_compliance": people["qx_compliance"],
        "qx_legality": member(UserFactory(username="qx_legality"), qx_justice, Role.LEGALITY_REVIEWER),
        "other_dept_head": member(UserFactory(username="mz_head"), orgs["other_dept"], Role.DEPT_HEAD),
        "admin": UserFactory(username="superuser", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def version(geo, orgs, general, people):
    """A complete version of 清城区教育局's standard, written by the clerk."""
    item = local_item_build(
        general_item=general["plain"], division=geo["qc"], organization=orgs["edu"], actor=people["province"]
    )
    return complete_standard(people["clerk"], item)


@pytest.fixture
def world(geo, general, people):
    """The deadline tests' small province; ``tests/workflow/test_deadlines.py`` describes it."""
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
