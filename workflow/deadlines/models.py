"""Work plans and their milestones (domain decision 7).

A province issues a work plan (工作计划) that sets milestones per level: each city files its work plan with the
provincial establishment office by a date; the provincial licensing items' standards are entered and confirmed by
another; city and county standards are entered by a third. Progress against a milestone is computed from the catalogue
and the standards (``reporting.deadlines``); only the filings of plans are recorded here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Division, DivisionLevel, ItemType
from core.models import TimeStampedModel


class MilestoneLevel(models.TextChoices):
    """The level of the units a milestone applies to, within the plan's province."""

    PROVINCE = DivisionLevel.PROVINCE.value, _("省级")
    CITY = DivisionLevel.CITY.value, _("市级")
    COUNTY = DivisionLevel.COUNTY.value, _("县级")


class MilestoneKind(models.TextChoices):
    PLAN_FILED = "plan_filed", _("工作方案报备")
    ENTERED = "entered", _("标准录入提交")
    APPROVED = "approved", _("标准审查通过")


class WorkPlan(TimeStampedModel):
    """A province's work plan for the standardization: the notice that sets the milestones."""

    title = models.CharField(_("计划名称"), max_length=200)
    province = models.ForeignKey(
        Division,
        verbose_name=_("发文省份"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": DivisionLevel.PROVINCE},
        related_name="+",
    )
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("印发日期"))
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）" if self.document_number else self.title

    def clean(self):
        if self.province_id and self.province.level != DivisionLevel.PROVINCE:
            raise ValidationError({"province": _("工作计划须由省级区划印发")})


class Milestone(TimeStampedModel):
    """One deadline of a plan for every unit at a level of the plan's province.

    - ``plan_filed``: each unit files its work plan and schedule (recorded as a ``MilestoneFiling``);
    - ``entered``: every active item of the unit has a standard submitted at least once (entry submission rate 100%);
    - ``approved``: every active item's standard is approved or published.

    A unit's items are those of its whole subtree (a county with its townships, a city with its counties), or with
    ``own_items_only`` only those its own departments implement (e.g. the provincial departments' licensing items).
    """

    plan = models.ForeignKey(WorkPlan, verbose_name=_("工作计划"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点名称"), max_length=200)
    level = models.CharField(_("适用层级"), max_length=10, choices=MilestoneLevel.choices)
    kind = models.CharField(_("完成要求"), max_length=12, choices=MilestoneKind.choices)
    item_type = models.CharField(
        _("事项类型"),
        max_length=2,
        choices=ItemType.choices,
        blank=True,
        help_text=_("只统计该类型的事项；留空统计全部在用事项"),
    )
    own_items_only = models.BooleanField(
        _("仅本级事项"),
        default=False,
        help_text=_("只统计单位本级部门实施的事项，不含所辖区划的事项"),
    )
    due_on = models.DateField(_("截止日期"))
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("工作节点")
        verbose_name_plural = _("工作节点")
        ordering = ["plan_id", "due_on", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="plan_filed") | Q(item_type="", own_items_only=False),
                name="milestone_filing_has_no_item_filter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.due_on:%Y-%m-%d}）"

    def clean(self):
        if self.kind == MilestoneKind.PLAN_FILED and (self.item_type or self.own_items_only):
            raise ValidationError(_("工作方案报备节点不按事项统计，不能设置事项类型或“仅本级事项”"))

    @property
    def counts_items(self) -> bool:
        return self.kind != MilestoneKind.PLAN_FILED


class MilestoneFiling(TimeStampedModel):
    """A unit's filing for a ``plan_filed`` milestone: its work plan and schedule received by the provincial office."""

    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("工作节点"),
        on_delete=models.CASCADE,
        related_name="filings",
        limit_choices_to={"kind": MilestoneKind.PLAN_FILED},
    )
    division = models.ForeignKey(Division, verbose_name=_("报备单位"), on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("报备日期"))
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("报备记录")
        verbose_name_plural = _("报备记录")
        ordering = ["milestone_id", "division_id"]
        constraints = [
            models.UniqueConstraint(fields=["milestone", "division"], name="filing_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.division} · {self.filed_on:%Y-%m-%d}"

    def clean(self):
        if not (self.milestone_id and self.division_id):
            return
        milestone = self.milestone
        if milestone.kind != MilestoneKind.PLAN_FILED:
            raise ValidationError({"milestone": _("只有工作方案报备节点需要登记报备")})
        division = self.division
        if division.province_code != milestone.plan.province_id:
            raise ValidationError({"division": _("报备单位不在该工作计划的省份内")})
        countyless_city = (
            milestone.level == MilestoneLevel.COUNTY
            and division.level == DivisionLevel.CITY
            and not Division.objects.filter(city_code=division.code, level=DivisionLevel.COUNTY).exists()
        )
        if division.level != milestone.level and not countyless_city:
            raise ValidationError({"division": _("报备单位的层级与节点的适用层级不符")})
