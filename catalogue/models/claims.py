from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已退回")


class Claim(models.Model):
    """A department's claim (事项认领) of a general item for its division; it creates the local item at once, which
    becomes active when the division's establishment office confirms the claim."""

    local_item = models.ForeignKey(
        "catalogue.LocalItem", verbose_name=_("实施清单事项"), on_delete=models.PROTECT, related_name="claims"
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("认领部门"), on_delete=models.PROTECT, related_name="claims"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING, db_index=True
    )
    note = models.CharField(_("认领说明"), max_length=300, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("认领人"), on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("认领时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.CharField(_("确认意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("事项认领")
        verbose_name_plural = _("事项认领")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_item"], condition=Q(status="pending"), name="claim_one_pending_per_item"
            ),
        ]

    def __str__(self) -> str:
        return _("%(organization)s 认领 %(item)s") % {"organization": self.organization, "item": self.local_item.name}
