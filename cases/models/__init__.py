from .case import Case, CaseMaterial, CaseQuerySet, CaseSerial, PostHolder
from .choices import (
    ACCEPTED_OPEN_STATUSES,
    OPEN_STATUSES,
    AlertLevel,
    AlertRule,
    ApplicantKind,
    CaseSource,
    CaseStatus,
    Decision,
    ExtensionState,
    NoticeKind,
    OversightState,
    StepKind,
)
from .external import ExternalEvent, ExternalSystem
from .records import CaseFee, CaseStep, Extension, Notice, Suspension
from .results import PublishedResult, PublishedResultQuerySet
from .supervision import Alert, Oversight

__all__ = [
    "ACCEPTED_OPEN_STATUSES",
    "OPEN_STATUSES",
    "Alert",
    "AlertLevel",
    "AlertRule",
    "ApplicantKind",
    "Case",
    "CaseFee",
    "CaseMaterial",
    "CaseQuerySet",
    "CaseSerial",
    "CaseSource",
    "CaseStatus",
    "CaseStep",
    "Decision",
    "Extension",
    "ExtensionState",
    "ExternalEvent",
    "ExternalSystem",
    "Notice",
    "NoticeKind",
    "Oversight",
    "OversightState",
    "PostHolder",
    "PublishedResult",
    "PublishedResultQuerySet",
    "StepKind",
    "Suspension",
]
