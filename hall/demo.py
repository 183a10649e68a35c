"""Demo halls: every demo county with a service centre (made by ``cases.demo``) gets a hall with two comprehensive
windows and one department window, A岗/B岗 staff, service groups over its items with published standards, and the
latest working day's queue numbers in every state — done, no-show, transferred, being served, called and waiting —
written through ``hall.services.queue`` so every number has its events.

Logins: the centre's window clerk (``window``, ``fj_window``) sits at A01 with a new B岗 clerk (``window_b``,
``fj_window_b``) who is A岗 of A02; the county's demo approver sits at the department window; the centre's supervisor
(``center``, ``fj_center``) manages the hall and sees its figures.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.demo import CountyStaff, _member, _user, demo_counties, published_standards
from cases.models import Case
from catalogue.models import Organization, OrganizationKind, Role
from core.workdays import is_workday

from .demo_bookings import seed_bookings_and_consultations
from .models import Hall, Priority, ServiceGroup, StaffRole, Ticket, TicketStatus, Window, WindowKind, WindowStaff
from .services import queue

TICKETS_PER_HALL = 14


def demo_day(today: dt.date) -> dt.date:
    """Today when the hall is open today, else the latest working day before it."""
    day = today
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def _moment(day: dt.date, minutes_after_nine: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)) + dt.timedelta(minutes=minutes_after_nine))


def _post(window: Window, user: User, role: str, backup_for: User | None = None) -> None:
    WindowStaff.objects.get_or_create(
        window=window,
        user=user,
        defaults={"role": role, "backup_for": backup_for if role == StaffRole.BACKUP else None},
    )


def build_hall(center: Organization, people: CountyStaff) -> Hall | None:
    standards = published_standards(center.division)
    if not standards:
        return None
    hall, _created = Hall.objects.get_or_create(
        organization=center,
        name=center.name + "大厅",
        defaults={"division": center.division, "address": center.division.name + "行政服务中心一楼"},
    )
    items = [s.local_item for s in standards]
    department = items[0].organization
    backup = _member(_user(people.prefix + "window_b", center.name + "窗口受理员（B岗）"), center, Role.WINDOW_CLERK)
    approver, _head = people.department(department)
    a01 = Window.objects.get_or_create(hall=hall, number="A01", defaults={"name": _("综合受理一")})[0]
    a02 = Window.objects.get_or_create(hall=hall, number="A02", defaults={"name": _("综合受理二")})[0]
    b01 = Window.objects.get_or_create(
        hall=hall,
        number="B01",
        defaults={
            "name": (department.short_name or department.name) + _("窗口"),
            "kind": WindowKind.DEPARTMENT,
            "department": department,
        },
    )[0]
    a01.items.set(items)
    a02.items.set(items)
    b01.items.set([i for i in items if i.organization_id == department.pk])
    _post(a01, people.window, StaffRole.PRIMARY)
    _post(a01, backup, StaffRole.BACKUP, people.window)
    _post(a02, backup, StaffRole.PRIMARY)
    _post(a02, people.window, StaffRole.BACKUP, backup)
    _post(b01, approver, StaffRole.PRIMARY)
    _post(b01, people.window, StaffRole.BACKUP, approver)
    general = ServiceGroup.objects.get_or_create(hall=hall, prefix="A", defaults={"name": _("综合业务")})[0]
    special = ServiceGroup.objects.get_or_create(
        hall=hall, prefix="B", defaults={"name": (department.short_name or department.name) + _("业务")}
    )[0]
    general.items.set(items)
    general.windows.set([a01, a02, b01])
    special.items.set(b01.items.all())
    special.windows.set([b01, a01])
    return hall


def _visit(window: Window, user: User, at: int, day: dt.date, *, walk=2, service=12, no_show=False) -> int:
    """One number called, then served or missed, at ``window``; returns the minute the window is free again."""
    ticket = queue.call_next(user, window, at=_moment(day, at))
    if ticket is None:
        return at
    if no_show:
        queue.recall(user, window, ticket, at=_moment(day, at + 3))
        queue.mark_no_show(user, window, ticket, at=_moment(day, at + 6))
        return at + 7
    queue.start(user, window, ticket, at=_moment(day, at + walk))
    queue.finish(user, window, ticket, at=_moment(day, at + walk + service))
    return at + walk + service + 1


def fill_day(hall: Hall, day: dt.date) -> None:
    """Numbers taken from 09:00 to 10:00, then each window's morning: served, missed, transferred, and finally one
    number being served at A01, one called at A02 and B01, the rest waiting."""
    general, special = hall.groups.order_by("prefix")[:2]
    a01, a02, b01 = hall.windows.order_by("number")
    staff = {w.pk: w.staff.filter(role=StaffRole.PRIMARY).first().user for w in (a01, a02, b01)}
    backup_a01 = a01.staff.filter(role=StaffRole.BACKUP).first().user
    items = {g.pk: list(g.items.order_by("pk")[:3]) for g in (general, special)}
    for i in range(TICKETS_PER_HALL):
        group = special if i % 4 == 3 else general
        queue.take_ticket(
            group=group,
            priority=Priority.ELDERLY if i % 5 == 2 else Priority.DISABLED if i == 6 else Priority.NORMAL,
            local_item=items[group.pk][i % len(items[group.pk])] if items[group.pk] else None,
            phone=f"1380000{hall.pk % 100:02d}{i:02d}",
            at=_moment(day, 4 * i),
        )
    t1 = _visit(a01, staff[a01.pk], 60, day)
    t1 = _visit(a01, backup_a01, t1, day, service=20)  # the B岗 stands in
    t1 = _visit(a01, staff[a01.pk], t1, day, no_show=True)
    t2 = _visit(a02, staff[a02.pk], 62, day, service=8)
    # B01's morning comes before A02's transfer in the code as on the clock, so the transferred number is called
    # there only after it was sent.
    t3 = _visit(b01, staff[b01.pk], 65, day, service=15)
    t3 = _visit(b01, staff[b01.pk], t3, day, service=10)
    moved = queue.call_next(staff[a02.pk], a02, at=_moment(day, t2))
    if moved is not None:
        queue.start(staff[a02.pk], a02, moved, at=_moment(day, t2 + 2))
        queue.transfer(staff[a02.pk], a02, moved, b01, _("需部门窗口办理"), at=_moment(day, t2 + 6))
        t2 += 7
    serving = queue.call_next(staff[a01.pk], a01, at=_moment(day, t1))
    if serving is not None:
        queue.start(staff[a01.pk], a01, serving, at=_moment(day, t1 + 2))
        case = Case.objects.filter(division=hall.division, local_item__in=a01.items.all()).order_by("pk").first()
        if case is not None and not Ticket.objects.filter(case=case).exists():
            queue.link_case(staff[a01.pk], a01, serving, case, at=_moment(day, t1 + 10))
    queue.call_next(staff[a02.pk], a02, at=_moment(day, t2))
    queue.call_next(staff[b01.pk], b01, at=_moment(day, max(t3, t2 + 1)))


def seed_demo(log=print) -> None:
    admin = User.objects.get(username="admin")
    day = demo_day(timezone.localdate())
    halls = 0
    for county in demo_counties():
        center = Organization.objects.filter(division=county, kind=OrganizationKind.SERVICE_CENTER).first()
        if center is None:
            continue
        hall = build_hall(center, CountyStaff(county, admin))
        if hall is None:
            continue
        halls += 1
        if not Ticket.objects.filter(hall=hall).exists():
            fill_day(hall, day)
    by_status = {label: Ticket.objects.filter(day=day, status=value).count() for value, label in TicketStatus.choices}
    log(
        _("服务大厅：%(halls)s 个大厅，%(day)s 排队号 %(counts)s")
        % {
            "halls": halls,
            "day": day.isoformat(),
            "counts": _("，").join(
                _("%(state)s %(count)s") % {"state": k, "count": v} for k, v in by_status.items() if v
            ),
        }
    )
    seed_bookings_and_consultations(log)
