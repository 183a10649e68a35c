from .choices import (
    EDITABLE_STATES,
    IN_PROGRESS_STATES,
    BasisRole,
    CaseType,
    DeliveryMethod,
    HandleForm,
    InternalStep,
    LawRank,
    LimitUnit,
    MaterialForm,
    MaterialType,
    Necessity,
    OnlineDepth,
    PowerSource,
    ResultType,
    ReviewMethod,
    ReviewMode,
    ServiceObject,
    Situation,
    SourceChannel,
    StandardState,
)
from .guide import ServiceGuide
from .guide_rows import Citation, Faq, FeeItem, Material, ProcessStep, ResultSample, SpecialProcedure
from .manual import BusinessManual, DiscretionBenchmark, InternalForm, ManualStep, ReviewPoint, SupervisionCheck
from .rows import StandardRow
from .standard import ItemStandard

# Every kind of row of a standard, in the order the editor and the diff show them.
GUIDE_ROWS = (Citation, Material, ProcessStep, SpecialProcedure, FeeItem, ResultSample, Faq)
MANUAL_ROWS = (ManualStep, ReviewPoint, DiscretionBenchmark, InternalForm, SupervisionCheck)
ROW_MODELS = GUIDE_ROWS + MANUAL_ROWS

__all__ = [
    "EDITABLE_STATES",
    "GUIDE_ROWS",
    "IN_PROGRESS_STATES",
    "MANUAL_ROWS",
    "ROW_MODELS",
    "BasisRole",
    "BusinessManual",
    "CaseType",
    "Citation",
    "DeliveryMethod",
    "DiscretionBenchmark",
    "Faq",
    "FeeItem",
    "HandleForm",
    "InternalForm",
    "InternalStep",
    "ItemStandard",
    "LawRank",
    "LimitUnit",
    "ManualStep",
    "Material",
    "MaterialForm",
    "MaterialType",
    "Necessity",
    "OnlineDepth",
    "PowerSource",
    "ProcessStep",
    "ResultSample",
    "ResultType",
    "ReviewMethod",
    "ReviewMode",
    "ReviewPoint",
    "ServiceGuide",
    "ServiceObject",
    "Situation",
    "SourceChannel",
    "SpecialProcedure",
    "StandardRow",
    "StandardState",
    "SupervisionCheck",
]
