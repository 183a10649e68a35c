"""The one signal the review workflow receives from below: the catalogue cancels local items.

The catalogue knows nothing of standards (imports flow one way), so it announces cancellations with
``catalogue.signals.local_items_cancelled``, inside the transaction that cancels them. Here the standards of those
items are withdrawn (已废止) — logged as transitions, their open review tasks closed — by
``reviews.services.standards_withdraw``; a failure rolls the cancellation back with it.
"""

from __future__ import annotations

from django.dispatch import receiver

from catalogue.models import LocalItem
from catalogue.signals import local_items_cancelled

from .services import standards_withdraw


@receiver(local_items_cancelled, sender=LocalItem, dispatch_uid="reviews_withdraw_on_cancel")
def withdraw_cancelled_items(sender, *, local_item_ids, actor, reason="", **kwargs) -> None:
    standards_withdraw(actor=actor, local_item_ids=local_item_ids, reason=reason)
