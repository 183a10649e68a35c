from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel

from .choices import EDITABLE_STATES, IN_PROGRESS_STATES, StandardState


class ItemStandardQuerySet(models.QuerySet):
    def published(self) -> ItemStandardQuerySet:
        return self.filter(state=StandardState.PUBLISHED)

    def in_progress(self) -> ItemStandardQuerySet:
        return self.filter(state__in=IN_PROGRESS_STATES)


class ItemStandard(TimeStampedModel):
    """One version of the standard of a local item: its service guide and business manual.

    Versions are numbered 1, 2, … per item. At most one is published and at most one is in progress (both enforced
    by the database). ``revision`` counts saves; an editor sends back the revision it loaded, and a save against a
    newer revision is refused instead of overwriting a colleague's work.
    """

    local_item = models.ForeignKey(
        "catalogue.LocalItem", verbose_name=_("实施清单事项"), on_delete=models.PROTECT, related_name="standards"
    )
    version = models.PositiveIntegerField(_("版本号"))
    state = models.CharField(
        _("状态"), max_length=20, choices=StandardState.choices, default=StandardState.DRAFT, db_index=True
    )
    revision = models.PositiveIntegerField(_("保存次数"), default=1)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("基于版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("新版本由哪个已发布版本复制而来"),
    )
    template_source = models.ForeignKey(
        "self",
        verbose_name=_("参照范本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("参照其他地区同一事项的已发布标准编写"),
    )
    change_note = models.TextField(_("变更说明"), blank=True, help_text=_("发布时说明本版本与上一版本的不同"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A guide imported from another system's export (perhaps by the establishment office running the exercise, for a
    # department in its scope): who imported it, when, and for which department, which still confirms the draft
    # through the workflow.
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    imported_for = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("导入所代部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True, editable=False)
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审查通过时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("废止原因"), blank=True)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    return_notes = models.JSONField(
        _("退回意见"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("最近一次退回的理由和逐项意见，退回时由审查流程写入，供编辑页在相应字段旁显示"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at", "revision", "return_notes"])
    objects = ItemStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("审批标准")
        verbose_name_plural = _("审批标准")
        ordering = ["local_item_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["local_item", "version"], name="standard_unique_version"),
            models.UniqueConstraint(
                fields=["local_item"], condition=Q(state="published"), name="standard_one_published"
            ),
            models.UniqueConstraint(
                fields=["local_item"], condition=Q(state__in=IN_PROGRESS_STATES), name="standard_one_in_progress"
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s · 第%(version)s版") % {"name": self.local_item.name, "version": self.version}

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def delete(self, *args, **kwargs):
        raise ValidationError(_("审批标准不得删除，已发布的标准只能废止。"))
