"""Demo bookings and consultations, called from ``hall.demo.seed_demo`` once the halls are built: in every demo
county, bookings in each state (booked, cancelled, arrived with their 预约 number, no-show) and consultations
answered, open, overdue, handed over, and one answer proposed for the guide's FAQ waiting for the department head —
all made through the real services, dated from the day the demo is loaded.

The queue's demo builds the halls; when a county has none yet, a small one is made here (one comprehensive window
with the county's window clerk as A岗 and one bookable group), so this part also stands alone.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.demo import CountyStaff, demo_counties, published_standards
from catalogue.models import Membership, Role
from core.workdays import is_workday
from standards.models import ItemStandard, ServiceGuide

from .models import (
    Booking,
    BookingStatus,
    Consultation,
    ConsultationChannel,
    HalfDay,
    Hall,
    ServiceGroup,
    StaffRole,
    Window,
    WindowStaff,
)
from .services import booking as bookings
from .services import consultation as consultations

NAMES = ("王建国", "李秀英", "张志强", "刘丽华", "陈海燕", "杨国平", "黄晓明", "赵桂芳")


def _moment(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _last_workday_before(today: dt.date) -> dt.date:
    day = today - dt.timedelta(days=1)
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def _hall_and_group(staff: CountyStaff, standard: ItemStandard) -> ServiceGroup:
    """The bookable group serving the standard's item: the queue demo's when it made one, else a small hall here."""
    item = standard.local_item
    group = ServiceGroup.objects.filter(items=item, hall__organization=staff.center, is_active=True).first()
    if group is None:
        hall = Hall.objects.filter(organization=staff.center).first() or Hall.objects.create(
            organization=staff.center,
            division=staff.county,
            name=staff.center.name + _("大厅"),
            address=staff.county.name + _("政务服务中心一楼"),
        )
        window = Window.objects.get_or_create(hall=hall, number="Y01", defaults={"name": _("预约综合窗口")})[0]
        window.items.add(item)
        WindowStaff.objects.get_or_create(window=window, user=staff.window, defaults={"role": StaffRole.PRIMARY})
        group = ServiceGroup.objects.get_or_create(hall=hall, prefix="Y", defaults={"name": _("预约综合业务")})[0]
        group.items.add(item)
        group.windows.add(window)
    if not group.is_bookable:
        ServiceGroup.objects.filter(pk=group.pk).update(is_bookable=True)
        group.refresh_from_db()
    return group


def _book(group, standard, day, half, index, now) -> Booking:
    return bookings.booking_create(
        group=group,
        local_item=standard.local_item,
        day=day,
        half_day=half,
        name=NAMES[index % len(NAMES)],
        phone=f"139{group.pk % 100:02d}{index:06d}",
        now=now,
    )


def _seed_bookings(staff: CountyStaff, group: ServiceGroup, standard: ItemStandard, today: dt.date) -> None:
    ahead = bookings.booking_days(today)
    past = _last_workday_before(today)
    before_past = _moment(past - dt.timedelta(days=1), "10:00")
    now = timezone.now()
    _book(group, standard, ahead[0], HalfDay.MORNING, 1, now)
    _book(group, standard, ahead[1], HalfDay.AFTERNOON, 2, now)
    cancelled = _book(group, standard, ahead[0], HalfDay.AFTERNOON, 3, now)
    bookings.booking_cancel(code=cancelled.code, tail=cancelled.phone[-4:])
    arrived = _book(group, standard, past, HalfDay.MORNING, 4, before_past)
    bookings.booking_arrive(actor=staff.window, booking=arrived, at=_moment(past, "09:35"))
    _book(group, standard, past, HalfDay.AFTERNOON, 5, before_past)
    bookings.mark_no_shows(now=_moment(past, "18:00"))


def _head_of(standard: ItemStandard, staff: CountyStaff) -> tuple[User, User]:
    approver, head = staff.department(standard.local_item.organization)
    named = Membership.objects.filter(
        user__username="depthead", organization=standard.local_item.organization, role=Role.DEPT_HEAD
    ).first()
    return approver, (named.user if named else head)


def _seed_consultations(staff: CountyStaff, standard: ItemStandard, today: dt.date) -> None:
    item = standard.local_item
    approver, _head = _head_of(standard, staff)
    past = _last_workday_before(today)
    # answered on the spot at the window
    consultations.consultation_record(
        actor=staff.window,
        channel=ConsultationChannel.WINDOW,
        question=_("办理该事项需要本人到场吗？"),
        local_item=item,
        asker_name="周先生",
        answer=_("委托他人办理的，受托人持授权委托书和双方身份证件即可办理。"),
        at=_moment(past, "10:20"),
    )
    # open, taken by phone, due in the coming days
    consultations.consultation_record(
        actor=approver,
        channel=ConsultationChannel.PHONE,
        question=_("材料可以先网上提交、再补交原件吗？"),
        local_item=item,
        asker_name="吴女士",
        asker_phone="13800001234",
        at=_moment(past, "15:10"),
    )
    # overdue: a web question taken but not answered within its working days
    long_ago = today - dt.timedelta(days=14)
    overdue = consultations.consultation_submit_web(
        local_item=item,
        question=_("申请被退回后多久可以重新提交？"),
        asker_name="孙先生",
        at=_moment(long_ago, "09:05"),
    )
    consultations.consultation_take(actor=approver, consultation=overdue)
    # handed over from the service centre's window to the department, with the record
    handed = consultations.consultation_record(
        actor=staff.window,
        channel=ConsultationChannel.MAIL,
        question=_("来信询问：审批结果能否邮寄到外省地址？"),
        local_item=item,
        asker_name="郑女士",
        at=_moment(past, "11:00"),
    )
    consultations.consultation_hand_over(
        actor=staff.window,
        consultation=handed,
        to_user=approver,
        to_organization=item.organization,
        reason=_("涉及送达方式，转实施部门答复"),
        at=_moment(past, "11:30"),
    )
    # a web question answered and proposed for the guide's FAQ, waiting for the department head
    asked = consultations.consultation_submit_web(
        local_item=item,
        question=_("营业执照正在办理中，可以先申请吗？"),
        at=_moment(past - dt.timedelta(days=1), "20:15"),
    )
    consultations.consultation_take(actor=approver, consultation=asked)
    consultations.consultation_answer(
        actor=approver,
        consultation=asked,
        answer=_("需取得营业执照后再申请；可先通过网上预约确定办理时间。"),
        at=_moment(past, "09:10"),
    )
    consultations.consultation_propose_faq(
        actor=approver,
        consultation=asked,
        question=_("营业执照还在办理中，可以先申请本事项吗？"),
        answer=_("需取得营业执照后再申请；可先通过网上预约确定办理时间。"),
    )
    # a fresh web question nobody has taken yet
    consultations.consultation_submit_web(
        local_item=item, question=_("窗口中午休息吗？"), asker_name="", at=_moment(today, "08:00")
    )


def seed_bookings_and_consultations(log=print) -> None:
    if Booking.objects.exists() or Consultation.objects.exists():
        log(_("预约与咨询：已存在，跳过"))
        return
    admin = User.objects.get(username="admin")
    today = timezone.localdate()
    counties = 0
    for county in demo_counties():
        standards = published_standards(county)
        if not standards:
            continue
        staff = CountyStaff(county, admin)
        named = [
            s
            for s in standards
            if Membership.objects.filter(user__username="depthead", organization=s.local_item.organization).exists()
        ]
        standard = (named or standards)[0]
        # The demo guide says the item can be booked (支持预约办理), as its department would have written it.
        ServiceGuide.objects.filter(standard=standard).update(is_schedulable=True)
        group = _hall_and_group(staff, standard)
        _seed_bookings(staff, group, standard, today)
        _seed_consultations(staff, standard, today)
        counties += 1
    by_status = ", ".join(
        f"{label} {Booking.objects.filter(status=value).count()}" for value, label in BookingStatus.choices
    )
    log(
        _("预约与咨询：%(counties)s 个县（区），预约 %(bookings)s 条（%(statuses)s），咨询 %(consultations)s 条")
        % {
            "counties": counties,
            "bookings": Booking.objects.count(),
            "statuses": by_status,
            "consultations": Consultation.objects.count(),
        }
    )
