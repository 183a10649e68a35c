"""The service guide (办事指南): the scalar elements of a standard that the public reads."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import (
    CaseType,
    DeliveryMethod,
    HandleForm,
    LimitUnit,
    OnlineDepth,
    PowerSource,
    ResultType,
    ReviewMode,
    ServiceObject,
)
from .numbers import DELIVERY_DAYS, LIMIT_DAYS, VISITS, BoundedPositiveIntegerField, BoundedPositiveSmallIntegerField


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
    legal_limit = BoundedPositiveIntegerField(
        _("法定办结时限"),
        null=True,
        bounds=LIMIT_DAYS,
        blank=True,
        help_text=_("填写法律法规规定的时限数字，如 20；特殊环节时间不计入"),
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
    promised_limit = BoundedPositiveIntegerField(
        _("承诺办结时限"),
        null=True,
        bounds=LIMIT_DAYS,
        blank=True,
        help_text=_("承诺时限不得超过法定时限，且不得少于各环节时限之和"),
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
    onsite_visits = BoundedPositiveSmallIntegerField(
        _("到办事现场次数"),
        null=True,
        bounds=VISITS,
        blank=True,
        help_text=_("填写申请人最多到现场次数，如 0、1；全程网办的填 0"),
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
    delivery_limit = BoundedPositiveSmallIntegerField(
        _("送达时限（工作日）"),
        null=True,
        bounds=DELIVERY_DAYS,
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
        return gettext("办事指南 · %(name)s") % {"name": self.item_name}
