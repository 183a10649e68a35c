from .public import evaluate_case, evaluate_visit
from .staff import (
    appeal_decide_view,
    appeal_file_view,
    appeal_list_view,
    evaluation_list_view,
    rectification_advance_view,
    rectification_list_view,
    rectification_view,
    ticket_code_view,
)

__all__ = [
    "appeal_decide_view",
    "appeal_file_view",
    "appeal_list_view",
    "evaluate_case",
    "evaluate_visit",
    "evaluation_list_view",
    "rectification_advance_view",
    "rectification_list_view",
    "rectification_view",
    "ticket_code_view",
]
