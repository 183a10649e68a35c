"""Appointments (预约): a half-day slot of a service group, booked with a name and a phone, cancelled with a code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.models import Situation

from .hall import ServiceGroup


class HalfDay(models.TextChoices):
    MORNING = "am", _("上午")
    AFTERNOON = "pm", _("下午")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    ARRIVED = "arrived", _("已到场")
    NO_SHOW = "no_show", _("爽约")


class Booking(models.Model):
    """One booking. Capacity is not stored: it is derived from the group's handling time and the staff on duty, so
    changing either changes what can still be booked. The phone is the applicant's key for the no-show limit."""

    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("业务类别"), on_delete=models.PROTECT, related_name="bookings"
    )
    local_item = models.ForeignKey(
        "catalogue.LocalItem", verbose_name=_("办理事项"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("预约日期"), db_index=True)
    half_day = models.CharField(_("时段"), max_length=2, choices=HalfDay.choices)
    name = models.CharField(_("姓名"), max_length=100)
    phone = models.CharField(_("手机号"), max_length=20, db_index=True)
    situation = models.CharField(
        _("业务情形"),
        max_length=10,
        choices=Situation.choices,
        default=Situation.NEW,
        help_text=_("按办事指南中该情形的材料清单准备材料"),
    )
    code = models.CharField(_("预约码"), max_length=16, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("记为爽约时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["day", "half_day", "id"]
        indexes = [
            models.Index(fields=["group", "day", "half_day", "status"], name="hall_booking_slot_idx"),
            models.Index(fields=["phone", "status", "day"], name="hall_booking_phone_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.day} {self.get_half_day_display()}"
