"""The business manual (业务手册): the staff-only part of a standard (domain.md section 4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.files import PrivateStorage, upload_to, validate_upload

from .choices import InternalStep, LimitUnit, ReviewMethod, Situation
from .numbers import LIMIT_DAYS, SCORE, BoundedPositiveIntegerField, BoundedPositiveSmallIntegerField
from .rows import StandardRow


class BusinessManual(models.Model):
    standard = models.OneToOneField(
        "standards.ItemStandard", on_delete=models.CASCADE, primary_key=True, related_name="manual"
    )
    manual_no = models.CharField(
        _("手册编号"), max_length=100, blank=True, help_text=_("按本部门编号规则填写，不得与其他手册重复")
    )
    issuer = models.CharField(_("发布机构"), max_length=200, blank=True, help_text=_("填写发布本手册的机关全称"))
    effective_on = models.DateField(_("实施日期"), null=True, blank=True, help_text=_("填写本手册开始施行的日期"))
    handling_org = models.CharField(
        _("办理机构"), max_length=200, blank=True, help_text=_("填写具体承办的机关及内设科室")
    )
    staff_requirements = models.TextField(
        _("审批人员资格要求"), blank=True, help_text=_("如：持有行政执法证，实质审查不少于2人")
    )
    approval_conditions = models.TextField(
        _("审批条件"), blank=True, help_text=_("将申请条件细化为可核查的审查标准，不得超出法定条件")
    )
    decision_additional_rules = models.TextField(
        _("审批决定的附加规定"), blank=True, help_text=_("写明准予许可时附加的有效期、范围等规定及依据")
    )
    planning_constraints = models.TextField(
        _("专业规划等限制"), blank=True, help_text=_("写明专业规划、布局等限制及依据；无则填“无”")
    )
    progress_query_method = models.TextField(
        _("咨询及审批进程查询方式"), blank=True, help_text=_("写明咨询及查询办理进度的网址、电话或窗口")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("业务手册")
        verbose_name_plural = _("业务手册")

    def __str__(self) -> str:
        return _("业务手册 · %(standard)s") % {"standard": self.standard_id}


class ManualStep(StandardRow):
    """An internal step, per business situation, with its post and limit."""

    business_kind = models.CharField(
        _("业务类型"),
        max_length=10,
        choices=Situation.choices,
        default=Situation.NEW,
        help_text=_("选择本环节所属的业务类型，如新办、变更"),
    )
    step = models.CharField(
        _("环节"), max_length=12, choices=InternalStep.choices, help_text=_("按办理顺序选择环节，如受理、审查、决定")
    )
    description = models.TextField(_("业务描述"), blank=True, help_text=_("写明本环节的工作内容和输出文书"))
    responsible_post = models.CharField(
        _("责任岗位"), max_length=100, blank=True, help_text=_("写明承办岗位，如“受理岗”“审核岗”；实质审查不少于2人")
    )
    step_limit = BoundedPositiveIntegerField(
        _("环节时限"),
        null=True,
        bounds=LIMIT_DAYS,
        blank=True,
        help_text=_("填写本环节时限数字；计入时限的环节之和不得超过承诺时限"),
    )
    step_limit_unit = models.CharField(
        _("时限单位"),
        max_length=12,
        choices=LimitUnit.choices,
        blank=True,
        help_text=_("须与承诺时限单位一致，一般为工作日"),
    )
    counted_in_limit = models.BooleanField(
        _("计入办结时限"), default=True, help_text=_("听证、检验检测、专家评审等环节不计入，应取消勾选")
    )
    opinion_rule = models.CharField(
        _("审批意见要求"), max_length=300, blank=True, help_text=_("如：签署明确意见、姓名和日期，不得只签名")
    )

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
        help_text=_("选择本要点所属的内部环节"),
    )
    point = models.CharField(_("审查要点"), max_length=300, help_text=_("写明要审查的具体内容，如“营业场所面积”"))
    standard_text = models.TextField(_("审查标准"), help_text=_("写明可核查的合格标准，如“面积不少于20平方米”"))
    method = models.CharField(
        _("审查方式"),
        max_length=10,
        choices=ReviewMethod.choices,
        blank=True,
        help_text=_("选择书面审查、实地核查或核验"),
    )
    basis = models.CharField(_("审查依据"), max_length=300, blank=True, help_text=_("填写审查标准的法律依据及条款号"))
    result_if_fail = models.CharField(
        _("不符合时的处理"), max_length=300, blank=True, help_text=_("写明不符合时的处理，如一次性告知补正或不予许可")
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("审查要点")
        verbose_name_plural = _("审查要点")
        default_related_name = "review_points_all"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="reviewpoint_unique_uid")]


class DiscretionBenchmark(StandardRow):
    clause_ref = models.CharField(
        _("裁量依据条款"), max_length=300, help_text=_("填写赋予裁量权的法律名称及条款号，具体到条款项")
    )
    discretion_point = models.CharField(
        _("裁量事项"), max_length=300, help_text=_("写明有裁量空间的事项，如“准予许可的有效期”")
    )
    situation = models.TextField(_("裁量情形"), help_text=_("分档写明适用情形，如按规模、等级、年限区分"))
    standard_text = models.TextField(_("裁量标准"), help_text=_("写明各情形对应的具体、可量化的裁量结果"))
    note = models.CharField(_("说明"), max_length=300, blank=True, help_text=_("补充适用说明；无则不填"))

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
        ManualStep,
        verbose_name=_("使用环节"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forms",
        help_text=_("选择使用本文书的内部环节"),
    )
    template = models.FileField(
        _("文书样式"),
        storage=PrivateStorage(),
        upload_to=upload_to,
        blank=True,
        validators=[validate_upload],
        help_text=_("上传文书格式样本（Word 或 PDF）"),
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("内部文书")
        verbose_name_plural = _("内部文书")
        default_related_name = "internal_forms"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="internalform_unique_uid")]


class SupervisionCheck(StandardRow):
    """A line of the quantified supervision checklist (监督检查量化表) Guangdong requires."""

    item = models.CharField(_("检查项目"), max_length=200, help_text=_("写明检查项目，如“是否在5个工作日内受理”"))
    criterion = models.TextField(_("检查标准"), help_text=_("写明可量化的检查标准及扣分规则"))
    score = BoundedPositiveSmallIntegerField(
        _("分值"), null=True, bounds=SCORE, blank=True, help_text=_("填写该项分值，如 10；各项合计一般为 100 分")
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("监督检查项")
        verbose_name_plural = _("监督检查项")
        default_related_name = "supervision_checks"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="supervision_unique_uid")]

    def row_label(self) -> str:
        return self.item
