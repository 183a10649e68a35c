"""Rate snapshots and frozen progress reports (domain decision 6, section 6.5).

A ``RateSnapshot`` is the figures of one scope — the province, a city, a county with its townships, or one department —
on one date, as ``reporting.rates`` computed them. Re-computing a date replaces that date's rows (one per scope and
date, enforced by the database), so the trend line never counts a day twice.

A ``ProgressReport`` is the report to the provincial establishment office (省编办) for a period and a reporting unit:
its figures are frozen when the workbook is built — the header, totals and overdue bulletin in ``figures``, one
``ReportRow`` per city, county and department — and once it is sent neither the figures nor the file change again
(``ProgressReport.save`` refuses).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from standards.files import PrivateStorage


class ScopeKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（区）")
    DEPARTMENT = "department", _("部门")


class ApprovalBase(models.TextChoices):
    """The denominator of the review approval rate (审查通过率): provinces count differently (domain decision 6)."""

    SUBMITTED = "submitted", _("已提交事项")
    ACTIVE = "active", _("全部在用事项")


# The counted figures of a scope, in report order; every one is a number of active local items.
COUNT_FIELDS = (
    "active",
    "entered",
    "submitted",
    "dept_confirm",
    "compliance_review",
    "legality_review",
    "returned",
    "approved",
    "published",
    "passed",
    "first_pass",
    "overdue",
)


class ScopeCounts(models.Model):
    """The counted figures of a scope (``COUNT_FIELDS``), shared by snapshots and report rows."""

    active = models.PositiveIntegerField(_("应编写事项数"), default=0)
    entered = models.PositiveIntegerField(_("已录入数"), default=0)
    submitted = models.PositiveIntegerField(_("已提交数"), default=0)
    dept_confirm = models.PositiveIntegerField(_("待部门确认"), default=0)
    compliance_review = models.PositiveIntegerField(_("待合规审查"), default=0)
    legality_review = models.PositiveIntegerField(_("待合法审查"), default=0)
    returned = models.PositiveIntegerField(_("退回数"), default=0)
    approved = models.PositiveIntegerField(_("审查通过待发布"), default=0)
    published = models.PositiveIntegerField(_("已发布数"), default=0)
    passed = models.PositiveIntegerField(_("审查通过数"), default=0)
    first_pass = models.PositiveIntegerField(_("一次通过数"), default=0)
    overdue = models.PositiveIntegerField(_("超期未审数"), default=0)

    class Meta:
        abstract = True


class RateSnapshot(ScopeCounts):
    """The counts of one scope on one date; the rates are derived from them (``reporting.rates.Figures``)."""

    date = models.DateField(_("统计日期"), db_index=True)
    kind = models.CharField(_("范围"), max_length=10, choices=ScopeKind.choices)
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # "division code" or "division code/organization id": one key per scope, for the unique constraint.
    scope_key = models.CharField(_("范围标识"), max_length=40)
    approval_base = models.CharField(
        _("通过率分母"), max_length=10, choices=ApprovalBase.choices, default=ApprovalBase.SUBMITTED
    )
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        ordering = ["date", "scope_key"]
        constraints = [
            models.UniqueConstraint(fields=["date", "scope_key"], name="snapshot_one_per_scope_and_date"),
        ]
        indexes = [models.Index(fields=["scope_key", "date"], name="snapshot_scope_date")]

    def __str__(self) -> str:
        return f"{self.scope_key} · {self.date:%Y-%m-%d}"


class ReportStatus(models.TextChoices):
    BUILDING = "building", _("生成中")
    READY = "ready", _("待报送")
    SENT = "sent", _("已报送")
    FAILED = "failed", _("生成失败")


class ProgressReport(TimeStampedModel):
    """A progress report to the provincial establishment office: a period, a reporting unit, its workbook."""

    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("统计期起"))
    period_end = models.DateField(_("统计期止"))
    recipient = models.CharField(_("报送对象"), max_length=100, default="省编办")
    contact = models.CharField(_("联系人及电话"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.BUILDING)
    figures = models.JSONField(_("报表数据"), default=dict, blank=True, help_text=_("生成时冻结的全部数字"))
    file = models.FileField(_("报表文件"), storage=PrivateStorage(), upload_to="reports/%Y/", blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    error = models.TextField(_("失败原因"), blank=True)

    class Meta:
        verbose_name = _("进度报表")
        verbose_name_plural = _("进度报表")
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return f"{self.division.name} {self.period_start:%Y-%m-%d}—{self.period_end:%Y-%m-%d}"

    @property
    def is_frozen(self) -> bool:
        return self.status == ReportStatus.SENT

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = ProgressReport.objects.filter(pk=self.pk).values("status", "figures", "file").first()
            if (
                stored
                and stored["status"] == ReportStatus.SENT
                and (
                    self.status != ReportStatus.SENT
                    or self.figures != stored["figures"]
                    or self.file.name != stored["file"]
                )
            ):
                raise ValidationError(_("报表已报送，数字和文件不能再修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise ValidationError(_("已报送的报表不能删除"))
        return super().delete(*args, **kwargs)


class ReportRow(ScopeCounts):
    """The frozen figures of one unit of a progress report: a city, a county, a department, or the reporting unit.

    Rows rather than one JSON document, so a report of the whole province is written with one ``INSERT … SELECT`` and
    its department sheet streamed from the table, in memory that does not grow with the province. Once the report is
    sent its rows never change (``reporting.services`` only rewrites the rows of an unsent report, under its lock)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进度报表"), on_delete=models.CASCADE, related_name="rows"
    )
    kind = models.CharField(_("范围"), max_length=10, choices=ScopeKind.choices)
    scope_key = models.CharField(_("范围标识"), max_length=40)
    code = models.CharField(_("区划代码"), max_length=9)
    name = models.CharField(_("单位"), max_length=200)
    county = models.CharField(_("所在区划"), max_length=100, blank=True, help_text=_("部门所在的区划"))
    city = models.CharField(_("所属地市"), max_length=100, blank=True, help_text=_("县（区）所属的地市"))
    submission_rate = models.FloatField(_("标准录入提交率"), null=True, blank=True)
    approval_rate = models.FloatField(_("审查通过率"), null=True, blank=True)
    first_pass_rate = models.FloatField(_("一次通过率"), null=True, blank=True)
    submission_change = models.FloatField(_("提交率较上期"), null=True, blank=True)
    approval_change = models.FloatField(_("通过率较上期"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)

    class Meta:
        verbose_name = _("报表明细")
        verbose_name_plural = _("报表明细")
        ordering = ["report", "kind", "code", "name"]
        constraints = [models.UniqueConstraint(fields=["report", "scope_key"], name="report_row_one_per_scope")]
        indexes = [models.Index(fields=["report", "kind", "code", "name"], name="report_row_sheet_order")]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.name}"


# --- cases (办件) and electronic supervision ----------------------------------------------------------------------


# The counted figures of cases in a scope, in report order (definitions: ``reporting.case_figures.figures``).
CASE_COUNT_FIELDS = (
    "accepted",
    "finished",
    "on_time",
    "early",
    "late",
    "in_progress",
    "open_overdue",
    "not_accepted",
    "yellow",
    "red",
    "oversight_open",
    "oversight_overdue",
)


class CaseCounts(models.Model):
    """The counted case figures of a scope (``CASE_COUNT_FIELDS``), shared by snapshots and report rows."""

    accepted = models.PositiveIntegerField(_("受理数"), default=0)
    finished = models.PositiveIntegerField(_("办结数"), default=0)
    on_time = models.PositiveIntegerField(_("按时办结数"), default=0)
    early = models.PositiveIntegerField(_("提前办结数"), default=0)
    late = models.PositiveIntegerField(_("超期办结数"), default=0)
    in_progress = models.PositiveIntegerField(_("在办数"), default=0)
    open_overdue = models.PositiveIntegerField(_("超期在办数"), default=0)
    not_accepted = models.PositiveIntegerField(_("不予受理数"), default=0)
    yellow = models.PositiveIntegerField(_("黄色预警"), default=0)
    red = models.PositiveIntegerField(_("红色警告"), default=0)
    oversight_open = models.PositiveIntegerField(_("督办未办结"), default=0)
    oversight_overdue = models.PositiveIntegerField(_("督办超期未答复"), default=0)

    class Meta:
        abstract = True


class CaseSnapshot(CaseCounts):
    """The case figures of one scope (province, city, county, department) on one date, stored with the rate
    snapshots (``compute_rates``). Re-computing a date replaces that date's rows. A department's items are counted
    on demand, not stored (``reporting.case_figures.figures.item_figures``)."""

    date = models.DateField(_("统计日期"), db_index=True)
    kind = models.CharField(_("范围"), max_length=10, choices=ScopeKind.choices)
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "catalogue.Organization",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # "division code" or "division code/organization id" (as ``RateSnapshot``): one key per scope and date.
    scope_key = models.CharField(_("范围标识"), max_length=40)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("办件统计快照")
        verbose_name_plural = _("办件统计快照")
        ordering = ["date", "scope_key"]
        constraints = [
            models.UniqueConstraint(fields=["date", "scope_key"], name="case_snapshot_one_per_scope_and_date"),
        ]
        indexes = [
            models.Index(fields=["scope_key", "date"], name="case_snapshot_scope_date"),
            models.Index(fields=["date", "kind", "organization"], name="case_snapshot_date_kind_org"),
        ]

    def __str__(self) -> str:
        return f"{self.scope_key} · {self.date:%Y-%m-%d}"


class CaseReportRow(CaseCounts):
    """The frozen case figures of one unit of a progress report (its sheet 办件与监察); written with the report's
    other rows, under its lock, and never changed once the report is sent."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进度报表"), on_delete=models.CASCADE, related_name="case_rows"
    )
    kind = models.CharField(_("范围"), max_length=10, choices=ScopeKind.choices)
    scope_key = models.CharField(_("范围标识"), max_length=40)
    code = models.CharField(_("区划代码"), max_length=9)
    name = models.CharField(_("单位"), max_length=200)
    county = models.CharField(_("所在区划"), max_length=100, blank=True)
    on_time_rate = models.FloatField(_("按时办结率"), null=True, blank=True)
    early_rate = models.FloatField(_("提前办结率"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)

    class Meta:
        verbose_name = _("报表办件明细")
        verbose_name_plural = _("报表办件明细")
        ordering = ["report", "kind", "code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["report", "scope_key"], name="case_report_row_one_per_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.name}"
