from __future__ import annotations

import pytest

from catalogue.services import local_item_build
from standards.checks import run_checks
from standards.models import BusinessManual, ItemStandard, ServiceGuide
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


# --- shared by the tests split out of test_checks.py ----------


def found(standard, code: str) -> list[tuple[str, str]]:
    """(severity, field_path) of the findings of one rule."""
    return [(f.severity, f.field_path) for f in run_checks(standard) if f.code == code]


def set_guide(standard, **values) -> None:
    ServiceGuide.objects.filter(pk=standard.pk).update(**values)


def set_manual(standard, **values) -> None:
    BusinessManual.objects.filter(pk=standard.pk).update(**values)


def nth(model, standard, index: int):
    return model.objects.filter(standard=standard).order_by("position", "id")[index]


def empty_draft(local_item, *, with_parts: bool = True) -> ItemStandard:
    """A draft with every field blank and no rows (and, without parts, not even a guide or manual)."""
    standard = ItemStandard.objects.create(local_item=local_item, version=1)
    if with_parts:
        ServiceGuide.objects.create(standard=standard)
        BusinessManual.objects.create(standard=standard)
    return standard
