from .changes import AdjustmentStatus, AdjustmentTask, CatalogChange, ChangeKind
from .claims import Claim, ClaimStatus
from .divisions import DIGIT_LEVEL, LEVEL_DIGIT, Division, DivisionLevel
from .imports import CatalogueImport, ImportRejection, ImportState
from .items import (
    LEVEL_CHOICES,
    GeneralItem,
    IssuedCode,
    ItemStatus,
    ItemType,
    LocalItem,
    LocalItemStatus,
    NodeKind,
    levels_display,
)
from .organizations import Membership, Organization, OrganizationKind, Role, Sector, uscc_validator

__all__ = [
    "DIGIT_LEVEL",
    "LEVEL_CHOICES",
    "LEVEL_DIGIT",
    "AdjustmentStatus",
    "AdjustmentTask",
    "CatalogChange",
    "CatalogueImport",
    "ChangeKind",
    "Claim",
    "ClaimStatus",
    "Division",
    "DivisionLevel",
    "GeneralItem",
    "ImportRejection",
    "ImportState",
    "IssuedCode",
    "ItemStatus",
    "ItemType",
    "LocalItem",
    "LocalItemStatus",
    "Membership",
    "NodeKind",
    "Organization",
    "OrganizationKind",
    "Role",
    "Sector",
    "levels_display",
    "uscc_validator",
]
