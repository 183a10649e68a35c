from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import enumeration
from core.models import TimeStampedModel

from .divisions import Division, DivisionLevel


class ItemType(models.TextChoices):
    """National numeric item-type codes (domain decision 2)."""

    LICENSING = "01", _("行政许可")
    PENALTY = "02", _("行政处罚")
    COERCION = "03", _("行政强制")
    LEVY = "04", _("行政征收")
    BENEFIT = "05", _("行政给付")
    INSPECTION = "06", _("行政检查")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务")


class TypeScheme(models.TextChoices):
    """Whose numbering the type digits of a general-catalogue code follow (``catalogue.codes.TYPE_SCHEMES``)."""

    NATIONAL = "national", _("国家编码")
    GUANGDONG = "guangdong", _("广东省编码（20其他行政权力、21公共服务）")


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("在用")
    SUSPENDED = "suspended", _("暂停")
    CANCELLED = "cancelled", _("已取消")


class NodeKind(models.TextChoices):
    MAIN = "main", _("主项")
    SUB = "sub", _("子项")
    HANDLE = "handle", _("业务办理项")


# Levels an item may be exercised at, as the digits of the implementation code.
LEVEL_CHOICES = [("2", _("省级")), ("3", _("市级")), ("4", _("县级")), ("5", _("乡镇级"))]


def levels_display(levels: str) -> str:
    names = dict(LEVEL_CHOICES)
    return enumeration(names[d] for d in levels if d in names)


class IssuedCode(models.Model):
    """Every code the catalogue has ever issued. Filled by database triggers on insert of general and local items, so
    a code can never be issued twice — also after its item is cancelled, and whatever path the insert takes."""

    code = models.CharField(_("编码"), max_length=64, primary_key=True)
    kind = models.CharField(_("类别"), max_length=10)
    issued_at = models.DateTimeField(_("发放时间"))

    class Meta:
        verbose_name = _("已发放编码")
        verbose_name_plural = _("已发放编码")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class GeneralItemQuerySet(models.QuerySet):
    def active(self) -> GeneralItemQuerySet:
        return self.filter(status=ItemStatus.ACTIVE)

    def allowed_at(self, level_digit: str) -> GeneralItemQuerySet:
        return self.filter(levels__contains=level_digit)

    def tree_order(self) -> GeneralItemQuerySet:
        """Catalogue order: a main item, then its sub items, then their handling items (plain code order would put
        ``…001`` before ``…00Y``)."""
        return self.order_by(
            "province_id",
            "item_type",
            "sector__code",
            "main_seq",
            models.F("sub_seq").asc(nulls_first=True),
            models.F("handle_seq").asc(nulls_first=True),
        )

    def claimable(self) -> GeneralItemQuerySet:
        """Leaves of the tree: a main item with sub items is claimed through its sub items."""
        return self.active().exclude(node_kind=NodeKind.MAIN, has_sub_items=True)


class GeneralItem(TimeStampedModel):
    """An entry of a province's general catalogue (通用目录): a main item, a sub item or a handling item.

    Its code is assigned by the catalogue services from the province, type, sector and sequence numbers and never
    changes (a database trigger refuses an update of it). Items are never deleted: they are cancelled.
    """

    province = models.ForeignKey(
        Division,
        verbose_name=_("所属省份目录"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": DivisionLevel.PROVINCE},
        related_name="+",
    )
    code = models.CharField(_("通用目录编码"), max_length=14, unique=True)
    code_is_foreign = models.BooleanField(
        _("外部编码"), default=False, help_text=_("从其他省份系统导入、不按本省规则编制而按原样保留的编码")
    )
    name = models.CharField(_("事项名称"), max_length=200)
    name_initials = models.CharField(_("拼音首字母"), max_length=200, blank=True, db_index=True)
    item_type = models.CharField(_("事项类型"), max_length=2, choices=ItemType.choices, db_index=True)
    type_scheme = models.CharField(
        _("类型编码方案"),
        max_length=12,
        choices=TypeScheme.choices,
        default=TypeScheme.NATIONAL,
        help_text=_("编码中的类型位按哪种编码方案对应国家事项类型；编码保留发放时的类型位"),
    )
    sector = models.ForeignKey(
        "catalogue.Sector", verbose_name=_("目录部门类别"), on_delete=models.PROTECT, related_name="items"
    )
    node_kind = models.CharField(_("节点类型"), max_length=6, choices=NodeKind.choices, default=NodeKind.MAIN)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级事项"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    has_sub_items = models.BooleanField(_("含子项"), default=False)
    main_seq = models.PositiveSmallIntegerField(_("主项序号"))
    sub_seq = models.PositiveSmallIntegerField(_("子项序号"), null=True, blank=True)
    handle_seq = models.PositiveSmallIntegerField(_("办理项序号"), null=True, blank=True)
    levels = models.CharField(
        _("行使层级"), max_length=4, help_text=_("可行使该事项的层级：2省级 3市级 4县级 5乡镇级"), db_index=True
    )
    bases = models.JSONField(
        _("设定依据"),
        default=list,
        blank=True,
        help_text=_("法律法规名称、文号、条款号，每条一行"),
    )
    central_guiding_dept = models.CharField(_("中央业务指导部门"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.ACTIVE)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    cancel_date = models.DateField(_("取消日期"), null=True, blank=True)
    needs_review = models.BooleanField(_("待核实"), default=False, help_text=_("导入时新建、尚待编办核实的事项"))

    history = HistoricalRecords(excluded_fields=["updated_at", "name_initials"])

    # The levels are a string of level digits, shown as their labels wherever a change is.
    code_lists = {"levels": LEVEL_CHOICES}

    objects = GeneralItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("通用目录事项")
        verbose_name_plural = _("通用目录事项")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(levels__regex=r"^2?3?4?5?$") & ~Q(levels=""), name="general_levels"),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancel_date__isnull=False) | ~Q(status="cancelled"),
                name="general_cancel_date",
            ),
            models.CheckConstraint(
                condition=(Q(node_kind="main", parent__isnull=True) | Q(~Q(node_kind="main"), parent__isnull=False)),
                name="general_tree_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("通用目录事项不得删除，请通过动态管理取消。"))

    @property
    def levels_display(self) -> str:
        return levels_display(self.levels)

    @property
    def is_active(self) -> bool:
        return self.status == ItemStatus.ACTIVE


class LocalItemStatus(models.TextChoices):
    CLAIMED = "claimed", _("待编办确认")
    ACTIVE = "active", _("在用")
    SUSPENDED = "suspended", _("暂停")
    REJECTED = "rejected", _("认领未通过")
    CANCELLED = "cancelled", _("已取消")


class LocalItemQuerySet(models.QuerySet):
    def active(self) -> LocalItemQuerySet:
        return self.filter(status=LocalItemStatus.ACTIVE)

    def public(self) -> LocalItemQuerySet:
        return self.filter(status__in=[LocalItemStatus.ACTIVE, LocalItemStatus.SUSPENDED])

    def in_division(self, division: Division) -> LocalItemQuerySet:
        return self.filter(**{f"division__{division.level}_code": division.code})


# The published guide's copy on the item row (see ``LocalItem.guide_version``).
GUIDE_FIELDS = ("guide_version", "guide_published_at")


class LocalItem(TimeStampedModel):
    """A row of a division's implementation list (实施清单): one general item exercised by one body in one division.

    Name and type are copied from the general item (四级四同) and brought back in line through adjustment tasks when
    the general item changes, so a deviation is visible instead of silently overwritten.
    """

    general_item = models.ForeignKey(
        GeneralItem, verbose_name=_("通用目录事项"), on_delete=models.PROTECT, related_name="local_items"
    )
    division = models.ForeignKey(Division, verbose_name=_("实施区划"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="local_items"
    )
    code = models.CharField(
        _("实施编码"),
        max_length=64,
        unique=True,
        help_text=_("统一社会信用代码+层级码+通用目录编码，共31位（办理项33位）"),
    )
    code_is_foreign = models.BooleanField(_("外部编码"), default=False, help_text=_("从其他系统导入、按原样保留的编码"))
    name = models.CharField(_("事项名称"), max_length=200)
    name_initials = models.CharField(_("拼音首字母"), max_length=200, blank=True, db_index=True)
    item_type = models.CharField(_("事项类型"), max_length=2, choices=ItemType.choices, db_index=True)
    level = models.CharField(_("行使层级"), max_length=1, choices=LEVEL_CHOICES, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=LocalItemStatus.choices, default=LocalItemStatus.ACTIVE, db_index=True
    )
    needs_adjustment = models.BooleanField(_("待调整"), default=False, db_index=True)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    cancel_date = models.DateField(_("取消日期"), null=True, blank=True)
    # A copy of the published service guide's version number and date (None while nothing is published), written
    # only by ``catalogue.services.published_guide_record`` — which the standards side calls when a version is
    # published, superseded or withdrawn — so the API's item list reads them from the row instead of asking the
    # standards table once per item. Never part of the item's history or of a plain ``save()`` (see below).
    guide_version = models.PositiveIntegerField(_("已发布办事指南版本"), null=True, blank=True, editable=False)
    guide_published_at = models.DateTimeField(_("办事指南发布时间"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "name_initials", *GUIDE_FIELDS])
    objects = LocalItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("实施清单事项")
        verbose_name_plural = _("实施清单事项")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["general_item", "division", "organization"], name="local_item_unique_per_body"
            ),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancel_date__isnull=False) | ~Q(status="cancelled"),
                name="local_cancel_date",
            ),
        ]
        indexes = [
            models.Index(fields=["division", "status"], name="local_division_status"),
            models.Index(fields=["organization", "status"], name="local_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        """A saved item never writes the published guide's copy back: the instance may have been read before a
        publication committed, and writing its stale copy would hide or resurrect a guide."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            skip = {*GUIDE_FIELDS, *self.get_deferred_fields()}
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.attname not in skip
            ]
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("实施清单事项不得删除，请通过动态管理取消。"))
