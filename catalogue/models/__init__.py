from .changes import AdjustmentStatus, AdjustmentTask, CatalogChange, ChangeKind
from .claims import Claim, ClaimStatus
from .divisions import DIGIT_LEVEL, LEVEL_DIGIT, Division, DivisionLevel
from .imports import CatalogueImport, ConflictDecision, ImportConflict, ImportRejection, ImportState
from .items import (
    LEVEL_CHOICES,
    GeneralItem,
    IssuedCode,
    ItemStatus,
    ItemType,
    LocalItem,
    LocalItemStatus,
    NodeKind,
    TypeScheme,
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
    "ConflictDecision",
    "Division",
    "DivisionLevel",
    "GeneralItem",
    "ImportConflict",
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
    "TypeScheme",
    "levels_display",
    "uscc_validator",
]
