from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.codes import CodeError, validate_uscc
from core.i18n import error_message
from core.models import TimeStampedModel


def uscc_validator(value: str) -> None:
    try:
        validate_uscc(value)
    except CodeError as exc:
        raise ValidationError(error_message(exc), code="invalid_uscc") from exc


class Sector(models.Model):
    """The two-digit department code inside a province's general catalogue (通用目录部门编码), e.g. 02 教育."""

    province = models.ForeignKey(
        "catalogue.Division", verbose_name=_("省份"), on_delete=models.PROTECT, limit_choices_to={"level": "province"}
    )
    code = models.CharField(_("部门编码"), max_length=2)
    name = models.CharField(_("部门类别"), max_length=100)

    class Meta:
        verbose_name = _("目录部门类别")
        verbose_name_plural = _("目录部门类别")
        ordering = ["province", "code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="sector_unique_code"),
            models.CheckConstraint(condition=models.Q(code__regex=r"^\d{2}$"), name="sector_code_two_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrganizationKind(models.TextChoices):
    DEPARTMENT = "department", _("实施部门")
    BIANBAN = "bianban", _("机构编制部门（编办）")
    JUSTICE = "justice", _("司法行政部门（司法局/法制办）")
    SERVICE_CENTER = "service_center", _("政务服务中心")
    OTHER = "other", _("其他")


class Organization(TimeStampedModel):
    """A body that implements items or reviews them, identified by its unified social credit code."""

    uscc = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[uscc_validator],
        help_text=_("18位，按GB 32100校验末位校验码"),
    )
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("机构类别"), max_length=16, choices=OrganizationKind.choices, db_index=True)
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="organizations"
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("目录部门类别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("实施部门对应的通用目录部门编码，用于认领时优先列出本部门事项"),
    )
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    needs_review = models.BooleanField(_("待核实"), default=False, help_text=_("导入时新建、尚待编办核实的机构"))

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["division_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["division", "name"], name="organization_unique_name_in_division"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.uscc = (self.uscc or "").strip().upper()
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    CLERK = "clerk", _("录入员")
    DEPT_HEAD = "dept_head", _("部门负责人")
    COMPLIANCE_REVIEWER = "compliance_reviewer", _("合规性审查员（编办）")
    LEGALITY_REVIEWER = "legality_reviewer", _("合法性审查员（司法局）")
    SUPERVISOR = "supervisor", _("督导（市/省编办）")
    WINDOW_CLERK = "window_clerk", _("窗口受理人员")
    APPROVER = "approver", _("审批人员")
    CENTER_SUPERVISOR = "center_supervisor", _("电子监察员（政务服务中心）")
    ADMIN = "admin", _("系统管理员")


class Membership(models.Model):
    """A user's role in one organization. Visibility and permissions are derived from these rows only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, verbose_name=_("机构"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人员角色")
        verbose_name_plural = _("人员角色")
        constraints = [models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} · {self.get_role_display()}"
