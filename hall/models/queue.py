"""Queue numbers (取号叫号): one ticket per visit, with every call, transfer and no-show on its own row so the hall's
figures (wait, walk, service time) are read from the record, not kept as counters."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .hall import Hall, ServiceGroup, Window


class Priority(models.TextChoices):
    NORMAL = "normal", _("普通")
    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    BOOKED = "booked", _("预约")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    SERVING = "serving", _("办理中")
    DONE = "done", _("已办完")
    NO_SHOW = "no_show", _("过号")
    CANCELLED = "cancelled", _("已取消")


OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class Ticket(models.Model):
    """A queue number for one visit. ``number`` is the group's prefix and the day's serial (``A012``), unique per
    hall and day. A ticket can become a case at acceptance, so the visit, the case and its evaluation are linked."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.PROTECT, related_name="tickets")
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("业务类别"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("日期"), db_index=True)
    serial = models.PositiveIntegerField(_("当日序号"))
    number = models.CharField(_("号码"), max_length=12)
    priority = models.CharField(_("优先类别"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(
        _("状态"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING, db_index=True
    )
    local_item = models.ForeignKey(
        "catalogue.LocalItem",
        verbose_name=_("办理事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True, help_text=_("选填，用于叫号提醒"))
    taken_at = models.DateTimeField(_("取号时间"))
    called_at = models.DateTimeField(_("首次叫号时间"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("最近叫号时间"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("叫号次数"), default=0)
    started_at = models.DateTimeField(_("开始办理时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("办完时间"), null=True, blank=True)
    window = models.ForeignKey(
        Window,
        verbose_name=_("办理窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
    )
    transferred_to = models.ForeignKey(
        Window,
        verbose_name=_("转至窗口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("转窗口后只由该窗口叫号，直到叫到为止"),
    )
    booking = models.OneToOneField(
        "hall.Booking",
        verbose_name=_("预约"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
    )
    evaluation_token = models.CharField(
        _("评价码"), max_length=32, unique=True, help_text=_("窗口二维码中的随机码，一次一评")
    )

    class Meta:
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")
        ordering = ["hall_id", "day", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "day", "number"], name="hall_ticket_number_unique"),
            models.UniqueConstraint(fields=["group", "day", "serial"], name="hall_ticket_serial_unique"),
        ]
        indexes = [
            models.Index(fields=["hall", "day", "status"], name="hall_ticket_queue_idx"),
            models.Index(fields=["group", "day", "status"], name="hall_ticket_group_idx"),
            models.Index(fields=["hall", "day", "last_called_at"], name="hall_ticket_called_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.hall} {self.day} {self.number}"


class TicketEventKind(models.TextChoices):
    TAKEN = "taken", _("取号")
    CALLED = "called", _("叫号")
    RECALLED = "recalled", _("重呼")
    STARTED = "started", _("开始办理")
    FINISHED = "finished", _("办完")
    NO_SHOW = "no_show", _("过号")
    TRANSFERRED = "transferred", _("转窗口")
    CANCELLED = "cancelled", _("取消")
    CASE_LINKED = "case_linked", _("生成办件")


class TicketEvent(models.Model):
    """Append-only: what happened to a ticket, where and by whom."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("排队号"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=12, choices=TicketEventKind.choices)
    at = models.DateTimeField(_("时间"))
    window = models.ForeignKey(
        Window, verbose_name=_("窗口"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("排队号事件")
        verbose_name_plural = _("排队号事件")
        ordering = ["ticket_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_kind_display()}"
