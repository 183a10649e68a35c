from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇级")


LEVEL_ORDER = [DivisionLevel.PROVINCE, DivisionLevel.CITY, DivisionLevel.COUNTY, DivisionLevel.TOWNSHIP]
# The level digit of an implementation code (domain decision 3).
LEVEL_DIGIT = {"province": "2", "city": "3", "county": "4", "township": "5"}
DIGIT_LEVEL = {v: k for k, v in LEVEL_DIGIT.items()}


class DivisionQuerySet(models.QuerySet):
    def subtree(self, division: Division) -> DivisionQuerySet:
        """The division and everything below it, by the stored ancestor codes: one indexed filter, no recursion."""
        return self.filter(**{f"{division.level}_code": division.code})

    def counties(self) -> DivisionQuerySet:
        return self.filter(level=DivisionLevel.COUNTY)


class Division(models.Model):
    """An administrative division (GB/T 2260; townships GB/T 10114).

    Each row stores the code of its ancestor at every level, its own included, so a subtree is one equality filter and
    reports group by city or county without walking the tree. Cities without a county level (东莞, 中山) have townships
    whose ``county_code`` is empty.
    """

    code = models.CharField(_("区划代码"), max_length=9, primary_key=True)
    code12 = models.CharField(_("统计用区划代码"), max_length=12, blank=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=DivisionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    province_code = models.CharField(_("所属省"), max_length=9, db_index=True)
    city_code = models.CharField(_("所属市"), max_length=9, blank=True, db_index=True)
    county_code = models.CharField(_("所属县"), max_length=9, blank=True, db_index=True)
    township_code = models.CharField(_("所属乡镇"), max_length=9, blank=True)
    full_name = models.CharField(_("全称"), max_length=300, blank=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def level_digit(self) -> str:
        return LEVEL_DIGIT[self.level]

    def ancestor_codes(self) -> list[str]:
        """Codes from the province down to this division, in order."""
        codes = [self.province_code, self.city_code, self.county_code, self.township_code]
        return [c for c in codes[: LEVEL_ORDER.index(self.level) + 1] if c]
