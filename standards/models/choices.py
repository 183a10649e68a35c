"""Enumerations of the service guide and business manual (domain.md sections 3 and 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    DEPT_CONFIRM = "dept_confirm", _("待部门确认")
    COMPLIANCE_REVIEW = "compliance_review", _("合规性审查")
    LEGALITY_REVIEW = "legality_review", _("合法性审查")
    APPROVED = "approved", _("审查通过")
    PUBLISHED = "published", _("已发布")
    RETURNED = "returned", _("退回修改")
    SUPERSEDED = "superseded", _("已被新版本替代")
    WITHDRAWN = "withdrawn", _("已废止")


# A version in one of these states is "in progress": at most one per item.
IN_PROGRESS_STATES = (
    StandardState.DRAFT,
    StandardState.DEPT_CONFIRM,
    StandardState.COMPLIANCE_REVIEW,
    StandardState.LEGALITY_REVIEW,
    StandardState.APPROVED,
    StandardState.RETURNED,
)
EDITABLE_STATES = (StandardState.DRAFT, StandardState.RETURNED)


class BasisRole(models.TextChoices):
    FOUNDING = "founding", _("设定依据")
    IMPLEMENTING = "implementing", _("实施依据")
    LEVEL = "level", _("层级权限依据")
    CONDITION = "condition", _("条件依据")
    MATERIAL = "material", _("材料依据")
    FEE = "fee", _("收费依据")


class LawRank(models.TextChoices):
    LAW = "law", _("法律")
    ADMIN_REGULATION = "admin_regulation", _("行政法规")
    STATE_COUNCIL_DECISION = "sc_decision", _("国务院决定")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    DEPARTMENT_RULE = "department_rule", _("部门规章")
    LOCAL_RULE = "local_rule", _("地方政府规章")
    NORMATIVE = "normative", _("规范性文件")


class Situation(models.TextChoices):
    """Business situations (业务情形) a material or an internal step belongs to."""

    NEW = "new", _("新办")
    CHANGE = "change", _("变更")
    RENEW = "renew", _("延续")
    CANCEL = "cancel", _("注销")
    REISSUE = "reissue", _("补证")
    TRANSFER = "transfer", _("转让")
    OTHER = "other", _("其他")


class MaterialType(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件和复印件")
    EITHER = "either", _("原件或复印件")


class MaterialForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    BOTH = "both", _("纸质和电子")


class SourceChannel(models.TextChoices):
    APPLICANT = "applicant", _("申请人自备")
    GOVERNMENT = "government", _("政府部门核发")
    LICENCE_DB = "licence_db", _("调取电子证照库")
    ONLINE_FORM = "online_form", _("在线填报")
    OTHER = "other", _("其他")


class Necessity(models.TextChoices):
    REQUIRED = "required", _("必要")
    OPTIONAL = "optional", _("非必要")
    DEFERRABLE = "deferrable", _("容缺后补")
    WAIVED = "waived", _("信息免交、信用后补")


class LimitUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("工作日")
    NATURAL_DAY = "natural_day", _("自然日")
    MONTH = "month", _("月")
    YEAR = "year", _("年")
    INSTANT = "instant", _("即办")


class ServiceObject(models.TextChoices):
    PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    INSTITUTION = "3", _("事业法人")
    SOCIAL_ORG = "4", _("社会组织法人")
    NON_LEGAL_ENTERPRISE = "5", _("非法人企业")
    AUTHORITY = "6", _("行政机关")
    OTHER = "9", _("其他组织")


class ReviewMode(models.TextChoices):
    REVIEW_THEN_APPROVE = "1", _("前审后批")
    IMMEDIATE = "2", _("即审即办")
    PARALLEL = "3", _("并联审批")
    OTHER = "4", _("其他")


class CaseType(models.TextChoices):
    IMMEDIATE = "1", _("即办件")
    PROMISED = "2", _("承诺件")


class PowerSource(models.TextChoices):
    STATUTORY = "1", _("法定本级行使")
    DELEGATED_DOWN = "2", _("上级下放")
    AUTHORISED_ABOVE = "3", _("上级授权")
    AUTHORISED_SAME = "4", _("同级授权")
    ENTRUSTED_ABOVE = "5", _("上级委托")
    ENTRUSTED_SAME = "6", _("同级委托")


class ResultType(models.TextChoices):
    CERTIFICATE = "certificate", _("出证办结")
    DOCUMENT = "document", _("出文办结")
    APPROVAL = "approval", _("审批办结")
    OTHER = "other", _("其他")


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    POST = "post", _("邮寄")
    ELECTRONIC = "electronic", _("电子送达")


class HandleForm(models.TextChoices):
    WINDOW = "window", _("窗口办理")
    ONLINE = "online", _("网上办理")
    POST = "post", _("快递（邮寄）申请")


class OnlineDepth(models.TextChoices):
    LEVEL_1 = "1", _("Ⅰ级：信息公开、在线咨询")
    LEVEL_2 = "2", _("Ⅱ级：表格下载、在线预约")
    LEVEL_3 = "3", _("Ⅲ级：在线预审、材料提交")
    LEVEL_4 = "4", _("Ⅳ级：全程网办")


class InternalStep(models.TextChoices):
    RECEIVE = "receive", _("申请（收件）")
    ACCEPT = "accept", _("受理")
    REVIEW = "review", _("审查")
    SITE_CHECK = "site_check", _("实地核查")
    TENDER = "tender", _("招标拍卖")
    INSPECTION = "inspection", _("检验检测检疫鉴定考试考核")
    HEARING = "hearing", _("听证")
    EXPERT = "expert", _("专家评审")
    DECIDE = "decide", _("决定")
    CERTIFY = "certify", _("制证")
    DELIVER = "deliver", _("送达")
    ARCHIVE = "archive", _("归档")


class ReviewMethod(models.TextChoices):
    DOCUMENTS = "documents", _("书面审查")
    SITE = "site", _("实地核查")
    VERIFY = "verify", _("核验")
