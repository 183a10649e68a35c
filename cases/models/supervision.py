"""Electronic supervision (电子监察): alerts raised by the rules, and the 督办 a red alert opens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case
from .choices import AlertLevel, AlertRule, OversightState


class Alert(models.Model):
    """One rule firing on one case. ``key`` tells repeated firings of the same finding apart from new ones (the step
    it is about, for step rules), so a sweep that runs again raises nothing twice. An alert whose condition is gone
    is cleared, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="alerts")
    rule = models.CharField(_("规则"), max_length=24, choices=AlertRule.choices)
    level = models.CharField(_("等级"), max_length=6, choices=AlertLevel.choices)
    key = models.CharField(_("标识"), max_length=40, blank=True, default="")
    evidence = models.JSONField(_("依据"), default=dict)
    raised_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监察预警")
        verbose_name_plural = _("监察预警")
        ordering = ["-raised_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case", "rule", "key"], name="alert_unique_finding")]
        indexes = [models.Index(fields=["level", "cleared_at"], name="alert_level_open")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_rule_display()}"


class Oversight(models.Model):
    """督办: a red alert put to the implementing department, answered with an explanation and a correction by a reply
    deadline, and closed by the supervising office."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="oversights")
    alert = models.OneToOneField(Alert, on_delete=models.PROTECT, related_name="oversight")
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=8, choices=OversightState.choices, default=OversightState.OPEN, db_index=True
    )
    opened_at = models.DateTimeField(_("督办时间"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    instruction = models.TextField(_("督办要求"), blank=True)
    reply_due = models.DateField(_("答复期限"))
    explanation = models.TextField(_("情况说明"), blank=True)
    correction = models.TextField(_("整改措施"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_note = models.TextField(_("办结意见"), blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_state_display()}"
