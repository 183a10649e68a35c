"""The hall (政务服务中心) and its windows: where applicants are received, by whom, for which items."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Hall(TimeStampedModel):
    """A county's service centre or one of its branches. Its opening hours are two half-days on every working day of
    the one calendar in ``core.workdays``; holidays close it without a row here."""

    organization = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("政务服务中心"),
        on_delete=models.PROTECT,
        related_name="halls",
        help_text=_("机构类型为“政务服务中心”的机构"),
    )
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级大厅"), on_delete=models.PROTECT, null=True, blank=True, related_name="branches"
    )
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    morning_opens = models.TimeField(_("上午开始"), default=datetime.time(9, 0))
    morning_closes = models.TimeField(_("上午结束"), default=datetime.time(12, 0))
    afternoon_opens = models.TimeField(_("下午开始"), default=datetime.time(13, 30))
    afternoon_closes = models.TimeField(_("下午结束"), default=datetime.time(17, 30))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务大厅")
        verbose_name_plural = _("服务大厅")
        ordering = ["division_id", "parent_id", "name"]

    def __str__(self) -> str:
        return self.name


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合窗口")
    DEPARTMENT = "department", _("部门窗口")


class Window(TimeStampedModel):
    """A counter. A comprehensive window accepts items of several departments; a department's own window only its
    department's. The items it accepts decide which queue numbers it may call and which cases it may accept."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="windows")
    number = models.CharField(_("窗口号"), max_length=10, help_text=_("如“A01”，在大厅内唯一"))
    name = models.CharField(_("窗口名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=14, choices=WindowKind.choices, default=WindowKind.COMPREHENSIVE)
    department = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("所属部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hall_windows",
        help_text=_("部门窗口必填"),
    )
    items = models.ManyToManyField(
        "catalogue.LocalItem", verbose_name=_("受理事项"), related_name="hall_windows", blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["hall_id", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="hall_window_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class StaffRole(models.TextChoices):
    PRIMARY = "A", _("A岗")
    BACKUP = "B", _("B岗（替补）")


class WindowStaff(models.Model):
    """Who sits at a window. A B岗 entry names the A岗 person it stands in for, so acting in their absence is
    within authority, not 超权限."""

    window = models.ForeignKey(Window, verbose_name=_("窗口"), on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="window_posts"
    )
    role = models.CharField(_("岗位"), max_length=1, choices=StaffRole.choices, default=StaffRole.PRIMARY)
    backup_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("替补的A岗人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        verbose_name = _("窗口人员")
        verbose_name_plural = _("窗口人员（AB岗）")
        constraints = [models.UniqueConstraint(fields=["window", "user"], name="hall_window_staff_unique")]

    def __str__(self) -> str:
        return f"{self.window} · {self.user} · {self.get_role_display()}"


class ServiceGroup(TimeStampedModel):
    """A group of items that share one queue and one booking calendar (取号业务类别), served by some windows. Its
    prefix letter starts every queue number of the group, so the display and the caller speak the same number."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("业务类别"), max_length=100)
    prefix = models.CharField(_("号码前缀"), max_length=2, help_text=_("一至两个大写字母，如“A”"))
    items = models.ManyToManyField(
        "catalogue.LocalItem", verbose_name=_("包含事项"), related_name="hall_groups", blank=True
    )
    windows = models.ManyToManyField(Window, verbose_name=_("服务窗口"), related_name="groups", blank=True)
    minutes_per_visit = models.PositiveSmallIntegerField(
        _("每件平均办理时长（分钟）"), default=15, help_text=_("用于推算预约容量")
    )
    is_bookable = models.BooleanField(_("开放预约"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("业务类别")
        verbose_name_plural = _("业务类别")
        ordering = ["hall_id", "prefix"]
        constraints = [models.UniqueConstraint(fields=["hall", "prefix"], name="hall_group_prefix_unique")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"
