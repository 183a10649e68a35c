"""A catalogue import started in the browser: the uploaded file (kept privately), its preview, and its result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core.files import PrivateStorage
from core.i18n import render_message
from core.models import TimeStampedModel


class ImportState(models.TextChoices):
    PREVIEWING = "previewing", _("预检中")
    PREVIEWED = "previewed", _("待确认")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")
    NOT_SAVED = "not_saved", _("未保存")
    FAILED = "failed", _("失败")


RUNNING_STATES = (ImportState.PREVIEWING, ImportState.IMPORTING)
# The reasons of a run that stopped without finishing (a crash, or a worker gone past the task's time limit): such an
# import can be started again from the stored file, since the catalogue was not changed.
INTERRUPTED_MESSAGES = (
    gettext_noop("导入中断：%(error)s"),
    gettext_noop("超过任务时限（%(minutes)s 分钟）仍未完成，处理进程可能已中止。目录没有任何改变，可以重新开始。"),
)
STATE_BADGES = {
    ImportState.PREVIEWING: "text-bg-info",
    ImportState.PREVIEWED: "text-bg-warning",
    ImportState.IMPORTING: "text-bg-info",
    ImportState.IMPORTED: "text-bg-success",
    ImportState.NOT_SAVED: "text-bg-secondary",
    ImportState.FAILED: "text-bg-danger",
}


class CatalogueImport(TimeStampedModel):
    """Who imported which file through which profile into which division, and what came of it. The preview's and
    then the import's counts and rejected rows are kept, so the page survives a reload and past imports stay
    visible."""

    file = models.FileField(_("文件"), storage=PrivateStorage(), upload_to="catalogue_imports/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=255)
    profile = models.CharField(_("导入方案"), max_length=100)
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=12, choices=ImportState.choices, default=ImportState.PREVIEWING)
    all_or_nothing = models.BooleanField(_("有拒绝行时全部不导入"), default=False)
    counts = models.JSONField(_("行数"), default=dict, blank=True)
    preview_counts = models.JSONField(_("预检行数"), default=dict, blank=True)
    samples = models.JSONField(_("示例"), default=dict, blank=True)
    # general code → {names, chosen}: codes the file gives several names, and the name the general item takes.
    name_choices = models.JSONField(_("一码多名"), default=dict, blank=True)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # The error's source text and parameters (``core.i18n.message_data``), so the page shows it in the reader's
    # language; ``error`` keeps it as the run wrote it.
    error_data = models.JSONField(_("错误（原文）"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项批量导入")
        verbose_name_plural = _("事项批量导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_state_display()}）"

    @property
    def error_text(self) -> str:
        return render_message(self.error_data) if self.error_data else self.error

    @property
    def interrupted(self) -> bool:
        return (
            self.state == ImportState.FAILED
            and isinstance(self.error_data, dict)
            and self.error_data.get("msgid") in INTERRUPTED_MESSAGES
        )

    @property
    def is_running(self) -> bool:
        return self.state in RUNNING_STATES

    @property
    def badge_class(self) -> str:
        return STATE_BADGES.get(self.state, "text-bg-secondary")


class ImportRejection(models.Model):
    """One rejected row of the latest run (preview or import), as the rejected-rows table pages through them."""

    catalogue_import = models.ForeignKey(CatalogueImport, on_delete=models.CASCADE, related_name="rejections")
    row = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=200, blank=True)
    reason = models.TextField(_("原因"))
    # The reason's source text and parameters (``core.i18n.message_data``): rows are rejected in a background task,
    # and read later in the reader's language.
    reason_data = models.JSONField(_("原因（原文）"), null=True, blank=True)

    class Meta:
        verbose_name = _("被拒绝的行")
        verbose_name_plural = _("被拒绝的行")
        ordering = ["catalogue_import", "row", "pk"]

    @property
    def reason_text(self) -> str:
        return render_message(self.reason_data) if self.reason_data else self.reason


class ConflictDecision(models.TextChoices):
    KEEP = "keep", _("保留目录中的")
    TAKE = "take", _("采用文件中的")
    SKIP = "skip", _("跳过这些行")


class ImportConflict(models.Model):
    """A general code of the file that belongs to an established item with another name or type. Its rows are
    neither matched nor rejected until the uploader decides; the decision is kept here and applied by the import."""

    catalogue_import = models.ForeignKey(CatalogueImport, on_delete=models.CASCADE, related_name="conflicts")
    code = models.CharField(_("通用目录编码"), max_length=64)
    rows = models.JSONField(_("行号"), default=list)
    existing = models.JSONField(_("目录中的"), default=dict)
    incoming = models.JSONField(_("文件中的"), default=dict)
    decision = models.CharField(_("决定"), max_length=4, choices=ConflictDecision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("编码冲突")
        verbose_name_plural = _("编码冲突")
        ordering = ["catalogue_import", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue_import", "code"], name="import_conflict_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def _type_label(code: str) -> str:
        from .items import ItemType

        return str(ItemType(code).label) if code in ItemType.values else code

    @property
    def existing_type(self) -> str:
        return self._type_label(self.existing.get("item_type", ""))

    @property
    def incoming_type(self) -> str:
        return self._type_label(self.incoming.get("item_type", ""))
