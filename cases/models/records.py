"""What happens to a case, kept as records that are only ever added: steps with their opinions, notices,
suspensions, extensions and fees."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case
from .choices import ExtensionState, NoticeKind, StepKind


class CaseStep(models.Model):
    """One record of the case's log: who did what, when, with which opinion. Numbered per case in the order they
    were recorded; the supervision rules compare that order with the manual's."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("环节"), max_length=20, choices=StepKind.choices)
    manual_step = models.ForeignKey(
        "standards.ManualStep",
        verbose_name=_("手册环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    post = models.CharField(_("岗位"), max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("办理人姓名"), max_length=100, blank=True)
    opinion = models.TextField(_("意见"), blank=True)
    started_on = models.DateField(_("环节开始日"), null=True, blank=True)
    due_on = models.DateField(_("环节期限"), null=True, blank=True)
    at = models.DateTimeField(_("办理时刻"), default=timezone.now)
    external_event_no = models.CharField(_("外部事件编号"), max_length=64, blank=True)
    external_step_no = models.PositiveIntegerField(
        _("外部环节序号"), null=True, blank=True, help_text=_("来源系统的环节序号；同一办件的序号只记一次")
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_step_unique_seq")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.seq} {self.get_kind_display()}"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录不得删除。"))


class Notice(models.Model):
    """A written notice given to the applicant. ``content`` keeps what it said when issued (materials, reasons,
    limits), so a reprint is the same paper."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("文书类型"), max_length=14, choices=NoticeKind.choices)
    number = models.CharField(_("文书编号"), max_length=80, unique=True)
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content = models.JSONField(_("内容"), default=dict)

    class Meta:
        verbose_name = _("告知文书")
        verbose_name_plural = _("告知文书")
        ordering = ["case_id", "issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Suspension(models.Model):
    """A special procedure (听证、检验、检测、鉴定、专家评审) during which neither clock runs (行政许可法 第四十五条);
    the applicant is told its planned duration in writing."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspensions")
    special_procedure = models.ForeignKey(
        "standards.SpecialProcedure",
        verbose_name=_("特殊环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("特殊环节"), max_length=100)
    reason = models.TextField(_("事由"))
    planned_days = models.PositiveSmallIntegerField(_("预计所需工作日"))
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    counted_days = models.PositiveSmallIntegerField(_("不计时工作日"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        ordering = ["case_id", "started_on", "pk"]

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """An extension of the limit (行政许可法 第四十二条: +10 working days), approved by the head, with the reason told
    to the applicant."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长工作日"), default=10)
    reason = models.TextField(_("延长理由"))
    state = models.CharField(_("状态"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    head_opinion = models.TextField(_("负责人意见"), blank=True)
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("延长时限")
        verbose_name_plural = _("延长时限")
        ordering = ["case_id", "requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class CaseFee(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="fees")
    fee_item = models.ForeignKey(
        "standards.FeeItem",
        verbose_name=_("标准收费项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("收费项目"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    charged_at = models.DateTimeField(_("收费时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("收费记录")
        verbose_name_plural = _("收费记录")
        ordering = ["case_id", "charged_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount}"
