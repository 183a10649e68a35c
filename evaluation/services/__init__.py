"""Every change to evaluations: giving one, working a bad grade's rectification, appeals, invitations."""

from .appeals import appeal_decide, appeal_file
from .invitations import invitations_send
from .rectification import rectification_advance, rectification_open
from .revision import revision_request_open
from .submit import (
    AlreadyEvaluated,
    EvaluationInput,
    case_evaluable,
    evaluation_submit_for_case,
    evaluation_submit_for_visit,
    ticket_evaluable,
)

__all__ = [
    "AlreadyEvaluated",
    "EvaluationInput",
    "appeal_decide",
    "appeal_file",
    "case_evaluable",
    "evaluation_submit_for_case",
    "evaluation_submit_for_visit",
    "invitations_send",
    "rectification_advance",
    "rectification_open",
    "revision_request_open",
    "ticket_evaluable",
]
