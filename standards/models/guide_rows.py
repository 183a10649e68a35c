"""The repeated elements of the service guide: citations, materials, process steps, special procedures, fees,
result samples and FAQ."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.files import PrivateStorage, upload_to, validate_upload

from .choices import (
    BasisRole,
    LawRank,
    LimitUnit,
    MaterialForm,
    MaterialType,
    Necessity,
    Situation,
    SourceChannel,
)
from .numbers import COPIES, LIMIT_DAYS, BoundedPositiveIntegerField, BoundedPositiveSmallIntegerField
from .rows import StandardRow


class Citation(StandardRow):
    """A legal basis cited by the standard, with the role it plays (设定/实施/条件/材料/收费依据)."""

    role = models.CharField(
        _("依据用途"),
        max_length=14,
        choices=BasisRole.choices,
        help_text=_("选择本条依据的用途；设定依据须与通用目录一致"),
    )
    law_name = models.CharField(
        _("法律法规名称"), max_length=300, help_text=_("使用全称，如《中华人民共和国行政许可法》")
    )
    doc_number = models.CharField(
        _("文号"), max_length=100, blank=True, help_text=_("部门规章须填令号，如“交通运输部令2019年第1号”")
    )
    article_ref = models.CharField(
        _("条款号"), max_length=100, blank=True, help_text=_("具体到条、款、项，如 第十二条第（三）项")
    )
    law_rank = models.CharField(
        _("法律层级"),
        max_length=20,
        choices=LawRank.choices,
        blank=True,
        help_text=_("按制定机关和形式选择，如法律、部门规章、地方性法规"),
    )
    issuing_authority = models.CharField(
        _("颁布机关"), max_length=100, blank=True, help_text=_("填写制定机关全称，如“全国人民代表大会常务委员会”")
    )
    article_text = models.TextField(_("条款内容"), blank=True, help_text=_("照录所引条款原文，须为现行有效版本"))

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("法律依据")
        verbose_name_plural = _("法律依据")
        default_related_name = "citations"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="citation_unique_uid")]

    def row_label(self) -> str:
        return f"{self.law_name} {self.article_ref}".strip()


class Material(StandardRow):
    situation = models.CharField(
        _("业务情形"),
        max_length=10,
        choices=Situation.choices,
        default=Situation.NEW,
        help_text=_("选择本材料适用的业务情形，如新办、变更"),
    )
    name = models.CharField(
        _("材料名称"), max_length=200, help_text=_("写具体名称，如“营业执照”；不得用“相关材料”等笼统名称")
    )
    material_type = models.CharField(
        _("材料类型"),
        max_length=10,
        choices=MaterialType.choices,
        blank=True,
        help_text=_("选择原件、复印件或两者，须与所填份数一致"),
    )
    material_form = models.CharField(
        _("材料形式"),
        max_length=10,
        choices=MaterialForm.choices,
        blank=True,
        help_text=_("选择纸质、电子或两者；纸质的须填写份数"),
    )
    source_channel = models.CharField(
        _("来源渠道"),
        max_length=12,
        choices=SourceChannel.choices,
        blank=True,
        help_text=_("政府部门核发且可共享的，应选“调取电子证照库”"),
    )
    source_note = models.CharField(
        _("来源说明"), max_length=500, blank=True, help_text=_("写明出具单位，如“由户籍所在地公安机关出具”")
    )
    original_count = BoundedPositiveSmallIntegerField(
        _("原件份数"), null=True, bounds=COPIES, blank=True, help_text=_("填写原件份数，不需要的填 0")
    )
    copy_count = BoundedPositiveSmallIntegerField(
        _("复印件份数"), null=True, bounds=COPIES, blank=True, help_text=_("填写复印件份数，不需要的填 0")
    )
    paper_spec = models.CharField(_("纸质规格"), max_length=100, blank=True, help_text=_("填写纸张规格，如 A4"))
    necessity = models.CharField(
        _("必要性"),
        max_length=12,
        choices=Necessity.choices,
        blank=True,
        help_text=_("选择必要、非必要或容缺后补；非必要的须写明情形"),
    )
    optional_when = models.TextField(_("非必要时的情形"), blank=True, help_text=_("写明何种情形下无需提交本材料"))
    fill_instructions = models.CharField(
        _("填报须知"), max_length=500, blank=True, help_text=_("写明填写要求，如须签字盖章、用黑色墨水笔填写")
    )
    acceptance_standard = models.TextField(
        _("受理标准"), blank=True, help_text=_("写明窗口收件时核对的要点，如须在有效期内、加盖公章")
    )
    basis = models.CharField(
        _("要求提供材料的依据"), max_length=300, blank=True, help_text=_("填写要求提交本材料的法律依据及条款号")
    )
    blank_form = models.FileField(
        _("空白表格"),
        storage=PrivateStorage(),
        upload_to=upload_to,
        blank=True,
        validators=[validate_upload],
        help_text=_("上传申请表等空白表格，供申请人下载填写"),
    )
    sample_form = models.FileField(
        _("示例样表"),
        storage=PrivateStorage(),
        upload_to=upload_to,
        blank=True,
        validators=[validate_upload],
        help_text=_("上传填写示范样表，须与空白表格对应"),
    )
    remark = models.CharField(_("备注"), max_length=300, blank=True, help_text=_("其他需说明的事项；无则不填"))

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        default_related_name = "materials"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="material_unique_uid")]


class ProcessStep(StandardRow):
    """A public step of the process (受理、审查、决定、送达…), drawn in the flowchart."""

    name = models.CharField(_("环节名称"), max_length=100, help_text=_("填写环节名称，如受理、审查、决定、送达"))
    handling_office = models.CharField(
        _("办理机构（岗位）"), max_length=200, blank=True, help_text=_("写明办理该环节的科室或岗位，如“审批科审核岗”")
    )
    duration = BoundedPositiveIntegerField(
        _("环节时限"),
        null=True,
        bounds=LIMIT_DAYS,
        blank=True,
        help_text=_("填写该环节时限数字；各环节之和不得超过承诺时限"),
    )
    duration_unit = models.CharField(
        _("时限单位"),
        max_length=12,
        choices=LimitUnit.choices,
        blank=True,
        help_text=_("一般选“工作日”，须与承诺时限单位一致"),
    )
    description = models.TextField(_("办理内容"), blank=True, help_text=_("写明该环节办理的具体内容和结果"))

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        default_related_name = "steps"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="step_unique_uid")]


class SpecialProcedure(StandardRow):
    """听证、检验、专家评审…: procedures whose time does not count toward the legal limit (行政许可法 第四十五条)."""

    name = models.CharField(
        _("特殊环节名称"), max_length=100, help_text=_("如听证、招标、拍卖、检验、检测、鉴定、专家评审")
    )
    duration = BoundedPositiveIntegerField(
        _("时限"),
        null=True,
        bounds=LIMIT_DAYS,
        blank=True,
        help_text=_("填写特殊环节所需时限；特殊环节时间不计入法定时限"),
    )
    duration_unit = models.CharField(
        _("时限单位"), max_length=12, choices=LimitUnit.choices, blank=True, help_text=_("选择时限单位，一般为工作日")
    )
    legal_basis = models.CharField(
        _("依据"), max_length=300, blank=True, help_text=_("填写设立该环节的法律依据及条款号")
    )
    is_charged = models.BooleanField(
        _("是否收费"), default=False, help_text=_("该特殊环节向申请人收费的勾选，并写明收费依据")
    )
    counted_in_limit = models.BooleanField(
        _("计入办结时限"), default=False, help_text=_("特殊环节时间不计入法定时限，一般不勾选")
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("特殊环节")
        verbose_name_plural = _("特殊环节")
        default_related_name = "special_procedures"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="special_unique_uid")]


class FeeItem(StandardRow):
    name = models.CharField(_("收费项目"), max_length=200, help_text=_("按收费文件填写收费项目全称"))
    standard_text = models.CharField(_("收费标准"), max_length=300, help_text=_("写明金额及计费单位，如“每件200元”"))
    basis = models.CharField(_("收费依据"), max_length=300, help_text=_("写明收费文件名称及文号"))
    reducible = models.BooleanField(_("可减免"), default=False, help_text=_("依法可减免收费的勾选，并填写减免依据"))
    reduction_basis = models.CharField(
        _("减免依据"), max_length=300, blank=True, help_text=_("写明减免的对象、情形和文件依据")
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")
        default_related_name = "fees"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="fee_unique_uid")]


class ResultSample(StandardRow):
    name = models.CharField(_("结果名称"), max_length=200, help_text=_("与审批结果名称一致，如“食品经营许可证”"))
    sample = models.FileField(
        _("结果样本"),
        storage=PrivateStorage(),
        upload_to=upload_to,
        blank=True,
        validators=[validate_upload],
        help_text=_("上传结果样本（PDF 或图片），个人信息须遮盖"),
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("审批结果样本")
        verbose_name_plural = _("审批结果样本")
        default_related_name = "result_samples"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="result_unique_uid")]


class Faq(StandardRow):
    question = models.CharField(
        _("问题"), max_length=300, help_text=_("从申请人角度提问，如“营业执照遗失后如何办理？”")
    )
    answer = models.TextField(_("解答"), help_text=_("简明解答，写明办理方式或依据"))

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        default_related_name = "faqs"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="faq_unique_uid")]
