"""A case (办件): one application for one local item, handled against the standard in force on the day it was
accepted."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from standards.models import Situation

from .choices import OPEN_STATUSES, AlertLevel, ApplicantKind, CaseSource, CaseStatus, Decision


class CaseQuerySet(models.QuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Case(TimeStampedModel):
    """The number is the implementing body's organization code, the year, the item's general-catalogue code and a
    serial (``CaseSerial``), so it is unique and says whose, when and what.

    The applicant's ID number and phone are stored here only: lists and the API show them masked, and showing them
    whole to the staff handling the case writes an audit record. The due dates are kept on the row (recomputed by
    ``cases.clocks`` on every event) so that supervision and the figures read them with plain SQL."""

    number = models.CharField(_("办件编号"), max_length=64, unique=True)
    local_item = models.ForeignKey(
        "catalogue.LocalItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases"
    )
    standard = models.ForeignKey(
        "standards.ItemStandard",
        verbose_name=_("适用标准版本"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("受理之日已发布的标准版本；之后发布新版本不影响本办件"),
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="cases"
    )
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("实施区划"), on_delete=models.PROTECT, related_name="+"
    )
    situation = models.CharField(_("业务情形"), max_length=10, choices=Situation.choices, default=Situation.NEW)
    source = models.CharField(_("来源"), max_length=10, choices=CaseSource.choices, default=CaseSource.WINDOW)
    external_system = models.ForeignKey(
        "cases.ExternalSystem",
        verbose_name=_("来源系统"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    handling_item_code = models.CharField(
        _("业务办理项编码"), max_length=64, blank=True, help_text=_("事项下的业务办理项（实施编码后加 2 位，共 33 位）")
    )

    applicant_kind = models.CharField(
        _("申请人类型"), max_length=1, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_id_number = models.CharField(
        _("证件号码"), max_length=32, blank=True, help_text=_("自然人填身份证号码，组织填统一社会信用代码")
    )
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    phone_tail = models.CharField(_("电话后四位"), max_length=4, blank=True, editable=False)
    applicant_address = models.CharField(_("地址"), max_length=300, blank=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=100, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=100, blank=True)

    status = models.CharField(
        _("状态"), max_length=14, choices=CaseStatus.choices, default=CaseStatus.RECEIVED, db_index=True
    )
    is_immediate = models.BooleanField(_("即办件"), default=False)
    received_at = models.DateTimeField(_("收件时间"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True, help_text=_("补正的，为最后一份材料补齐之日"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    legal_limit = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True, blank=True)
    promised_limit = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    suspended_days = models.PositiveSmallIntegerField(_("特别程序工作日"), default=0)
    suspended_since = models.DateField(_("特别程序开始日"), null=True, blank=True)
    legal_due = models.DateField(_("法定期限届满日"), null=True, blank=True, db_index=True)
    promised_due = models.DateField(_("承诺期限届满日"), null=True, blank=True, db_index=True)
    current_step = models.CharField(_("当前环节"), max_length=20, blank=True)
    current_step_due = models.DateField(_("当前环节期限"), null=True, blank=True)

    decision = models.CharField(_("审批决定"), max_length=5, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("不予许可理由"), blank=True)
    refusal_reason = models.TextField(_("不予受理理由"), blank=True)
    competent_body = models.CharField(
        _("有权机关"), max_length=200, blank=True, help_text=_("不属于本机关职权范围的，告知申请人向有关机关申请")
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    delivery_method = models.CharField(_("送达方式"), max_length=12, blank=True)
    delivery_address = models.CharField(_("送达地址"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    finished_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    alert_level = models.CharField(
        _("监察状态"), max_length=6, choices=AlertLevel.choices, blank=True, default=AlertLevel.NONE, db_index=True
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status"], name="case_org_status"),
            models.Index(fields=["division", "status"], name="case_division_status"),
            models.Index(fields=["local_item", "status"], name="case_item_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_at__isnull=False), name="case_accepted_pair"
            ),
            models.CheckConstraint(
                condition=~Q(status="finished") | Q(finished_at__isnull=False), name="case_finished_time"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        self.set_phone_tail()
        super().save(*args, **kwargs)

    def set_phone_tail(self) -> None:
        """The last four digits the applicant gives on the progress page; callers writing in bulk call it too."""
        digits = "".join(ch for ch in self.applicant_phone if ch.isdigit())
        self.phone_tail = digits[-4:]

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办件不得删除。"))


class CaseSerial(models.Model):
    """The last serial issued per body, year and item: locked while a number is taken, so two windows never get the
    same one."""

    organization = models.ForeignKey("catalogue.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    item_code = models.CharField(max_length=64)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "year", "item_code"], name="case_serial_unique")]


class CaseMaterial(models.Model):
    """A line of the acceptance checklist, laid out from the standard's materials for the case's situation."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="materials")
    material = models.ForeignKey(
        "standards.Material",
        verbose_name=_("标准材料"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必要"), default=True)
    original_count = models.PositiveSmallIntegerField(_("原件份数"), null=True, blank=True)
    copy_count = models.PositiveSmallIntegerField(_("复印件份数"), null=True, blank=True)
    received = models.BooleanField(_("已收取"), default=False)
    received_on = models.DateField(_("收取日期"), null=True, blank=True)
    missing_at_acceptance = models.BooleanField(
        _("需补正"), default=False, help_text=_("列入一次性告知补正通知书的材料")
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class PostHolder(models.Model):
    """A person holding a post (岗位) of the business manual in an implementing body, or registered as the backup
    (AB岗) of someone who does. Steps of a case are done by holders of the step's post; anyone else is 超权限."""

    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="post_holders"
    )
    post = models.CharField(_("岗位"), max_length=100, help_text=_("与业务手册内部环节的责任岗位一致，如“审核岗”"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="posts"
    )
    backup_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("B岗（替补）对应的A岗人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("岗位人员")
        verbose_name_plural = _("岗位人员（AB岗）")
        constraints = [
            models.UniqueConstraint(fields=["organization", "post", "user"], name="post_holder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.post} · {self.user}"
