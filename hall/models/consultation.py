"""Consultation (咨询) with 首问责任: whoever first takes a question owns it until it is answered or handed on, and
every hand-over is a row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ConsultationChannel(models.TextChoices):
    WINDOW = "window", _("窗口")
    PHONE = "phone", _("电话")
    WEB = "web", _("网上")
    MAIL = "mail", _("信件")


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")


class Consultation(TimeStampedModel):
    channel = models.CharField(_("渠道"), max_length=8, choices=ConsultationChannel.choices)
    hall = models.ForeignKey(
        "hall.Hall", verbose_name=_("大厅"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    local_item = models.ForeignKey(
        "catalogue.LocalItem",
        verbose_name=_("咨询事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="consultations"
    )
    asker_name = models.CharField(_("咨询人"), max_length=100, blank=True)
    asker_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    question = models.TextField(_("咨询内容"), max_length=2000)
    answer = models.TextField(_("答复内容"), max_length=4000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_consultations",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN, db_index=True
    )
    received_at = models.DateTimeField(_("收到时间"))
    due_date = models.DateField(_("答复期限"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    faq_requested = models.BooleanField(_("申请公开到常见问题"), default=False)
    faq_question = models.CharField(_("拟公开的问题"), max_length=300, blank=True)
    faq_answer = models.TextField(_("拟公开的解答"), max_length=4000, blank=True)
    faq_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开申请人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    faq_requested_at = models.DateTimeField(_("申请公开时间"), null=True, blank=True)
    faq_decided_at = models.DateTimeField(_("公开审核时间"), null=True, blank=True)
    faq_refusal = models.CharField(_("不予公开的理由"), max_length=300, blank=True)
    faq_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公开审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    faq_standard = models.ForeignKey(
        "standards.ItemStandard",
        verbose_name=_("写入的标准修订版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["organization", "status", "due_date"], name="hall_consult_due_idx")]

    def __str__(self) -> str:
        return self.question[:30]

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.OPEN

    @property
    def faq_pending(self) -> bool:
        """Proposed for the guide's FAQ and waiting for the department head."""
        return self.faq_requested and self.faq_decided_at is None


class ConsultationHandoff(models.Model):
    """A hand-over of a question from its owner to another person, with the reason: the record that ends the first
    owner's responsibility."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.PROTECT, related_name="handoffs"
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("移交人"), on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("接收单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("移交原因"), max_length=300)
    at = models.DateTimeField(_("移交时间"))

    class Meta:
        verbose_name = _("咨询移交记录")
        verbose_name_plural = _("咨询移交记录")
        ordering = ["consultation_id", "at"]
