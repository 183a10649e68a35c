"""Standards follow their items: when the catalogue cancels a local item, its standards are withdrawn."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from catalogue.models import LocalItem
from catalogue.signals import local_items_cancelled

from .models import IN_PROGRESS_STATES, ItemStandard, StandardState


@receiver(local_items_cancelled, sender=LocalItem, dispatch_uid="standards_withdraw_on_cancel")
def withdraw_standards(sender, *, local_item_ids, actor, reason="", **kwargs) -> None:
    """The published version and any version in progress become withdrawn (已废止), saying when and why; the public
    guide page stays and answers 410. Three queries however many items are cancelled."""
    affected = list(
        ItemStandard.objects.select_for_update().filter(
            local_item_id__in=local_item_ids, state__in=[StandardState.PUBLISHED, *IN_PROGRESS_STATES]
        )
    )
    now = timezone.now()
    for standard in affected:
        standard.state, standard.withdrawn_at, standard.updated_at = StandardState.WITHDRAWN, now, now
        standard.withdrawn_reason = f"事项已取消：{reason}" if reason else "事项已取消"
    bulk_update_with_history(
        affected,
        ItemStandard,
        # updated_at by hand (bulk updates skip auto_now): the API's change feed and ETags read it.
        ["state", "withdrawn_at", "withdrawn_reason", "updated_at"],
        default_user=actor,
        default_change_reason=reason or "事项已取消",
    )
