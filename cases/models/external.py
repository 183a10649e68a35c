"""Other systems that send case events (a provincial acceptance platform), and the events they sent."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExternalSystem(models.Model):
    """A system allowed to send case events for the items of one division's subtree. Only a hash of its token is
    kept; the token is shown once, when issued."""

    name = models.CharField(_("系统名称"), max_length=200, unique=True)
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("所辖区划"), on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("外部办件系统")
        verbose_name_plural = _("外部办件系统")

    def __str__(self) -> str:
        return self.name


class ExternalEvent(models.Model):
    """An event taken from a system, unique per system, case number and event number: sending it again is a no-op."""

    system = models.ForeignKey(ExternalSystem, on_delete=models.PROTECT, related_name="events")
    case_no = models.CharField(_("办件编号"), max_length=64)
    event_no = models.CharField(_("事件编号"), max_length=64)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="external_events")
    payload = models.JSONField(_("原始内容"), default=dict)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("外部办件事件")
        verbose_name_plural = _("外部办件事件")
        constraints = [models.UniqueConstraint(fields=["system", "case_no", "event_no"], name="external_event_unique")]

    def __str__(self) -> str:
        return f"{self.system_id} {self.case_no} {self.event_no}"
