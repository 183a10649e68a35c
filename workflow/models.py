from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.models import StandardState
from standards.transitions import Action


class StateTransition(models.Model):
    """Append-only log of every workflow action on a standard version: who (and for which body), from and to which
    state, when, in which review round, with the note they wrote. Rows are never changed or deleted."""

    standard = models.ForeignKey(
        "standards.ItemStandard", verbose_name=_("审批标准"), on_delete=models.PROTECT, related_name="transitions"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原状态"), max_length=20, choices=StandardState.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=StandardState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        "catalogue.Organization", verbose_name=_("操作机构"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    round = models.PositiveSmallIntegerField(_("审查轮次"), default=1)
    note = models.TextField(_("意见"), blank=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["standard_id", "at", "id"]
        indexes = [models.Index(fields=["standard", "at"], name="transition_standard_at")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.standard_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("流转记录只能追加，不能修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("流转记录不能删除"))


from .deadlines.models import Milestone, MilestoneFiling, WorkPlan  # noqa: E402,F401
