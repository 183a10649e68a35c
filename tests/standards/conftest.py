from __future__ import annotations

import pytest

from catalogue.services import local_item_build
from tests.standards.factories import complete_standard


@pytest.fixture
def local_items(geo, orgs, general, people):
    """清城区教育局 and 清新区教育局 both exercise the plain licensing item; 清城区 also a sub item."""
    actor = people["province"]
    return {
        "qc": local_item_build(
            general_item=general["plain"], division=geo["qc"], organization=orgs["edu"], actor=actor
        ),
        "qc_sub": local_item_build(
            general_item=general["sub1"], division=geo["qc"], organization=orgs["edu"], actor=actor
        ),
        "qx": local_item_build(
            general_item=general["plain"], division=geo["qx"], organization=orgs["qx_edu"], actor=actor
        ),
    }


@pytest.fixture
def standard(local_items, people):
    """A complete draft of 清城区教育局's standard for the plain item."""
    return complete_standard(people["clerk"], local_items["qc"])
