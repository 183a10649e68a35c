"""Signals the catalogue sends so that apps built on it (standards) can follow, without the catalogue knowing them."""

from django.dispatch import Signal

# Sent inside the transaction that cancels local items, with ``local_item_ids``, ``actor`` and ``reason`` (the
# decision document and reason, as history records it); receivers that fail roll the cancellation back with them.
local_items_cancelled = Signal()
