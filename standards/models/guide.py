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
    DeliveryMethod,
    HandleForm,
    LawRank,
    LimitUnit,
    MaterialForm,
    MaterialType,
    Necessity,
    OnlineDepth,
    PowerSource,
    ResultType,
    ReviewMode,
    ServiceObject,
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
        _("事项名称"), max_length=200, blank=True, help_text=_("须与通用目录事项名称完全一致（四级四同）")
    )
    item_type = models.CharField(_("事项类型"), max_length=2, blank=True, help_text=_("须与通用目录事项类型一致"))
    power_source = models.CharField(
        _("权力来源"),
        max_length=1,
        choices=PowerSource.choices,
        blank=True,
        help_text=_("下放、授权或委托的，须在法律依据中列明相应文件"),
    )
    accepting_body = models.CharField(
        _("受理机构"), max_length=200, blank=True, help_text=_("填写受理申请的机关全称，如“××县市场监督管理局”")
    )
    deciding_body = models.CharField(
        _("决定机构"), max_length=200, blank=True, help_text=_("填写以其名义作出审批决定的机关全称")
    )
    joint_bodies = models.CharField(
        _("联办机构"), max_length=300, blank=True, help_text=_("多部门联合办理时填写，用顿号分隔；无则不填")
    )
    lead_office = models.CharField(
        _("责任处（科）室"), max_length=100, blank=True, help_text=_("填写具体承办的内设处（科）室，如“行政审批科”")
    )
    scope = models.TextField(
        _("适用范围"), blank=True, help_text=_("写明申请对象、申请内容和适用情形，如“本县辖区内的食品经营者”")
    )
    service_objects = models.JSONField(
        _("服务对象"), default=list, blank=True, help_text=_("勾选可提出申请的对象类型，可多选")
    )
    review_mode = models.CharField(
        _("事项审查类型"),
        max_length=1,
        choices=ReviewMode.choices,
        blank=True,
        help_text=_("即办件对应“即审即办”，承诺件一般选“前审后批”"),
    )
    case_type = models.CharField(
        _("办件类型"),
        max_length=1,
        choices=CaseType.choices,
        blank=True,
        help_text=_("即办件对应承诺时限“即办”和审查类型“即审即办”"),
    )
    has_quantity_limit = models.BooleanField(
        _("有数量限制"), default=False, help_text=_("法律法规对审批数量有限制的勾选，并填写数量限制说明")
    )
    quantity_limit_note = models.TextField(
        _("数量限制说明"), blank=True, help_text=_("写明数量限制的依据、总量及分配方式；无限制的不填")
    )
    # 受理条件
    acceptance_conditions = models.TextField(
        _("申请条件"), blank=True, help_text=_("按业务情形逐条列明，不得使用“法律法规规定的其他条件”等兜底表述")
    )
    prohibitions = models.TextField(
        _("禁止性要求"), blank=True, help_text=_("逐条列明法律法规规定的禁止性情形及条款号；无则填“无”")
    )
    refusal_situations = models.TextField(
        _("不予批准情形"), blank=True, help_text=_("逐条列明依法不予批准的情形，不得自行增设")
    )
    # 办理流程与时限
    process_text_offline = models.TextField(
        _("窗口办理流程"), blank=True, help_text=_("按受理、审查、决定、送达顺序描述，须与流程图和办理环节一致")
    )
    process_text_online = models.TextField(
        _("网上办理流程"), blank=True, help_text=_("写明网上申请入口及各步骤，须与网上流程图一致；不支持网办的不填")
    )
    legal_limit = models.PositiveIntegerField(
        _("法定办结时限"), null=True, blank=True, help_text=_("填写法律法规规定的时限数字，如 20；特殊环节时间不计入")
    )
    legal_limit_unit = models.CharField(
        _("法定时限单位"),
        max_length=12,
        choices=LimitUnit.choices,
        blank=True,
        help_text=_("按法律条文选择，一般为“工作日”"),
    )
    legal_limit_note = models.TextField(
        _("法定时限说明"), blank=True, help_text=_("注明时限依据条款及延长情形，如“经批准可延长10个工作日”")
    )
    promised_limit = models.PositiveIntegerField(
        _("承诺办结时限"), null=True, blank=True, help_text=_("承诺时限不得超过法定时限，且不得少于各环节时限之和")
    )
    promised_limit_unit = models.CharField(
        _("承诺时限单位"),
        max_length=12,
        choices=LimitUnit.choices,
        blank=True,
        help_text=_("一般选“工作日”；选“即办”的须为即办件、即审即办"),
    )
    promised_limit_note = models.TextField(
        _("承诺时限说明"), blank=True, help_text=_("注明听证、检验、专家评审等不计入承诺时限的情形")
    )
    onsite_visits = models.PositiveSmallIntegerField(
        _("到办事现场次数"), null=True, blank=True, help_text=_("填写申请人最多到现场次数，如 0、1；全程网办的填 0")
    )
    onsite_reason = models.TextField(
        _("必须现场办理原因"), blank=True, help_text=_("到现场次数大于 0 时必填，写明须到现场办理的原因")
    )
    # 收费
    is_charged = models.BooleanField(
        _("是否收费"), default=False, help_text=_("依法收费的勾选，并须填写收费依据和收费项目")
    )
    fee_basis = models.TextField(_("收费依据"), blank=True, help_text=_("写明收费文件的名称及文号；不收费的不填"))
    pay_online = models.BooleanField(_("支持网上支付"), default=False, help_text=_("不收费时不得勾选网上支付"))
    # 审批结果与送达
    result_type = models.CharField(
        _("审批结果类型"),
        max_length=12,
        choices=ResultType.choices,
        blank=True,
        help_text=_("证照选“出证办结”，批复、批文选“审批办结”，其他文书选“出文办结”"),
    )
    result_name = models.CharField(
        _("审批结果名称"),
        max_length=200,
        blank=True,
        help_text=_("填写审批结果文书全称，如“食品经营许可证”，并上传样本"),
    )
    delivery_methods = models.JSONField(
        _("送达方式"), default=list, blank=True, help_text=_("勾选审批结果的送达方式，可多选")
    )
    delivery_limit = models.PositiveSmallIntegerField(
        _("送达时限（工作日）"),
        null=True,
        blank=True,
        help_text=_("自作出决定之日起送达的工作日数，不得超过 10 个工作日"),
    )
    # 办理渠道
    handle_forms = models.JSONField(
        _("办理形式"), default=list, blank=True, help_text=_("勾选可用的办理形式，可多选；支持网办的须填写网上办理地址")
    )
    online_depth = models.CharField(
        _("网上办理深度"),
        max_length=1,
        choices=OnlineDepth.choices,
        blank=True,
        help_text=_("全程网办选Ⅳ级，且到办事现场次数须为 0"),
    )
    online_url = models.URLField(
        _("网上办理地址"), blank=True, help_text=_("填写网上办理页面的完整网址，以 https:// 开头")
    )
    mobile_url = models.URLField(_("移动端办理地址"), blank=True, help_text=_("填写移动端办理页面的完整网址；无则不填"))
    in_service_hall = models.BooleanField(
        _("进驻政务服务大厅"), default=True, help_text=_("事项已进驻政务服务大厅窗口办理的勾选")
    )
    hall_name = models.CharField(
        _("大厅名称"), max_length=200, blank=True, help_text=_("填写大厅全称，如“××县政务服务中心”")
    )
    supports_express = models.BooleanField(
        _("支持物流快递"), default=False, help_text=_("可通过快递提交材料或寄送结果的勾选")
    )
    is_schedulable = models.BooleanField(_("支持预约办理"), default=False, help_text=_("可网上或电话预约办理的勾选"))
    # 办理地点和时间
    address = models.CharField(
        _("办理地点"), max_length=500, blank=True, help_text=_("具体到窗口或房间号，如“政务服务中心二楼12号窗口”")
    )
    office_hours = models.CharField(
        _("办理时间"), max_length=500, blank=True, help_text=_("须写明工作日及时段，如“工作日9:00-12:00，14:00-17:30”")
    )
    traffic_guide = models.CharField(
        _("交通指引"), max_length=500, blank=True, help_text=_("写明可到达的公交线路、站点或停车信息")
    )
    # 咨询与监督
    consult_phone = models.CharField(
        _("咨询电话"), max_length=100, blank=True, help_text=_("须带区号，如 0763-3362000；不宜使用手机号")
    )
    consult_online = models.CharField(
        _("网上咨询地址"), max_length=300, blank=True, help_text=_("填写网上咨询的网址或平台名称")
    )
    consult_address = models.CharField(
        _("窗口咨询地址"), max_length=300, blank=True, help_text=_("具体到窗口或房间号，可与办理地点相同")
    )
    complain_phone = models.CharField(
        _("投诉电话"), max_length=100, blank=True, help_text=_("须带区号且不得与咨询电话相同，如 0763-12345")
    )
    complain_online = models.CharField(
        _("网上投诉地址"), max_length=300, blank=True, help_text=_("填写网上投诉的网址或平台名称")
    )
    complain_letter_address = models.CharField(
        _("信函投诉地址"), max_length=300, blank=True, help_text=_("写明收信单位、详细地址和邮政编码")
    )
    # 申请人权利义务与救济
    applicant_rights = models.TextField(
        _("依法享有的权利"), blank=True, help_text=_("列明依法享有的权利，如陈述申辩、听证、申请复议和诉讼")
    )
    applicant_duties = models.TextField(
        _("依法履行的义务"), blank=True, help_text=_("列明依法履行的义务，如如实提交材料并对其真实性负责")
    )
    review_channel = models.TextField(
        _("行政复议途径"), blank=True, help_text=_("写明复议机关全称、地址和电话，如“××县人民政府”")
    )
    litigation_channel = models.TextField(
        _("行政诉讼途径"), blank=True, help_text=_("写明管辖法院全称和地址，如“××县人民法院”")
    )
    public_query_channel = models.CharField(
        _("办理进度和结果查询"), max_length=300, blank=True, help_text=_("写明查询办理进度和结果的网址、电话或窗口")
    )
    has_intermediary = models.BooleanField(
        _("涉及中介服务"), default=False, help_text=_("办理须由中介机构出具报告等服务的勾选")
    )
    intermediary_content = models.TextField(
        _("中介服务内容"), blank=True, help_text=_("写明中介服务名称和设定依据；申请人可自主选择中介机构")
    )

    history = HistoricalRecords()

    # Fields holding a list of choice codes, shown as their labels wherever a change is.
    code_lists = {"service_objects": ServiceObject, "delivery_methods": DeliveryMethod, "handle_forms": HandleForm}

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
    original_count = models.PositiveSmallIntegerField(
        _("原件份数"), null=True, blank=True, help_text=_("填写原件份数，不需要的填 0")
    )
    copy_count = models.PositiveSmallIntegerField(
        _("复印件份数"), null=True, blank=True, help_text=_("填写复印件份数，不需要的填 0")
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
    duration = models.PositiveIntegerField(
        _("环节时限"), null=True, blank=True, help_text=_("填写该环节时限数字；各环节之和不得超过承诺时限")
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
    duration = models.PositiveIntegerField(
        _("时限"), null=True, blank=True, help_text=_("填写特殊环节所需时限；特殊环节时间不计入法定时限")
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
