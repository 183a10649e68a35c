"""A county where cases are evaluated: the cases' bed (清城区教育局 with a published standard, its service centre and a
person for every role), finished cases made directly, and a hall with a department window and a comprehensive window
whose tickets are made directly (the queue services are another app's)."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from importlib import import_module

import pytest
from django.apps import apps

from cases.models import Case, CaseStatus
from catalogue.models import OrganizationKind, Role
from evaluation.models import IndicatorSet
from hall.models import Hall, ServiceGroup, Ticket, TicketStatus, Window, WindowKind, WindowStaff
from tests.cases.conftest import casebed  # noqa: F401  (the fixture, shared)
from tests.factories import OrganizationFactory, UserFactory, member

LOCAL = dt.timezone(dt.timedelta(hours=8))
_serial = itertools.count(1)


def at(day: str, hour: int = 10) -> dt.datetime:
    d = dt.date.fromisoformat(day)
    return dt.datetime(d.year, d.month, d.day, hour, tzinfo=LOCAL)


@pytest.fixture(autouse=True)
def indicator_sets(db):
    """The sets the data migration seeds (a transactional test earlier in the worker may have flushed them)."""
    if not IndicatorSet.objects.exists():
        import_module("evaluation.migrations.0002_seed_indicator_sets").seed(apps, None)


def make_case(bed, *, status: str = CaseStatus.FINISHED, finished: str = "2026-09-29", **fields) -> Case:
    n = next(_serial)
    values = {
        "number": f"QC2026-E{n:04d}",
        "local_item": bed["item"],
        "standard": bed["standard"],
        "organization": bed["edu"],
        "division": bed["item"].division,
        "applicant_name": "张三丰",
        "applicant_phone": "13800005678",
        "received_at": at("2026-09-21"),
        "accepted_by": bed["window"],
        "status": status,
    }
    if status == CaseStatus.FINISHED:
        values |= {"finished_at": at(finished, 16), "finished_on": dt.date.fromisoformat(finished)}
    values.update(fields)
    return Case.objects.create(**values)


@pytest.fixture
def hallbed(casebed):  # noqa: F811
    """清城区政务服务中心's hall: window A01 of 清城区教育局 (``window`` sits there) and comprehensive window Z01 (the
    centre's ``center_window``); ``stranger_window`` is a clerk of another county's centre."""
    hall = Hall.objects.create(organization=casebed["center"], division=casebed["item"].division, name="清城区政务大厅")
    dept_window = Window.objects.create(
        hall=hall, number="A01", name="教育窗口", kind=WindowKind.DEPARTMENT, department=casebed["edu"]
    )
    general_window = Window.objects.create(hall=hall, number="Z01", name="综合窗口", kind=WindowKind.COMPREHENSIVE)
    WindowStaff.objects.create(window=dept_window, user=casebed["window"])
    WindowStaff.objects.create(window=general_window, user=casebed["center_window"])
    group = ServiceGroup.objects.create(hall=hall, name="教育", prefix="A")
    other_center = OrganizationFactory(
        division=casebed["other_item"].division, kind=OrganizationKind.SERVICE_CENTER, name="清新区政务服务中心"
    )
    stranger = member(UserFactory(username="qx_center_window"), other_center, Role.WINDOW_CLERK)
    return {
        **casebed,
        "hall": hall,
        "dept_window": dept_window,
        "general_window": general_window,
        "group": group,
        "stranger_window": stranger,
    }


def make_ticket(bed, *, window=None, status: str = TicketStatus.DONE, case=None, staff=None) -> Ticket:
    n = next(_serial)
    window = window or bed["dept_window"]
    return Ticket.objects.create(
        hall=bed["hall"],
        group=bed["group"],
        day=dt.date(2026, 9, 30),
        serial=n,
        number=f"A{n:03d}",
        status=status,
        local_item=bed["item"],
        taken_at=at("2026-09-30", 9),
        window=window,
        staff=staff or bed["window"],
        case=case,
        evaluation_token=secrets.token_hex(16),
    )
