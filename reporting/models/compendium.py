"""A built compendium: what it gathers (frozen when it is asked for), its state, its Word file."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from standards.files import PrivateStorage


class CompendiumKind(models.TextChoices):
    DIVISION = "division", _("区划")
    DEPARTMENT = "department", _("部门")
    PICKED = "picked", _("自选事项")


class CompendiumStatus(models.TextChoices):
    BUILDING = "building", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class Compendium(TimeStampedModel):
    """One compendium of published standards (标准文本汇编).

    The standards it gathers are fixed when it is asked for (``standard_ids``, in the order they are printed), so a
    build and a rebuild print the same versions even if a new one is published meanwhile. ``division`` is the unit
    whose supervisors may read it (and, for a department's compendium, ``organization`` the department whose head
    may)."""

    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("范围"), max_length=12, choices=CompendiumKind.choices)
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issuer = models.CharField(_("编印单位"), max_length=200, blank=True)
    standard_ids = models.JSONField(_("收录的标准"), default=list, blank=True, help_text=_("按印制顺序"))
    item_count = models.PositiveIntegerField(_("事项数"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=CompendiumStatus.choices, default=CompendiumStatus.BUILDING
    )
    percent = models.PositiveSmallIntegerField(_("进度"), default=0)
    file = models.FileField(_("汇编文件"), storage=PrivateStorage(), upload_to="compendiums/%Y/", blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    error = models.TextField(_("失败原因"), blank=True)

    class Meta:
        verbose_name = _("标准汇编")
        verbose_name_plural = _("标准汇编")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title
