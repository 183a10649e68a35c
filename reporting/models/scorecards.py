"""Unit scorecards (考核): a configurable scorecard per assessment year and scope, its indicators, its results.

A ``Scorecard`` belongs to the division that runs the assessment (a city or a province: its supervisors) and a year
(考核年度). Its ``Indicator`` rows carry a weight (the weights add up to 100) and a scoring rule; the kinds of
indicator are functions in ``reporting.scorecards.indicators``. Computing the scorecard writes one ``ScoreResult`` per
county and per department of the scope, each with its lines — per indicator the rule, the figures it came from
(numerator, denominator, value) and the score — so every score can be traced by a reader.

Closing the year freezes the scorecard: its results are never computed again, and neither they nor the indicators
change (``Scorecard.save``, ``ScoreResult.save`` and the services refuse). Every change of a draft's configuration is
recorded as a ``ScorecardChange`` with the acting user and the configuration as it was saved.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COMPUTED = "computed", _("已计算")
    FROZEN = "frozen", _("已关账")


class RuleKind(models.TextChoices):
    LINEAR = "linear", _("线性得分")
    DEDUCTION = "deduction", _("按次扣分")


class UnitKind(models.TextChoices):
    COUNTY = "county", _("县（市、区）")
    DEPARTMENT = "department", _("部门")


FROZEN_MESSAGE = _("考核已关账，结果和指标不能再修改")


class Scorecard(TimeStampedModel):
    """One assessment: a year and the division whose supervisors run it, with its indicators and results."""

    year = models.PositiveSmallIntegerField(
        _("考核年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("考核单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("考核名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT)
    version = models.PositiveIntegerField(_("配置版本"), default=1)
    as_of = models.DateField(_("数据截止日期"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("计算人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    frozen_at = models.DateTimeField(_("关账时间"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("关账人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("考核")
        verbose_name_plural = _("考核")
        ordering = ["-year", "division_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "division"], name="scorecard_one_per_year_and_division"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.status == ScorecardStatus.FROZEN

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Scorecard.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == ScorecardStatus.FROZEN:
                raise ValidationError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise ValidationError(FROZEN_MESSAGE)
        return super().delete(*args, **kwargs)


class Indicator(models.Model):
    """One indicator of a scorecard: what is measured (``kind``), its weight, and how the figure becomes a score.

    Linear: score = weight × clamp((value − floor) ÷ (target − floor), 0, 1), the value a rate in per cent.
    Deduction: score = weight − min(per occurrence × count, cap)."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    kind = models.CharField(_("指标"), max_length=40)
    weight = models.DecimalField(
        _("权重（分）"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    rule = models.CharField(_("计分规则"), max_length=10, choices=RuleKind.choices, default=RuleKind.LINEAR)
    floor = models.DecimalField(_("下限（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("目标值（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    per_occurrence = models.DecimalField(_("每次扣分"), max_digits=5, decimal_places=2, null=True, blank=True)
    cap = models.DecimalField(_("扣分上限"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scorecard", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.scorecard_id} · {self.kind}"

    @property
    def kind_label(self):
        from reporting.scorecards.indicators import REGISTRY

        spec = REGISTRY.get(self.kind)
        return spec.label if spec else self.kind

    def clean(self):
        from reporting.scorecards.rules import rule_errors

        errors = rule_errors(
            kind=self.kind,
            rule=self.rule,
            weight=self.weight,
            floor=self.floor,
            target=self.target,
            per_occurrence=self.per_occurrence,
            cap=self.cap,
        )
        if errors:
            raise ValidationError(errors)


class ScorecardChange(models.Model):
    """A configuration saved or a scorecard computed or frozen: who, when, what, and the configuration as saved."""

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField(_("配置版本"))
    action = models.CharField(_("操作"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    config = models.JSONField(_("指标配置"), default=list)

    class Meta:
        verbose_name = _("考核变更记录")
        verbose_name_plural = _("考核变更记录")
        ordering = ["scorecard", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scorecard_id} v{self.version} {self.action}"


class ScoreResult(models.Model):
    """The score of one unit (a county, or a department) on a scorecard, with the lines that make it up.

    ``lines``: one dict per indicator — ``kind``, ``label``, ``weight``, ``rule`` (the rule in words), ``numerator``,
    ``denominator``, ``value``, ``score`` and ``note`` — written when computed and never recomputed once frozen."""

    scorecard = models.ForeignKey(Scorecard, verbose_name=_("考核"), on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("单位类别"), max_length=10, choices=UnitKind.choices)
    division = models.ForeignKey(
        "catalogue.Division", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("部门"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    county_code = models.CharField(_("所在县（市、区）代码"), max_length=9)
    county_name = models.CharField(_("所在县（市、区）"), max_length=100)
    name = models.CharField(_("单位"), max_length=200)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField(_("排名"))
    rank_in_county = models.PositiveIntegerField(_("县内排名"), null=True, blank=True)
    lines = models.JSONField(_("得分明细"), default=list)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["scorecard", "kind", "rank", "name"]
        indexes = [models.Index(fields=["scorecard", "kind", "rank"], name="score_result_ranking")]

    def __str__(self) -> str:
        return f"{self.scorecard_id} · {self.name} {self.total}"
