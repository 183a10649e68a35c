from .choices import (
    BAD_GRADE_MAX,
    OPEN_STAGES,
    SATISFIED_MIN,
    WORK_STAGES,
    AppealReason,
    AppealState,
    Channel,
    ComplaintCategory,
    Grade,
    IndicatorKind,
    Stage,
    Target,
)
from .evaluation import Evaluation, EvaluationQuerySet, EvaluationScore, Invitation, RevisionRequest
from .indicators import GUIDE_ACCURACY, OVERALL, Indicator, IndicatorSet
from .rectification import Appeal, Rectification, RectificationStep

__all__ = [
    "BAD_GRADE_MAX",
    "GUIDE_ACCURACY",
    "OPEN_STAGES",
    "OVERALL",
    "SATISFIED_MIN",
    "WORK_STAGES",
    "Appeal",
    "AppealReason",
    "AppealState",
    "Channel",
    "ComplaintCategory",
    "Evaluation",
    "EvaluationQuerySet",
    "EvaluationScore",
    "Grade",
    "Indicator",
    "IndicatorKind",
    "IndicatorSet",
    "Invitation",
    "Rectification",
    "RectificationStep",
    "RevisionRequest",
    "Stage",
    "Target",
]
