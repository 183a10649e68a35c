"""Every state change of the catalogue: functions that take the acting user, run in a transaction, lock what they
change and record what happened. The browser import's services are in ``catalogue.services.imports`` (not
re-exported: the import engine they drive itself builds on these services)."""

from .changes import Adjustment, ChangeDocument, catalog_change_apply
from .claims import adjustment_resolve, claim_decide, claims_create
from .divisions import LoadReport, divisions_load
from .items import ItemSpec, general_item_build, local_item_build, name_initials, published_guide_record

__all__ = [
    "Adjustment",
    "ChangeDocument",
    "ItemSpec",
    "LoadReport",
    "adjustment_resolve",
    "catalog_change_apply",
    "claim_decide",
    "claims_create",
    "divisions_load",
    "general_item_build",
    "local_item_build",
    "name_initials",
    "published_guide_record",
]
