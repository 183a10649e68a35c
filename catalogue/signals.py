"""Signals the catalogue sends so that apps built on it (standards) can follow, without the catalogue knowing them."""

from django.dispatch import Signal

# Sent inside the transaction that cancels local items, with ``local_item_ids``, ``actor`` and ``reason`` (the
# decision document and reason, as history records it); receivers that fail roll the cancellation back with them.
local_items_cancelled = Signal()

# Sent after an import of an item list has been saved (the web import's task, inside its transaction; and
# ``import_catalogue``, after its rows are committed), with ``actor``, ``path``, ``profile``
# (``catalogue.imports.Profile``), ``file_name``, ``rows`` (the numbers of the rows the import accepted: a rejected,
# conflicting or skipped row is not to be filled from) and ``all_or_nothing`` (as the import was asked). A receiver
# that fills more from the same file (the standards' guide drafts, from the profile's ``[guide]`` table) returns a
# list of ``core.i18n.Message`` saying what it did; the import shows them with its own figures.
catalogue_import_saved = Signal()
