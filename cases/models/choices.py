"""The vocabularies of a case (办件): who applies, where it came from, where it stands, what was recorded."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantKind(models.TextChoices):
    """申请人类型, numbered as the national exchange's ``userProp``."""

    PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    INSTITUTION = "3", _("事业单位法人")
    SOCIAL_ORG = "4", _("社会组织法人")
    NON_LEGAL = "5", _("非法人企业")
    AUTHORITY = "6", _("行政机关")
    OTHER = "9", _("其他组织")


class CaseSource(models.TextChoices):
    WINDOW = "window", _("窗口受理")
    ONLINE = "online", _("网上申请")
    EXTERNAL = "external", _("外部系统")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已收件")
    SUPPLEMENT = "supplement", _("待补正")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    IN_PROGRESS = "in_progress", _("在办")
    SUSPENDED = "suspended", _("特别程序中")
    DECIDED = "decided", _("已决定")
    DELIVERED = "delivered", _("已送达")
    FINISHED = "finished", _("已办结")


# A case whose clocks run or may run: everything not closed by 不予受理 or 办结.
OPEN_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.SUPPLEMENT,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SUSPENDED,
    CaseStatus.DECIDED,
    CaseStatus.DELIVERED,
)
# Accepted and not finished: the cases 在办 in the figures.
ACCEPTED_OPEN_STATUSES = (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED, CaseStatus.DECIDED, CaseStatus.DELIVERED)


class Decision(models.TextChoices):
    GRANT = "grant", _("准予")
    DENY = "deny", _("不予")


class StepKind(models.TextChoices):
    """Every record of a case's log. The manual's internal steps keep their own codes (``InternalStep``); the rest
    are the acceptance outcomes and the clock events around them."""

    RECEIVE = "receive", _("收件")
    SUPPLEMENT_NOTICE = "supplement_notice", _("一次性告知补正")
    SUPPLEMENT_RECEIVED = "supplement_received", _("补正材料")
    ACCEPT = "accept", _("受理")
    NOT_ACCEPT = "not_accept", _("不予受理")
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
    FINISH = "finish", _("办结")
    SUSPEND = "suspend", _("中止计时（特别程序）")
    RESUME = "resume", _("恢复计时")
    EXTEND_REQUEST = "extend_request", _("申请延长时限")
    EXTEND_APPROVE = "extend_approve", _("批准延长时限")
    EXTEND_REFUSE = "extend_refuse", _("不批准延长")
    FEE = "fee", _("收费")


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("受理通知书")
    SUPPLEMENT = "supplement", _("补正材料通知书")
    NOT_ACCEPTED = "not_accepted", _("不予受理通知书")
    DECISION = "decision", _("审批决定书")
    SUSPENSION = "suspension", _("特别程序告知书")
    EXTENSION = "extension", _("延长审批期限告知书")


class AlertLevel(models.TextChoices):
    NONE = "", _("正常")
    YELLOW = "yellow", _("黄色预警")
    RED = "red", _("红色警告")


class AlertRule(models.TextChoices):
    """The rules of electronic supervision (domain.md §8.1, §12.2)."""

    PROMISED_NEAR = "promised_near", _("临近承诺时限")
    PROMISED_OVER = "promised_over", _("超承诺时限")
    LEGAL_OVER = "legal_over", _("超法定时限")
    STEP_OVER = "step_over", _("环节超时")
    OUT_OF_ORDER = "out_of_order", _("逆程序")
    BEYOND_AUTHORITY = "beyond_authority", _("超权限")
    REFUSAL_WITHOUT_REASON = "refusal_without_reason", _("不予受理或不予许可未说明理由")
    FEE_OFF_STANDARD = "fee_off_standard", _("收费不在标准收费项目内")
    LATE_SUPPLEMENT_NOTICE = "late_supplement_notice", _("补正告知超过5个工作日")


class OversightState(models.TextChoices):
    OPEN = "open", _("待答复")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("待批准")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
