from __future__ import annotations

import pytest

from catalogue.models import Role
from catalogue.services import local_item_build
from tests.factories import OrganizationFactory, UserFactory, member
from tests.standards.factories import complete_standard


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
