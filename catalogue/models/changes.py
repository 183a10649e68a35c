from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .divisions import Division


class ChangeKind(models.TextChoices):
    ADD = "add", _("新增")
    ADJUST = "adjust", _("调整")
    SPLIT = "split", _("拆分")
    MERGE = "merge", _("合并")
    CANCEL = "cancel", _("取消")
    DELEGATE_DOWN = "delegate_down", _("下放")
    TAKE_UP = "take_up", _("上收")


class CatalogChange(models.Model):
    """One dynamic-management change (动态管理) with the decision document behind it.

    Append-only: it is written once by ``catalog_change_apply`` together with everything it does, and is the public
    change announcement (变更公告) of its scope.
    """

    kind = models.CharField(_("变更类型"), max_length=16, choices=ChangeKind.choices, db_index=True)
    scope = models.ForeignKey(
        Division,
        verbose_name=_("适用区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("通用目录变更为省份；实施清单变更为所在区划"),
    )
    document_number = models.CharField(_("决定文号"), max_length=100)
    document_title = models.CharField(_("决定文件标题"), max_length=300)
    document_date = models.DateField(_("发文日期"))
    effective_date = models.DateField(_("生效日期"))
    reason = models.TextField(_("变更理由"))
    before = models.JSONField(_("变更前"), default=list, blank=True)
    after = models.JSONField(_("变更后"), default=list, blank=True)
    general_items = models.ManyToManyField(
        "catalogue.GeneralItem", verbose_name=_("涉及通用目录事项"), related_name="changes", blank=True
    )
    successors = models.ManyToManyField(
        "catalogue.GeneralItem",
        verbose_name=_("承继事项"),
        related_name="predecessor_changes",
        blank=True,
        help_text=_("拆分、合并后形成的新事项"),
    )
    local_items = models.ManyToManyField(
        "catalogue.LocalItem", verbose_name=_("涉及实施清单事项"), related_name="changes", blank=True
    )
    affected_local_count = models.PositiveIntegerField(_("影响实施清单事项数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("目录变更记录")
        verbose_name_plural = _("目录变更记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.document_number}"


class AdjustmentStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    DONE = "done", _("已处理")


class AdjustmentTask(models.Model):
    """A derived local item that must follow a change of its general item: the department's to-do list."""

    local_item = models.ForeignKey(
        "catalogue.LocalItem", verbose_name=_("实施清单事项"), on_delete=models.PROTECT, related_name="adjustments"
    )
    change = models.ForeignKey(
        CatalogChange, verbose_name=_("变更记录"), on_delete=models.PROTECT, related_name="adjustment_tasks"
    )
    instruction = models.CharField(_("调整要求"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=6, choices=AdjustmentStatus.choices, default=AdjustmentStatus.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    note = models.CharField(_("处理说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("待调整任务")
        verbose_name_plural = _("待调整任务")
        ordering = ["status", "-change__created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["local_item", "change"], name="adjustment_unique")]

    def __str__(self) -> str:
        return f"{self.local_item} · {self.instruction}"
