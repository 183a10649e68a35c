"""A hall in 清城区's service centre, on top of the cases test county (``casebed``): window A01 (comprehensive) with
``center_window`` as A岗 and ``hall_backup`` as B岗, window B01 (教育局's own) with ``window`` as A岗; group A
(综合业务, the education item) served by both windows, group B (教育业务) by B01 only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from catalogue.models import Role
from hall.models import Hall, ServiceGroup, StaffRole, Window, WindowKind, WindowStaff
from tests.cases.conftest import casebed  # noqa: F401  (the fixture, reused)
from tests.factories import UserFactory, member

TZ = ZoneInfo("Asia/Shanghai")


def at(day: str, hhmm: str = "10:00") -> dt.datetime:
    h, m = hhmm.split(":")
    return dt.datetime.fromisoformat(day).replace(hour=int(h), minute=int(m), tzinfo=TZ)


@pytest.fixture
def hallbed(casebed):  # noqa: F811
    center = casebed["center"]
    hall = Hall.objects.create(organization=center, division=center.division, name="清城区政务服务中心大厅")
    a01 = Window.objects.create(hall=hall, number="A01", name="综合受理一")
    b01 = Window.objects.create(
        hall=hall, number="B01", name="教育局窗口", kind=WindowKind.DEPARTMENT, department=casebed["edu"]
    )
    a01.items.add(casebed["item"])
    b01.items.add(casebed["item"])
    hall_backup = member(UserFactory(username="hall_backup"), center, Role.WINDOW_CLERK)
    WindowStaff.objects.create(window=a01, user=casebed["center_window"], role=StaffRole.PRIMARY)
    WindowStaff.objects.create(window=a01, user=hall_backup, role=StaffRole.BACKUP, backup_for=casebed["center_window"])
    WindowStaff.objects.create(window=b01, user=casebed["window"], role=StaffRole.PRIMARY)
    group_a = ServiceGroup.objects.create(hall=hall, name="综合业务", prefix="A")
    group_b = ServiceGroup.objects.create(hall=hall, name="教育业务", prefix="B")
    group_a.items.add(casebed["item"])
    group_b.items.add(casebed["item"])
    group_a.windows.add(a01, b01)
    group_b.windows.add(b01)
    return {**casebed, "hall": hall, "a01": a01, "b01": b01, "A": group_a, "B": group_b, "hall_backup": hall_backup}


OPEN_MOMENT = at("2026-10-09", "10:00")


@pytest.fixture
def open_now(monkeypatch):
    """The clock at 10:00 on Friday 2026-10-09, when the hall is open: pages call the services without ``at``."""
    from django.utils import timezone

    moment = {"now": OPEN_MOMENT}
    monkeypatch.setattr(timezone, "now", lambda: moment["now"])
    return moment


# Bookings and consultation -------------------------------------------------------------------------------------------


@pytest.fixture
def bookbed(hallbed):
    """``hallbed`` with the education item's published guide saying it can be booked (支持预约办理)."""
    from standards.models import ServiceGuide

    ServiceGuide.objects.filter(standard=hallbed["standard"]).update(is_schedulable=True)
    return hallbed


@pytest.fixture
def frozen(monkeypatch):
    """Pin ``timezone.now`` (and so ``localdate``) for code that reads the clock itself, such as pages."""
    from django.utils import timezone

    def freeze(moment: dt.datetime) -> dt.datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
