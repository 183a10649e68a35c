"""The reporting app's models: rate snapshots and progress reports (``reports``), unit scorecards (``scorecards``),
standards compendiums (``compendium``)."""

from .compendium import Compendium, CompendiumKind, CompendiumStatus
from .reports import (
    CASE_COUNT_FIELDS,
    COUNT_FIELDS,
    ApprovalBase,
    CaseCounts,
    CaseReportRow,
    CaseSnapshot,
    ProgressReport,
    RateSnapshot,
    ReportRow,
    ReportStatus,
    ScopeCounts,
    ScopeKind,
)
from .scorecards import (
    Indicator,
    RuleKind,
    Scorecard,
    ScorecardChange,
    ScorecardStatus,
    ScoreResult,
    UnitKind,
)

__all__ = [
    "CASE_COUNT_FIELDS",
    "COUNT_FIELDS",
    "ApprovalBase",
    "CaseCounts",
    "CaseReportRow",
    "CaseSnapshot",
    "Compendium",
    "CompendiumKind",
    "CompendiumStatus",
    "Indicator",
    "ProgressReport",
    "RateSnapshot",
    "ReportRow",
    "ReportStatus",
    "RuleKind",
    "ScopeCounts",
    "ScopeKind",
    "ScoreResult",
    "Scorecard",
    "ScorecardChange",
    "ScorecardStatus",
    "UnitKind",
]
