"""Every state change of the catalogue: functions that take the acting user, run in a transaction, lock what they
change and record what happened."""

from .changes import Adjustment, ChangeDocument, catalog_change_apply
from .claims import adjustment_resolve, claim_decide, claims_create
from .divisions import LoadReport, divisions_load
from .imports import (
    catalogue_import_confirm,
    catalogue_import_failed,
    catalogue_import_run,
    catalogue_import_upload,
)
from .items import ItemSpec, general_item_build, local_item_build, name_initials

__all__ = [
    "Adjustment",
    "ChangeDocument",
    "ItemSpec",
    "LoadReport",
    "adjustment_resolve",
    "catalog_change_apply",
    "catalogue_import_confirm",
    "catalogue_import_failed",
    "catalogue_import_run",
    "catalogue_import_upload",
    "claim_decide",
    "claims_create",
    "divisions_load",
    "general_item_build",
    "local_item_build",
    "name_initials",
]
