"""The business manual (业务手册): the staff-only part of a standard (domain.md section 4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.files import PrivateStorage, upload_to, validate_upload

from .choices import InternalStep, LimitUnit, ReviewMethod, Situation
from .guide import StandardRow


class BusinessManual(models.Model):
    standard = models.OneToOneField(
        "standards.ItemStandard", on_delete=models.CASCADE, primary_key=True, related_name="manual"
    )
    manual_no = models.CharField(_("手册编号"), max_length=100, blank=True)
    issuer = models.CharField(_("发布机构"), max_length=200, blank=True)
    effective_on = models.DateField(_("实施日期"), null=True, blank=True)
    handling_org = models.CharField(_("办理机构"), max_length=200, blank=True)
    staff_requirements = models.TextField(
        _("审批人员资格要求"), blank=True, help_text=_("如：持有行政执法证，实质审查不少于2人")
    )
    approval_conditions = models.TextField(_("审批条件"), blank=True)
    decision_additional_rules = models.TextField(_("审批决定的附加规定"), blank=True)
    planning_constraints = models.TextField(_("专业规划等限制"), blank=True)
    progress_query_method = models.TextField(_("咨询及审批进程查询方式"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业务手册")
        verbose_name_plural = _("业务手册")

    def __str__(self) -> str:
        return f"业务手册 · {self.standard_id}"


class ManualStep(StandardRow):
    """An internal step, per business situation, with its post and limit."""

    business_kind = models.CharField(_("业务类型"), max_length=10, choices=Situation.choices, default=Situation.NEW)
    step = models.CharField(_("环节"), max_length=12, choices=InternalStep.choices)
    description = models.TextField(_("业务描述"), blank=True)
    responsible_post = models.CharField(_("责任岗位"), max_length=100, blank=True)
    step_limit = models.PositiveIntegerField(_("环节时限"), null=True, blank=True)
    step_limit_unit = models.CharField(_("时限单位"), max_length=12, choices=LimitUnit.choices, blank=True)
    counted_in_limit = models.BooleanField(_("计入办结时限"), default=True)
    opinion_rule = models.CharField(_("审批意见要求"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("内部环节")
        verbose_name_plural = _("内部环节")
        default_related_name = "manual_steps"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="manualstep_unique_uid")]

    def row_label(self) -> str:
        return f"{self.get_business_kind_display()} · {self.get_step_display()}"

    def __str__(self) -> str:
        return self.row_label()


class ReviewPoint(StandardRow):
    step = models.ForeignKey(
        ManualStep,
        verbose_name=_("所属环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_points",
    )
    point = models.CharField(_("审查要点"), max_length=300)
    standard_text = models.TextField(_("审查标准"))
    method = models.CharField(_("审查方式"), max_length=10, choices=ReviewMethod.choices, blank=True)
    basis = models.CharField(_("审查依据"), max_length=300, blank=True)
    result_if_fail = models.CharField(_("不符合时的处理"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("审查要点")
        verbose_name_plural = _("审查要点")
        default_related_name = "review_points_all"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="reviewpoint_unique_uid")]


class DiscretionBenchmark(StandardRow):
    clause_ref = models.CharField(_("裁量依据条款"), max_length=300)
    discretion_point = models.CharField(_("裁量事项"), max_length=300)
    situation = models.TextField(_("裁量情形"))
    standard_text = models.TextField(_("裁量标准"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("裁量基准")
        verbose_name_plural = _("裁量基准")
        default_related_name = "benchmarks"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="benchmark_unique_uid")]

    def row_label(self) -> str:
        return self.discretion_point


class InternalForm(StandardRow):
    name = models.CharField(_("文书名称"), max_length=200, help_text=_("如：受理通知书、不予受理通知书、内部审批单"))
    step = models.ForeignKey(
        ManualStep, verbose_name=_("使用环节"), on_delete=models.PROTECT, null=True, blank=True, related_name="forms"
    )
    template = models.FileField(
        _("文书样式"), storage=PrivateStorage(), upload_to=upload_to, blank=True, validators=[validate_upload]
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("内部文书")
        verbose_name_plural = _("内部文书")
        default_related_name = "internal_forms"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="internalform_unique_uid")]


class SupervisionCheck(StandardRow):
    """A line of the quantified supervision checklist (监督检查量化表) Guangdong requires."""

    item = models.CharField(_("检查项目"), max_length=200)
    criterion = models.TextField(_("检查标准"))
    score = models.PositiveSmallIntegerField(_("分值"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("监督检查项")
        verbose_name_plural = _("监督检查项")
        default_related_name = "supervision_checks"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="supervision_unique_uid")]

    def row_label(self) -> str:
        return self.item
