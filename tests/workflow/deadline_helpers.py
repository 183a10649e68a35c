"""Items, standards and milestones the deadline tests build, and the dates they count from."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from catalogue.models import LocalItemStatus
from catalogue.services import local_item_build
from standards.models import ItemStandard, StandardState
from tests.factories import OrganizationFactory, division
from workflow.deadlines.models import Milestone

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


def milestone(plan, level, kind, *, due=DUE, item_type="", own=False, title="节点"):
    return Milestone.objects.create(
        plan=plan, title=title, level=level, kind=kind, item_type=item_type, own_items_only=own, due_on=due
    )


def by_code(progress):
    return {u.division.code: u for u in progress.units}


def _add_counties(geo, people, general, start, count):
    """More counties under 清远市, each with an item and a submitted standard."""
    for n in range(start, start + count):
        county = division(f"4418{n:02d}", f"测试县{n}", "county", geo["qy"])
        item = make_item(people["province"], general["plain"], county)
        make_standard(item, StandardState.DEPT_CONFIRM)
