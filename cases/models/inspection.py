"""Sampling inspections (抽查): a supervising office draws finished cases, scores each against the item's own business
manual and a case-file rubric, and opens rectifications (整改) for the departments where it finds faults.

The draw is stored (seed, strata, the drawn case ids in order), so the sample shown is the sample drawn and anyone
can draw it again from the seed. Scores are kept per line with the inspector who confirmed them; nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .case import Case


class InspectionKind(models.TextChoices):
    PERIODIC = "periodic", _("定期抽查")
    AD_HOC = "ad_hoc", _("不定期抽查")


class InspectionMethod(models.TextChoices):
    RANDOM = "random", _("随机抽样")
    POINT = "point", _("抽点检查")
    FIXED = "fixed", _("定点检查")


class Stratification(models.TextChoices):
    DEPARTMENT = "department", _("按部门分层")
    ITEM = "item", _("按事项分层")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("已计划")
    DRAWN = "drawn", _("评分中")
    FINISHED = "finished", _("已完成")


class LineSource(models.TextChoices):
    CHECK = "check", _("监督检查量化表")
    STEP = "step", _("内部环节")
    LIMIT = "limit", _("环节时限")
    REVIEW = "review", _("审查要点")
    FEE = "fee", _("收费")
    RUBRIC = "rubric", _("案卷评查")


class RectificationState(models.TextChoices):
    OPEN = "open", _("待整改")
    REPLIED = "replied", _("已回复")
    CLOSED = "closed", _("已销号")


class Inspection(models.Model):
    """One planned inspection of a division's finished cases (办结 between ``period_from`` and ``period_to``).

    ``method`` decides how the sample is made: a seeded random draw, stratified by department or item (a size per
    stratum or a total split over the strata), the cases a planner picked (抽点), or all — or a sample of — one
    department's cases (定点)."""

    title = models.CharField(_("抽查名称"), max_length=200)
    kind = models.CharField(
        _("抽查类型"), max_length=10, choices=InspectionKind.choices, default=InspectionKind.PERIODIC
    )
    method = models.CharField(
        _("抽查方式"), max_length=10, choices=InspectionMethod.choices, default=InspectionMethod.RANDOM
    )
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("抽查区划"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("定点部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_from = models.DateField(_("办结日期自"))
    period_to = models.DateField(_("办结日期至"))
    stratify_by = models.CharField(
        _("分层方式"), max_length=10, choices=Stratification.choices, default=Stratification.DEPARTMENT, blank=True
    )
    per_stratum = models.PositiveSmallIntegerField(_("每层抽取件数"), null=True, blank=True)
    sample_total = models.PositiveSmallIntegerField(_("抽取总件数"), null=True, blank=True)
    chosen_numbers = models.JSONField(_("抽点办件编号"), default=list, blank=True)
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    strata = models.JSONField(_("分层情况"), default=list, blank=True)
    drawn_case_ids = models.JSONField(_("抽中办件"), default=list, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=InspectionState.choices, default=InspectionState.PLANNED, db_index=True
    )
    note = models.TextField(_("说明"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("计划人"), on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField(_("计划时间"), default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽取人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完成人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽查")
        verbose_name_plural = _("抽查")
        ordering = ["-planned_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_from__lte=models.F("period_to")), name="inspection_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def delete(self, *args, **kwargs):
        raise ValidationError(_("抽查记录不得删除。"))


class InspectionPatrol(models.Model):
    """现场巡察: what the inspectors saw on site, recorded beside the case-file scores."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="patrols")
    day = models.DateField(_("巡察日期"))
    place = models.CharField(_("巡察地点"), max_length=200)
    inspectors = models.CharField(_("巡察人员"), max_length=200)
    observations = models.TextField(_("巡察情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("现场巡察")
        verbose_name_plural = _("现场巡察")
        ordering = ["day", "pk"]

    def __str__(self) -> str:
        return f"{self.day} {self.place}"


class InspectedCase(models.Model):
    """One drawn case of an inspection: its place in the draw, its stratum, and its score once confirmed
    (``score`` is the 100-point score: the lines' points over their maximum)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="sampled")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="inspections")
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("抽取顺序"))
    stratum = models.CharField(_("所属分层"), max_length=200, blank=True)
    points = models.PositiveIntegerField(_("得分"), null=True, blank=True)
    max_points = models.PositiveIntegerField(_("满分"), null=True, blank=True)
    score = models.DecimalField(_("百分制得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评分人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽查办件")
        verbose_name_plural = _("抽查办件")
        ordering = ["inspection_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "case"], name="inspected_case_unique"),
            models.UniqueConstraint(fields=["inspection", "position"], name="inspected_case_position"),
        ]
        indexes = [models.Index(fields=["organization", "scored_at"], name="inspected_org_scored")]

    def __str__(self) -> str:
        return f"{self.inspection_id} #{self.position} {self.case_id}"


class ScoreLine(models.Model):
    """A line of a case's score sheet: from the manual (checklist, steps, limits, review points, fees) or the
    case-file rubric. ``suggested`` is what the record shows (``rule`` names the check that deducted, ``finding`` says
    why); ``points`` is what the inspector confirmed, with ``evidence`` and ``comment``."""

    sampled = models.ForeignKey(InspectedCase, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField(_("序号"))
    source = models.CharField(_("来源"), max_length=8, choices=LineSource.choices)
    key = models.CharField(_("标识"), max_length=40)
    label = models.CharField(_("检查项目"), max_length=300)
    criterion = models.TextField(_("检查标准"), blank=True)
    max_points = models.PositiveSmallIntegerField(_("分值"))
    suggested = models.PositiveSmallIntegerField(_("建议得分"))
    rule = models.CharField(_("扣分规则"), max_length=24, blank=True)
    finding = models.CharField(_("记录显示"), max_length=300, blank=True)
    points = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    evidence = models.CharField(_("依据"), max_length=300, blank=True)
    comment = models.CharField(_("评语"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["sampled_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sampled", "key"], name="score_line_unique_key"),
            models.CheckConstraint(condition=Q(suggested__lte=models.F("max_points")), name="score_line_suggested"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__lte=models.F("max_points")), name="score_line_points"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class InspectionRectification(models.Model):
    """整改: a finding of an inspection put to the department, with a due date in working days; the department
    replies (text and evidence), the inspector closes it or returns it with a note. Late = not closed after ``due``."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="rectifications")
    sampled = models.ForeignKey(
        InspectedCase, on_delete=models.PROTECT, null=True, blank=True, related_name="rectifications"
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.TextField(_("发现的问题"))
    workdays = models.PositiveSmallIntegerField(_("整改期限（工作日）"))
    due = models.DateField(_("整改期限"), db_index=True)
    state = models.CharField(
        _("状态"), max_length=8, choices=RectificationState.choices, default=RectificationState.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    reply = models.TextField(_("整改情况"), blank=True)
    evidence = models.TextField(_("整改佐证"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    close_note = models.TextField(_("销号或退回意见"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽查整改")
        verbose_name_plural = _("抽查整改")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["organization", "state"], name="inspection_rect_org_state")]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.organization_id} {self.get_state_display()}"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("整改记录不得删除。"))
