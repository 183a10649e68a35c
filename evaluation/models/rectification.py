"""A bad grade's rectification (差评整改) and the appeals against mistaken or malicious grades."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_STAGES, AppealReason, AppealState, Stage
from .evaluation import Evaluation


class RectificationQuerySet(models.QuerySet):
    def open(self) -> RectificationQuerySet:
        return self.filter(stage__in=OPEN_STAGES)

    def overdue(self, today) -> RectificationQuerySet:
        return self.filter(stage__in=OPEN_STAGES, stage_due__lt=today)


class Rectification(models.Model):
    """Verify → rectify → reply to the applicant → follow-up call, each stage due a number of working days after the
    previous one closed. Owned by the unit that handled the case. ``late`` records that some stage closed after its
    due date, so "rectified on time" is a plain column for the figures."""

    evaluation = models.OneToOneField(
        Evaluation, verbose_name=_("差评"), on_delete=models.PROTECT, related_name="rectification"
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="+"
    )
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("当前阶段"), max_length=10, choices=Stage.choices, default=Stage.VERIFY, db_index=True)
    stage_started_on = models.DateField(_("本阶段开始日"))
    stage_due = models.DateField(_("本阶段期限"), null=True, blank=True, db_index=True)
    opened_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    late = models.BooleanField(_("曾超期"), default=False)
    followed_up = models.BooleanField(_("已电话回访"), default=False)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["stage_due", "pk"]
        indexes = [models.Index(fields=["organization", "stage", "stage_due"], name="eval_rect_org_stage")]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.get_stage_display()}"


class RectificationStep(models.Model):
    """The written record of one closed stage: what was done, by whom, when, against which due date. The follow-up
    stage also keeps the call (time, who called, result)."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("差评整改"), on_delete=models.PROTECT, related_name="steps"
    )
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices)
    note = models.TextField(_("办理记录"), max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("办理时间"))
    due_on = models.DateField(_("期限"), null=True, blank=True)
    on_time = models.BooleanField(_("按期"), default=True)
    call_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    call_by = models.CharField(_("回访人"), max_length=50, blank=True)
    call_result = models.CharField(_("回访结果"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["rectification_id", "at", "pk"]
        constraints = [models.UniqueConstraint(fields=["rectification", "stage"], name="eval_rect_step_once")]


class Appeal(models.Model):
    """A unit's appeal against a grade it holds mistaken or malicious, decided by the supervising office. Upheld, the
    grade stops counting in the figures (``Evaluation.excluded``); the record stays."""

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="appeals")
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("申诉单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("申诉类型"), max_length=10, choices=AppealReason.choices)
    statement = models.TextField(_("申诉理由"), max_length=2000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("申诉时间"))
    state = models.CharField(
        _("状态"), max_length=8, choices=AppealState.choices, default=AppealState.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("差评申诉")
        verbose_name_plural = _("差评申诉")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"], condition=Q(state="pending"), name="eval_one_pending_appeal"
            ),
            models.UniqueConstraint(fields=["evaluation"], condition=Q(state="upheld"), name="eval_one_upheld_appeal"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.get_state_display()}"
