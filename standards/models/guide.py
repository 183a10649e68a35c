"""The service guide (办事指南): the public part of a standard (domain.md section 3)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.files import PrivateStorage, upload_to, validate_upload

from .choices import (
    BasisRole,
    CaseType,
    LawRank,
    LimitUnit,
    MaterialForm,
    MaterialType,
    Necessity,
    OnlineDepth,
    PowerSource,
    ResultType,
    ReviewMode,
    Situation,
    SourceChannel,
)


class ServiceGuide(models.Model):
    """Scalar elements of the guide; repeated elements are rows (citations, materials, steps, fees, FAQ…)."""

    standard = models.OneToOneField(
        "standards.ItemStandard", on_delete=models.CASCADE, primary_key=True, related_name="guide"
    )
    # 事项基本信息
    item_name = models.CharField(
        _("事项名称"), max_length=200, blank=True, help_text=_("须与通用目录名称一致（四级四同）")
    )
    item_type = models.CharField(_("事项类型"), max_length=2, blank=True, help_text=_("须与通用目录事项类型一致"))
    power_source = models.CharField(_("权力来源"), max_length=1, choices=PowerSource.choices, blank=True)
    accepting_body = models.CharField(_("受理机构"), max_length=200, blank=True)
    deciding_body = models.CharField(_("决定机构"), max_length=200, blank=True)
    joint_bodies = models.CharField(_("联办机构"), max_length=300, blank=True, help_text=_("无则不填"))
    lead_office = models.CharField(_("责任处（科）室"), max_length=100, blank=True)
    scope = models.TextField(_("适用范围"), blank=True, help_text=_("写明申请人、申请内容和适用条件"))
    service_objects = models.JSONField(_("服务对象"), default=list, blank=True)
    review_mode = models.CharField(_("事项审查类型"), max_length=1, choices=ReviewMode.choices, blank=True)
    case_type = models.CharField(_("办件类型"), max_length=1, choices=CaseType.choices, blank=True)
    has_quantity_limit = models.BooleanField(_("有数量限制"), default=False)
    quantity_limit_note = models.TextField(_("数量限制说明"), blank=True)
    # 受理条件
    acceptance_conditions = models.TextField(
        _("申请条件"), blank=True, help_text=_("逐条列明，不得使用“法律法规规定的其他条件”等兜底表述")
    )
    prohibitions = models.TextField(_("禁止性要求"), blank=True)
    refusal_situations = models.TextField(_("不予批准情形"), blank=True)
    # 办理流程与时限
    process_text_offline = models.TextField(_("窗口办理流程"), blank=True)
    process_text_online = models.TextField(_("网上办理流程"), blank=True)
    legal_limit = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    legal_limit_unit = models.CharField(_("法定时限单位"), max_length=12, choices=LimitUnit.choices, blank=True)
    legal_limit_note = models.TextField(_("法定时限说明"), blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), null=True, blank=True)
    promised_limit_unit = models.CharField(_("承诺时限单位"), max_length=12, choices=LimitUnit.choices, blank=True)
    promised_limit_note = models.TextField(_("承诺时限说明"), blank=True)
    onsite_visits = models.PositiveSmallIntegerField(_("到办事现场次数"), null=True, blank=True)
    onsite_reason = models.TextField(_("必须现场办理原因"), blank=True)
    # 收费
    is_charged = models.BooleanField(_("是否收费"), default=False)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    pay_online = models.BooleanField(_("支持网上支付"), default=False)
    # 审批结果与送达
    result_type = models.CharField(_("审批结果类型"), max_length=12, choices=ResultType.choices, blank=True)
    result_name = models.CharField(_("审批结果名称"), max_length=200, blank=True)
    delivery_methods = models.JSONField(_("送达方式"), default=list, blank=True)
    delivery_limit = models.PositiveSmallIntegerField(_("送达时限（工作日）"), null=True, blank=True)
    # 办理渠道
    handle_forms = models.JSONField(_("办理形式"), default=list, blank=True)
    online_depth = models.CharField(_("网上办理深度"), max_length=1, choices=OnlineDepth.choices, blank=True)
    online_url = models.URLField(_("网上办理地址"), blank=True)
    mobile_url = models.URLField(_("移动端办理地址"), blank=True)
    in_service_hall = models.BooleanField(_("进驻政务服务大厅"), default=True)
    hall_name = models.CharField(_("大厅名称"), max_length=200, blank=True)
    supports_express = models.BooleanField(_("支持物流快递"), default=False)
    is_schedulable = models.BooleanField(_("支持预约办理"), default=False)
    # 办理地点和时间
    address = models.CharField(_("办理地点"), max_length=500, blank=True, help_text=_("具体到窗口或房间号"))
    office_hours = models.CharField(_("办理时间"), max_length=500, blank=True, help_text=_("须写明工作日及时段"))
    traffic_guide = models.CharField(_("交通指引"), max_length=500, blank=True)
    # 咨询与监督
    consult_phone = models.CharField(_("咨询电话"), max_length=100, blank=True, help_text=_("带区号，如 0763-3362000"))
    consult_online = models.CharField(_("网上咨询地址"), max_length=300, blank=True)
    consult_address = models.CharField(_("窗口咨询地址"), max_length=300, blank=True)
    complain_phone = models.CharField(
        _("投诉电话"), max_length=100, blank=True, help_text=_("带区号，且不得与咨询电话相同")
    )
    complain_online = models.CharField(_("网上投诉地址"), max_length=300, blank=True)
    complain_letter_address = models.CharField(_("信函投诉地址"), max_length=300, blank=True)
    # 申请人权利义务与救济
    applicant_rights = models.TextField(_("依法享有的权利"), blank=True)
    applicant_duties = models.TextField(_("依法履行的义务"), blank=True)
    review_channel = models.TextField(_("行政复议途径"), blank=True, help_text=_("复议机关、地址、电话"))
    litigation_channel = models.TextField(_("行政诉讼途径"), blank=True, help_text=_("管辖法院、地址"))
    public_query_channel = models.CharField(_("办理进度和结果查询"), max_length=300, blank=True)
    has_intermediary = models.BooleanField(_("涉及中介服务"), default=False)
    intermediary_content = models.TextField(_("中介服务内容"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("办事指南")
        verbose_name_plural = _("办事指南")

    def __str__(self) -> str:
        return f"办事指南 · {self.item_name}"


class StandardRow(models.Model):
    """A repeated element of a standard. ``uid`` stays the same when a version is copied into the next, so the diff
    can tell a changed or moved row from a removed and added one."""

    standard = models.ForeignKey("standards.ItemStandard", on_delete=models.CASCADE)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(_("顺序"), default=0)

    # Fields the diff and the copy skip.
    technical_fields = ("id", "standard", "uid", "position")

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.row_label()

    def row_label(self) -> str:
        return str(getattr(self, "name", "") or getattr(self, "question", "") or getattr(self, "point", "") or "")


class Citation(StandardRow):
    """A legal basis cited by the standard, with the role it plays (设定/实施/条件/材料/收费依据)."""

    role = models.CharField(_("依据用途"), max_length=14, choices=BasisRole.choices)
    law_name = models.CharField(
        _("法律法规名称"), max_length=300, help_text=_("使用全称，如《中华人民共和国行政许可法》")
    )
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    article_ref = models.CharField(
        _("条款号"), max_length=100, blank=True, help_text=_("具体到条、款、项，如 第十二条第（三）项")
    )
    law_rank = models.CharField(_("法律层级"), max_length=20, choices=LawRank.choices, blank=True)
    issuing_authority = models.CharField(_("颁布机关"), max_length=100, blank=True)
    article_text = models.TextField(_("条款内容"), blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("法律依据")
        verbose_name_plural = _("法律依据")
        default_related_name = "citations"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="citation_unique_uid")]

    def row_label(self) -> str:
        return f"{self.law_name} {self.article_ref}".strip()


class Material(StandardRow):
    situation = models.CharField(_("业务情形"), max_length=10, choices=Situation.choices, default=Situation.NEW)
    name = models.CharField(_("材料名称"), max_length=200, help_text=_("不得使用“相关材料”“其他材料”等笼统名称"))
    material_type = models.CharField(_("材料类型"), max_length=10, choices=MaterialType.choices, blank=True)
    material_form = models.CharField(_("材料形式"), max_length=10, choices=MaterialForm.choices, blank=True)
    source_channel = models.CharField(_("来源渠道"), max_length=12, choices=SourceChannel.choices, blank=True)
    source_note = models.CharField(_("来源说明"), max_length=500, blank=True)
    original_count = models.PositiveSmallIntegerField(_("原件份数"), null=True, blank=True)
    copy_count = models.PositiveSmallIntegerField(_("复印件份数"), null=True, blank=True)
    paper_spec = models.CharField(_("纸质规格"), max_length=100, blank=True, help_text=_("如 A4"))
    necessity = models.CharField(_("必要性"), max_length=12, choices=Necessity.choices, blank=True)
    optional_when = models.TextField(_("非必要时的情形"), blank=True)
    fill_instructions = models.CharField(_("填报须知"), max_length=500, blank=True)
    acceptance_standard = models.TextField(_("受理标准"), blank=True)
    basis = models.CharField(_("要求提供材料的依据"), max_length=300, blank=True)
    blank_form = models.FileField(
        _("空白表格"), storage=PrivateStorage(), upload_to=upload_to, blank=True, validators=[validate_upload]
    )
    sample_form = models.FileField(
        _("示例样表"), storage=PrivateStorage(), upload_to=upload_to, blank=True, validators=[validate_upload]
    )
    remark = models.CharField(_("备注"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        default_related_name = "materials"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="material_unique_uid")]


class ProcessStep(StandardRow):
    """A public step of the process (受理、审查、决定、送达…), drawn in the flowchart."""

    name = models.CharField(_("环节名称"), max_length=100)
    handling_office = models.CharField(_("办理机构（岗位）"), max_length=200, blank=True)
    duration = models.PositiveIntegerField(_("环节时限"), null=True, blank=True)
    duration_unit = models.CharField(_("时限单位"), max_length=12, choices=LimitUnit.choices, blank=True)
    description = models.TextField(_("办理内容"), blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        default_related_name = "steps"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="step_unique_uid")]


class SpecialProcedure(StandardRow):
    """听证、检验、专家评审…: procedures whose time does not count toward the legal limit (行政许可法 第四十五条)."""

    name = models.CharField(_("特殊环节名称"), max_length=100)
    duration = models.PositiveIntegerField(_("时限"), null=True, blank=True)
    duration_unit = models.CharField(_("时限单位"), max_length=12, choices=LimitUnit.choices, blank=True)
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)
    is_charged = models.BooleanField(_("是否收费"), default=False)
    counted_in_limit = models.BooleanField(_("计入办结时限"), default=False)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("特殊环节")
        verbose_name_plural = _("特殊环节")
        default_related_name = "special_procedures"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="special_unique_uid")]


class FeeItem(StandardRow):
    name = models.CharField(_("收费项目"), max_length=200)
    standard_text = models.CharField(_("收费标准"), max_length=300)
    basis = models.CharField(_("收费依据"), max_length=300)
    reducible = models.BooleanField(_("可减免"), default=False)
    reduction_basis = models.CharField(_("减免依据"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")
        default_related_name = "fees"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="fee_unique_uid")]


class ResultSample(StandardRow):
    name = models.CharField(_("结果名称"), max_length=200)
    sample = models.FileField(
        _("结果样本"), storage=PrivateStorage(), upload_to=upload_to, blank=True, validators=[validate_upload]
    )

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("审批结果样本")
        verbose_name_plural = _("审批结果样本")
        default_related_name = "result_samples"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="result_unique_uid")]


class Faq(StandardRow):
    question = models.CharField(_("问题"), max_length=300)
    answer = models.TextField(_("解答"))

    history = HistoricalRecords()

    class Meta(StandardRow.Meta):
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        default_related_name = "faqs"
        constraints = [models.UniqueConstraint(fields=["standard", "uid"], name="faq_unique_uid")]
