"""An evaluation (好差评) of one visit or one case, with its per-indicator grades."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import BAD_GRADE_MAX, Channel, ComplaintCategory, Grade, Target
from .indicators import Indicator, IndicatorSet


class EvaluationQuerySet(models.QuerySet):
    def counted(self) -> EvaluationQuerySet:
        """The evaluations the figures count: all but those an upheld appeal excluded."""
        return self.filter(excluded=False)

    def bad(self) -> EvaluationQuerySet:
        return self.filter(grade__lte=BAD_GRADE_MAX)


class Evaluation(models.Model):
    """One applicant's word on one visit (一次一评) or one case (一事一评). The database keeps it single: one
    evaluation per ticket among visit evaluations and one per case among case evaluations.

    The window, staff member, item, organization and division are copied from the visit or case when it is given, so
    the figures group by plain columns, and an upheld appeal sets ``excluded`` rather than deleting anything."""

    target = models.CharField(_("评价对象"), max_length=5, choices=Target.choices)
    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系版本"), on_delete=models.PROTECT, related_name="evaluations"
    )
    grade = models.PositiveSmallIntegerField(_("评价等级"), choices=Grade.choices, db_index=True)
    channel = models.CharField(_("评价渠道"), max_length=6, choices=Channel.choices)
    comment = models.TextField(_("评价内容"), max_length=1000, blank=True)
    category = models.CharField(_("差评类别"), max_length=10, choices=ComplaintCategory.choices, blank=True)
    is_real_name = models.BooleanField(_("实名评价"), default=False)
    name = models.CharField(_("评价人姓名"), max_length=50, blank=True)
    phone = models.CharField(_("评价人电话"), max_length=20, blank=True)

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("办件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    ticket = models.ForeignKey(
        "hall.Ticket",
        verbose_name=_("排队号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    window = models.ForeignKey(
        "hall.Window", verbose_name=_("窗口"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    local_item = models.ForeignKey(
        "catalogue.LocalItem",
        verbose_name=_("事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    organization = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        related_name="evaluations",
        help_text=_("办件的实施主体；现场评价为窗口所属部门或大厅所属机构"),
    )
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("评价时间"), db_index=True)
    excluded = models.BooleanField(_("不计入统计"), default=False, help_text=_("申诉成立的差评保留记录，但不计入统计"))

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(target="case"), name="eval_one_per_case"),
            models.UniqueConstraint(fields=["ticket"], condition=Q(target="visit"), name="eval_one_per_visit"),
            models.CheckConstraint(
                condition=(Q(target="case") & Q(case__isnull=False)) | (Q(target="visit") & Q(ticket__isnull=False)),
                name="eval_target_present",
            ),
            models.CheckConstraint(condition=Q(grade__gte=1) & Q(grade__lte=5), name="eval_grade_range"),
        ]
        indexes = [
            models.Index(fields=["organization", "submitted_at"], name="eval_org_time"),
            models.Index(fields=["division", "submitted_at"], name="eval_division_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} {self.get_grade_display()}"

    @property
    def is_bad(self) -> bool:
        return self.grade <= BAD_GRADE_MAX

    def delete(self, *args, **kwargs):
        raise ValidationError(_("评价不得删除。"))


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(_("等级"), choices=Grade.choices)

    class Meta:
        verbose_name = _("分项评价")
        verbose_name_plural = _("分项评价")
        ordering = ["evaluation_id", "indicator__position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "indicator"], name="eval_score_unique"),
            models.CheckConstraint(condition=Q(grade__gte=1) & Q(grade__lte=5), name="eval_score_grade_range"),
        ]


class Invitation(models.Model):
    """An invitation to evaluate a case finished without one: at most one per case, ever."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="evaluation_invitation"
    )
    channel = models.CharField(_("渠道"), max_length=6, choices=Channel.choices, default=Channel.SMS)
    phone = models.CharField(_("发送号码"), max_length=20, blank=True)
    invited_at = models.DateTimeField(_("邀请时间"))

    class Meta:
        verbose_name = _("评价邀请")
        verbose_name_plural = _("评价邀请")
        ordering = ["-invited_at"]

    def __str__(self) -> str:
        return str(self.case_id)


class RevisionRequest(models.Model):
    """A complaint about the service guide's accuracy, put to the department as a revision task on the item's
    standard: who was told and when is kept here, beside the evaluation that asked for it."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="revision_request"
    )
    local_item = models.ForeignKey(
        "catalogue.LocalItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+"
    )
    standard = models.ForeignKey(
        "standards.ItemStandard",
        verbose_name=_("所涉标准版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"))
    notified = models.PositiveSmallIntegerField(_("通知人数"), default=0)

    class Meta:
        verbose_name = _("办事指南修订任务")
        verbose_name_plural = _("办事指南修订任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.local_item_id)
