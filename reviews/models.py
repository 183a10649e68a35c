"""Review tasks, the return-reason catalogue and the field-level comments of a return (domain.md 6.2–6.4).

A ``ReviewTask`` is one stage of one review round of a standard version: opened when the workflow moves the version
into a review state, closed with the decision that moves it on, both in the transition's own transaction
(``reviews.services.standard_transition``).
At most one task per version is open at any time (enforced by the database).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReasonCategory(models.TextChoices):
    FORM = "F", _("形式审查")
    COMPLIANCE = "C", _("合规性审查")
    LEGALITY = "L", _("合法性审查")


class ReturnReason(models.Model):
    """A reason a reviewer may give for returning a standard (退回理由), coded as in domain.md 6.4."""

    code = models.CharField(_("代码"), max_length=8, unique=True, help_text=_("如 F01、C02、L05；代码一经使用不再改变"))
    category = models.CharField(_("类别"), max_length=1, choices=ReasonCategory.choices)
    text = models.CharField(_("退回理由"), max_length=200)
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的理由不再供审查人员选择，历史记录保留"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("退回理由")
        verbose_name_plural = _("退回理由")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The reason in the reader's language while it keeps its seeded wording (``reviews.reasons``)."""
        return gettext(self.text)


class Stage(models.TextChoices):
    """The review stages; the values are those of ``standards.transitions.STAGE_OF_STATE``."""

    DEPT_CONFIRM = "dept_confirm", _("部门确认")
    COMPLIANCE = "compliance", _("合规性审查")
    LEGALITY = "legality", _("合法性审查")


class Decision(models.TextChoices):
    PASS = "pass", _("通过")
    RETURN = "return", _("退回修改")


class ReviewTaskQuerySet(models.QuerySet):
    def open(self) -> ReviewTaskQuerySet:
        return self.filter(closed_at__isnull=True)

    def overdue(self, now=None) -> ReviewTaskQuerySet:
        return self.open().filter(due_at__lt=now or timezone.now())


class ReviewTask(models.Model):
    """One review stage of one round of a standard version, assigned to the body that decides it."""

    standard = models.ForeignKey(
        "standards.ItemStandard", verbose_name=_("审批标准"), on_delete=models.PROTECT, related_name="review_tasks"
    )
    stage = models.CharField(_("审查环节"), max_length=16, choices=Stage.choices)
    organization = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("承办机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("部门确认为实施部门，合规性审查为编办，合法性审查为司法局；未找到时为空，由管理员处理"),
    )
    division = models.ForeignKey(
        "catalogue.Division",
        verbose_name=_("审查区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("负责审查该事项的区县（乡镇事项归所属区县）"),
    )
    round = models.PositiveSmallIntegerField(_("审查轮次"), default=1)
    opened_at = models.DateTimeField(_("开始时间"), db_index=True)
    due_at = models.DateTimeField(_("办理期限"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认领人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    decision = models.CharField(
        _("审查结论"),
        max_length=8,
        choices=Decision.choices,
        blank=True,
        help_text=_("任务办理中为空；标准废止等原因自动关闭的任务也为空"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("审查意见"), blank=True)
    reasons = models.ManyToManyField(ReturnReason, verbose_name=_("退回理由"), blank=True, related_name="+")
    # The log entries that opened and closed the task: they make following the log idempotent.
    opening_transition = models.OneToOneField(
        "workflow.StateTransition",
        verbose_name=_("开始于"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closing_transition = models.OneToOneField(
        "workflow.StateTransition",
        verbose_name=_("结束于"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Taken when the task opens (a version under review cannot be edited): what the queue shows and offers for
    # bulk passing; ``review_bulk_pass`` checks again before passing.
    finding_count = models.PositiveIntegerField(_("质量检查问题数"), null=True, blank=True)
    citations_changed = models.BooleanField(
        _("法律依据有变化"), null=True, blank=True, help_text=_("与已发布版本相比；无已发布版本时为空")
    )

    objects = ReviewTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("审查任务")
        verbose_name_plural = _("审查任务")
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard"], condition=Q(closed_at__isnull=True), name="review_task_one_open_per_standard"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=False) | Q(decision="", decided_by__isnull=True),
                name="review_task_open_undecided",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "stage", "closed_at"], name="review_task_queue"),
            models.Index(fields=["division", "closed_at"], name="review_task_division"),
        ]

    def __str__(self) -> str:
        return _("%(stage)s · %(standard)s · 第%(round)s轮") % {
            "stage": self.get_stage_display(),
            "standard": self.standard_id,
            "round": self.round,
        }

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()

    @property
    def bulk_eligible(self) -> bool:
        """No findings and legal bases unchanged against the published version, as seen when the task opened."""
        return self.finding_count == 0 and self.citations_changed is False

    @property
    def waiting(self):
        return (self.closed_at or timezone.now()) - self.opened_at


class ReturnComment(models.Model):
    """A reviewer's comment on one place of a returned standard, under one reason.

    ``field_path`` follows the quality checks' convention (``guide.address``, ``manual.staff_requirements``,
    ``materials[2]`` for the third material row in editor order, ``steps`` for a whole list); empty for a comment on
    the standard as a whole. ``row_uid`` remembers which row an indexed path meant, so the comment follows the row when
    the author reorders or deletes rows.
    """

    task = models.ForeignKey(ReviewTask, verbose_name=_("审查任务"), on_delete=models.CASCADE, related_name="comments")
    reason = models.ForeignKey(ReturnReason, verbose_name=_("退回理由"), on_delete=models.PROTECT, related_name="+")
    field_path = models.CharField(_("字段位置"), max_length=120, blank=True)
    row_uid = models.UUIDField(_("所指行"), null=True, blank=True, editable=False)
    text = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("退回意见")
        verbose_name_plural = _("退回意见")
        ordering = ["task_id", "id"]

    def __str__(self) -> str:
        return f"{self.reason.code} {self.field_path} {self.text}".strip()
