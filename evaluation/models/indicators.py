"""The national indicator sets, versioned: an evaluation keeps the version it was given under, so a new set never
rewrites what earlier applicants answered."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import IndicatorKind


class IndicatorSetQuerySet(models.QuerySet):
    def current(self, kind: str) -> IndicatorSet | None:
        return self.filter(kind=kind, is_current=True).prefetch_related("indicators").first()


class IndicatorSet(models.Model):
    kind = models.CharField(_("适用服务"), max_length=8, choices=IndicatorKind.choices)
    version = models.PositiveSmallIntegerField(_("版本"))
    is_current = models.BooleanField(_("现行"), default=True)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = IndicatorSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价指标体系")
        verbose_name_plural = _("评价指标体系")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="eval_indicator_set_version"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_current=True), name="eval_indicator_set_current"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Indicator(models.Model):
    """One question of a set. ``code`` is stable across versions (``overall`` is always the overall grade)."""

    indicator_set = models.ForeignKey(
        IndicatorSet, verbose_name=_("指标体系"), on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("指标"), max_length=40)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        ordering = ["indicator_set_id", "position"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="eval_indicator_code")]

    def __str__(self) -> str:
        return self.name


OVERALL = "overall"
GUIDE_ACCURACY = "guide_accuracy"
